"""Kazakhstan's working-day calendar, for deadlines counted in working days.

A day is a working day unless it is a Saturday or a Sunday, a public holiday or a day off
moved by the government, as the `holidays` package knows them; a weekend day the
government makes a working day is one. An administrator's `CalendarDay` for a date
overrides the package, for the years the package does not know yet.

Each function reads the administrator's days for the dates it needs in one query, fresh on
every call; the package's calendar of a year is computed once per process.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays

from portal.models import CalendarDay, CalendarDayKind

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class _PackageYear:
    days_off: frozenset[datetime.date]
    # Saturdays and Sundays made working days, in exchange for a day off.
    weekend_workdays: frozenset[datetime.date]


@lru_cache(maxsize=32)
def _package_year(year: int) -> _PackageYear:
    calendar = holidays.country_holidays("KZ", years=year)
    return _PackageYear(
        days_off=frozenset(calendar),
        weekend_workdays=frozenset(calendar.weekend_workdays),
    )


@dataclass(frozen=True)
class _Calendar:
    """The working days from `first` to `last`, with what an administrator said of them."""

    first: datetime.date
    last: datetime.date
    days_off: frozenset[datetime.date]
    weekend_workdays: frozenset[datetime.date]
    overrides: dict[datetime.date, str]

    @classmethod
    def load(cls, first: datetime.date, last: datetime.date) -> _Calendar:
        # A working Saturday is listed with the year of the day off it pays for, which
        # may be the next year's (28 December 2013 for 3 January 2014) or the last one's.
        years = [_package_year(y) for y in range(first.year - 1, last.year + 2)]
        overrides = dict(
            CalendarDay.objects.filter(date__range=(first, last)).values_list(
                "date", "kind"
            )
        )
        return cls(
            first=first,
            last=last,
            days_off=frozenset().union(*(year.days_off for year in years)),
            weekend_workdays=frozenset().union(
                *(year.weekend_workdays for year in years)
            ),
            overrides=overrides,
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if not self.first <= day <= self.last:
            raise ValueError("The day is outside the loaded calendar.")
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == CalendarDayKind.WORKING_DAY
        if day in self.days_off:
            return False
        if day.weekday() >= 5:
            return day in self.weekend_workdays
        return True


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day in Kazakhstan; one query."""
    return _Calendar.load(day, day).is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start`; `start` itself is not counted.

    `add_working_days(start, 0)` is `start`, whether or not it is a working day. With
    `days` of 1, a Friday gives the next Monday (if Monday is a working day). `days` must
    not be negative. Costs one query, or one more per further month or so of days off.
    """
    if days < 0:
        raise ValueError("The number of working days must not be negative.")
    day = start
    remaining = days
    while remaining:
        # Some five working days a week and a few holidays: twice the days and three
        # weeks more reach the end in one query unless an administrator closed a season.
        calendar = _Calendar.load(day + ONE_DAY, day + (2 * remaining + 21) * ONE_DAY)
        while remaining and day < calendar.last:
            day += ONE_DAY
            if calendar.is_working_day(day):
                remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days after `start` up to and including `end`.

    0 if `end` is not after `start`; `working_days_between(start, add_working_days(start,
    n)) == n` for every `n >= 0`. Costs one query, none if `end` is not after `start`.
    """
    if end <= start:
        return 0
    calendar = _Calendar.load(start + ONE_DAY, end)
    days = (end - start).days
    return sum(
        calendar.is_working_day(start + offset * ONE_DAY)
        for offset in range(1, days + 1)
    )
