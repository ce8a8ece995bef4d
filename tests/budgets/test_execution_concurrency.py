"""The akimat's execution reports at the same moment on PostgreSQL: a line-quarter is
reported once whoever sends it, corrections sent together each take their difference from
the total the one before left, and a quarter's reports land whole or not at all."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
import time_machine

from budgets import execution
from budgets.models import BudgetLine, ExecutionEntry
from portal.models import AuditEvent
from tests.budgets.conftest import at
from tests.concurrency import at_once, postgresql_required

postgresql = postgresql_required("reports at once need PostgreSQL's row locks")

D = Decimal
REPORTED_ON = at(2027, 7, 10)


def line_of(draft, code: str) -> BudgetLine:
    return draft.lines.select_related("classification", "draft__cycle__unit").get(
        classification__code=code
    )


def entries_of(line) -> list[tuple]:
    return list(
        ExecutionEntry.objects.filter(line=line)
        .order_by("pk")
        .values_list("quarter", "amount", "corrects_id")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_line_quarter_sent_by_ten_at_once_is_reported_once(
    postgresql, adopted, staff, akim
):
    # Given the second quarter of the lighting not yet reported
    lighting = line_of(adopted, "124 008")

    # When the staff and the akim send its report ten times at the same moment
    def send(actor, amount):
        return lambda: (
            execution.execution_record(
                line=lighting, quarter=2, amount=amount, note="", actor=actor
            ).amount
        )

    with time_machine.travel(REPORTED_ON, tick=False):
        sent = [send(staff if n % 2 else akim, D(1_000_000 + n)) for n in range(10)]
        recorded, refusals, errors = at_once(sent)

    # Then exactly one of them is recorded and the nine others are refused as such
    assert errors == []
    assert len(recorded) == 1
    assert refusals == ["execution_already_reported"] * 9
    assert entries_of(lighting) == [(2, recorded[0], None)]
    assert AuditEvent.objects.filter(verb="execution.recorded").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_corrections_sent_together_each_start_from_the_total_the_last_one_left(
    postgresql, adopted, staff
):
    # Given the second quarter of the subventions reported at 10,000,000
    subventions = line_of(adopted, "4 02 3 03")
    with time_machine.travel(REPORTED_ON, tick=False):
        first = execution.execution_record(
            line=subventions, quarter=2, amount=D(10_000_000), note="", actor=staff
        )

        # When twelve corrections to twelve different totals, none of them the total
        # reported, are sent at once, each naming the first report (a total equal to
        # the one in force is refused as unchanged, whichever moment it arrives at)
        totals = [D(8_000_000 + 100_000 * n) for n in range(12)]

        def correct(total):
            return lambda: execution.execution_correct(
                entry=first, new_total=total, reason="Сверка", actor=staff
            )

        corrections, refusals, errors = at_once([correct(total) for total in totals])

    # Then every correction is recorded, one after the other under the line's lock:
    # each one's "from" is the total the previous one set, so the differences add up
    assert errors == []
    assert refusals == []
    assert len(corrections) == 12
    events = [
        event.details
        for event in AuditEvent.objects.filter(verb="execution.corrected").order_by(
            "pk"
        )
    ]
    assert D(events[0]["from"]) == D(10_000_000)
    for before, after in itertools.pairwise(events):
        assert D(after["from"]) == D(before["to"])
    assert {D(event["to"]) for event in events} == set(totals)
    # and the quarter's total is the total the last one to commit stated
    final = D(events[-1]["to"])
    assert execution.line_quarter_total(subventions, 2) == final
    assert sum(amount for _q, amount, _c in entries_of(subventions)) == final


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_corrections_down_to_zero_at_once_never_leave_a_negative_total(
    postgresql, adopted, staff
):
    # Given a quarter reported at 300,000
    culture = line_of(adopted, "124 006")
    with time_machine.travel(REPORTED_ON, tick=False):
        first = execution.execution_record(
            line=culture, quarter=1, amount=D(300_000), note="", actor=staff
        )

        # When eight corrections to zero are sent at once
        corrections, refusals, errors = at_once(
            [
                lambda: execution.execution_correct(
                    entry=first, new_total=D(0), reason="Қате есеп", actor=staff
                )
            ]
            * 8
        )

    # Then one brings the total to zero and the others find nothing to correct
    assert errors == []
    assert len(corrections) == 1
    assert refusals == ["execution_correction_unchanged"] * 7
    assert entries_of(culture) == [
        (1, D("300000.00"), None),
        (1, D("-300000.00"), first.pk),
    ]
    assert execution.line_quarter_total(culture, 1) == D(0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_quarter_reports_at_once_land_whole_or_not_at_all(
    postgresql, adopted, staff, akim
):
    # Given three lines of the adopted budget, none reported for the first quarter
    codes = ["124 006", "124 008", "124 013"]
    lines = [line_of(adopted, code) for code in codes]

    # When the staff and the akim each send the quarter's reports of all three at once,
    # in opposite orders
    def quarter(actor, ordered, amount):
        return lambda: execution.execution_record_quarter(
            cycle=adopted.cycle,
            quarter=1,
            reports=[
                execution.ReportInput(line=line, amount=D(amount)) for line in ordered
            ],
            actor=actor,
        )

    with time_machine.travel(REPORTED_ON, tick=False):
        recorded, refusals, errors = at_once(
            [quarter(staff, lines, 100), quarter(akim, lines[::-1], 200)]
        )

    # Then one quarter report is recorded whole, the other is refused and left nothing
    assert errors == []
    assert len(recorded) == 1
    assert refusals == ["execution_already_reported"]
    (amount,) = {entry.amount for entry in recorded[0]}
    assert sorted(
        ExecutionEntry.objects.values_list("line__classification__code", "amount")
    ) == [(code, amount) for code in codes]
