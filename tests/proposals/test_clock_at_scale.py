"""The clock of proposals at scale: the review's start, the reminder and the escalation in
the same statements for 3 proposals or 30, for one cycle or many; and the start telling
each author and follower as they chose."""

import datetime
from unittest.mock import patch

import pytest
import time_machine
from django.db import connection

from portal.models import AuditEvent, Notification, NotificationPreference
from proposals import services
from proposals.models import ProposalFollower, Review
from tests.accounts.factories import ResidencyFactory, make_iin
from tests.proposals.conftest import at, make_submitted, start_review
from tests.proposals.test_clock import (
    DEADLINE,
    FIRST_REMINDER_DAY,
    D,
    day_start,
    notices,
    open_cycle,
    submitted_on,
)


def submitted_proposals(cycle, function, count: int) -> list:
    """`count` submitted proposals, by as many residents (their IINs ten serials apart,
    so that no two meet when a serial's check digit is skipped)."""
    return [
        make_submitted(
            cycle,
            ResidencyFactory(
                place=cycle.unit,
                budget_unit=cycle.unit,
                user__iin=make_iin(5000 + 10 * index),
            ).user,
            function,
            title=f"Proposal {index}",
        )
        for index in range(count)
    ]


# The due phases; then for all their cycles at once: savepoint, the proposals locked;
# for each day the proposals closed on (one on the national day) the calendar's days, and
# an INSERT … SELECT each of the reviews, the events, the authors' and the followers'
# notices, and the units whose pages are drawn again; the statuses, release. The same for
# 3 proposals and for 30.
START_QUERIES = 11
PER_CLOSING_DAY = 6


@pytest.mark.parametrize("size", [3, 30])
def test_the_review_starts_in_a_fixed_number_of_queries(
    cycle, function, django_assert_num_queries, size
):
    # Given `size` submitted proposals
    submitted_proposals(cycle, function, size)
    # (the database's own checks, made once per connection, before counting)
    assert connection.features.has_json_object_function

    # When the job runs on 1 May
    with (
        time_machine.travel(at(2026, 5, 1, hour=1), tick=False),
        django_assert_num_queries(START_QUERIES),
    ):
        started = services.reviews_start()

    # Then every one is under review, each told
    assert started == size
    assert Review.objects.filter(deadline=DEADLINE).count() == size
    assert len(notices("proposal_status_changed")) == size


def test_the_reviews_of_many_cycles_start_in_the_queries_of_one(
    territory, cycle, staff, function, django_assert_num_queries
):
    # Given the cycle closing on 30 April, another closing on 30 April and a third on
    # 20 March, two submitted proposals in each
    def opened(unit, end, review_end):
        return open_cycle(
            unit,
            staff,
            fiscal_year=2027,
            proposals=(D(2026, 2, 1), end),
            review=(end + datetime.timedelta(days=1), review_end),
            drafting=(review_end + datetime.timedelta(days=1), D(2026, 9, 30)),
        )

    march = opened(territory["other_rural_district"], D(2026, 3, 20), D(2026, 4, 30))
    april = opened(territory["village_administration"], D(2026, 4, 30), D(2026, 5, 31))
    cycles = [cycle, april, march]
    for index, each in enumerate(cycles):
        for n in range(2):
            author = ResidencyFactory(
                place=each.unit,
                budget_unit=each.unit,
                user__iin=make_iin(7000 + 10 * (2 * index + n)),
            ).user
            submitted_on(each, author, function, D(2026, 3, 2), title=f"P{index}{n}")

    assert connection.features.has_json_object_function
    # When the job runs on 1 May: the statements of one cycle, and those of the second
    # closing day
    with (
        time_machine.travel(at(2026, 5, 1, hour=1), tick=False),
        django_assert_num_queries(START_QUERIES + PER_CLOSING_DAY),
    ):
        started = services.reviews_start()

    # Then every proposal is under review, each with its cycle's deadline
    assert started == 6
    deadlines = {
        each.pk: set(
            Review.objects.filter(proposal__cycle=each).values_list(
                "deadline", flat=True
            )
        )
        for each in cycles
    }
    assert deadlines == {
        cycle.pk: {DEADLINE},
        april.pk: {DEADLINE},
        march.pk: {D(2026, 4, 15)},
    }
    assert len(notices("proposal_status_changed")) == 6


# Both jobs at 3 and at 30 due reviews.

# Savepoint, the calendar's days (the reminder's horizon), the due reviews marked (and so
# locked), the reviewers' notices and the staff's (each an INSERT … SELECT reading the
# preferences), release.
REMIND_QUERIES = 6
# Savepoint, the due reviews locked, the unit's staff, the reviews marked, the events, the
# notification preferences, the notices, release.
ESCALATE_QUERIES = 8


@pytest.mark.parametrize("size", [3, 30])
def test_the_reminder_and_the_escalation_cost_fixed_queries(
    cycle, function, staff, akim, django_assert_num_queries, size
):
    # Given `size` reviews due on 26 May, none assigned
    submitted_proposals(cycle, function, size)
    start_review(cycle, on=at(2026, 5, 1, hour=1))

    # When the reminder runs on 21 May
    with (
        time_machine.travel(day_start(FIRST_REMINDER_DAY), tick=False),
        django_assert_num_queries(REMIND_QUERIES),
    ):
        reminded = services.reviews_remind_due()

    # And the escalation on 27 May
    with (
        time_machine.travel(day_start(D(2026, 5, 27)), tick=False),
        django_assert_num_queries(ESCALATE_QUERIES),
    ):
        escalated = services.reviews_escalate_due()

    # Then every review was reminded, the staff and the akim each told once of all of
    # them, and each review escalated to the akim
    assert (reminded, escalated) == (size, size)
    assert notices("review_due_soon") == [
        (person.pk, {"count": size, "deadline": "2026-05-26"}, {"kato_code": code})
        for person in sorted([staff, akim], key=lambda person: person.pk)
        for code in [cycle.unit.kato_code]
    ]
    assert len(notices("review_overdue")) == size
    assert AuditEvent.objects.filter(verb="review.overdue").count() == size

    # And runs with nothing to do cost a few queries
    with (
        time_machine.travel(day_start(D(2026, 5, 28)), tick=False),
        django_assert_num_queries(3),  # savepoint, the due reviews, release
    ):
        assert services.reviews_escalate_due() == 0


def test_each_person_is_reminded_once_per_unit_and_deadline(
    cycle, function, staff, akim
):
    # Given four reviews: two due on 26 May and one on 25 May, none assigned, and one
    # due on 26 May whose reviewer is the staff member
    proposals = submitted_proposals(cycle, function, 4)
    start_review(cycle, on=at(2026, 5, 1, hour=1))
    Review.objects.filter(proposal=proposals[0]).update(deadline=D(2026, 5, 25))
    Review.objects.filter(proposal=proposals[3]).update(reviewer=staff)

    # When the reminder runs on 21 May (both deadlines within three working days)
    with time_machine.travel(day_start(FIRST_REMINDER_DAY), tick=False):
        assert services.reviews_remind_due() == 4

    # Then the reviewer is told of their one review; the unit's staff, the akim among
    # them, of the unassigned ones by deadline: one notice each per deadline
    code = {"kato_code": cycle.unit.kato_code}
    told = sorted(
        (recipient, context["deadline"], context["count"])
        for recipient, context, url_kwargs in notices("review_due_soon")
        if url_kwargs == code
    )
    assert told == sorted(
        [(staff.pk, "2026-05-26", 1)]
        + [
            (person.pk, deadline, count)
            for person in (staff, akim)
            for deadline, count in (("2026-05-25", 1), ("2026-05-26", 2))
        ]
    )
    assert len(notices("review_due_soon")) == 5


def test_the_start_tells_authors_and_followers_as_each_chose(
    cycle, resident, neighbour, function, django_capture_on_commit_callbacks
):
    # Given a proposal whose author wants notices in the site only, followed by its
    # author, by a neighbour who wants none, and by a third who wants both and by an
    # account since closed; and a second proposal with no follower
    first = make_submitted(cycle, resident, function, title="Street lights")
    second = make_submitted(cycle, neighbour, function, title="A playground")
    reader = ResidencyFactory(place=cycle.unit, budget_unit=cycle.unit).user
    closed = ResidencyFactory(place=cycle.unit, budget_unit=cycle.unit).user
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    for follower in (resident, neighbour, reader, closed):
        ProposalFollower.objects.get_or_create(proposal=first, user=follower)
    NotificationPreference.objects.create(
        user=resident, kind="proposal_status_changed", in_app=True, by_email=False
    )
    NotificationPreference.objects.create(
        user=neighbour, kind="proposal_status_changed", in_app=False, by_email=False
    )
    before = Notification.objects.count()

    # When the review starts
    with (
        patch("portal.tasks.notifications_deliver.delay") as deliver,
        time_machine.travel(at(2026, 5, 1, hour=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.reviews_start() == 2

    # Then the author of the first is told in the site only, the neighbour (the second's
    # author, a follower of the first) not at all, the reader both ways, the closed
    # account never; and only the e-mailed notice is queued
    told = list(
        Notification.objects.filter(pk__gt=0)
        .order_by("pk")
        .values_list("recipient_id", "url_kwargs", "in_app", "by_email")
    )[before:]
    assert sorted(told) == sorted(
        [
            (resident.pk, {"pk": first.pk}, True, False),
            (reader.pk, {"pk": first.pk}, True, True),
        ]
    )
    emailed = Notification.objects.get(recipient=reader, kind="proposal_status_changed")
    assert [call.args[0] for call in deliver.call_args_list] == [[emailed.pk]]
    assert second.pk not in [kwargs["pk"] for _r, kwargs, _i, _e in told]


def test_the_statuses_change_in_place_without_touching_an_index(cycle, function):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's heap-only tuples")
    # Given 30 submitted proposals (written to pages that keep half of them free)
    submitted_proposals(cycle, function, 30)
    before = proposal_updates()

    # When their reviews start, every status changes
    with time_machine.travel(at(2026, 5, 1, hour=1), tick=False):
        assert services.reviews_start() == 30

    # and each is written beside the old row on its page, no index entry added: the
    # search's, whose entries are computed from the text, took 13 of the 17.6 s this
    # UPDATE took on the national day before (migration 0006)
    updated, in_place = (
        after - then for after, then in zip(proposal_updates(), before, strict=True)
    )
    assert updated == in_place == 30
    assert half_free("proposals_proposal")


def test_the_reminders_are_marked_in_place(cycle, function):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's heap-only tuples")
    # Given 30 reviews started, their deadline in three working days
    submitted_proposals(cycle, function, 30)
    with time_machine.travel(at(2026, 5, 1, hour=1), tick=False):
        services.reviews_start()
    before = proposal_updates("proposals_review")

    # When the reminder marks them, each row is changed in place (migration 0007)
    with time_machine.travel(day_start(FIRST_REMINDER_DAY), tick=False):
        assert services.reviews_remind_due() == 30
    updated, in_place = (
        after - then
        for after, then in zip(
            proposal_updates("proposals_review"), before, strict=True
        )
    )
    assert updated == in_place == 30
    # (30 rows fit a page whatever its fill: the national day fills them, and the
    # table keeps half of each free for it)
    assert half_free("proposals_review")


def half_free(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0] == ["fillfactor=50"]


def proposal_updates(table: str = "proposals_proposal") -> tuple[int, int]:
    """The rows of the table this transaction updated, and of them those updated in
    place (heap-only tuples)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated(oid),"
            " pg_stat_get_xact_tuples_hot_updated(oid)"
            " FROM pg_class WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()
