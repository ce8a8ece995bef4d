"""The row locks of the maslikhat's vote. A session's row is the lock every ballot and the
close take, so that ballots are counted in order and a session closes exactly once. The
opening locks the draft through budgets (cycle → draft); the close locks the session, then
the draft through budgets' `draft_approve` / `draft_return`."""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet

from maslikhat.models import VotingSession


def session_lock(session: VotingSession) -> VotingSession:
    return VotingSession.objects.select_for_update().get(pk=session.pk)


def sessions_to_remind_lock(*, now: datetime.datetime) -> QuerySet[VotingSession]:
    """The open sessions closing within a day that ran longer than a day and were not
    reminded yet, locked; a session another run holds is skipped, not waited for."""
    return (
        VotingSession.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            closed_at__isnull=True,
            reminded_at__isnull=True,
            closes_at__lte=now + datetime.timedelta(days=1),
            closes_at__gt=now,
            opens_at__lte=now,
        )
        .filter(closes_at__gt=F("opens_at") + datetime.timedelta(days=1))
        .order_by("pk")
    )
