"""One way of writing a date per language, on every page and in every message."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.formats import day_text, moment_text

ALMATY = datetime.timezone(datetime.timedelta(hours=5))

DAYS = [
    ("kk", "4 желтоқсан 2026", "4 желтоқсан 2026, 09:05"),
    ("ru", "4 декабря 2026", "4 декабря 2026, 09:05"),
    ("en", "4 December 2026", "4 December 2026, 09:05"),
]


@pytest.mark.parametrize(("language", "day", "moment"), DAYS)
def test_a_date_is_written_one_way_per_language(language, day, moment):
    # A moment in UTC, shown in Kazakhstan's time
    at = datetime.datetime(2026, 12, 4, 4, 5, tzinfo=datetime.UTC)

    with translation.override(language):
        assert day_text(datetime.date(2026, 12, 4)) == day
        assert day_text(at) == day
        assert moment_text(at) == moment
        assert Template(
            "{% load portal_tags %}{{ d|day }} | {{ m|moment }} | {{ m|day }}"
        ).render(Context({"d": datetime.date(2026, 12, 4), "m": at})) == (
            f"{day} | {moment} | {day}"
        )


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        # Django's Kazakh catalogue capitalises the month: pages write dates with |day
        ("kk", "4 Желтоқсан 2026"),
        ("ru", "4 декабря 2026"),
        ("en", "4 December 2026"),
    ],
)
def test_a_date_without_a_filter_follows_the_same_format(language, shown):
    with translation.override(language):
        text = Template("{{ d }}").render(Context({"d": datetime.date(2026, 12, 4)}))

    assert text == shown


def test_a_moment_for_the_machine_is_to_the_second_with_its_offset():
    # Given a moment with microseconds, as the clock records them, and a day
    moment = datetime.datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=datetime.UTC)

    # When written for <time datetime> in Almaty's time
    with timezone.override("Asia/Almaty"):
        written = Template("{% load portal_tags %}{{ moment|machine_time }}").render(
            Context({"moment": moment})
        )
    day = Template("{% load portal_tags %}{{ day|machine_time }}").render(
        Context({"day": datetime.date(2026, 3, 1)})
    )

    # Then HTML takes them: no six-digit fraction of a second (Django's "c" writes one)
    assert written == "2026-12-04T14:30:15+05:00"
    assert day == "2026-03-01"
