"""Kazakhstan's telephone numbers: read as people write them, kept as +7XXXXXXXXXX, shown
grouped for reading.

Kazakhstan shares the country code 7 with Russia; the ITU gave it the national numbers
that begin with 6 or 7, and every number in use, fixed or mobile, begins with 7 (6 is
held in reserve), so a number that begins otherwise after +7 is not a Kazakh one. No
finer check is made: which ranges operators have opened changes more often than this
portal is released.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# As stored: +7 and the ten digits of the national number, which begins with 7.
NORMALISED = re.compile(r"^\+77[0-9]{9}\Z")
NORMALISED_SQL = r"^\+77[0-9]{9}$"
# What people put between the digits: spaces, dashes, dots and brackets.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()]")

FORMAT_MESSAGE = _(
    "Enter a Kazakhstan telephone number: +7 and ten digits, for example "
    "+7 701 234 56 78 or 8 (71636) 2-14-71."
)
NOT_KAZAKHSTAN_MESSAGE = _(
    "This is not a Kazakhstan number: after +7 (or 8) Kazakhstan's numbers begin with 7."
)


def phone_normalise(value: str) -> str:
    """The number as +7XXXXXXXXXX, from +7…, 8… (the trunk prefix), 7… or the ten digits
    alone; a ValidationError with the reason otherwise."""
    compact = SEPARATORS.sub("", value)
    has_country = compact.startswith("+")
    if has_country:
        if compact[1:2] != "7" and compact[1:2].isdigit():
            # Another country's code.
            raise ValidationError(NOT_KAZAKHSTAN_MESSAGE, code="phone_not_kazakhstan")
        national = compact[2:]
    elif len(compact) == 11 and compact[:1] in ("7", "8"):
        has_country = True
        national = compact[1:]
    else:
        national = compact
    if not (national.isascii() and national.isdigit() and len(national) == 10):
        raise ValidationError(FORMAT_MESSAGE, code="phone_format")
    if national[0] != "7":
        # Ten digits alone that do not begin with 7 are more likely a digit missed.
        raise ValidationError(
            NOT_KAZAKHSTAN_MESSAGE if has_country else FORMAT_MESSAGE,
            code="phone_not_kazakhstan" if has_country else "phone_format",
        )
    return f"+7{national}"


def phone_display(value: str) -> str:
    """+77016345678 as +7 701 634 56 78: the grouping of Kazakhstan's mobile numbers,
    which reads as well for a fixed line's (whose area code is 3 to 5 digits long)."""
    if not NORMALISED.match(value):
        return value
    digits = value[2:]
    return f"+7 {digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"


def phone_masked(value: str) -> str:
    """+77011234545 as +7 701 *** ** 45: enough for its owner to know it, too little
    for anyone else to call it."""
    if not NORMALISED.match(value):
        return value
    digits = value[2:]
    return f"+7 {digits[:3]} *** ** {digits[8:]}"


class KazakhstanPhoneFormField(forms.CharField):
    """A number typed as people write it (up to 30 characters), cleaned to +7XXXXXXXXXX."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return phone_normalise(value)


class KazakhstanPhoneField(models.CharField):
    """A Kazakhstan telephone number, stored normalised (`phone_normalise`) or blank."""

    description = _("Kazakhstan telephone number")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return value
        return phone_normalise(value)

    def get_prep_value(self, value):
        # As written to a query: not cleaned again, so that a lookup never raises a
        # ValidationError; the database's constraint refuses a number not normalised.
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)

    def formfield(self, **kwargs):
        # The form takes the number as typed, with its spaces and brackets.
        return super().formfield(
            **{"form_class": KazakhstanPhoneFormField, "max_length": 30, **kwargs}
        )
