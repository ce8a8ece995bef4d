"""Ballots at the same moment on PostgreSQL: every present deputy of a 25-seat maslikhat
votes from their own connection at once, some twice; the count is exact and the session
closes once, whoever casts the last ballot."""

from __future__ import annotations

import pytest
import time_machine

from budgets.models import DraftStatus
from maslikhat import services as maslikhat_services
from maslikhat.counting import VoteCount
from maslikhat.models import Ballot, SessionOutcome
from portal.models import AuditEvent, Notification
from tests.concurrency import at_once, postgresql_required
from tests.maslikhat.factories import (
    CLOSES,
    DURING,
    ballots_cast,
    deputies_of,
    session_open,
)

SEATS = 25
# 15 for, 6 against, 4 abstain: 15 of 25 is more than half, the draft passes.
CHOICES = ["for"] * 15 + ["against"] * 6 + ["abstain"] * 4
# Every fifth deputy sends a second, identical ballot at the same moment.
TWICE = slice(None, None, 5)


postgresql = postgresql_required("ballots at once need PostgreSQL's row locks")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_deputy_voting_at_once_is_counted_exactly_and_closes_the_session_once(
    postgresql, submitted, territory, chairman, akim, staff, adoptions
):
    # Given a 25-seat maslikhat, every deputy present in an open session
    maslikhat = [chairman, *deputies_of(territory["district"], SEATS - 1)]
    session = session_open(submitted, chairman)
    votes = list(zip(maslikhat, CHOICES, strict=True))
    twice = votes[TWICE]

    # When every deputy votes at the same moment, five of them twice
    def ballot(deputy, choice):
        return lambda: (
            maslikhat_services.ballot_cast(
                session=session, deputy=deputy, choice=choice
            ).deputy_id
        )

    with time_machine.travel(DURING, tick=False):
        cast, refusals, errors = at_once(
            [ballot(deputy, choice) for deputy, choice in votes + twice]
        )

    # Then every deputy's ballot counts once and each second ballot is refused as such
    assert errors == []
    assert sorted(cast) == sorted(deputy.pk for deputy in maslikhat)
    assert refusals == ["ballot_already_cast"] * len(twice)
    assert sorted(
        Ballot.objects.filter(session=session).values_list("deputy_id", "choice")
    ) == sorted((deputy.pk, choice) for deputy, choice in votes)
    assert maslikhat_services.vote_count(session) == VoteCount(
        total=25, present=25, for_=15, against=6, abstain=4
    )
    assert AuditEvent.objects.filter(verb="ballot.cast").count() == SEATS

    # And the session closed once, at that moment, as passed
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (DURING, SessionOutcome.PASSED)
    assert list(
        AuditEvent.objects.filter(verb="session.closed").values_list(
            "details", flat=True
        )
    ) == [
        {
            "outcome": "passed",
            "total": 25,
            "present": 25,
            "for": 15,
            "against": 6,
            "abstain": 4,
        }
    ]
    # And the draft was approved and adopted once
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.APPROVED
    assert AuditEvent.objects.filter(verb="draft.approved").count() == 1
    assert adoptions == [submitted.pk]
    assert sorted(
        Notification.objects.filter(kind="session_closed").values_list(
            "recipient_id", flat=True
        )
    ) == sorted([akim.pk, staff.pk])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closing_jobs_at_once_close_the_session_once(
    postgresql, submitted, territory, chairman, adoptions
):
    # Given a session where 13 of 25 voted for, at its closing time
    maslikhat = [chairman, *deputies_of(territory["district"], SEATS - 1)]
    session = session_open(submitted, chairman)
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:13]])

    # When two runs of the closing job start at the same moment
    with time_machine.travel(CLOSES, tick=False):
        closed, refusals, errors = at_once([maslikhat_services.sessions_close_due] * 2)

    # Then one closed it, the other found nothing to do; the signal went once
    assert (errors, refusals) == ([], [])
    assert sorted(closed) == [0, 1]
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (CLOSES, SessionOutcome.PASSED)
    assert AuditEvent.objects.filter(verb="session.closed").count() == 1
    assert adoptions == [submitted.pk]
