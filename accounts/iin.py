"""The individual identification number (IIN): its rules, its validator and its keyed hash.

An IIN is twelve digits: the date of birth as YYMMDD, a digit for the century and sex (1-2 for
the 19th century, 3-4 for the 20th, 5-6 for the 21st; odd for men, even for women), four serial
digits and a check digit. The check digit is the weighted sum of the first eleven digits modulo
11 with weights 1..11; if that gives 10, a second pass with weights 3..11, 1, 2; if that gives
10 again, no valid IIN has these eleven digits.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_PASS_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_PASS_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def check_digit(first_eleven: str) -> int | None:
    """The check digit of eleven digits, or None when both passes give 10."""
    digits = [int(char) for char in first_eleven]
    for weights in (FIRST_PASS_WEIGHTS, SECOND_PASS_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def birth_date(iin: str) -> datetime.date:
    """The date of birth an IIN encodes; ValueError when the date does not exist."""
    century = CENTURY_BY_DIGIT[int(iin[6])]
    return datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))


def validate_iin(value: str) -> None:
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("An IIN is exactly 12 digits."), code="iin_not_twelve_digits"
        )
    if int(value[6]) not in CENTURY_BY_DIGIT:
        raise ValidationError(
            _("The seventh digit of an IIN (century and sex) must be from 1 to 6."),
            code="iin_century_digit",
        )
    try:
        born = birth_date(value)
    except ValueError:
        raise ValidationError(
            _("The first six digits of this IIN are not a real date of birth."),
            code="iin_birth_date",
        ) from None
    if born > timezone.localdate():
        raise ValidationError(
            _("The date of birth in this IIN is in the future."),
            code="iin_birth_date_future",
        )
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(
            _("This IIN's check digit is wrong: please check the number for a typo."),
            code="iin_check_digit",
        )


def normalize_iin(value: str) -> str:
    """What a person typed, without the spaces and dashes they may have put in."""
    return "".join(char for char in value if char not in " -\u00a0\t")


def iin_digest(iin: str) -> str:
    """A keyed hash of the IIN: enough to keep it unique, never enough to read it back."""
    key = settings.IIN_HASH_KEY.encode()
    return hmac.new(key, iin.encode(), hashlib.sha256).hexdigest()


def age_on(born: datetime.date, day: datetime.date) -> int:
    """A person's age in whole years on a day (one born on 29 February turns a year
    older on 1 March in a common year)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def born_by(day: datetime.date, age: int) -> datetime.date:
    """The latest date of birth of a person `age` or older on `day` (`age_on` agrees:
    one born on 29 February comes of age on 1 March in a common year)."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 29 February
        return day.replace(year=day.year - age, day=28)


def masked_iin(last4: str) -> str:
    """The IIN as the portal shows it: its last four digits behind dots."""
    return f"••••••••{last4}" if last4 else ""


def kept_iin(iin: str) -> dict:
    """What the portal keeps of a valid IIN: its keyed hash, its last four digits and the
    date of birth it encodes (the fields of accounts.models.KeptIin)."""
    return {
        "iin_digest": iin_digest(iin),
        "iin_last4": iin[-4:],
        "birth_date": birth_date(iin),
    }
