"""Kazakhstan's working days: weekends, holidays, moved days off, an administrator's word."""

import datetime

import pytest
from django.db import IntegrityError

from portal.models import CalendarDay, CalendarDayKind
from portal.workdays import add_working_days, is_working_day, working_days_between


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    "holiday",
    [
        "2025-01-01",  # New Year
        "2025-01-02",
        "2025-01-07",  # Orthodox Christmas
        "2025-03-10",  # Women's Day, a Saturday, observed on Monday
        "2025-03-21",  # Nauryz
        "2025-03-24",  # Nauryz, its Saturday and Sunday observed
        "2025-03-25",
        "2025-05-01",  # Unity Day
        "2025-05-07",  # Defender of the Fatherland Day
        "2025-05-09",  # Victory Day
        "2025-06-06",  # Kurban Ait
        "2025-12-16",  # Independence Day
    ],
)
def test_the_public_holidays_of_2025_are_days_off(db, holiday):
    assert is_working_day(day(holiday)) is False


@pytest.mark.parametrize(
    ("date", "working"),
    [
        ("2025-04-11", True),  # Friday
        ("2025-04-12", False),  # Saturday
        ("2025-04-13", False),  # Sunday
        ("2025-04-14", True),  # Monday
    ],
)
def test_saturdays_and_sundays_are_days_off(db, date, working):
    assert is_working_day(day(date)) is working


def test_in_january_2025_the_friday_off_is_paid_for_by_a_working_sunday(db):
    assert is_working_day(day("2025-01-03")) is False
    assert is_working_day(day("2025-01-05")) is True
    # New Year, the moved day off, Saturday: the first working day of 2025 is a Sunday.
    assert add_working_days(day("2024-12-31"), 1) == day("2025-01-05")
    assert add_working_days(day("2024-12-31"), 2) == day("2025-01-06")
    assert add_working_days(day("2024-12-31"), 3) == day("2025-01-08")


def test_counting_from_the_day_before_nauryz_skips_the_whole_holiday(db):
    # 21 March is a Friday; the Saturday and Sunday of Nauryz move to 24 and 25 March.
    assert add_working_days(day("2025-03-20"), 1) == day("2025-03-26")
    assert working_days_between(day("2025-03-20"), day("2025-03-26")) == 1


def test_fifteen_working_days_from_the_end_of_april_2025_skip_the_may_holidays(db):
    # 1, 7 and 9 May are days off; 2 and 8 May are working days.
    assert add_working_days(day("2025-04-30"), 1) == day("2025-05-02")
    assert add_working_days(day("2025-04-30"), 5) == day("2025-05-12")
    assert add_working_days(day("2025-04-30"), 15) == day("2025-05-26")


def test_kurban_ait_2025_moves_a_deadline_past_the_weekend(db):
    assert add_working_days(day("2025-06-05"), 1) == day("2025-06-09")


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        # 23 weekdays less 1, 2, 3 and 7 January, and the working Sunday 5 January.
        ("2024-12-31", "2025-01-31", 20),
        # 21 weekdays less 10, 21, 24 and 25 March.
        ("2025-02-28", "2025-03-31", 17),
    ],
)
def test_the_working_days_of_a_month(db, start, end, count):
    assert working_days_between(day(start), day(end)) == count


def test_an_administrators_day_off_and_working_day_override_the_package(db):
    # Given a decree for a year the package does not know: Thursday 31 December 2026
    # off, paid for by Saturday 26 December
    CalendarDay.objects.create(
        date=day("2026-12-31"),
        kind=CalendarDayKind.DAY_OFF,
        reason="Moved from Saturday 26 December 2026",
    )
    CalendarDay.objects.create(
        date=day("2026-12-26"),
        kind=CalendarDayKind.WORKING_DAY,
        reason="Pays for Thursday 31 December 2026",
    )

    # Then the calendar follows the administrator
    assert is_working_day(day("2026-12-31")) is False
    assert is_working_day(day("2026-12-26")) is True
    assert add_working_days(day("2026-12-25"), 1) == day("2026-12-26")
    # 31 December off, 1 January, the weekend, 4 January (2 January observed)
    assert add_working_days(day("2026-12-30"), 1) == day("2027-01-05")
    assert working_days_between(day("2026-12-24"), day("2027-01-05")) == 6


def test_an_administrator_may_make_a_holiday_working_and_a_working_sunday_off(db):
    CalendarDay.objects.create(
        date=day("2026-05-07"), kind=CalendarDayKind.WORKING_DAY, reason="Test"
    )
    CalendarDay.objects.create(
        date=day("2025-01-05"), kind=CalendarDayKind.DAY_OFF, reason="Test"
    )

    assert is_working_day(day("2026-05-07")) is True
    assert is_working_day(day("2025-01-05")) is False
    assert add_working_days(day("2024-12-31"), 1) == day("2025-01-06")


def test_without_the_administrators_rows_the_package_decides(db):
    assert add_working_days(day("2026-12-25"), 1) == day("2026-12-28")
    assert add_working_days(day("2026-12-30"), 1) == day("2026-12-31")


def test_one_date_has_one_administrators_word(db):
    CalendarDay.objects.create(
        date=day("2026-12-31"), kind=CalendarDayKind.DAY_OFF, reason="Decree"
    )

    with pytest.raises(IntegrityError):
        CalendarDay.objects.create(
            date=day("2026-12-31"), kind=CalendarDayKind.WORKING_DAY, reason="Other"
        )


def test_zero_working_days_after_a_day_is_the_day_itself_even_a_holiday(db):
    assert add_working_days(day("2025-03-21"), 0) == day("2025-03-21")
    assert add_working_days(day("2025-03-19"), 0) == day("2025-03-19")


def test_a_negative_number_of_working_days_is_refused(db):
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(day("2025-03-19"), -1)


@pytest.mark.parametrize("end", ["2025-03-19", "2025-03-01"])
def test_no_working_days_lie_between_a_day_and_itself_or_an_earlier_day(db, end):
    assert working_days_between(day("2025-03-19"), day(end)) == 0


def test_counting_back_the_working_days_added_gives_their_number(db):
    # Given an administrator's days in the range, besides the package's
    CalendarDay.objects.create(
        date=day("2025-08-29"), kind=CalendarDayKind.DAY_OFF, reason="Test"
    )
    CalendarDay.objects.create(
        date=day("2025-03-22"), kind=CalendarDayKind.WORKING_DAY, reason="Test"
    )
    first = day("2024-12-01")

    for offset in range(0, 430):
        start = first + datetime.timedelta(days=offset)
        for days in (0, 1, 2, 3, 5, 15, 40):
            # When so many working days are added
            end = add_working_days(start, days)

            # Then counting them back gives the number, and the last one is working
            assert working_days_between(start, end) == days, (start, days)
            assert days == 0 or is_working_day(end), (start, days)
            # and the day before it leaves one fewer
            if days:
                before = end - datetime.timedelta(days=1)
                assert working_days_between(start, before) == days - 1, (start, days)


def test_counting_fifteen_working_days_costs_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(day("2025-04-30"), 15) == day("2025-05-26")

    with django_assert_num_queries(1):
        assert working_days_between(day("2025-04-30"), day("2025-05-26")) == 15


def test_a_long_administrators_closure_costs_a_query_more(
    db, django_assert_num_queries
):
    # Given an administrator closed the whole of February 2026
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=day("2026-02-01") + datetime.timedelta(days=offset),
            kind=CalendarDayKind.DAY_OFF,
            reason="Test",
        )
        for offset in range(28)
    )

    # When two working days are counted from the end of January, then
    with django_assert_num_queries(2):
        deadline = add_working_days(day("2026-01-30"), 2)

    assert deadline == day("2026-03-03")
