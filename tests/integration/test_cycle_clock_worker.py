"""The clock job on a real Celery worker moves a cycle at its deadline, in PostgreSQL."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone

from budgets import services, tasks
from budgets.models import CyclePhase
from portal.fiscal import current_fiscal_year
from portal.models import AuditEvent, Notification

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def phase_dates_ending_proposals(yesterday: datetime.date, fiscal_year: int) -> dict:
    """Proposals open for a month until `yesterday`; each later phase a few days long."""
    dates = {CyclePhase.PROPOSALS_OPEN: (yesterday - 30 * DAY, yesterday)}
    start = yesterday + DAY
    for phase in (
        CyclePhase.REVIEW,
        CyclePhase.DRAFTING,
        CyclePhase.PUBLIC_DISCUSSION,
        CyclePhase.COORDINATION,
        CyclePhase.MASLIKHAT_VOTE,
    ):
        dates[phase] = (start, start + 2 * DAY)
        start += 3 * DAY
    dates[CyclePhase.EXECUTION] = (
        max(start, datetime.date(fiscal_year, 1, 1)),
        datetime.date(fiscal_year, 12, 31),
    )
    return dates


def test_the_worker_moves_a_cycle_into_review_when_its_proposals_end(
    real_worker, territory, staff
):
    # Given a cycle opened during its proposals, which ended yesterday by the real clock
    # the worker process keeps.
    today = timezone.localdate()
    yesterday = today - DAY
    fiscal_year = current_fiscal_year() + 1
    with time_machine.travel(
        datetime.datetime.combine(
            yesterday, datetime.time(12), timezone.get_current_timezone()
        ),
        tick=False,
    ):
        cycle = services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=fiscal_year,
            actor=staff,
            dates=phase_dates_ending_proposals(yesterday, fiscal_year),
        )
    cycle.refresh_from_db()
    assert cycle.announced_phase == CyclePhase.PROPOSALS_OPEN
    moves = AuditEvent.objects.filter(
        verb="cycle.phase_changed", target_id=str(cycle.pk)
    )
    assert moves.count() == 1

    # When the clock job runs on the worker.
    tasks.cycles_advance.delay()

    # Then PostgreSQL holds the cycle in review, with its audit event and notice.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        cycle.refresh_from_db()
        if cycle.announced_phase != CyclePhase.PROPOSALS_OPEN:
            break
        assert real_worker.poll() is None, "the worker died"
        time.sleep(0.25)
    assert cycle.announced_phase == CyclePhase.REVIEW
    assert timezone.localdate(cycle.announced_at) == today
    assert [(move.actor, move.unit, move.details) for move in moves.order_by("pk")] == [
        (
            staff,
            territory["rural_district"],
            {
                "from": CyclePhase.PLANNED,
                "to": CyclePhase.PROPOSALS_OPEN,
                "since": (yesterday - 30 * DAY).isoformat(),
            },
        ),
        (
            None,
            territory["rural_district"],
            {
                "from": CyclePhase.PROPOSALS_OPEN,
                "to": CyclePhase.REVIEW,
                "since": today.isoformat(),
            },
        ),
    ]
    assert list(
        Notification.objects.filter(recipient=staff)
        .order_by("pk")
        .values_list("kind", "context")
    ) == [
        ("cycle_phase_changed", {"year": fiscal_year, "phase": "proposals_open"}),
        ("cycle_phase_changed", {"year": fiscal_year, "phase": "review"}),
    ]
