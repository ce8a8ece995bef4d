"""Every change of the execution of an adopted budget: quarterly reports and corrections.

The akimat reports, for each line of the adopted draft and each quarter of the fiscal year,
the amount received or spent, once; a later change is a correction, a new entry carrying the
signed difference to the total the staff state, so that a line-quarter total is always the
sum of its entries and nothing is ever edited or erased.

When: from the start of the execution phase, for a quarter that has begun, until the books
of the year close on the last day of February of the following year. The grace period after
the cycle closes on 31 December lets the akimat report the fourth quarter, whose figures are
known only in January, and correct the year before its annual report; from 1 March the
execution of that year is final.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from budgets import locks
from budgets.codes import AuditVerb, ErrorCode
from budgets.lifecycle import CycleState
from budgets.models import (
    QUARTERS,
    ZERO,
    BudgetCycle,
    BudgetLine,
    CyclePhase,
    DraftStatus,
    ExecutionEntry,
)
from budgets.money import AmountProblem, amount_problem
from budgets.selectors import cycle_state
from portal.errors import DomainError
from portal.formats import day_text
from portal.services import audit_event_record, create_or_refuse

NOTE_MAX_LENGTH = 2000


def quarter_starts_on(fiscal_year: int, quarter: int) -> datetime.date:
    return datetime.date(fiscal_year, 3 * quarter - 2, 1)


def quarter_ends_on(fiscal_year: int, quarter: int) -> datetime.date:
    if quarter == QUARTERS[-1]:
        return datetime.date(fiscal_year, 12, 31)
    return quarter_starts_on(fiscal_year, quarter + 1) - datetime.timedelta(days=1)


def books_close_on(cycle: BudgetCycle) -> datetime.date:
    """The first day on which the execution of the cycle's year can no longer change."""
    return datetime.date(cycle.fiscal_year + 1, 3, 1)


def quarters_begun(cycle: BudgetCycle, on: datetime.date) -> list[int]:
    return [q for q in QUARTERS if quarter_starts_on(cycle.fiscal_year, q) <= on]


def quarters_ended(cycle: BudgetCycle, on: datetime.date) -> list[int]:
    return [q for q in QUARTERS if quarter_ends_on(cycle.fiscal_year, q) < on]


def execution_refusal(
    *, cycle: BudgetCycle, state: CycleState, on: datetime.date
) -> DomainError | None:
    """Why the execution of the cycle cannot be recorded or corrected on a day, or None.

    The pages ask before offering the act; the services ask again under the line's lock.
    """
    if state.phase == CyclePhase.EXECUTION:
        return None
    if state.phase == CyclePhase.CLOSED and on < books_close_on(cycle):
        return None
    if state.phase == CyclePhase.ADOPTED:
        starts_on = next(
            phase.starts_on
            for phase in cycle.phases.all()
            if phase.kind == CyclePhase.EXECUTION
        )
        return DomainError(
            ErrorCode.EXECUTION_NOT_STARTED,
            _(
                "The budget is adopted; its execution starts on %(day)s, and is recorded "
                "from then on."
            )
            % {"day": day_text(starts_on)},
        )
    if state.phase == CyclePhase.CLOSED:
        return DomainError(
            ErrorCode.EXECUTION_CLOSED,
            _(
                "The books of %(year)s closed on the last day of February %(next)s: its "
                "execution can no longer change."
            )
            % {"year": cycle.fiscal_year, "next": cycle.fiscal_year + 1},
        )
    return DomainError(
        ErrorCode.BUDGET_NOT_ADOPTED,
        _(
            "The budget is not adopted yet: its execution is recorded once the maslikhat "
            "has approved it."
        ),
    )


def _check_open(line: BudgetLine, quarter: int) -> None:
    """The line is of the adopted draft, the execution is open and the quarter has begun."""
    code = line.classification.code
    if line.draft.status != DraftStatus.APPROVED:
        raise DomainError(
            ErrorCode.LINE_NOT_ADOPTED,
            _(
                "Line %(code)s is not a line of the adopted budget: only the adopted "
                "budget is executed."
            )
            % {"code": code},
        )
    cycle = line.draft.cycle
    today = timezone.localdate()
    refusal = execution_refusal(
        cycle=cycle, state=cycle_state(cycle, fresh=True), on=today
    )
    if refusal is not None:
        raise refusal
    if quarter not in QUARTERS:
        raise DomainError(
            ErrorCode.EXECUTION_QUARTER_INVALID, _("A quarter is 1, 2, 3 or 4.")
        )
    starts_on = quarter_starts_on(cycle.fiscal_year, quarter)
    if today < starts_on:
        raise DomainError(
            ErrorCode.EXECUTION_QUARTER_NOT_BEGUN,
            _("Quarter %(quarter)s begins on %(day)s: it cannot be reported before.")
            % {"quarter": quarter, "day": day_text(starts_on)},
        )


def _amount(value, *, code: str) -> Decimal:
    """A Decimal (or whole int) of tenge and at most two places of tiyn; never a float,
    whose binary rounding would change the amount. The sign is the caller's to judge."""
    problem = amount_problem(value, may_be_negative=True)
    if problem == AmountProblem.NOT_A_NUMBER:
        raise DomainError(
            ErrorCode.AMOUNT_INVALID,
            _("Line %(code)s: write the amount in tenge, a number.") % {"code": code},
        )
    if problem is not None:
        raise DomainError(
            ErrorCode.AMOUNT_INVALID,
            _(
                "Line %(code)s: an amount is whole tenge or tenge and tiyn, with at most "
                "two decimal places."
            )
            % {"code": code},
        )
    return Decimal(value)


def _check_note(note: str, *, code: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            ErrorCode.EXECUTION_NOTE_TOO_LONG,
            _("Line %(code)s: a note is at most 2000 characters.") % {"code": code},
        )
    return note


def _details(line: BudgetLine, quarter: int) -> dict:
    return {
        "version": line.draft.version,
        "line": line.classification.code,
        "kind": line.classification.kind,
        "quarter": quarter,
    }


@transaction.atomic
def execution_record(
    *, line: BudgetLine, quarter: int, amount: Decimal, note: str, actor: User
) -> ExecutionEntry:
    """The akimat's report of what a line received or spent in a quarter: once per line
    and quarter; a later change is a correction."""
    line = locks.line_lock(line)
    _check_open(line, quarter)
    code = line.classification.code
    amount = _amount(amount, code=code)
    if amount < 0:
        raise DomainError(
            ErrorCode.EXECUTION_AMOUNT_NEGATIVE,
            _("Line %(code)s: an amount received or spent cannot be negative.")
            % {"code": code},
        )
    note = _check_note(note, code=code)
    entry = create_or_refuse(
        ExecutionEntry,
        DomainError(
            ErrorCode.EXECUTION_ALREADY_REPORTED,
            _(
                "Line %(code)s is already reported for quarter %(quarter)s: correct the "
                "report instead."
            )
            % {"code": code, "quarter": quarter},
        ),
        line=line,
        quarter=quarter,
        amount=amount,
        note=note,
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.EXECUTION_RECORDED,
        target=entry,
        unit=line.draft.cycle.unit,
        details={**_details(line, quarter), "amount": str(amount)},
    )
    return entry


@dataclass(frozen=True)
class ReportInput:
    line: BudgetLine
    amount: Decimal
    note: str = ""


@transaction.atomic
def execution_record_quarter(
    *,
    cycle: BudgetCycle,
    quarter: int,
    reports: Sequence[ReportInput],
    actor: User,
) -> list[ExecutionEntry]:
    """A quarter's reports of several lines at once: all of them, or none when one is
    refused. Lines are locked in primary key order, so that two such acts never deadlock."""
    if not reports:
        raise DomainError(
            ErrorCode.EXECUTION_NOTHING_REPORTED,
            _("Write the amount of at least one line."),
        )
    entries = []
    for report in sorted(reports, key=lambda report: report.line.pk):
        if report.line.draft.cycle_id != cycle.pk:
            raise DomainError(
                ErrorCode.LINE_NOT_ADOPTED,
                _("This line is not a line of this budget."),
            )
        entries.append(
            execution_record(
                line=report.line,
                quarter=quarter,
                amount=report.amount,
                note=report.note,
                actor=actor,
            )
        )
    return entries


def line_quarter_total(line: BudgetLine, quarter: int) -> Decimal:
    # Summed here rather than by the database: SQLite sums decimals as floats.
    return sum(
        ExecutionEntry.objects.filter(line=line, quarter=quarter).values_list(
            "amount", flat=True
        ),
        ZERO,
    )


@transaction.atomic
def execution_correct(
    *, entry: ExecutionEntry, new_total: Decimal, reason: str, actor: User
) -> ExecutionEntry:
    """Correct a line-quarter: the staff state its right total, with a public reason; the
    difference to the present total is written as a new entry that corrects `entry`."""
    line = locks.line_lock(entry.line)
    entry = ExecutionEntry.objects.get(pk=entry.pk)
    _check_open(line, entry.quarter)
    code = line.classification.code
    new_total = _amount(new_total, code=code)
    if new_total < 0:
        raise DomainError(
            ErrorCode.EXECUTION_TOTAL_NEGATIVE,
            _(
                "Line %(code)s: the total of a quarter cannot be negative; nothing is "
                "received or spent below zero."
            )
            % {"code": code},
        )
    reason = reason.strip()
    if not reason:
        raise DomainError(
            ErrorCode.EXECUTION_REASON_REQUIRED,
            _("Give the public the reason for the correction."),
        )
    reason = _check_note(reason, code=code)
    current = line_quarter_total(line, entry.quarter)
    difference = new_total - current
    if not difference:
        raise DomainError(
            ErrorCode.EXECUTION_CORRECTION_UNCHANGED,
            _(
                "Line %(code)s already totals %(total)s ₸ for quarter %(quarter)s: "
                "nothing to correct."
            )
            % {"code": code, "total": current, "quarter": entry.quarter},
        )
    correction = ExecutionEntry.objects.create(
        line=line,
        quarter=entry.quarter,
        amount=difference,
        note=reason,
        corrects=entry,
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.EXECUTION_CORRECTED,
        target=correction,
        unit=line.draft.cycle.unit,
        details={
            **_details(line, entry.quarter),
            "corrects": entry.pk,
            "from": str(current),
            "to": str(new_total),
            "difference": str(difference),
            "reason": reason,
        },
    )
    return correction
