"""The permission matrix of budgets through its pages: every role × every action × the
phases in which the action is and is not allowed; each (action, phase, role) is one test.

Given a cycle of the rural district brought to a phase by the services, when a person in a
role does the act through its page on a day of that phase, then:
- anonymous: sent to sign in;
- a role the rule refuses: 403, and the page gives the rule's reason;
- the right role in the wrong phase: the service refuses with its message;
- the right role in the right phase: the change happens.
Every refusal asserts that nothing changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from budgets import services
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    CommunityMeeting,
    CyclePhase,
    DraftBudget,
    DraftComment,
    DraftStatus,
    MeetingDecision,
)
from portal.models import AuditEvent, Notification
from portal.permissions import refusal
from tests.budgets.conftest import BALANCED, BUDGET_ROWS, DAY_IN
from tests.budgets.factories import lines, phase_dates
from tests.refusals import rows

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = (
    "anonymous",
    "resident_of_another_unit",
    "resident",
    "staff_of_another_unit",
    "staff",
    "akim",
    "deputy",
    "moderator",
)
STAFF_AND_AKIM = frozenset({"staff", "akim"})


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The world: the cycle of 2027 brought to a phase by the services, step by step.


@dataclass
class World:
    cycle: BudgetCycle
    people: dict
    drafts: dict[int, DraftBudget] = field(default_factory=dict)
    comment: DraftComment | None = None
    line_comment: DraftComment | None = None
    reply: DraftComment | None = None

    @property
    def kwargs(self) -> dict:
        return {"kato_code": self.cycle.unit.kato_code, "fiscal_year": 2027}

    def latest_published(self) -> DraftBudget:
        return max(
            (d for d in self.drafts.values() if d.status != DraftStatus.PREPARING),
            key=lambda d: d.version,
        )

    def refresh(self) -> None:
        for version, draft in self.drafts.items():
            self.drafts[version] = DraftBudget.objects.get(pk=draft.pk)


def _at(day: str):
    return time_machine.travel(DAY_IN[day], tick=False)


def _minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")


def step_v1(world: World) -> None:
    with _at("drafting"):
        draft = services.draft_create(cycle=world.cycle, actor=world.people["staff"])
        world.drafts[1] = services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=Decimal(0),
            note="",
            actor=world.people["staff"],
        )


def step_publish_v1(world: World) -> None:
    with _at("drafting"):
        world.drafts[1] = services.draft_publish(
            draft=world.drafts[1], actor=world.people["staff"]
        )


def step_comments(world: World) -> None:
    draft = world.latest_published()
    line = draft.lines.select_related("classification").get(classification__code="R101")
    with _at("public_discussion"):
        world.comment = services.comment_post(
            draft=draft, author=world.people["resident"], body="Свет на улице Абая"
        )
        world.line_comment = services.comment_post(
            draft=draft,
            author=world.people["resident"],
            body="Налог занижен",
            line=line,
        )


def step_reply(world: World) -> None:
    with _at("public_discussion"):
        world.reply = services.comment_reply(
            comment=world.comment, author=world.people["staff"], body="Учтём"
        )


def step_v2(world: World) -> None:
    with _at("public_discussion"):
        world.drafts[2] = services.draft_create(
            cycle=world.cycle, actor=world.people["staff"]
        )


def step_publish_v2(world: World) -> None:
    with _at("public_discussion"):
        world.drafts[2] = services.draft_publish(
            draft=world.drafts[2], actor=world.people["staff"]
        )


def step_meeting(world: World) -> None:
    with _at("coordination"):
        services.meeting_record(
            draft=world.latest_published(),
            actor=world.people["staff"],
            held_on=DAY_IN["coordination"].date() - datetime.timedelta(days=1),
            members_total=15,
            members_present=12,
            decision=MeetingDecision.COORDINATED,
            remarks="",
            minutes=_minutes(),
        )
    world.refresh()


def step_submit(world: World) -> None:
    with _at("coordination"):
        services.draft_submit(
            draft=world.latest_published(), actor=world.people["akim"]
        )
    world.refresh()


STEPS = {
    "v1": step_v1,
    "publish_v1": step_publish_v1,
    "comments": step_comments,
    "reply": step_reply,
    "v2": step_v2,
    "publish_v2": step_publish_v2,
    "meeting": step_meeting,
    "submit": step_submit,
}
PREPARING = ("v1",)
PUBLISHED = ("v1", "publish_v1")
COMMENTED = (*PUBLISHED, "comments")
V2_PREPARING = (*PUBLISHED, "v2")
V2_PUBLISHED = (*V2_PREPARING, "publish_v2")
COORDINATED = (*PUBLISHED, "meeting")
UNDER_VOTE = (*COORDINATED, "submit")


# What a refusal must leave as it was.


def snapshot() -> dict:
    """Every row of the cycles and drafts, of the audit trail and of the notices (as
    tests.refusals reads them), and the last event and notice, after which an allowed
    act's own are found."""
    last_event = AuditEvent.objects.order_by("pk").last()
    last_notification = Notification.objects.order_by("pk").last()
    return {
        **rows(*BUDGET_ROWS),
        "last_audit_event": last_event.pk if last_event else 0,
        "last_notification": last_notification.pk if last_notification else 0,
    }


def new_verbs(before: dict) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=before["last_audit_event"])
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def new_notifications(before: dict) -> list[tuple[int, str]]:
    return list(
        Notification.objects.filter(pk__gt=before["last_notification"])
        .order_by("pk")
        .values_list("recipient_id", "kind")
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The actions: how each is done through its page, and what "done" means.


@dataclass(frozen=True)
class Situation:
    phase: str  # the cycle's phase on the day (or, to open a cycle, which year)
    day: str  # the key of DAY_IN the act happens on
    steps: tuple[str, ...]
    allowed: bool
    target: object = None  # a version, a fiscal year, a phase and its new end…
    refusal: str = ""  # the service's message when the phase refuses


@dataclass(frozen=True)
class Action:
    rule: str
    roles: frozenset[str]
    situations: tuple[Situation, ...]
    act: Callable
    done: Callable
    # How the view shows a refusal of the service: a form error on a 400 page, a message
    # on a 400 page, or a message after a redirect to `refused_to(world, situation)`.
    shows_refusal: str
    refused_to: Callable | None = None


def _open_data(fiscal_year: int) -> dict:
    data = {"fiscal_year": fiscal_year}
    for phase, (starts_on, ends_on) in phase_dates(fiscal_year).items():
        data[f"{phase}_starts_on"] = starts_on.isoformat()
        data[f"{phase}_ends_on"] = ends_on.isoformat()
    return data


def act_open_cycle(client, world, situation):
    return client.post(
        reverse("budgets:cycle_open", args=[world.cycle.unit.kato_code]),
        _open_data(situation.target),
    )


def done_open_cycle(world, situation, before, response, user):
    cycle = BudgetCycle.objects.get(unit=world.cycle.unit, fiscal_year=situation.target)
    assert response.status_code == 302
    assert response.url == cycle.get_absolute_url()
    assert cycle.phases.count() == 7
    assert new_verbs(before) == ["cycle.opened"]


def act_draft_create(client, world, situation):
    return client.post(reverse("budgets:draft_create", kwargs=world.kwargs))


def done_draft_create(world, situation, before, response, user):
    version = len(world.drafts) + 1
    draft = DraftBudget.objects.get(cycle=world.cycle, version=version)
    assert draft.status == DraftStatus.PREPARING
    assert response.status_code == 302
    assert response.url == reverse(
        "budgets:draft_edit", kwargs={**world.kwargs, "version": version}
    )
    assert draft.lines.count() == (4 if version > 1 else 0)
    assert new_verbs(before) == ["draft.created"]


def edit_data(draft: DraftBudget, amounts: dict[str, str]) -> dict:
    """The edit form as the page posts it, with `amounts` typed over the saved ones."""
    entries = list(BudgetClassification.objects.filter(is_active=True))
    saved = {line.classification_id: line.amount for line in draft.lines.all()}
    data = {
        "lines-TOTAL_FORMS": str(len(entries)),
        "lines-INITIAL_FORMS": str(len(entries)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "cash_balance_used": "0",
        "note": "",
        "save": "",
    }
    for index, entry in enumerate(entries):
        amount = amounts.get(entry.code, saved.get(entry.pk, ""))
        data[f"lines-{index}-classification"] = str(entry.pk)
        data[f"lines-{index}-amount"] = str(amount)
        data[f"lines-{index}-explanation"] = ""
    return data


def act_draft_edit(client, world, situation):
    draft = world.drafts[situation.target]
    return client.post(
        reverse(
            "budgets:draft_edit", kwargs={**world.kwargs, "version": draft.version}
        ),
        edit_data(draft, {"R101": "3500000"}),
    )


def done_draft_edit(world, situation, before, response, user):
    draft = world.drafts[situation.target]
    assert response.status_code == 302
    assert response.url == reverse(
        "budgets:draft_edit", kwargs={**world.kwargs, "version": draft.version}
    )
    assert draft.lines.get(classification__code="R101").amount == Decimal("3500000")
    assert draft.lines.count() == 4
    assert new_verbs(before) == ["draft.edited"]


def act_publish(client, world, situation):
    return client.post(
        reverse(
            "budgets:draft_publish",
            kwargs={**world.kwargs, "version": situation.target},
        )
    )


def done_publish(world, situation, before, response, user):
    draft = DraftBudget.objects.get(pk=world.drafts[situation.target].pk)
    assert draft.status == DraftStatus.PUBLISHED
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    expected = ["draft.published"]
    if situation.target == 1:
        # The first publication moves the cycle from drafting into the discussion.
        expected.append("cycle.phase_changed")
    assert new_verbs(before) == expected


COMMENT = "Почему так мало на освещение?"


def act_comment_whole(client, world, situation):
    return client.post(
        reverse(
            "budgets:draft_detail",
            kwargs={**world.kwargs, "version": situation.target},
        ),
        {"body": COMMENT, "line": ""},
    )


def act_comment_line(client, world, situation):
    draft = world.drafts[situation.target]
    line = draft.lines.get(classification__code="R101")
    return client.post(
        reverse(
            "budgets:draft_detail",
            kwargs={**world.kwargs, "version": situation.target},
        ),
        {"body": COMMENT, "line": str(line.pk)},
    )


def _done_comment(world, situation, before, response, user, *, on_line: bool):
    draft = world.drafts[situation.target]
    comment = DraftComment.objects.get(draft=draft, body=COMMENT)
    assert comment.author == user
    assert comment.is_official is False
    assert comment.reply_to is None
    if on_line:
        assert comment.line.classification.code == "R101"
    else:
        assert comment.line is None
    assert response.status_code == 302
    assert response.url == f"{draft.get_absolute_url()}#comments"
    assert new_verbs(before) == ["draft.commented"]


def done_comment_whole(world, situation, before, response, user):
    _done_comment(world, situation, before, response, user, on_line=False)


def done_comment_line(world, situation, before, response, user):
    _done_comment(world, situation, before, response, user, on_line=True)


def _replied_to(world, situation) -> DraftComment:
    return world.reply if situation.target == "reply" else world.comment


def act_reply(client, world, situation):
    return client.post(
        reverse(
            "budgets:comment_reply",
            kwargs={**world.kwargs, "pk": _replied_to(world, situation).pk},
        ),
        {"body": "Ответ акимата"},
    )


def done_reply(world, situation, before, response, user):
    reply = DraftComment.objects.get(reply_to=world.comment, body="Ответ акимата")
    assert reply.is_official is True
    assert reply.author == user
    assert response.status_code == 302
    assert (
        response.url
        == f"{world.drafts[1].get_absolute_url()}#comment-{world.comment.pk}"
    )
    assert new_verbs(before) == ["draft.replied"]
    assert new_notifications(before) == [
        (world.comment.author_id, "draft_comment_answered")
    ]
    assert Notification.objects.count() == len(before[Notification._meta.label]) + 1


def reply_refused_to(world, situation) -> str:
    replied = _replied_to(world, situation)
    return f"{world.drafts[1].get_absolute_url()}#comment-{replied.pk}"


def meeting_data(day: str) -> dict:
    return {
        "held_on": (DAY_IN[day].date() - datetime.timedelta(days=1)).isoformat(),
        "members_total": "15",
        "members_present": "12",
        "decision": MeetingDecision.COORDINATED,
        "remarks": "",
        "minutes": _minutes(),
    }


def act_meeting(client, world, situation):
    return client.post(
        reverse(
            "budgets:meeting_record",
            kwargs={**world.kwargs, "version": situation.target},
        ),
        meeting_data(situation.day),
    )


def done_meeting(world, situation, before, response, user):
    draft = DraftBudget.objects.get(pk=world.drafts[situation.target].pk)
    meeting = CommunityMeeting.objects.get(draft=draft)
    assert (meeting.members_total, meeting.members_present) == (15, 12)
    assert meeting.decision == MeetingDecision.COORDINATED
    assert meeting.minutes.read() == PDF
    assert draft.status == DraftStatus.COORDINATED
    assert response.status_code == 302
    assert response.url == world.cycle.get_absolute_url()
    assert new_verbs(before) == ["meeting.recorded", "cycle.phase_changed"]


def act_submit(client, world, situation):
    return client.post(
        reverse(
            "budgets:draft_submit",
            kwargs={**world.kwargs, "version": situation.target},
        )
    )


def done_submit(world, situation, before, response, user):
    draft = DraftBudget.objects.get(pk=world.drafts[situation.target].pk)
    assert draft.status == DraftStatus.UNDER_VOTE
    assert response.status_code == 302
    assert response.url == world.cycle.get_absolute_url()
    assert new_verbs(before) == ["draft.submitted", "cycle.phase_changed"]


def act_phase_extend(client, world, situation):
    phase, ends_on = situation.target
    return client.post(
        reverse("budgets:phase_extend", kwargs=world.kwargs),
        {"phase": phase, "ends_on": ends_on, "reason": "Праздники"},
    )


def done_phase_extend(world, situation, before, response, user):
    kind, ends_on = situation.target
    phase = world.cycle.phases.get(kind=kind)
    assert phase.ends_on.isoformat() == ends_on
    following = world.cycle.phases.get(
        kind=CyclePhase.values[CyclePhase.values.index(kind) + 1]
    )
    assert following.starts_on == phase.ends_on + datetime.timedelta(days=1)
    assert response.status_code == 302
    assert response.url == world.cycle.get_absolute_url()
    expected = ["phase.extended"]
    if kind == CyclePhase.PROPOSALS_OPEN:
        # No clock job ran in this world since the cycle opened: the act announces that
        # the proposals are open.
        expected.append("cycle.phase_changed")
    assert new_verbs(before) == expected


def draft_url(world, situation) -> str:
    return world.drafts[situation.target].get_absolute_url()


def cycle_url(world, situation) -> str:
    return world.cycle.get_absolute_url()


NOT_DRAFTING = (
    "A draft can be written only from the end of the review until coordination."
)
NEVER_EDITED = "A published version is never edited: make a new version from it."
PUBLISH_PHASE = (
    "A draft is published after the review of proposals and before coordination."
)
DISCUSSION_CLOSED = "Comments are taken only during the public discussion of the draft."
NOT_UNDER_DISCUSSION = (
    "Comment on the version under discussion, the latest published one."
)
MEETING_PHASE = (
    "The meeting's decision is recorded on the published draft after its discussion."
)
PHASE_OVER = "This phase is already over."
DISCUSSION_SKIPPED = (
    "The public discussion ended on 31 October 2026. Extend it first, with a public reason, "
    "so that residents can comment on this version."
)


def _comment_situations() -> tuple[Situation, ...]:
    return (
        Situation("public_discussion", "public_discussion", PUBLISHED, True, 1),
        Situation(
            "public_discussion_old_version",
            "public_discussion",
            V2_PUBLISHED,
            False,
            1,
            NOT_UNDER_DISCUSSION,
        ),
        Situation(
            "coordination", "coordination", PUBLISHED, False, 1, DISCUSSION_CLOSED
        ),
        Situation(
            "maslikhat_vote", "maslikhat_vote", UNDER_VOTE, False, 1, DISCUSSION_CLOSED
        ),
    )


ACTIONS: dict[str, Action] = {
    "open_cycle": Action(
        rule="budgets.open_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("year_without_a_cycle", "planned", (), True, 2028),
            Situation(
                "year_with_a_cycle",
                "planned",
                (),
                False,
                2027,
                "Ортақ ауылдық округі already has a budget cycle for 2027.",
            ),
            Situation(
                "year_whose_proposals_are_over",
                "planned",
                (),
                False,
                2026,
                "Residents must have time to send proposals: the proposals phase has "
                "ended.",
            ),
            Situation(
                "year_passed",
                "planned",
                (),
                False,
                2025,
                "A cycle cannot be opened for a year that has passed.",
            ),
        ),
        act=act_open_cycle,
        done=done_open_cycle,
        shows_refusal="form_error",
    ),
    "start_draft_version": Action(
        rule="budgets.new_version",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("planned", "planned", (), False, refusal=NOT_DRAFTING),
            Situation(
                "proposals_open", "proposals_open", (), False, refusal=NOT_DRAFTING
            ),
            Situation("review", "review", (), False, refusal=NOT_DRAFTING),
            Situation("drafting", "drafting", (), True),
            Situation("public_discussion", "public_discussion", PUBLISHED, True),
            Situation("coordination", "coordination", PUBLISHED, True),
            Situation(
                "maslikhat_vote",
                "maslikhat_vote",
                UNDER_VOTE,
                False,
                refusal=NOT_DRAFTING,
            ),
        ),
        act=act_draft_create,
        done=done_draft_create,
        shows_refusal="message_redirect",
        refused_to=cycle_url,
    ),
    "edit_draft": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("drafting", "drafting", PREPARING, True, 1),
            Situation(
                "public_discussion",
                "public_discussion",
                PUBLISHED,
                False,
                1,
                NEVER_EDITED,
            ),
            Situation(
                "public_discussion_new_version",
                "public_discussion",
                V2_PREPARING,
                True,
                2,
            ),
            Situation(
                "maslikhat_vote", "maslikhat_vote", UNDER_VOTE, False, 1, NEVER_EDITED
            ),
        ),
        act=act_draft_edit,
        done=done_draft_edit,
        shows_refusal="message_redirect",
        refused_to=draft_url,
    ),
    "publish": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("drafting", "drafting", PREPARING, True, 1),
            Situation(
                "public_discussion_new_version",
                "public_discussion",
                V2_PREPARING,
                True,
                2,
            ),
            Situation(
                "public_discussion",
                "public_discussion",
                PUBLISHED,
                False,
                1,
                "A draft that is published for discussion cannot become published "
                "for discussion.",
            ),
            Situation(
                "coordination",
                "coordination",
                V2_PREPARING,
                False,
                2,
                DISCUSSION_SKIPPED,
            ),
            Situation(
                "maslikhat_vote",
                "maslikhat_vote",
                (*PUBLISHED, "v2", "meeting", "submit"),
                False,
                2,
                PUBLISH_PHASE,
            ),
        ),
        act=act_publish,
        done=done_publish,
        shows_refusal="message_page",
    ),
    "comment_on_draft": Action(
        rule="budgets.comment_draft",
        roles=frozenset({"resident"}),
        situations=_comment_situations(),
        act=act_comment_whole,
        done=done_comment_whole,
        shows_refusal="form_error",
    ),
    "comment_on_line": Action(
        rule="budgets.comment_draft",
        roles=frozenset({"resident"}),
        situations=_comment_situations(),
        act=act_comment_line,
        done=done_comment_line,
        shows_refusal="form_error",
    ),
    # A reply answers a comment whenever it comes: the service sets no phase for it. What
    # it refuses is an answer to an answer.
    "reply_officially": Action(
        rule="budgets.reply_officially",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("public_discussion", "public_discussion", COMMENTED, True),
            Situation("coordination", "coordination", COMMENTED, True),
            Situation(
                "maslikhat_vote",
                "maslikhat_vote",
                (*COMMENTED, "meeting", "submit"),
                True,
            ),
            Situation(
                "public_discussion_to_a_reply",
                "public_discussion",
                (*COMMENTED, "reply"),
                False,
                "reply",
                "Answer the resident's comment itself.",
            ),
        ),
        act=act_reply,
        done=done_reply,
        shows_refusal="message_redirect",
        refused_to=reply_refused_to,
    ),
    "record_meeting": Action(
        rule="budgets.record_meeting",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation("drafting", "drafting", PREPARING, False, 1, MEETING_PHASE),
            Situation(
                "public_discussion",
                "public_discussion",
                PUBLISHED,
                False,
                1,
                MEETING_PHASE,
            ),
            Situation("coordination", "coordination", PUBLISHED, True, 1),
            Situation(
                "maslikhat_vote", "maslikhat_vote", UNDER_VOTE, False, 1, MEETING_PHASE
            ),
        ),
        act=act_meeting,
        done=done_meeting,
        shows_refusal="form_error",
    ),
    "submit_to_maslikhat": Action(
        rule="budgets.submit_draft",
        roles=frozenset({"akim"}),
        situations=(
            Situation(
                "public_discussion",
                "public_discussion",
                PUBLISHED,
                False,
                1,
                "A draft that is published for discussion cannot become submitted "
                "to the maslikhat.",
            ),
            Situation("coordination", "coordination", COORDINATED, True, 1),
            Situation(
                "maslikhat_vote",
                "maslikhat_vote",
                UNDER_VOTE,
                False,
                1,
                "A draft that is submitted to the maslikhat cannot become submitted "
                "to the maslikhat.",
            ),
        ),
        act=act_submit,
        done=done_submit,
        shows_refusal="message_page",
    ),
    "extend_phase": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation(
                "proposals_open",
                "proposals_open",
                (),
                True,
                (CyclePhase.PROPOSALS_OPEN, "2026-05-10"),
            ),
            Situation(
                "review",
                "review",
                (),
                False,
                (CyclePhase.PROPOSALS_OPEN, "2026-05-10"),
                PHASE_OVER,
            ),
            Situation(
                "public_discussion",
                "public_discussion",
                PUBLISHED,
                True,
                (CyclePhase.PUBLIC_DISCUSSION, "2026-11-10"),
            ),
            # Before the meeting, the discussion may be reopened for a new version.
            Situation(
                "coordination",
                "coordination",
                PUBLISHED,
                True,
                (CyclePhase.PUBLIC_DISCUSSION, "2026-11-20"),
            ),
            Situation(
                "coordination_after_the_meeting",
                "coordination",
                COORDINATED,
                False,
                (CyclePhase.PUBLIC_DISCUSSION, "2026-11-20"),
                PHASE_OVER,
            ),
        ),
        act=act_phase_extend,
        done=done_phase_extend,
        shows_refusal="form_error",
    ),
}

CASES = [
    pytest.param(role, name, situation, id=f"{name}-{situation.phase}-{role}")
    for name, action in ACTIONS.items()
    for situation in action.situations
    for role in ROLES
]


@pytest.mark.parametrize(("role", "action_name", "situation"), CASES)
def test_permission_matrix(client, cycle, people, role, action_name, situation):
    # Given the cycle brought to the phase, and the person signed in
    action = ACTIONS[action_name]
    world = World(cycle=cycle, people=people)
    for step in situation.steps:
        STEPS[step](world)
    user = people[role]
    before = snapshot()

    # When they do the act through its page on a day of the phase
    with _at(situation.day):
        if user is not None:
            client.force_login(user)
        response = action.act(client, world, situation)

    # Then
    assert_outcome(action, role, situation, world, response, before, user)


# What a page offers for each act: the key of its context the button or form is shown by,
# on the version's page for a comment, else on the cycle's page (its current version).
OFFERS = {
    "start_draft_version": "may_new_version",
    "comment_on_draft": "may_comment",
    "comment_on_line": "may_comment",
    "record_meeting": "may_record_meeting",
    "submit_to_maslikhat": "may_submit",
}
OFFER_CASES = [
    pytest.param(role, name, situation, id=f"{name}-{index}-{situation.phase}-{role}")
    for name in OFFERS
    for index, situation in enumerate(ACTIONS[name].situations)
    for role in ROLES
]


@pytest.mark.parametrize(("role", "action_name", "situation"), OFFER_CASES)
def test_a_page_offers_an_act_exactly_when_its_rule_lets_it_through(
    client, cycle, people, role, action_name, situation
):
    # Given the cycle brought to the situation of an act, and the person signed in
    action = ACTIONS[action_name]
    world = World(cycle=cycle, people=people)
    for step in situation.steps:
        STEPS[step](world)
    user = people[role]
    # When they read the page the act is offered on, on the day of the act
    with _at(situation.day):
        if user is not None:
            client.force_login(user)
        if OFFERS[action_name] == "may_comment":
            kwargs = {**world.kwargs, "version": situation.target}
            page = client.get(reverse("budgets:draft_detail", kwargs=kwargs))
        else:
            page = client.get(reverse("budgets:cycle_detail", kwargs=world.kwargs))
    # Then the act is offered to whom the matrix lets do it, in the situations it is done
    assert page.status_code == 200
    offered = page.context[OFFERS[action_name]]
    assert offered == (role in action.roles and situation.allowed)


def assert_outcome(action, role, situation, world, response, before, user) -> None:
    """What the matrix expects of one act: sign-in, 403 with the reason, the change, or
    the service's refusal shown as the view shows it, with nothing changed."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/?next=/en/units/")
    elif role not in action.roles:
        assert response.status_code == 403
        assert escape(str(refusal(action.rule))) in response.content.decode()
    elif situation.allowed:
        action.done(world, situation, before, response, user)
        return
    elif action.shows_refusal == "form_error":
        assert response.status_code == 400
        assert response.context["form"].errors
        assert escape(situation.refusal) in response.content.decode()
    elif action.shows_refusal == "message_page":
        assert response.status_code == 400
        assert message_texts(response) == [situation.refusal]
        assert escape(situation.refusal) in response.content.decode()
    else:
        assert response.status_code == 302
        assert response.url == action.refused_to(world, situation)
        assert message_texts(response) == [situation.refusal]
    assert snapshot() == before
