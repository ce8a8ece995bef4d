"""The draft's state machine through its services: every allowed and refused transition,
the balance, amounts, versions and their diff, the public discussion, the community meeting
and the signals budgets sends."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services, signals
from budgets.models import (
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    DraftBudget,
    DraftComment,
    DraftStatus,
    MeetingDecision,
)
from budgets.selectors import cycle_state, draft_diff, draft_view
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.budgets.conftest import BALANCED, BUDGET_ROWS, DAY_IN, at
from tests.budgets.factories import lines
from tests.refusals import refused, rows

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
MEETING_DAY = DAY_IN["coordination"]  # 10 November 2026
VOTE_DAY = DAY_IN["maslikhat_vote"]  # 10 December 2026


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def snapshot() -> dict:
    """Every row a refused act could have touched, to compare before and after (as
    tests.refusals reads them; test_citizen_phases_kept compares with it)."""
    return rows(*BUDGET_ROWS)


def assert_refused(code: str, act) -> DomainError:
    """The act raises the DomainError `code`, changes nothing and schedules nothing."""
    with refused(code, *BUDGET_ROWS) as refusal:
        act()
    return refusal.value


def status_of(draft) -> str:
    return DraftBudget.objects.get(pk=draft.pk).status


def new_events(after_pk: int) -> list[tuple[str, dict]]:
    return [
        (event.verb, event.details)
        for event in AuditEvent.objects.filter(pk__gt=after_pk).order_by("pk")
    ]


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def minutes(content: bytes = PDF, name: str = "minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def record_meeting(draft, actor, **changes):
    arguments = {
        "draft": draft,
        "actor": actor,
        "held_on": D(2026, 11, 9),
        "members_total": 15,
        "members_present": 12,
        "decision": MeetingDecision.COORDINATED,
        "remarks": "",
        "minutes": minutes(),
    }
    arguments.update(changes)
    return services.meeting_record(**arguments)


def prepared(cycle, staff, *, revenue, expenditure, cash="0"):
    """A new version being prepared with these lines; the cycle must be drafting."""
    draft = services.draft_create(cycle=cycle, actor=staff)
    return services.draft_update(
        draft=draft,
        lines=lines(revenue=revenue, expenditure=expenditure),
        cash_balance_used=Decimal(cash),
        note="",
        actor=staff,
    )


@pytest.fixture
def coordinated(published, staff):
    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(published, staff)
    published.refresh_from_db()
    return published


@pytest.fixture
def under_vote(coordinated, akim):
    with time_machine.travel(MEETING_DAY, tick=False):
        return services.draft_submit(draft=coordinated, actor=akim)


# Allowed transitions.


def test_staff_publish_a_prepared_draft_and_the_discussion_opens(draft, staff, akim):
    # Given version 1 prepared during drafting, the cycle's drafting announced
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.cycles_announce()
    since = last_event_pk()
    notices_before = Notification.objects.count()

    # When staff publish it
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        published = services.draft_publish(draft=draft, actor=staff)
        current = cycle_state(draft.cycle)

    # Then it is published, the cycle is in public discussion and both are recorded
    assert (published.status, published.published_at) == (
        DraftStatus.PUBLISHED,
        DAY_IN["drafting"],
    )
    assert status_of(draft) == "published"
    assert current.phase == "public_discussion"
    assert new_events(since) == [
        ("draft.published", {"version": 1}),
        (
            "cycle.phase_changed",
            {"from": "drafting", "to": "public_discussion", "since": None},
        ),
    ]
    assert sorted(
        Notification.objects.filter(kind="cycle_phase_changed")
        .order_by("pk")[notices_before:]
        .values_list("recipient_id", flat=True)
    ) == sorted([staff.pk, akim.pk])
    assert BudgetCycle.objects.get().announced_phase == "public_discussion"


def test_the_meeting_coordinates_the_published_draft(published, staff):
    since = last_event_pk()

    with time_machine.travel(MEETING_DAY, tick=False):
        meeting = record_meeting(
            published,
            staff,
            decision=MeetingDecision.COORDINATED_WITH_REMARKS,
            remarks="  Добавить освещение улицы Абая  ",
        )
        current = cycle_state(published.cycle)

    assert status_of(published) == "coordinated"
    assert (
        meeting.held_on,
        meeting.members_total,
        meeting.members_present,
        meeting.decision,
        meeting.remarks,
        meeting.minutes.name,
        meeting.recorded_by,
    ) == (
        D(2026, 11, 9),
        15,
        12,
        "coordinated_with_remarks",
        "Добавить освещение улицы Абая",
        "meetings/115633000/2027-v1.pdf",
        staff,
    )
    assert meeting.minutes.read() == PDF
    assert current.phase == "coordination"
    assert new_events(since) == [
        (
            "meeting.recorded",
            {
                "version": 1,
                "decision": "coordinated_with_remarks",
                "members_total": 15,
                "members_present": 12,
            },
        ),
        (
            "cycle.phase_changed",
            {"from": "public_discussion", "to": "coordination", "since": None},
        ),
    ]


def test_a_not_coordinated_meeting_returns_the_draft_and_the_cycle_to_drafting(
    published, staff, akim
):
    since = last_event_pk()

    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(
            published,
            staff,
            decision=MeetingDecision.NOT_COORDINATED,
            remarks="Слишком мало на дороги",
        )
        current = cycle_state(published.cycle)

    # Drafting's end date has passed: the cycle is back in drafting, overdue
    assert status_of(published) == "returned"
    assert (current.phase, current.is_overdue) == ("drafting", True)
    assert new_events(since) == [
        (
            "meeting.recorded",
            {
                "version": 1,
                "decision": "not_coordinated",
                "members_total": 15,
                "members_present": 12,
            },
        ),
        (
            "cycle.phase_changed",
            {"from": "public_discussion", "to": "drafting", "since": None},
        ),
        ("cycle.overdue", {"phase": "drafting"}),
    ]
    assert list(
        Notification.objects.filter(kind="cycle_overdue").values_list(
            "recipient", flat=True
        )
    ) == [akim.pk]


def test_the_akim_submits_the_coordinated_draft_to_the_maslikhat(coordinated, akim):
    since = last_event_pk()

    with time_machine.travel(MEETING_DAY, tick=False):
        submitted = services.draft_submit(draft=coordinated, actor=akim)
        current = cycle_state(coordinated.cycle)

    assert (submitted.status, submitted.submitted_at) == ("under_vote", MEETING_DAY)
    assert status_of(coordinated) == "under_vote"
    assert current.phase == "maslikhat_vote"
    assert new_events(since) == [
        ("draft.submitted", {"version": 1}),
        (
            "cycle.phase_changed",
            {"from": "coordination", "to": "maslikhat_vote", "since": None},
        ),
    ]


def test_the_maslikhat_approves_the_draft_and_the_cycle_is_adopted(under_vote):
    since = last_event_pk()

    with time_machine.travel(VOTE_DAY, tick=False):
        services.draft_approve(draft=under_vote, actor=None)
        current = cycle_state(under_vote.cycle)

    assert status_of(under_vote) == "approved"
    assert current.phase == "adopted"
    assert new_events(since) == [
        ("draft.approved", {"version": 1}),
        (
            "cycle.phase_changed",
            {"from": "maslikhat_vote", "to": "adopted", "since": None},
        ),
    ]


def test_the_maslikhat_returns_the_draft_and_a_new_version_can_be_made(
    under_vote, staff
):
    since = last_event_pk()

    with time_machine.travel(VOTE_DAY, tick=False):
        services.draft_return(
            draft=under_vote, actor=None, reason="Пересмотреть расходы на дороги"
        )
        current = cycle_state(under_vote.cycle)
        version_2 = services.draft_create(cycle=under_vote.cycle, actor=staff)

    assert status_of(under_vote) == "returned"
    assert (current.phase, current.is_overdue) == ("drafting", True)
    assert new_events(since) == [
        (
            "draft.returned",
            {"version": 1, "reason": "Пересмотреть расходы на дороги"},
        ),
        (
            "cycle.phase_changed",
            {"from": "maslikhat_vote", "to": "drafting", "since": None},
        ),
        ("cycle.overdue", {"phase": "drafting"}),
        ("draft.created", {"version": 2, "copied_from": 1}),
    ]
    assert (version_2.version, version_2.status) == (2, "preparing")


# Refused transitions.


def test_a_published_draft_is_not_published_again(published, staff):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        error = assert_refused(
            "draft_published_to_published",
            lambda: services.draft_publish(draft=published, actor=staff),
        )

    assert str(error) == (
        "A draft that is published for discussion cannot become published for "
        "discussion."
    )
    assert status_of(published) == "published"


def test_a_published_draft_is_not_submitted_before_the_meeting(published, akim):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "draft_published_to_under_vote",
            lambda: services.draft_submit(draft=published, actor=akim),
        )

    assert status_of(published) == "published"


def test_a_draft_in_preparation_is_not_submitted(draft, akim):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        assert_refused(
            "draft_preparing_to_under_vote",
            lambda: services.draft_submit(draft=draft, actor=akim),
        )

    assert status_of(draft) == "preparing"


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("draft", "draft_preparing_to_approved"),
        ("published", "draft_published_to_approved"),
        ("coordinated", "draft_coordinated_to_approved"),
    ],
)
def test_only_a_draft_under_vote_is_approved(request, fixture, code):
    target = request.getfixturevalue(fixture)
    status = target.status

    with time_machine.travel(VOTE_DAY, tick=False):
        assert_refused(code, lambda: services.draft_approve(draft=target, actor=None))

    assert status_of(target) == status


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("draft", "draft_preparing_to_returned"),
        # A published draft is returned by the community meeting, not by the maslikhat.
        ("published", "draft_published_to_returned"),
        ("coordinated", "draft_coordinated_to_returned"),
    ],
)
def test_only_a_draft_under_vote_is_returned_by_the_maslikhat(request, fixture, code):
    target = request.getfixturevalue(fixture)
    status = target.status

    with time_machine.travel(VOTE_DAY, tick=False):
        assert_refused(
            code,
            lambda: services.draft_return(draft=target, actor=None, reason="Нет"),
        )

    assert status_of(target) == status


def test_an_approved_draft_goes_nowhere(under_vote, staff, akim):
    with time_machine.travel(VOTE_DAY, tick=False):
        services.draft_approve(draft=under_vote, actor=None)
        for code, act in [
            (
                "draft_approved_to_approved",
                lambda: services.draft_approve(draft=under_vote, actor=None),
            ),
            (
                "draft_approved_to_returned",
                lambda: services.draft_return(draft=under_vote, actor=None, reason="x"),
            ),
            (
                "draft_approved_to_under_vote",
                lambda: services.draft_submit(draft=under_vote, actor=akim),
            ),
            (
                "draft_approved_to_published",
                lambda: services.draft_publish(draft=under_vote, actor=staff),
            ),
            (
                "phase_not_drafting",
                lambda: services.draft_create(cycle=under_vote.cycle, actor=staff),
            ),
        ]:
            assert_refused(code, act)

    assert status_of(under_vote) == "approved"


def test_a_returned_draft_is_not_published_again(published, staff):
    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(
            published, staff, decision=MeetingDecision.NOT_COORDINATED, remarks="Нет"
        )
        assert_refused(
            "draft_returned_to_published",
            lambda: services.draft_publish(draft=published, actor=staff),
        )

    assert status_of(published) == "returned"


def test_a_published_draft_is_never_edited(published, staff):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        error = assert_refused(
            "draft_not_editable",
            lambda: services.draft_update(
                draft=published,
                lines=lines(revenue={"R101": "1"}, expenditure={}),
                cash_balance_used=Decimal("0"),
                note="",
                actor=staff,
            ),
        )

    assert str(error) == (
        "Version 1 is published for discussion and can no longer change: make a new "
        "version."
    )


@pytest.mark.parametrize(
    ("moment", "fixture"),
    [
        pytest.param(DAY_IN["public_discussion"], "published", id="in-discussion"),
        pytest.param(MEETING_DAY, "coordinated", id="already-coordinated"),
        pytest.param(MEETING_DAY, "under_vote", id="under-vote"),
    ],
)
def test_a_meeting_is_recorded_only_on_a_published_draft_in_coordination(
    request, staff, moment, fixture
):
    target = request.getfixturevalue(fixture)
    status = target.status

    with time_machine.travel(moment, tick=False):
        assert_refused(
            "phase_not_coordination",
            lambda: record_meeting(target, staff, held_on=moment.date()),
        )

    assert status_of(target) == status


def test_a_meeting_is_not_recorded_on_a_draft_in_preparation(published, staff):
    # Given version 1 published and version 2 prepared during the discussion
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)

    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "phase_not_coordination", lambda: record_meeting(version_2, staff)
        )


def test_a_second_version_in_preparation_is_refused(draft, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        error = assert_refused(
            "draft_already_preparing",
            lambda: services.draft_create(cycle=draft.cycle, actor=staff),
        )

    assert str(error) == "Version 1 is already being prepared."


def test_no_draft_is_written_before_the_review_ends(cycle, staff):
    with time_machine.travel(DAY_IN["review"], tick=False):
        assert_refused(
            "phase_not_drafting",
            lambda: services.draft_create(cycle=cycle, actor=staff),
        )


def test_no_new_version_while_the_coordinated_draft_waits_for_the_akim(
    coordinated, staff
):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "draft_coordinated",
            lambda: services.draft_create(cycle=coordinated.cycle, actor=staff),
        )


def test_a_version_prepared_before_the_meeting_is_not_published_after_it_coordinates(
    published, staff
):
    # Given version 2 prepared during the discussion, then version 1 coordinated
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(published, staff)

        # When staff publish version 2, then it is refused: the coordinated draft goes on
        assert_refused(
            "draft_coordinated",
            lambda: services.draft_publish(draft=version_2, actor=staff),
        )
        assert cycle_state(published.cycle).phase == "coordination"

    assert status_of(version_2) == "preparing"


def test_a_version_prepared_before_the_vote_is_not_published_during_it(
    published, staff, akim
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(published, staff)
        services.draft_submit(draft=published, actor=akim)

    with time_machine.travel(VOTE_DAY, tick=False):
        assert_refused(
            "phase_not_drafting",
            lambda: services.draft_publish(draft=version_2, actor=staff),
        )


def test_a_draft_without_lines_is_not_published(cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        empty = services.draft_create(cycle=cycle, actor=staff)
        assert_refused(
            "draft_empty", lambda: services.draft_publish(draft=empty, actor=staff)
        )


# The balance and the amounts.


def test_a_draft_spending_more_than_it_has_is_not_published(cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        unbalanced = prepared(
            cycle,
            staff,
            revenue={"R101": "1000000", "TR201": "4000000"},
            expenditure={"E701": "5000000.01"},
            cash="0",
        )
        error = assert_refused(
            "budget_unbalanced",
            lambda: services.draft_publish(draft=unbalanced, actor=staff),
        )

    assert str(error) == (
        "Expenditures (5000000.01 ₸) exceed revenues (5000000.00 ₸) plus the cash "
        "balances used (0.00 ₸) by 0.01 ₸."
    )
    assert status_of(unbalanced) == "preparing"


@pytest.mark.parametrize(
    ("expenditure", "cash"),
    [
        pytest.param("5000000.00", "0", id="equal"),
        pytest.param("5750000.50", "750000.50", id="deficit-covered-by-cash"),
    ],
)
def test_a_balanced_draft_is_published(cycle, staff, expenditure, cash):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        balanced = prepared(
            cycle,
            staff,
            revenue={"R101": "1000000", "TR201": "4000000"},
            expenditure={"E701": expenditure},
            cash=cash,
        )
        services.draft_publish(draft=balanced, actor=staff)

    assert status_of(balanced) == "published"


def test_a_deficit_larger_than_the_cash_balances_used_is_refused(cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        unbalanced = prepared(
            cycle,
            staff,
            revenue={"R101": "1000000", "TR201": "4000000"},
            expenditure={"E701": "5750000.50"},
            cash="750000.49",
        )
        assert_refused(
            "budget_unbalanced",
            lambda: services.draft_publish(draft=unbalanced, actor=staff),
        )


def test_submitting_checks_the_balance_again_whatever_changed_the_lines(
    coordinated, akim
):
    # Given the coordinated draft whose expenditure was raised outside the services
    BudgetLine.objects.filter(draft=coordinated, classification__code="E801").update(
        amount=Decimal("28000000.01")
    )

    # When the akim submits it, then it is refused
    with time_machine.travel(MEETING_DAY, tick=False):
        error = assert_refused(
            "budget_unbalanced",
            lambda: services.draft_submit(draft=coordinated, actor=akim),
        )

    assert str(error) == (
        "Expenditures (48000000.01 ₸) exceed revenues (48000000.00 ₸) plus the cash "
        "balances used (0.00 ₸) by 0.01 ₸."
    )
    assert status_of(coordinated) == "coordinated"


def test_amounts_in_whole_tenge_and_tiyn_are_kept_exactly(draft, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.draft_update(
            draft=draft,
            lines=lines(
                revenue={"R101": "3000000", "TR201": "45000000.50"},
                expenditure={"E701": "0.01", "E801": "48000000.49"},
            ),
            cash_balance_used=Decimal("1000000.10"),
            note="Записка",
            actor=staff,
        )

    assert sorted(
        BudgetLine.objects.filter(draft=draft).values_list(
            "classification__code", "amount"
        )
    ) == [
        ("E701", Decimal("0.01")),
        ("E801", Decimal("48000000.49")),
        ("R101", Decimal("3000000.00")),
        ("TR201", Decimal("45000000.50")),
    ]
    assert DraftBudget.objects.get(pk=draft.pk).cash_balance_used == Decimal(
        "1000000.10"
    )


@pytest.mark.parametrize(
    ("line_amount", "cash"),
    [
        pytest.param(Decimal("-1"), Decimal("0"), id="negative-line"),
        pytest.param(Decimal("100.005"), Decimal("0"), id="line-with-three-decimals"),
        pytest.param(1000.5, Decimal("0"), id="line-as-float"),
        pytest.param(Decimal("100"), Decimal("-0.01"), id="negative-cash"),
        pytest.param(Decimal("100"), Decimal("0.001"), id="cash-with-three-decimals"),
        pytest.param(Decimal("100"), 0.5, id="cash-as-float"),
    ],
)
def test_an_amount_that_is_not_tenge_and_tiyn_is_refused(
    draft, staff, line_amount, cash
):
    [entry] = lines(revenue={"R101": "0"}, expenditure={})

    with time_machine.travel(DAY_IN["drafting"], tick=False):
        error = assert_refused(
            "amount_invalid",
            lambda: services.draft_update(
                draft=draft,
                lines=[
                    services.LineInput(
                        classification=entry.classification, amount=line_amount
                    )
                ],
                cash_balance_used=cash,
                note="",
                actor=staff,
            ),
        )

    assert str(error) == "An amount is whole tenge or tenge and tiyn, never negative."


# Versions and their diff.


@pytest.fixture
def version_1(draft, staff):
    """Version 1 with explanations, cash balances and a note, published during drafting."""
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        entries = lines(**BALANCED)
        services.draft_update(
            draft=draft,
            lines=[
                services.LineInput(
                    classification=entry.classification,
                    amount=entry.amount,
                    explanation=f"Пояснение {entry.classification.code}",
                )
                for entry in entries
            ],
            cash_balance_used=Decimal("1000000.00"),
            note="Пояснительная записка",
            actor=staff,
        )
        return services.draft_publish(draft=draft, actor=staff)


def _lines_of(draft) -> list[tuple]:
    return list(
        BudgetLine.objects.filter(draft=draft)
        .order_by("classification__code")
        .values_list("classification__code", "amount", "explanation")
    )


def test_a_new_version_copies_the_last_one(version_1, staff):
    since = last_event_pk()

    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=version_1.cycle, actor=staff)

    assert (version_2.version, version_2.status) == (2, "preparing")
    assert (version_2.cash_balance_used, version_2.note) == (
        Decimal("1000000.00"),
        "Пояснительная записка",
    )
    assert (
        _lines_of(version_2)
        == _lines_of(version_1)
        == [
            ("E701", Decimal("20000000.00"), "Пояснение E701"),
            ("E801", Decimal("26000000.00"), "Пояснение E801"),
            ("R101", Decimal("3000000.00"), "Пояснение R101"),
            ("TR201", Decimal("45000000.00"), "Пояснение TR201"),
        ]
    )
    assert new_events(since) == [
        ("draft.created", {"version": 2, "copied_from": 1}),
    ]


def test_the_old_version_stays_readable_and_unchanged(version_1, staff):
    # Given version 1 published, with its lines
    lines_before = list(
        BudgetLine.objects.filter(draft=version_1)
        .order_by("pk")
        .values_list("pk", "classification_id", "amount", "explanation")
    )

    # When version 2 is made, edited and published
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=version_1.cycle, actor=staff)
        services.draft_update(
            draft=version_2,
            lines=lines(
                revenue={"R101": "3000000", "TR201": "45000000"},
                expenditure={"E701": "10"},
            ),
            cash_balance_used=Decimal("0"),
            note="",
            actor=staff,
        )
        services.draft_publish(draft=version_2, actor=staff)

    # Then version 1 is as it was, and read as it was
    old = DraftBudget.objects.get(pk=version_1.pk)
    assert (old.status, old.cash_balance_used, old.note, old.published_at) == (
        "published",
        Decimal("1000000.00"),
        "Пояснительная записка",
        DAY_IN["drafting"],
    )
    assert (
        list(
            BudgetLine.objects.filter(draft=version_1)
            .order_by("pk")
            .values_list("pk", "classification_id", "amount", "explanation")
        )
        == lines_before
    )
    view = draft_view(old)
    assert [line.classification.code for line in view.revenue] == ["R101", "TR201"]
    assert [line.classification.code for line in view.expenditure] == ["E701", "E801"]
    assert (view.totals.revenue, view.totals.expenditure) == (
        Decimal("48000000.00"),
        Decimal("46000000.00"),
    )


def test_the_diff_shows_lines_added_removed_and_changed_and_the_totals(
    published, staff
):
    # Given version 1 (R101 3 000 000, TR201 45 000 000; E701 20 000 000, E801 26 000 000)
    # and version 2 in which TR201 and E701 change, E801 goes and E901 comes
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
        services.draft_update(
            draft=version_2,
            lines=lines(
                revenue={"R101": "3000000", "TR201": "45500000"},
                expenditure={"E701": "20250000.50", "E901": "26000000"},
            ),
            cash_balance_used=Decimal("0"),
            note="",
            actor=staff,
        )

    # When the versions are compared
    diff = draft_diff(published, version_2)

    # Then each line says how it changed and by how much
    assert [
        (
            change.classification.code,
            change.kind,
            change.before,
            change.after,
            change.delta,
        )
        for change in diff.changes
    ] == [
        (
            "E701",
            "changed",
            Decimal("20000000.00"),
            Decimal("20250000.50"),
            Decimal("250000.50"),
        ),
        ("E801", "removed", Decimal("26000000.00"), None, Decimal("-26000000.00")),
        ("E901", "added", None, Decimal("26000000.00"), Decimal("26000000.00")),
        (
            "R101",
            "unchanged",
            Decimal("3000000.00"),
            Decimal("3000000.00"),
            Decimal("0.00"),
        ),
        (
            "TR201",
            "changed",
            Decimal("45000000.00"),
            Decimal("45500000.00"),
            Decimal("500000.00"),
        ),
    ]
    assert [change.classification.code for change in diff.changed] == [
        "E701",
        "E801",
        "E901",
        "TR201",
    ]
    before, after = diff.before.totals, diff.after.totals
    assert (before.revenue, before.expenditure, before.transfers) == (
        Decimal("48000000.00"),
        Decimal("46000000.00"),
        Decimal("45000000.00"),
    )
    assert (after.revenue, after.expenditure, after.transfers) == (
        Decimal("48500000.00"),
        Decimal("46250000.50"),
        Decimal("45500000.00"),
    )
    assert (before.transfer_share, after.transfer_share) == (
        Decimal("93.8"),
        Decimal("93.8"),
    )


# The public discussion.


def test_a_resident_comments_on_the_draft_and_on_one_line(published, resident):
    since = last_event_pk()
    line = published.lines.get(classification__code="E701")

    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        general = services.comment_post(
            draft=published, author=resident, body="  Больше на дороги  "
        )
        on_line = services.comment_post(
            draft=published, author=resident, body="Свет на Абая", line=line
        )

    assert (general.body, general.line, general.is_official) == (
        "Больше на дороги",
        None,
        False,
    )
    assert (on_line.line, on_line.draft) == (line, published)
    assert new_events(since) == [
        ("draft.commented", {"version": 1, "line": None}),
        ("draft.commented", {"version": 1, "line": "E701"}),
    ]


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(at(2026, 10, 31, hour=23), id="last-evening-of-the-discussion"),
        pytest.param(DAY_IN["drafting"], id="published-before-the-discussion-dates"),
    ],
)
def test_comments_are_taken_while_the_discussion_is_open(published, resident, moment):
    with time_machine.travel(moment, tick=False):
        services.comment_post(draft=published, author=resident, body="Спасибо")

    assert DraftComment.objects.count() == 1


def test_no_comment_before_the_draft_is_published(draft, resident):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        error = assert_refused(
            "discussion_closed",
            lambda: services.comment_post(draft=draft, author=resident, body="Рано"),
        )

    assert str(error) == (
        "Comments are taken only during the public discussion of the draft."
    )


def test_no_comment_after_the_discussion_ends(published, resident):
    with time_machine.travel(at(2026, 11, 1, hour=0), tick=False):
        assert_refused(
            "discussion_closed",
            lambda: services.comment_post(
                draft=published, author=resident, body="Поздно"
            ),
        )


def test_comments_go_to_the_latest_published_version_only(published, staff, resident):
    # Given version 2 prepared, then published, during the discussion
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)

        # Then while version 2 is prepared, it takes no comment
        assert_refused(
            "draft_not_under_discussion",
            lambda: services.comment_post(draft=version_2, author=resident, body="a"),
        )
        version_2 = services.draft_publish(draft=version_2, actor=staff)

        # And once it is published, version 1 takes none
        assert_refused(
            "draft_not_under_discussion",
            lambda: services.comment_post(draft=published, author=resident, body="b"),
        )
        services.comment_post(draft=version_2, author=resident, body="c")

    assert list(DraftComment.objects.values_list("draft__version", "body")) == [
        (2, "c")
    ]


def test_a_line_of_another_version_is_refused(published, staff, resident):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
        foreign_line = version_2.lines.get(classification__code="E701")

        error = assert_refused(
            "line_not_in_draft",
            lambda: services.comment_post(
                draft=published, author=resident, body="a", line=foreign_line
            ),
        )

    assert str(error) == "This line is not in this draft."


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_comment_is_refused(published, resident, body):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        assert_refused(
            "comment_empty",
            lambda: services.comment_post(draft=published, author=resident, body=body),
        )


def test_a_comment_or_reply_longer_than_the_form_allows_is_refused_by_the_service(
    published, staff, resident
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        assert_refused(
            "comment_too_long",
            lambda: services.comment_post(
                draft=published, author=resident, body="а" * 4001
            ),
        )
        comment = services.comment_post(
            draft=published, author=resident, body="а" * 4000
        )
        assert_refused(
            "comment_too_long",
            lambda: services.comment_reply(
                comment=comment, author=staff, body="ә" * 4001
            ),
        )
    assert comment.body == "а" * 4000
    assert DraftComment.objects.filter(reply_to=comment).count() == 0


def test_an_official_reply_notifies_the_commenter(published, staff, akim, resident):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        line = published.lines.get(classification__code="E701")
        comment = services.comment_post(
            draft=published, author=resident, body="Свет", line=line
        )
        since = last_event_pk()
        notices_before = Notification.objects.count()

        reply = services.comment_reply(
            comment=comment, author=staff, body=" Учтём в версии 2 "
        )

    assert (
        reply.body,
        reply.is_official,
        reply.reply_to,
        reply.line,
        reply.author,
    ) == (
        "Учтём в версии 2",
        True,
        comment,
        line,
        staff,
    )
    assert new_events(since) == [("draft.replied", {"comment": comment.pk})]
    assert Notification.objects.count() == notices_before + 1
    notice = Notification.objects.latest("pk")
    assert (
        notice.recipient,
        notice.kind,
        notice.unit,
        notice.url_name,
        notice.url_kwargs,
    ) == (
        resident,
        "draft_comment_answered",
        published.cycle.unit,
        "budgets:draft_detail",
        {"kato_code": "115633000", "fiscal_year": 2027, "version": 1},
    )


def test_a_reply_to_a_reply_is_refused(published, staff, resident):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        comment = services.comment_post(draft=published, author=resident, body="?")
        reply = services.comment_reply(comment=comment, author=staff, body="!")

        assert_refused(
            "reply_to_reply",
            lambda: services.comment_reply(comment=reply, author=staff, body="!!"),
        )


# The community meeting's record.


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(PNG, "minutes.pdf", id="png-named-pdf"),
        pytest.param(PDF, "minutes.docx", id="pdf-named-docx"),
        pytest.param(b"", "minutes.pdf", id="empty"),
    ],
)
def test_minutes_that_are_not_a_pdf_are_refused(published, staff, content, name):
    upload = minutes(content, name)

    with time_machine.travel(MEETING_DAY, tick=False):
        error = assert_refused(
            "minutes_not_pdf", lambda: record_meeting(published, staff, minutes=upload)
        )

    assert str(error) == "The minutes must be a PDF file."
    assert status_of(published) == "published"


def test_minutes_larger_than_10_mb_are_refused(published, staff):
    too_large = minutes(PDF + b"0" * (services.MINUTES_MAX_BYTES - len(PDF) + 1))

    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "minutes_too_large",
            lambda: record_meeting(published, staff, minutes=too_large),
        )


def test_a_meeting_without_minutes_is_refused(published, staff):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "minutes_required", lambda: record_meeting(published, staff, minutes=None)
        )


@pytest.mark.parametrize(
    ("total", "present", "code"),
    [
        (4, 4, "meeting_members_out_of_range"),
        (26, 20, "meeting_members_out_of_range"),
        (15, 16, "meeting_present_out_of_range"),
        (15, 0, "meeting_present_out_of_range"),
    ],
)
def test_a_meeting_with_members_out_of_range_is_refused(
    published, staff, total, present, code
):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            code,
            lambda: record_meeting(
                published, staff, members_total=total, members_present=present
            ),
        )


@pytest.mark.parametrize(("total", "present"), [(5, 1), (25, 25)])
def test_a_meeting_of_5_to_25_members_is_recorded(published, staff, total, present):
    with time_machine.travel(MEETING_DAY, tick=False):
        record_meeting(published, staff, members_total=total, members_present=present)

    assert list(
        CommunityMeeting.objects.values_list("members_total", "members_present")
    ) == [(total, present)]


@pytest.mark.parametrize(
    "decision",
    [MeetingDecision.COORDINATED_WITH_REMARKS, MeetingDecision.NOT_COORDINATED],
)
@pytest.mark.parametrize("remarks", ["", "   "])
def test_a_decision_with_remarks_needs_the_remarks(published, staff, decision, remarks):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "meeting_remarks_required",
            lambda: record_meeting(
                published, staff, decision=decision, remarks=remarks
            ),
        )


def test_a_meeting_held_in_the_future_is_refused(published, staff):
    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "meeting_in_future",
            lambda: record_meeting(published, staff, held_on=D(2026, 11, 11)),
        )


def test_the_meeting_decides_on_the_latest_published_version_only(published, staff):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        version_2 = services.draft_create(cycle=published.cycle, actor=staff)
        services.draft_publish(draft=version_2, actor=staff)

    with time_machine.travel(MEETING_DAY, tick=False):
        assert_refused(
            "draft_not_under_discussion", lambda: record_meeting(published, staff)
        )
        record_meeting(version_2, staff)

    assert status_of(version_2) == "coordinated"
    assert status_of(published) == "published"


# Signals.


@pytest.fixture
def received():
    calls = []

    def on_adopted(sender, draft, **kwargs):
        calls.append(("draft_adopted", draft.pk))

    def on_phase_changed(sender, changes, **kwargs):
        calls.extend(
            ("cycle_phase_changed", change.cycle.pk, change.old_phase, change.new_phase)
            for change in changes
        )

    signals.draft_adopted.connect(on_adopted, weak=False)
    signals.cycle_phase_changed.connect(on_phase_changed, weak=False)
    yield calls
    signals.draft_adopted.disconnect(on_adopted)
    signals.cycle_phase_changed.disconnect(on_phase_changed)


def test_draft_adopted_is_sent_once_after_the_approval_commits(
    under_vote, received, django_capture_on_commit_callbacks
):
    cycle = under_vote.cycle

    with (
        time_machine.travel(VOTE_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.draft_approve(draft=under_vote, actor=None)
        # Nothing is sent before the transaction commits
        assert received == []

    assert received == [
        ("cycle_phase_changed", cycle.pk, "maslikhat_vote", "adopted"),
        ("draft_adopted", under_vote.pk),
    ]

    # And the clock running afterwards sends nothing more
    with (
        time_machine.travel(VOTE_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.cycles_announce()
    assert received[2:] == []


def test_a_refused_approval_sends_nothing(
    coordinated, received, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(VOTE_DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError),
    ):
        services.draft_approve(draft=coordinated, actor=None)

    assert received == []


def test_cycle_phase_changed_is_sent_once_per_change(
    cycle, staff, received, django_capture_on_commit_callbacks
):
    def run_at(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.cycles_announce()

    # When the clock runs twice in each of three phases and a draft is published
    for phase in ("proposals_open", "review", "drafting"):
        run_at(DAY_IN[phase])
        run_at(DAY_IN[phase])
    with (
        time_machine.travel(DAY_IN["drafting"], tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        draft = prepared(
            cycle, staff, revenue={"R101": "10"}, expenditure={"E701": "10"}
        )
        services.draft_publish(draft=draft, actor=staff)
    run_at(DAY_IN["drafting"])

    # Then each change was sent once, in order
    assert received == [
        ("cycle_phase_changed", cycle.pk, "planned", "proposals_open"),
        ("cycle_phase_changed", cycle.pk, "proposals_open", "review"),
        ("cycle_phase_changed", cycle.pk, "review", "drafting"),
        ("cycle_phase_changed", cycle.pk, "drafting", "public_discussion"),
    ]
