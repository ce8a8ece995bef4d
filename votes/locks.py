"""The row locks of the residents' vote, after budgets' (cycle → phases): the cycle, then
the vote. A ballot holds the vote's row in share mode, so that ballots are cast side by
side while the count, which takes it for update, waits for every ballot already being
cast and then reads them all."""

from __future__ import annotations

from django.db import connection

from budgets import locks as budget_locks
from votes.models import Vote


def vote_lock(vote: Vote) -> Vote:
    """Lock the vote's cycle, then the vote; the vote read again with its cycle."""
    budget_locks.cycle_lock(vote.cycle_id)
    return (
        Vote.objects.select_for_update(of=("self",))
        .select_related("cycle__unit")
        .get(pk=vote.pk)
    )


def vote_share_lock(vote: Vote) -> None:
    """Hold the vote's row in share mode until the transaction ends (PostgreSQL; SQLite
    writes one transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM votes_vote WHERE id = %s FOR SHARE", [vote.pk]
            )
