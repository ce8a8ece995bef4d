"""The citizen phases are never skipped: a cycle opens before its proposals end, a draft is
published only while residents can still discuss it, the meeting meets after the
discussion, a phase entered again is overdue again; and the pages that offer these acts
refuse what the services would refuse, and never show a resident's e-mail."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from budgets import services, tasks
from budgets.models import (
    BudgetCycle,
    CommunityMeeting,
    CyclePhase,
    DraftComment,
    DraftStatus,
    MeetingDecision,
    Phase,
)
from budgets.selectors import cycle_state
from portal.models import AuditEvent, Notification
from tests.accounts.factories import ResidencyFactory
from tests.budgets.conftest import BALANCED, DAY_IN, at
from tests.budgets.factories import lines, phase_dates
from tests.budgets.test_draft_lifecycle import (
    assert_refused,
    last_event_pk,
    minutes,
    new_events,
    record_meeting,
    snapshot,
)

D = datetime.date
NOVEMBER_10 = DAY_IN["coordination"]


def _travel(moment):
    return time_machine.travel(moment, tick=False)


def _phases(cycle) -> dict:
    return {
        phase.kind: (phase.starts_on, phase.ends_on) for phase in cycle.phases.all()
    }


def _prepared(cycle, staff):
    draft = services.draft_create(cycle=cycle, actor=staff)
    return services.draft_update(
        draft=draft,
        lines=lines(**BALANCED),
        cash_balance_used=0,
        note="",
        actor=staff,
    )


def _kwargs(cycle, **extra) -> dict:
    return {
        "kato_code": cycle.unit.kato_code,
        "fiscal_year": cycle.fiscal_year,
        **extra,
    }


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Opening a cycle


def test_a_cycle_whose_proposals_phase_has_ended_is_not_opened(territory, staff):
    # Given the 2027 timeline, whose proposals closed on 30 April 2026
    before = snapshot()

    # When staff open it on 1 May, then it is refused and nothing is made
    with _travel(at(2026, 5, 1, hour=0)):
        error = assert_refused(
            "proposals_phase_past",
            lambda: services.cycle_open(
                unit=territory["rural_district"],
                fiscal_year=2027,
                actor=staff,
                dates=phase_dates(2027),
            ),
        )

    assert str(error) == (
        "Residents must have time to send proposals: the proposals phase has ended."
    )
    assert snapshot() == before
    assert BudgetCycle.objects.count() == 0


def test_a_cycle_is_opened_on_the_last_day_of_its_proposals(territory, staff):
    with _travel(at(2026, 4, 30, hour=23)):
        cycle = services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2027,
            actor=staff,
            dates=phase_dates(2027),
        )

        assert cycle_state(cycle).phase == CyclePhase.PROPOSALS_OPEN


def test_the_open_page_shows_the_refusal_and_opens_nothing(client, territory, staff):
    data = {"fiscal_year": 2027}
    for phase, (starts_on, ends_on) in phase_dates(2027).items():
        data[f"{phase}_starts_on"] = starts_on.isoformat()
        data[f"{phase}_ends_on"] = ends_on.isoformat()

    with _travel(DAY_IN["review"]):
        client.force_login(staff)
        response = client.post(
            reverse("budgets:cycle_open", args=[territory["rural_district"].kato_code]),
            data,
        )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Residents must have time to send proposals: the proposals phase has ended."
    ]
    assert BudgetCycle.objects.count() == 0
    assert Phase.objects.count() == 0


# Publishing a draft


def test_a_first_version_published_after_the_discussion_would_skip_it(cycle, staff):
    # Given version 1 prepared in July and never published: drafting is overdue
    with _travel(DAY_IN["drafting"]):
        draft = _prepared(cycle, staff)

    # When staff publish it on 10 November, after the discussion's end on 31 October
    with _travel(NOVEMBER_10):
        assert cycle_state(cycle).phase == CyclePhase.DRAFTING
        error = assert_refused(
            "discussion_would_be_skipped",
            lambda: services.draft_publish(draft=draft, actor=staff),
        )

        # Then it is refused, and the cycle is still drafting, overdue
        assert cycle_state(cycle).phase == CyclePhase.DRAFTING
        assert cycle_state(cycle).is_overdue is True

    assert str(error) == (
        "The public discussion ended on 31 October 2026. Extend it first, with a public "
        "reason, so that residents can comment on this version."
    )
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (DraftStatus.PREPARING, None)


def test_a_late_first_version_is_published_once_the_discussion_is_extended(
    cycle, staff, resident
):
    # Given version 1 still being prepared on 10 November
    with _travel(DAY_IN["drafting"]):
        draft = _prepared(cycle, staff)

    with _travel(NOVEMBER_10):
        # When staff first extend the discussion to 30 November, with a reason
        services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.PUBLIC_DISCUSSION,
            ends_on=D(2026, 11, 30),
            reason="Субвенция доведена районом только в ноябре",
            actor=staff,
        )

        # Then the draft is published, into a discussion residents can take part in
        draft = services.draft_publish(draft=draft, actor=staff)
        assert cycle_state(cycle).phase == CyclePhase.PUBLIC_DISCUSSION
        services.comment_post(draft=draft, author=resident, body="Успели")

    assert draft.status == DraftStatus.PUBLISHED
    phases = _phases(cycle)
    assert phases[CyclePhase.PUBLIC_DISCUSSION] == (D(2026, 10, 1), D(2026, 11, 30))
    assert phases[CyclePhase.COORDINATION] == (D(2026, 12, 1), D(2026, 12, 1))


def test_a_new_version_is_published_on_the_last_day_of_the_discussion(published, staff):
    with _travel(at(2026, 10, 31, hour=23)):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
        version_2 = services.draft_publish(draft=version_2, actor=staff)

        assert version_2.status == DraftStatus.PUBLISHED
        assert cycle_state(published.cycle).phase == CyclePhase.PUBLIC_DISCUSSION


def test_a_new_version_after_the_discussion_is_not_published(published, staff):
    # Given version 2 prepared during coordination, before the meeting
    with _travel(NOVEMBER_10):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)

        # When staff publish it, then it is refused: residents could not discuss it
        assert_refused(
            "discussion_would_be_skipped",
            lambda: services.draft_publish(draft=version_2, actor=staff),
        )

        assert cycle_state(published.cycle).phase == CyclePhase.COORDINATION
    version_2.refresh_from_db()
    assert version_2.status == DraftStatus.PREPARING


# Reopening the discussion by extending it


def test_extending_the_discussion_in_coordination_reopens_it_for_a_new_version(
    published, staff, resident
):
    # Given the discussion over on 31 October, announced by the clock on 1 November
    with _travel(at(2026, 11, 1, hour=1)):
        tasks.cycles_advance.delay().get()
    cycle = published.cycle
    with _travel(NOVEMBER_10):
        version_2 = services.draft_create(cycle=cycle, actor=staff)
        since = last_event_pk()

        # When staff extend the discussion to 20 November before the meeting
        services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.PUBLIC_DISCUSSION,
            ends_on=D(2026, 11, 20),
            reason="Новая версия после замечаний жителей",
            actor=staff,
        )

        # Then the discussion is open again, and announced as such
        assert cycle_state(cycle).phase == CyclePhase.PUBLIC_DISCUSSION
        assert [(verb, details.get("to")) for verb, details in new_events(since)] == [
            ("phase.extended", "2026-11-20"),
            ("cycle.phase_changed", CyclePhase.PUBLIC_DISCUSSION),
        ]
        # And version 2 is published into it, and residents comment on it
        version_2 = services.draft_publish(draft=version_2, actor=staff)
        services.comment_post(draft=version_2, author=resident, body="Спасибо")

    phases = _phases(cycle)
    assert phases[CyclePhase.PUBLIC_DISCUSSION] == (D(2026, 10, 1), D(2026, 11, 20))
    assert phases[CyclePhase.COORDINATION] == (D(2026, 11, 21), D(2026, 11, 30))
    cycle.refresh_from_db()
    assert cycle.announced_phase == CyclePhase.PUBLIC_DISCUSSION
    # And the meeting meets after the new end of the discussion
    with _travel(at(2026, 11, 22)):
        assert_refused(
            "meeting_before_discussion_ended",
            lambda: record_meeting(version_2, staff, held_on=D(2026, 11, 20)),
        )
        record_meeting(version_2, staff, held_on=D(2026, 11, 21))
    version_2.refresh_from_db()
    assert version_2.status == DraftStatus.COORDINATED


@pytest.mark.parametrize("act", ["coordinated", "submitted"])
def test_the_discussion_is_not_reopened_once_the_meeting_coordinated_the_draft(
    published, staff, akim, act
):
    # Given the meeting coordinated the draft (and the akim submitted it)
    with _travel(NOVEMBER_10):
        record_meeting(published, staff)
        if act == "submitted":
            services.draft_submit(draft=published, actor=akim)

        # When staff try to extend the discussion, then it is refused
        error = assert_refused(
            "phase_already_over",
            lambda: services.phase_extend(
                cycle=published.cycle,
                kind=CyclePhase.PUBLIC_DISCUSSION,
                ends_on=D(2026, 11, 20),
                reason="Ещё раз",
                actor=staff,
            ),
        )

    assert str(error) == "This phase is already over."
    assert _phases(published.cycle) == phase_dates(2027)


# The community meeting


@pytest.mark.parametrize("held_on", [D(2026, 10, 31), D(2026, 10, 20)])
def test_a_meeting_held_before_the_discussion_ended_is_not_recorded(
    settings, published, staff, held_on
):
    # Given the discussion that ended on 31 October, on 10 November
    with _travel(NOVEMBER_10):
        # When staff record a meeting held on or before its last day
        error = assert_refused(
            "meeting_before_discussion_ended",
            lambda: record_meeting(published, staff, held_on=held_on),
        )

    # Then it is refused, the draft is still published, and no minutes are stored
    assert str(error) == (
        "The meeting is held after the public discussion, which ended on 31 October 2026."
    )
    published.refresh_from_db()
    assert published.status == DraftStatus.PUBLISHED
    assert CommunityMeeting.objects.count() == 0
    assert [
        path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()
    ] == []


def test_a_meeting_held_the_day_after_the_discussion_is_recorded(published, staff):
    with _travel(NOVEMBER_10):
        meeting = record_meeting(published, staff, held_on=D(2026, 11, 1))

    assert meeting.held_on == D(2026, 11, 1)
    published.refresh_from_db()
    assert published.status == DraftStatus.COORDINATED


def test_the_meeting_page_shows_the_early_date_as_a_refusal(client, published, staff):
    before = snapshot()

    with _travel(NOVEMBER_10):
        client.force_login(staff)
        response = client.post(
            reverse(
                "budgets:meeting_record", kwargs=_kwargs(published.cycle, version=1)
            ),
            {
                "held_on": "2026-10-31",
                "members_total": "15",
                "members_present": "12",
                "decision": MeetingDecision.COORDINATED,
                "remarks": "",
                "minutes": minutes(),
            },
        )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The meeting is held after the public discussion, which ended on 31 October 2026."
    ]
    assert snapshot() == before


# A phase entered again is overdue again


def test_a_drafting_entered_again_after_a_return_is_overdue_again(cycle, staff, akim):
    # Given drafting overdue on 1 October, announced to the akim once
    with _travel(DAY_IN["drafting"]):
        draft = _prepared(cycle, staff)
    with _travel(at(2026, 10, 1, hour=1)):
        tasks.cycles_advance.delay().get()
    # And the draft published on 5 October, discussed, then not coordinated
    with _travel(at(2026, 10, 5)):
        draft = services.draft_publish(draft=draft, actor=staff)
    with _travel(at(2026, 11, 1, hour=1)):
        tasks.cycles_advance.delay().get()
    overdue_before = list(
        AuditEvent.objects.filter(verb="cycle.overdue").values_list(
            "details", flat=True
        )
    )
    assert overdue_before == [{"phase": "drafting"}]
    assert Notification.objects.filter(kind="cycle_overdue").count() == 1

    # When the meeting returns the draft on 10 November: the cycle is drafting again,
    # past the drafting's end
    with _travel(NOVEMBER_10):
        record_meeting(
            draft,
            staff,
            decision=MeetingDecision.NOT_COORDINATED,
            remarks="Не учтено освещение",
        )
    # And the clock runs twice more
    with _travel(NOVEMBER_10 + datetime.timedelta(hours=1)):
        tasks.cycles_advance.delay().get()
        tasks.cycles_advance.delay().get()

    # Then the drafting entered again is overdue again, and the akim is told again, once
    assert list(
        AuditEvent.objects.filter(verb="cycle.overdue")
        .order_by("pk")
        .values_list("details", flat=True)
    ) == [{"phase": "drafting"}, {"phase": "drafting"}]
    assert list(
        Notification.objects.filter(kind="cycle_overdue")
        .order_by("pk")
        .values_list("recipient_id", flat=True)
    ) == [akim.pk, akim.pk]
    cycle.refresh_from_db()
    assert (cycle.announced_phase, cycle.overdue_notified_phase) == (
        "drafting",
        "drafting",
    )


# The draft page: a line id that is not a line of the draft


@pytest.mark.parametrize("whose", ["another_version", "no_line"])
def test_a_comment_on_a_line_of_another_draft_is_refused(
    client, published, staff, resident, whose
):
    # Given version 1 under discussion, and a line that is not one of its lines
    with _travel(DAY_IN["public_discussion"]):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
    line_id = (
        version_2.lines.get(classification__code="E701").pk
        if whose == "another_version"
        else 987654
    )
    before = snapshot()

    # When a resident posts a comment naming that line
    with _travel(DAY_IN["public_discussion"]):
        client.force_login(resident)
        response = client.post(
            reverse("budgets:draft_detail", kwargs=_kwargs(published.cycle, version=1)),
            {"body": "Почему так?", "line": str(line_id)},
        )

    # Then the form refuses it: no comment, not even a general one
    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == ["This line is not in this draft."]
    assert form.has_error("__all__", code="line_not_in_draft")
    assert escape("This line is not in this draft.") in response.content.decode()
    assert snapshot() == before
    assert DraftComment.objects.count() == 0


# Confirmations of acts that cannot be done are not offered


def test_the_publish_confirmation_of_a_published_version_redirects(
    client, published, staff
):
    before = snapshot()

    with _travel(DAY_IN["public_discussion"]):
        client.force_login(staff)
        response = client.get(
            reverse("budgets:draft_publish", kwargs=_kwargs(published.cycle, version=1))
        )

    assert response.status_code == 302
    assert response.url == published.get_absolute_url()
    assert _messages(response) == ["This version is already published."]
    assert snapshot() == before


def test_the_publish_confirmation_of_a_version_being_prepared_is_offered(
    client, draft, staff
):

    with _travel(DAY_IN["drafting"]):
        client.force_login(staff)
        response = client.get(
            reverse("budgets:draft_publish", kwargs=_kwargs(draft.cycle, version=1))
        )

    assert response.status_code == 200
    assert _messages(response) == []


@pytest.mark.parametrize("status", ["published", "under_vote"])
def test_the_submit_confirmation_of_a_draft_not_coordinated_redirects(
    client, published, staff, akim, status
):
    if status == "under_vote":
        with _travel(NOVEMBER_10):
            record_meeting(published, staff)
            services.draft_submit(draft=published, actor=akim)
    before = snapshot()

    with _travel(NOVEMBER_10):
        client.force_login(akim)
        response = client.get(
            reverse("budgets:draft_submit", kwargs=_kwargs(published.cycle, version=1))
        )

    assert response.status_code == 302
    assert response.url == published.cycle.get_absolute_url()
    assert _messages(response) == [
        "Only a draft coordinated by the community meeting is submitted."
    ]
    assert snapshot() == before


def test_the_submit_confirmation_of_a_coordinated_draft_is_offered(
    client, published, staff, akim
):
    with _travel(NOVEMBER_10):
        record_meeting(published, staff)
        client.force_login(akim)

        response = client.get(
            reverse("budgets:draft_submit", kwargs=_kwargs(published.cycle, version=1))
        )

    assert response.status_code == 200


@pytest.mark.parametrize("phase", ["public_discussion", "maslikhat_vote"])
def test_the_meeting_form_outside_coordination_redirects(
    client, published, staff, akim, phase
):
    if phase == "maslikhat_vote":
        with _travel(NOVEMBER_10):
            record_meeting(published, staff)
            services.draft_submit(draft=published, actor=akim)
    before = snapshot()

    with _travel(DAY_IN[phase]):
        client.force_login(staff)
        assert cycle_state(published.cycle).phase == phase
        response = client.get(
            reverse(
                "budgets:meeting_record", kwargs=_kwargs(published.cycle, version=1)
            )
        )

    assert response.status_code == 302
    assert response.url == published.cycle.get_absolute_url()
    assert _messages(response) == [
        "The meeting's decision is recorded on the published draft after its "
        "discussion."
    ]
    assert snapshot() == before


def test_the_meeting_form_in_coordination_is_offered(client, published, staff):

    with _travel(NOVEMBER_10):
        client.force_login(staff)
        response = client.get(
            reverse(
                "budgets:meeting_record", kwargs=_kwargs(published.cycle, version=1)
            )
        )

    assert response.status_code == 200


# Public names


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [("", "", "A resident"), ("Асель", "Бекова", "Асель Б.")],
)
def test_a_comment_shows_the_public_name_never_the_email(
    client, territory, published, first_name, last_name, shown
):
    # Given a verified resident with these names comments on the draft
    author = ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        user__first_name=first_name,
        user__last_name=last_name,
        user__email="asel.bekova@example.kz",
    ).user
    with _travel(DAY_IN["public_discussion"]):
        services.comment_post(draft=published, author=author, body="Где фонари?")

        # When anyone reads the draft's page
        response = client.get(
            reverse("budgets:draft_detail", kwargs=_kwargs(published.cycle, version=1))
        )

    # Then the comment is signed with the public name; the e-mail is nowhere
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{shown}</strong>" in html
    assert "asel.bekova" not in html
    assert "Бекова" not in html
