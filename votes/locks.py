"""The locks of the residents' vote, after budgets' (cycle → phases): the cycle, then the
vote, then its ballots. Ballots take the ballots lock shared, so that they are cast side
by side, while the count takes it exclusively: it waits for every ballot already being
cast and then reads them all."""

from __future__ import annotations

from django.db import connection

from budgets import locks as budget_locks
from votes.models import Vote


def vote_lock(vote: Vote) -> Vote:
    """Lock the vote's cycle, then the vote; the vote read again with its cycle. The
    vote's key never changes: its row is locked for a no-key update, which lets a ballot
    being cast (whose foreign key holds the row in key-share mode) go on while the count
    waits for it."""
    budget_locks.cycle_lock(vote.cycle_id)
    return (
        Vote.objects.select_for_update(no_key=True, of=("self",))
        .select_related("cycle__unit")
        .get(pk=vote.pk)
    )


# The ballots of a vote and its count: PostgreSQL's advisory lock on (this class, the
# vote), taken shared by every ballot and exclusively by the count. A lock in memory, not
# on the vote's row: a row held in share mode by hundreds of ballots at once has its
# lockers written into it (a multixact), and they queue on that.
BALLOTS_LOCK_CLASS = 7110
PROJECTS = "SELECT project.id FROM votes_voteproject project WHERE project.vote_id = %s"
PROJECTS_WITH_BALLOTS_LOCK = (
    "SELECT project.id FROM pg_advisory_xact_lock_shared(%s, %s) AS locked,"
    " votes_voteproject project WHERE project.vote_id = %s"
)


def ballots_share_lock(vote: Vote) -> frozenset[int]:
    """Take the vote's ballots lock in shared mode until the transaction ends
    (PostgreSQL; SQLite writes one transaction at a time anyway), and read the ids of
    the projects on its frozen ballot in the same query: a ballot is cast in as few
    round trips as it can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                PROJECTS_WITH_BALLOTS_LOCK, [BALLOTS_LOCK_CLASS, vote.pk, vote.pk]
            )
        else:
            cursor.execute(PROJECTS, [vote.pk])
        return frozenset(row[0] for row in cursor.fetchall())


def ballots_lock(vote: Vote) -> None:
    """Take the vote's ballots lock exclusively until the transaction ends: the count
    waits for every ballot being cast, and no ballot starts until it is done."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [BALLOTS_LOCK_CLASS, vote.pk]
            )
