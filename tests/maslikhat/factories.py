"""Builders of the maslikhat's vote: the district maslikhat's deputies, a session opened
and ballots cast through the services at set moments, and the record a refused act must
leave unchanged."""

import datetime

import time_machine

from accounts.models import Role
from budgets.models import DraftBudget
from maslikhat import services
from maslikhat.models import Ballot, SessionMember, VotingSession
from tests.accounts.factories import MembershipFactory
from tests.refusals import rows


def deputies_of(district, count: int, *, role=None) -> list:
    """`count` deputies of the district's maslikhat, named so that they sort in order."""
    return [
        MembershipFactory(
            role=role or Role.MASLIKHAT_DEPUTY,
            unit=district,
            user__first_name=f"Deputy{index:03d}",
            user__last_name=f"Seat{index:03d}",
        ).user
        for index in range(1, count + 1)
    ]


# A session in the first days of December 2026, in Kazakhstan's time.

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
OPENS = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=ALMATY)
CLOSES = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=ALMATY)
DURING = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=ALMATY)


def session_open(draft, chairman, *, absences=None, now=OPENS, **times):
    """A session opened by the chairman at `now`, from OPENS to CLOSES unless told."""
    with time_machine.travel(now, tick=False):
        return services.session_open(
            draft=draft,
            actor=chairman,
            opens_at=times.get("opens_at", OPENS),
            closes_at=times.get("closes_at", CLOSES),
            absences=absences or {},
        )


def ballots_cast(session, votes, *, now=DURING) -> None:
    """Each (deputy, choice) in turn, at `now`."""
    with time_machine.travel(now, tick=False):
        for deputy, choice in votes:
            services.ballot_cast(session=session, deputy=deputy, choice=choice)


def voting_record() -> dict:
    """Everything a voting act may change, to show that a refused one changed nothing."""
    return rows(VotingSession, SessionMember, Ballot, DraftBudget)
