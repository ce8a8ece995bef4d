"""One rule for an amount of money (budgets.money), used by drafts, the execution and
proposals: whatever a service is called with, a bad amount is refused with the domain's
code and nothing changes; never a 500."""

from dataclasses import replace
from decimal import Decimal

import pytest
import time_machine

from budgets import execution, services
from budgets.models import BudgetLine, DraftBudget, ExecutionEntry
from budgets.money import AmountProblem, amount_problem
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import lines
from tests.refusals import refused

D = Decimal
HUGE = D("1E+30")


@pytest.mark.parametrize(
    ("value", "may_be_negative", "problem"),
    [
        (D("2400000"), False, None),
        (D("2400000.50"), False, None),
        (D("1.500"), False, None),  # trailing zeros are no precision
        (2400000, False, None),
        (D("0"), False, None),
        (D("99999999999999.99"), False, None),  # 14 digits of tenge, 2 of tiyn
        (D("100000000000000"), False, AmountProblem.NOT_TENGE_AND_TIYN),
        (HUGE, False, AmountProblem.NOT_TENGE_AND_TIYN),
        (-HUGE, True, AmountProblem.NOT_TENGE_AND_TIYN),
        (D("1.005"), False, AmountProblem.NOT_TENGE_AND_TIYN),
        (D("NaN"), False, AmountProblem.NOT_TENGE_AND_TIYN),
        (D("Infinity"), True, AmountProblem.NOT_TENGE_AND_TIYN),
        (D("-1"), False, AmountProblem.NEGATIVE),
        (D("-1"), True, None),
        (1.5, False, AmountProblem.NOT_A_NUMBER),
        (True, False, AmountProblem.NOT_A_NUMBER),
        ("12", False, AmountProblem.NOT_A_NUMBER),
        (None, False, AmountProblem.NOT_A_NUMBER),
    ],
)
def test_an_amount_is_tenge_and_tiyn_within_what_the_database_holds(
    value, may_be_negative, problem
):
    assert amount_problem(value, may_be_negative=may_be_negative) == problem


@pytest.mark.parametrize("amount", [HUGE, D("NaN"), D("100000000000000"), D("-5")])
def test_a_draft_line_of_an_impossible_amount_is_refused_and_nothing_changes(
    draft, staff, amount
):
    revenue, spending = lines({"TR1": "1000"}, {"E1": "1000"})
    with (
        time_machine.travel(DAY_IN["drafting"], tick=False),
        refused("amount_invalid", DraftBudget, BudgetLine),
    ):
        services.draft_update(
            draft=draft,
            lines=[revenue, replace(spending, amount=amount)],
            cash_balance_used=D("0"),
            note="",
            actor=staff,
        )


@pytest.mark.parametrize("amount", [HUGE, -HUGE, D("NaN")])
def test_an_execution_report_of_an_impossible_amount_is_refused_and_nothing_changes(
    adopted, staff, amount
):
    line = adopted.lines.order_by("pk").first()
    with (
        time_machine.travel(at(2027, 4, 10), tick=False),
        refused("amount_invalid", ExecutionEntry),
    ):
        execution.execution_record(
            line=line, quarter=1, amount=amount, note="", actor=staff
        )
