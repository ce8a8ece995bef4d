"""How the portal writes a day and a moment, one way per language: '4 желтоқсан 2026',
'4 декабря 2026', '4 December 2026' (Django's format modules for each language below)."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language


def _written(value: datetime.date, format_name: str) -> str:
    text = formats.date_format(value, format_name)
    # Django's Kazakh catalogue capitalises the month; Kazakh writes it in lower case,
    # and a date has no other letters.
    return text.lower() if get_language() == "kk" else text


def day_text(value: datetime.date | datetime.datetime) -> str:
    """The day (of a moment, in Kazakhstan's time) as the language writes it."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return _written(value, "DATE_FORMAT")


def moment_text(value: datetime.datetime) -> str:
    """A moment in Kazakhstan's time as the language writes it, to the minute."""
    return _written(timezone.localtime(value), "DATETIME_FORMAT")
