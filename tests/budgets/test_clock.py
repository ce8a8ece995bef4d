"""The clock job: it records what the phase dates already decided, once, in a fixed number
of queries, late or twice at once."""

import datetime
import threading
import time
from unittest import mock

import pytest
import time_machine
from django.db import connection

from accounts.models import Role
from budgets import selectors, services, tasks
from budgets.lifecycle import CycleState
from budgets.models import BudgetCycle, CyclePhase
from budgets.selectors import cycle_state
from portal.errors import DomainError
from portal.models import AuditEvent, Level, Notification
from tests.accounts.factories import MembershipFactory
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import phase_dates
from tests.concurrency import postgresql_required
from tests.portal.factories import UnitFactory

D = datetime.date
MINUTE = datetime.timedelta(minutes=1)


def phase_changes(cycle=None) -> list[dict]:
    events = AuditEvent.objects.filter(verb="cycle.phase_changed").order_by("pk")
    if cycle is not None:
        events = events.filter(target_id=str(cycle.pk))
    return [event.details for event in events]


def notices(kind: str) -> list[int]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("recipient_id", flat=True)
    )


def run_job(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return tasks.cycles_advance.delay().get()


def open_cycles(district, count: int) -> list[BudgetCycle]:
    """`count` rural districts, each with one staff member and an akim, and a 2027 cycle."""
    opened = []
    with time_machine.travel(at(2026, 1, 15), tick=False):
        for _index in range(count):
            unit = UnitFactory(level=Level.RURAL_DISTRICT, parent=district)
            staff = MembershipFactory(role=Role.AKIMAT_STAFF, unit=unit).user
            MembershipFactory(role=Role.AKIM, unit=unit)
            opened.append(
                services.cycle_open(
                    unit=unit, fiscal_year=2027, actor=staff, dates=phase_dates(2027)
                )
            )
    return opened


def test_the_job_moves_the_cycle_across_each_boundary_once(cycle, staff, akim):
    # Given the 2027 cycle, planned; at each moment the job runs twice
    steps = [
        (at(2026, 3, 1, hour=0) - MINUTE, None),
        (
            at(2026, 3, 1, hour=0),
            {"from": "planned", "to": "proposals_open", "since": "2026-03-01"},
        ),
        (at(2026, 5, 1, hour=0) - MINUTE, None),
        (
            at(2026, 5, 1, hour=0),
            {"from": "proposals_open", "to": "review", "since": "2026-05-01"},
        ),
        (at(2026, 6, 1, hour=0) - MINUTE, None),
        (
            at(2026, 6, 1, hour=0),
            {"from": "review", "to": "drafting", "since": "2026-06-01"},
        ),
    ]
    expected_changes = []
    for moment, change in steps:
        # When the job runs, then it records the change the boundary made, if any
        moved = run_job(moment)
        if change is not None:
            expected_changes.append(change)
        assert moved == (1 if change else 0), moment
        assert phase_changes() == expected_changes, moment
        assert len(notices("cycle_phase_changed")) == 2 * len(expected_changes)

        # And when it runs again at the same moment, it records nothing
        assert run_job(moment) == 0, moment
        assert phase_changes() == expected_changes, moment
        assert len(notices("cycle_phase_changed")) == 2 * len(expected_changes)

    # Each change was announced to the unit's staff and akim, with no overdue
    assert sorted(notices("cycle_phase_changed")) == sorted([staff.pk, akim.pk] * 3)
    assert notices("cycle_overdue") == []
    cycle.refresh_from_db()
    assert (cycle.announced_phase, cycle.announced_at) == (
        "drafting",
        at(2026, 6, 1, hour=0),
    )
    events = AuditEvent.objects.filter(verb="cycle.phase_changed").order_by("pk")
    assert [(event.actor, event.target, event.created_at) for event in events] == [
        (None, cycle, at(2026, 3, 1, hour=0)),
        (None, cycle, at(2026, 5, 1, hour=0)),
        (None, cycle, at(2026, 6, 1, hour=0)),
    ]


def test_the_job_skips_nothing_when_it_wakes_after_two_boundaries(cycle):
    # Given the job down from February to mid-May
    run_job(DAY_IN["planned"])

    # When it runs on 10 May
    assert run_job(DAY_IN["review"]) == 1

    # Then it records the phase the dates say, since its boundary
    assert phase_changes() == [
        {"from": "planned", "to": "review", "since": "2026-05-01"}
    ]


# Savepoint, cycles locked, their states (phase dates and drafts, one query), the update,
# the events, the members to notify, their choice of notifications, the notices, release.
# The same for 3
# cycles and for 40: past 90 notices, SQLite (999 parameters a query) would split their
# insert in two batches; PostgreSQL does not.
JOB_QUERIES = 9


@pytest.mark.parametrize("size", [3, 40])
def test_the_job_moves_every_due_cycle_in_a_fixed_number_of_queries(
    territory, django_assert_num_queries, size
):
    # Given `size` cycles, planned, each unit with staff and an akim
    opened = open_cycles(territory["district"], size)

    # When proposals open for all of them and the job runs
    with (
        time_machine.travel(at(2026, 3, 1, hour=0), tick=False),
        django_assert_num_queries(JOB_QUERIES),
    ):
        moved = tasks.cycles_advance.delay().get()

    # Then every cycle moved, each once, with its notices
    assert moved == size
    assert sorted(BudgetCycle.objects.values_list("pk", "announced_phase")) == sorted(
        (cycle.pk, "proposals_open") for cycle in opened
    )
    assert AuditEvent.objects.filter(verb="cycle.phase_changed").count() == size
    assert Notification.objects.filter(kind="cycle_phase_changed").count() == 2 * size

    # And a run with nothing to do costs the same few queries at any size
    with (
        time_machine.travel(at(2026, 3, 1, hour=0), tick=False),
        django_assert_num_queries(4),  # savepoint, cycles, their states, release
    ):
        assert tasks.cycles_advance.delay().get() == 0


def test_what_is_allowed_follows_the_dates_when_the_job_runs_an_hour_late(cycle, staff):
    # Given the job last ran on the last day of the proposals
    run_job(at(2026, 4, 30, hour=12))

    # When it is 00:59 on 1 May and the job has not run yet
    with time_machine.travel(at(2026, 5, 1, hour=1) - MINUTE, tick=False):
        cycle.refresh_from_db()
        current = cycle_state(cycle)

        # Then the record still says proposals, but the review has begun: the
        # proposals are over and cannot be extended any more
        assert cycle.announced_phase == "proposals_open"
        assert current == CycleState("review", False, D(2026, 5, 1))
        with pytest.raises(DomainError) as refused:
            services.phase_extend(
                cycle=cycle,
                kind=CyclePhase.PROPOSALS_OPEN,
                ends_on=D(2026, 5, 15),
                reason="Late",
                actor=staff,
            )
        assert refused.value.code == "phase_already_over"

    # And when it runs at 01:00, it records the change since the boundary day
    assert run_job(at(2026, 5, 1, hour=1)) == 1
    assert phase_changes() == [
        {"from": "planned", "to": "proposals_open", "since": "2026-03-01"},
        {"from": "proposals_open", "to": "review", "since": "2026-05-01"},
    ]
    assert AuditEvent.objects.filter(verb="cycle.phase_changed").latest(
        "pk"
    ).created_at == at(2026, 5, 1, hour=1)


def test_comments_close_at_midnight_even_when_the_job_is_late(published, resident):
    # Given the draft in public discussion, announced, until 31 October
    run_job(DAY_IN["public_discussion"])

    # When a resident comments at 23:59 on 31 October, it is taken
    with time_machine.travel(at(2026, 11, 1, hour=0) - MINUTE, tick=False):
        services.comment_post(draft=published, author=resident, body="Успел")

    # And at 00:59 on 1 November, before the job has run, it is refused
    with time_machine.travel(at(2026, 11, 1, hour=1) - MINUTE, tick=False):
        published.cycle.refresh_from_db()
        assert published.cycle.announced_phase == "public_discussion"
        with pytest.raises(DomainError) as refused:
            services.comment_post(draft=published, author=resident, body="Опоздал")
        assert refused.value.code == "discussion_closed"

    # Then the job, at 01:00, records the coordination since 1 November
    assert run_job(at(2026, 11, 1, hour=1)) == 1
    assert phase_changes()[-1] == {
        "from": "public_discussion",
        "to": "coordination",
        "since": "2026-11-01",
    }
    assert list(published.comments.values_list("body", flat=True)) == ["Успел"]


def test_an_overdue_drafting_is_announced_once_to_the_akim_only(cycle, staff, akim):
    # Given the cycle in drafting, announced, with no draft published by 30 September
    run_job(DAY_IN["drafting"])
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.draft_create(cycle=cycle, actor=staff)
    changes_before = phase_changes()
    phase_notices_before = notices("cycle_phase_changed")

    # When the job runs on 30 September, nothing is overdue yet
    assert run_job(at(2026, 9, 30, hour=23)) == 0
    assert AuditEvent.objects.filter(verb="cycle.overdue").count() == 0

    # When it runs at midnight on 1 October, then twice more later
    run_job(at(2026, 10, 1, hour=0))
    run_job(at(2026, 10, 1, hour=0))
    run_job(at(2026, 10, 15))

    # Then the overdue is recorded once, and only the akim is told, once
    overdue = AuditEvent.objects.filter(verb="cycle.overdue")
    assert [(event.target, event.details) for event in overdue] == [
        (cycle, {"phase": "drafting"})
    ]
    assert notices("cycle_overdue") == [akim.pk]
    notice = Notification.objects.get(kind="cycle_overdue")
    assert (notice.context, notice.url_kwargs) == (
        {"year": 2027, "phase": "drafting"},
        {"kato_code": "115633000", "fiscal_year": 2027},
    )
    # The phase did not change: no phase notices
    assert phase_changes() == changes_before
    assert notices("cycle_phase_changed") == phase_notices_before
    with time_machine.travel(at(2026, 10, 15), tick=False):
        assert cycle_state(cycle) == CycleState("drafting", True, D(2026, 6, 1))
    cycle.refresh_from_db()
    assert (cycle.announced_phase, cycle.overdue_notified_phase) == (
        "drafting",
        "drafting",
    )


def test_an_overdue_coordination_is_announced_once(published, staff, akim):
    # Given the discussion over, the cycle in coordination, and no meeting by 30 November
    run_job(DAY_IN["coordination"])

    # When the job runs on 1 December and again the next day
    run_job(at(2026, 12, 1, hour=0))
    run_job(at(2026, 12, 2))

    # Then the akim is told once
    assert [
        event.details for event in AuditEvent.objects.filter(verb="cycle.overdue")
    ] == [{"phase": "coordination"}]
    assert notices("cycle_overdue") == [akim.pk]


postgresql = postgresql_required("two runs at once need row locks")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_record_each_change_once(postgresql, territory):
    # Given five planned cycles
    opened = open_cycles(territory["district"], 5)
    start = threading.Barrier(2)
    first_holds_the_locks, release = threading.Event(), threading.Event()
    holders, results, errors = [], [], []
    read_states = selectors.cycles_with_state

    def read_and_hold(cycles, *, on):
        # The cycles are locked once read; the first run holds them until the second
        # is seen waiting for them.
        states = read_states(cycles, on=on)
        if not holders:
            holders.append(threading.get_ident())
            first_holds_the_locks.set()
            release.wait(timeout=10)
        return states

    def run():
        try:
            start.wait(timeout=10)
            results.append(len(services.cycles_announce()))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # When two runs start together after proposals open
    with (
        time_machine.travel(at(2026, 3, 1, hour=0), tick=False),
        mock.patch.object(selectors, "cycles_with_state", read_and_hold),
    ):
        threads = [threading.Thread(target=run) for _index in range(2)]
        for thread in threads:
            thread.start()
        assert first_holds_the_locks.wait(timeout=10)
        second_waited = _a_backend_waits_for_a_lock()
        release.set()
        for thread in threads:
            thread.join(timeout=30)

    # Then the second waited for the first; one moved every cycle, the other nothing
    assert second_waited
    assert errors == []
    assert sorted(results) == [0, 5]
    for cycle in opened:
        assert phase_changes(cycle) == [
            {"from": "planned", "to": "proposals_open", "since": "2026-03-01"}
        ]
    assert Notification.objects.filter(kind="cycle_phase_changed").count() == 10


def _a_backend_waits_for_a_lock(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
