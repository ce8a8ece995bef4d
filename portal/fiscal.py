"""The fiscal calendar: a fiscal year is the calendar year, in Kazakhstan's time."""

from django.utils import timezone


def current_fiscal_year() -> int:
    return timezone.localdate().year
