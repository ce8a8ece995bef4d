"""The one rule for an amount of money, used by drafts, proposals and the execution: tenge
with at most two places of tiyn and at most 14 digits of tenge (what a MONEY field holds,
by Django's DecimalValidator), a Decimal or a whole number, never a float (whose binary
rounding would change the amount). Whether a negative amount may be is the caller's
domain: a correction's difference may be, a line or a cost may not. Each caller says
what is wrong in its own words and code."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator

from budgets.models import MONEY

MONEY_VALIDATOR = DecimalValidator(MONEY["max_digits"], MONEY["decimal_places"])


class AmountProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"  # not a Decimal nor a whole number
    NEGATIVE = "negative"
    # Not finite, more than 14 digits of tenge or more than two of tiyn.
    NOT_TENGE_AND_TIYN = "not_tenge_and_tiyn"


def amount_problem(value, *, may_be_negative: bool = False) -> AmountProblem | None:
    """What is wrong with `value` as an amount of tenge, or None; never raises, whatever
    the value (1E+30, NaN, a string)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return AmountProblem.NOT_A_NUMBER
    value = Decimal(value)
    if not value.is_finite():
        return AmountProblem.NOT_TENGE_AND_TIYN
    if value < 0 and not may_be_negative:
        return AmountProblem.NEGATIVE
    try:
        # Trailing zeros are no precision: 1.500 is 1.50.
        MONEY_VALIDATOR(value.normalize())
    except ValidationError:
        return AmountProblem.NOT_TENGE_AND_TIYN
    return None
