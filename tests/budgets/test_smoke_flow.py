"""The whole path of a draft through the services, step by step."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services
from budgets.models import DraftStatus, MeetingDecision
from budgets.selectors import cycle_state
from tests.budgets.conftest import DAY_IN, at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_draft_goes_from_preparation_to_the_maslikhat(
    published, staff, akim, resident
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        assert cycle_state(published.cycle).phase == "public_discussion"
        comment = services.comment_post(
            draft=published, author=resident, body="Свет на улице Абая"
        )
        services.comment_reply(comment=comment, author=staff, body="Учтём в версии 2")
    with time_machine.travel(at(2026, 11, 12), tick=False):
        assert cycle_state(published.cycle).phase == "coordination"
        services.meeting_record(
            draft=published,
            actor=staff,
            held_on=at(2026, 11, 11).date(),
            members_total=15,
            members_present=12,
            decision=MeetingDecision.COORDINATED,
            remarks="",
            minutes=SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        )
        submitted = services.draft_submit(draft=published, actor=akim)

    assert submitted.status == DraftStatus.UNDER_VOTE
    with time_machine.travel(at(2026, 11, 13), tick=False):
        assert cycle_state(published.cycle).phase == "maslikhat_vote"
