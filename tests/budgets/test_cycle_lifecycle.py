"""The cycle's state machine: its phase derived from dates and acts, opening a cycle,
extending a phase."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from budgets import selectors, services
from budgets.lifecycle import CycleState, cycle_state, decisive_status
from budgets.models import (
    BudgetCycle,
    BudgetLine,
    CyclePhase,
    DraftBudget,
    Phase,
)
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import phase_dates
from tests.refusals import refused

D = datetime.date


def assert_refused(code: str, act) -> DomainError:
    """The act raises the DomainError `code`, changes nothing and schedules nothing."""
    with refused(code, BudgetCycle, Phase, DraftBudget, BudgetLine) as refusal:
        act()
    return refusal.value


# cycle_state, a pure function: the default timeline of the 2027 cycle (preparation in 2026).

TIMELINE = {
    kind: Phase(kind=kind, starts_on=starts_on, ends_on=ends_on)
    for kind, (starts_on, ends_on) in phase_dates(2027).items()
}

NO_DRAFT: list[str] = []
PREPARING_ONLY = ["preparing"]
PUBLISHED = ["preparing", "published"]
COORDINATED = ["coordinated"]
UNDER_VOTE = ["under_vote", "returned"]
APPROVED = ["approved", "returned"]
RETURNED = ["returned"]
EVERY_STATUS = [
    NO_DRAFT,
    PREPARING_ONLY,
    PUBLISHED,
    COORDINATED,
    UNDER_VOTE,
    APPROVED,
    RETURNED,
]


def state(phase, is_overdue=False, since=None):
    return CycleState(phase=phase, is_overdue=is_overdue, since=since)


# The dated phases before the draft: whatever the drafts, the dates decide.
BEFORE_THE_DRAFT = [
    (D(2026, 1, 1), state("planned")),
    (D(2026, 2, 28), state("planned")),
    (D(2026, 3, 1), state("proposals_open", since=D(2026, 3, 1))),
    (D(2026, 4, 30), state("proposals_open", since=D(2026, 3, 1))),
    (D(2026, 5, 1), state("review", since=D(2026, 5, 1))),
    (D(2026, 5, 31), state("review", since=D(2026, 5, 1))),
]

# From the end of the review, (statuses newest first, day, expected state).
AFTER_THE_REVIEW = [
    # No draft, or one still in preparation: drafting, from the day after the review.
    (NO_DRAFT, D(2026, 6, 1), state("drafting", since=D(2026, 6, 1))),
    (NO_DRAFT, D(2026, 9, 30), state("drafting", since=D(2026, 6, 1))),
    (NO_DRAFT, D(2026, 10, 1), state("drafting", True, D(2026, 6, 1))),
    (NO_DRAFT, D(2027, 3, 1), state("drafting", True, D(2026, 6, 1))),
    (PREPARING_ONLY, D(2026, 6, 1), state("drafting", since=D(2026, 6, 1))),
    (PREPARING_ONLY, D(2026, 9, 30), state("drafting", since=D(2026, 6, 1))),
    (PREPARING_ONLY, D(2026, 10, 1), state("drafting", True, D(2026, 6, 1))),
    # Published: the discussion is open from the act until its end date, then the
    # community meeting's coordination, overdue after its end without a decision.
    (PUBLISHED, D(2026, 7, 1), state("public_discussion")),
    (PUBLISHED, D(2026, 10, 1), state("public_discussion")),
    (PUBLISHED, D(2026, 10, 31), state("public_discussion")),
    (PUBLISHED, D(2026, 11, 1), state("coordination", since=D(2026, 11, 1))),
    (PUBLISHED, D(2026, 11, 30), state("coordination", since=D(2026, 11, 1))),
    (PUBLISHED, D(2026, 12, 1), state("coordination", True, D(2026, 11, 1))),
    # Coordinated: waits for the akim's submission, overdue after coordination ends.
    (COORDINATED, D(2026, 10, 20), state("coordination")),
    (COORDINATED, D(2026, 11, 30), state("coordination")),
    (COORDINATED, D(2026, 12, 1), state("coordination", True)),
    # Under vote: overdue after the vote's end date.
    (UNDER_VOTE, D(2026, 11, 20), state("maslikhat_vote")),
    (UNDER_VOTE, D(2026, 12, 25), state("maslikhat_vote")),
    (UNDER_VOTE, D(2026, 12, 26), state("maslikhat_vote", True)),
    (UNDER_VOTE, D(2027, 1, 15), state("maslikhat_vote", True)),
    # Approved: adopted until 1 January, then executed through the year, then closed.
    (APPROVED, D(2026, 12, 20), state("adopted")),
    (APPROVED, D(2026, 12, 31), state("adopted")),
    (APPROVED, D(2027, 1, 1), state("execution", since=D(2027, 1, 1))),
    (APPROVED, D(2027, 12, 31), state("execution", since=D(2027, 1, 1))),
    (APPROVED, D(2028, 1, 1), state("closed", since=D(2028, 1, 1))),
    # Returned by the meeting or the maslikhat: drafting again, overdue past its end.
    (RETURNED, D(2026, 9, 1), state("drafting")),
    (RETURNED, D(2026, 11, 15), state("drafting", True)),
]


@pytest.mark.parametrize("statuses", EVERY_STATUS, ids=repr)
@pytest.mark.parametrize(("on", "expected"), BEFORE_THE_DRAFT, ids=str)
def test_the_dates_alone_decide_the_phase_until_the_review_ends(statuses, on, expected):
    assert (
        cycle_state(phases=TIMELINE, decisive_status=decisive_status(statuses), on=on)
        == expected
    )


@pytest.mark.parametrize(
    ("statuses", "on", "expected"),
    AFTER_THE_REVIEW,
    ids=[f"{statuses}-{on}" for statuses, on, _expected in AFTER_THE_REVIEW],
)
def test_after_the_review_the_dates_and_the_latest_act_decide_the_phase(
    statuses, on, expected
):
    assert (
        cycle_state(phases=TIMELINE, decisive_status=decisive_status(statuses), on=on)
        == expected
    )


def test_a_version_in_preparation_hides_nothing_public():
    # Given a published version 1 and a version 2 being prepared
    statuses = ["preparing", "published"]

    # Then the published one decides; alone, a version in preparation counts for none
    assert decisive_status(statuses) == "published"
    assert decisive_status(["preparing"]) is None
    assert decisive_status([]) is None


# Opening a cycle.


def test_staff_open_the_cycle_of_their_unit_with_its_phases(territory, staff):
    # Given the rural district, which holds its own budget
    unit = territory["rural_district"]

    # When its staff open the 2027 cycle in January 2026
    with time_machine.travel(at(2026, 1, 15), tick=False):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=2027, actor=staff, dates=phase_dates(2027)
        )
        current = selectors.cycle_state(cycle)

    # Then the cycle has its seven dated phases, is planned, and the act is recorded
    assert list(BudgetCycle.objects.values_list("unit_id", "fiscal_year")) == [
        (unit.pk, 2027)
    ]
    assert {
        phase.kind: (phase.starts_on, phase.ends_on) for phase in cycle.phases.all()
    } == phase_dates(2027)
    assert cycle.announced_phase == CyclePhase.PLANNED
    assert current == state("planned")
    [event] = AuditEvent.objects.all()
    assert (event.verb, event.actor, event.unit, event.target) == (
        "cycle.opened",
        staff,
        unit,
        cycle,
    )
    assert event.details == {
        "fiscal_year": 2027,
        "phases": {
            "proposals_open": ["2026-03-01", "2026-04-30"],
            "review": ["2026-05-01", "2026-05-31"],
            "drafting": ["2026-06-01", "2026-09-30"],
            "public_discussion": ["2026-10-01", "2026-10-31"],
            "coordination": ["2026-11-01", "2026-11-30"],
            "maslikhat_vote": ["2026-12-01", "2026-12-25"],
            "execution": ["2027-01-01", "2027-12-31"],
        },
    }
    assert Notification.objects.count() == 0


def _open_form_initial(client, unit, staff, day) -> dict:
    """The 'Open a budget cycle' form as staff find it on a day, and its posted form."""
    with time_machine.travel(day, tick=False):
        client.force_login(staff)
        response = client.get(reverse("budgets:cycle_open", args=[unit.kato_code]))
    assert response.status_code == 200
    return response.context["form"].initial


def _as_dates(initial: dict) -> dict:
    return {
        phase: (initial[f"{phase}_starts_on"], initial[f"{phase}_ends_on"])
        for phase in phase_dates(2027)
    }


@pytest.mark.parametrize(
    ("day", "fiscal_year", "proposals_from"),
    [
        # Before the calendar's proposals phase: next year's cycle, its dates as they are
        (at(2026, 1, 15), 2027, D(2026, 3, 1)),
        # During it: the same cycle, its proposals open from tomorrow
        (at(2026, 3, 10), 2027, D(2026, 3, 11)),
        (at(2026, 4, 29), 2027, D(2026, 4, 30)),
        # After it: too late for residents to propose for 2027, so the year after
        (at(2026, 4, 30), 2028, D(2027, 3, 1)),
        (at(2026, 6, 1), 2028, D(2027, 3, 1)),
    ],
)
def test_the_open_form_offers_the_next_year_residents_can_still_propose_for(
    client, territory, staff, day, fiscal_year, proposals_from
):
    # Given a unit without cycles
    # When its staff open the form on a day
    initial = _open_form_initial(client, territory["rural_district"], staff, day)

    # Then it offers the next fiscal year whose proposals phase is still ahead, by the
    # calendar, every phase starting after today
    expected = phase_dates(fiscal_year)
    expected[CyclePhase.PROPOSALS_OPEN] = (
        proposals_from,
        expected[CyclePhase.PROPOSALS_OPEN][1],
    )
    assert initial["fiscal_year"] == fiscal_year
    assert _as_dates(initial) == expected
    assert all(starts_on > day.date() for starts_on, _ in expected.values())


def test_the_open_form_skips_the_years_that_already_have_a_cycle(
    client, territory, staff
):
    # Given the unit's 2027 and 2028 cycles, opened in January 2026
    unit = territory["rural_district"]
    with time_machine.travel(at(2026, 1, 15), tick=False):
        for fiscal_year in (2027, 2028):
            services.cycle_open(
                unit=unit,
                fiscal_year=fiscal_year,
                actor=staff,
                dates=phase_dates(fiscal_year),
            )

    # When staff open the form that day
    initial = _open_form_initial(client, unit, staff, at(2026, 1, 15))

    # Then it offers 2029, the first year without a cycle
    assert initial["fiscal_year"] == 2029
    assert _as_dates(initial) == phase_dates(2029)


def test_the_open_form_as_offered_opens_the_cycle(client, territory, staff):
    # Given the form as staff find it while the calendar's proposals phase runs
    unit = territory["rural_district"]
    day = at(2026, 3, 10)
    initial = _open_form_initial(client, unit, staff, day)

    # When they send it unchanged
    with time_machine.travel(day, tick=False):
        response = client.post(
            reverse("budgets:cycle_open", args=[unit.kato_code]),
            {
                name: value.isoformat() if isinstance(value, D) else str(value)
                for name, value in initial.items()
            },
        )

    # Then the cycle is open with those dates
    cycle = BudgetCycle.objects.get()
    assert (response.status_code, response.url) == (302, cycle.get_absolute_url())
    assert cycle.fiscal_year == 2027
    assert {
        phase.kind: (phase.starts_on, phase.ends_on) for phase in cycle.phases.all()
    } == _as_dates(initial)


@pytest.mark.parametrize("unit_name", ["district", "village"])
def test_a_cycle_is_refused_for_a_unit_without_its_own_budget(
    territory, staff, unit_name
):
    # Given the district (its budget is not local self-government's) or a village
    # inside a rural district (part of the rural district's budget)
    unit = territory[unit_name]

    # When a cycle is opened for it, then it is refused and nothing is created
    with time_machine.travel(at(2026, 1, 15), tick=False):
        error = assert_refused(
            "unit_without_budget",
            lambda: services.cycle_open(
                unit=unit, fiscal_year=2027, actor=staff, dates=phase_dates(2027)
            ),
        )
    assert str(error) == f"{unit.name} does not hold its own budget in 2027."
    assert BudgetCycle.objects.count() == 0


def test_a_second_cycle_for_the_same_unit_and_year_is_refused(cycle, staff):
    # Given the rural district's 2027 cycle
    # When another one is opened for the same unit and year
    with time_machine.travel(at(2026, 2, 1), tick=False):
        error = assert_refused(
            "cycle_exists",
            lambda: services.cycle_open(
                unit=cycle.unit, fiscal_year=2027, actor=staff, dates=phase_dates(2027)
            ),
        )

    # Then the database's constraint refuses it: one cycle, one set of phases
    assert str(error) == "Ортақ ауылдық округі already has a budget cycle for 2027."
    assert list(BudgetCycle.objects.values_list("pk", flat=True)) == [cycle.pk]
    assert Phase.objects.count() == 7


def test_the_same_unit_opens_cycles_for_different_years(cycle, staff):
    with time_machine.travel(at(2026, 2, 1), tick=False):
        services.cycle_open(
            unit=cycle.unit, fiscal_year=2028, actor=staff, dates=phase_dates(2028)
        )

    assert sorted(
        BudgetCycle.objects.filter(unit=cycle.unit).values_list(
            "fiscal_year", flat=True
        )
    ) == [2027, 2028]
    assert Phase.objects.count() == 14


def test_a_cycle_for_a_year_that_has_passed_is_refused(territory, staff):
    with time_machine.travel(at(2026, 1, 15), tick=False):
        assert_refused(
            "fiscal_year_past",
            lambda: services.cycle_open(
                unit=territory["rural_district"],
                fiscal_year=2025,
                actor=staff,
                dates=phase_dates(2025),
            ),
        )

    assert BudgetCycle.objects.count() == 0


def _dates(**changes):
    dates = phase_dates(2027)
    dates.update(changes)
    return dates


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        pytest.param(
            _dates(
                drafting=(D(2026, 10, 1), D(2026, 10, 31)),
                public_discussion=(D(2026, 6, 1), D(2026, 9, 30)),
            ),
            "public discussion starts before the phase before it ends.",
            id="out-of-order",
        ),
        pytest.param(
            _dates(review=(D(2026, 4, 30), D(2026, 5, 31))),
            "review of proposals starts before the phase before it ends.",
            id="overlapping",
        ),
        pytest.param(
            _dates(drafting=(D(2026, 9, 30), D(2026, 6, 1))),
            "drafting the budget ends before it starts.",
            id="ends-before-it-starts",
        ),
        pytest.param(
            _dates(proposals_open=(D(2026, 3, 1), D(2026, 2, 28))),
            "open for proposals ends before it starts.",
            id="first-phase-ends-before-it-starts",
        ),
    ],
)
def test_a_cycle_with_phase_dates_that_are_not_a_timeline_is_refused(
    territory, staff, dates, message
):
    with time_machine.travel(at(2026, 1, 15), tick=False):
        error = assert_refused(
            "phase_dates_invalid",
            lambda: services.cycle_open(
                unit=territory["rural_district"],
                fiscal_year=2027,
                actor=staff,
                dates=dates,
            ),
        )

    assert str(error) == message
    assert BudgetCycle.objects.count() == 0
    assert Phase.objects.count() == 0


# Extending a phase.


def _phases(cycle) -> dict:
    return {
        phase.kind: (phase.starts_on, phase.ends_on)
        for phase in Phase.objects.filter(cycle=cycle)
    }


def _announced(cycle, moment) -> None:
    with time_machine.travel(moment, tick=False):
        services.cycles_announce()


def test_staff_extend_a_phase_with_a_public_reason(cycle, staff):
    # Given the cycle open for proposals, its phase announced
    _announced(cycle, DAY_IN["proposals_open"])
    events_before = AuditEvent.objects.count()

    # When staff move the end of the vote from 25 to 28 December
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        phase = services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.MASLIKHAT_VOTE,
            ends_on=D(2026, 12, 28),
            reason="  Сессия маслихата перенесена  ",
            actor=staff,
        )

    # Then only that phase changes, and the reason is on the public record
    assert (phase.kind, phase.starts_on, phase.ends_on) == (
        "maslikhat_vote",
        D(2026, 12, 1),
        D(2026, 12, 28),
    )
    assert _phases(cycle) == _dates(maslikhat_vote=(D(2026, 12, 1), D(2026, 12, 28)))
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.verb, event.actor, event.target) == ("phase.extended", staff, cycle)
    assert event.details == {
        "phase": "maslikhat_vote",
        "from": "2026-12-25",
        "to": "2026-12-28",
        "reason": "Сессия маслихата перенесена",
        "moved": {"maslikhat_vote": ["2026-12-01", "2026-12-28"]},
    }


def test_extending_an_open_citizen_phase_moves_the_next_phase_that_would_overlap(
    cycle, staff
):
    # Given the cycle open for proposals until 30 April, the review from 1 May
    _announced(cycle, DAY_IN["proposals_open"])

    # When staff extend the proposals until 10 May
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.PROPOSALS_OPEN,
            ends_on=D(2026, 5, 10),
            reason="Residents asked for more time",
            actor=staff,
        )
    with time_machine.travel(at(2026, 5, 10, hour=23), tick=False):
        on_the_new_last_day = selectors.cycle_state(cycle)
    with time_machine.travel(at(2026, 5, 11, hour=0), tick=False):
        on_the_day_after = selectors.cycle_state(cycle)

    # Then the review starts the day after and keeps its end; later phases stay put
    assert _phases(cycle) == _dates(
        proposals_open=(D(2026, 3, 1), D(2026, 5, 10)),
        review=(D(2026, 5, 11), D(2026, 5, 31)),
    )
    assert AuditEvent.objects.latest("pk").details["moved"] == {
        "proposals_open": ["2026-03-01", "2026-05-10"],
        "review": ["2026-05-11", "2026-05-31"],
    }
    assert on_the_new_last_day == state("proposals_open", since=D(2026, 3, 1))
    assert on_the_day_after == state("review", since=D(2026, 5, 11))


def test_an_overdue_drafting_phase_can_be_extended_and_is_no_longer_overdue(
    cycle, staff
):
    # Given no draft published by the end of drafting, on 5 October
    moment = at(2026, 10, 5)
    _announced(cycle, moment)
    with time_machine.travel(moment, tick=False):
        assert selectors.cycle_state(cycle) == state("drafting", True, D(2026, 6, 1))

        # When staff extend the drafting until 20 October
        services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.DRAFTING,
            ends_on=D(2026, 10, 20),
            reason="The district's transfers were announced late",
            actor=staff,
        )

        # Then it is on time again, and the discussion starts after it, kept whole
        assert selectors.cycle_state(cycle) == state("drafting", False, D(2026, 6, 1))
    assert _phases(cycle)["public_discussion"] == (D(2026, 10, 21), D(2026, 11, 20))


@pytest.mark.parametrize("new_end", [D(2026, 4, 20), D(2026, 4, 30)])
def test_an_open_citizen_phase_is_never_shortened(cycle, staff, new_end):
    _announced(cycle, DAY_IN["proposals_open"])

    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        error = assert_refused(
            "citizen_phase_shortened",
            lambda: services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.PROPOSALS_OPEN,
                ends_on=new_end,
                reason="Hurry",
                actor=staff,
            ),
        )

    assert str(error) == (
        "A phase's end may only be moved later, never earlier: it ends on 30 April 2026."
    )
    assert _phases(cycle) == phase_dates(2027)


def test_a_later_citizen_phase_is_not_shortened_either(cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        assert_refused(
            "citizen_phase_shortened",
            lambda: services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.PUBLIC_DISCUSSION,
                ends_on=D(2026, 10, 20),
                reason="Hurry",
                actor=staff,
            ),
        )


def test_another_phase_is_not_brought_forward(cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        assert_refused(
            "phase_not_extended",
            lambda: services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.DRAFTING,
                ends_on=D(2026, 9, 1),
                reason="Ready early",
                actor=staff,
            ),
        )

    assert _phases(cycle) == phase_dates(2027)


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_extension_without_a_reason_is_refused(cycle, staff, reason):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        error = assert_refused(
            "extension_reason_required",
            lambda: services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.DRAFTING,
                ends_on=D(2026, 10, 15),
                reason=reason,
                actor=staff,
            ),
        )

    assert str(error) == "Give the public a reason."
    assert _phases(cycle) == phase_dates(2027)


def test_a_phase_already_over_is_not_extended(cycle, staff):
    # Given the cycle in review: the proposals closed on 30 April
    _announced(cycle, DAY_IN["review"])

    # When staff try to reopen the proposals until 20 May, then it is refused
    with time_machine.travel(DAY_IN["review"], tick=False):
        error = assert_refused(
            "phase_already_over",
            lambda: services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.PROPOSALS_OPEN,
                ends_on=D(2026, 5, 20),
                reason="Late proposals",
                actor=staff,
            ),
        )

    assert str(error) == "This phase is already over."
    assert _phases(cycle) == phase_dates(2027)


def test_a_phase_ended_by_an_act_is_over_once_the_act_is_done(published, staff):
    # Given the draft published in July: drafting ended with the act, before its date
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        assert selectors.cycle_state(published.cycle) == state("public_discussion")

        # Then the drafting can no longer be extended
        assert_refused(
            "phase_already_over",
            lambda: services.phase_extend(
                cycle=published.cycle,
                kind=CyclePhase.DRAFTING,
                ends_on=D(2026, 10, 15),
                reason="More time",
                actor=staff,
            ),
        )


def test_extending_drafting_into_the_discussion_keeps_the_discussion_whole(
    cycle, staff
):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.DRAFTING,
            ends_on=datetime.date(2026, 10, 15),
            reason="Субвенция ещё не доведена районом",
            actor=staff,
        )

    phases = {p.kind: (p.starts_on, p.ends_on) for p in cycle.phases.all()}
    assert phases[CyclePhase.PUBLIC_DISCUSSION] == (
        datetime.date(2026, 10, 16),
        datetime.date(2026, 11, 15),
    )
    assert phases[CyclePhase.COORDINATION] == (
        datetime.date(2026, 11, 16),
        datetime.date(2026, 11, 30),
    )
    assert phases[CyclePhase.MASLIKHAT_VOTE] == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 25),
    )
