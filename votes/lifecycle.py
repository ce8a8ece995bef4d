"""The residents' vote's one state machine: `prepared → open → closed`, derived from the
clock and the cycle's `residents_vote` phase, never from a flag. The vote opens at the
start of the phase's first day and closes at the end of its last day, in the portal's time
zone: a ballot a moment after the close is refused even when no job has run."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VoteStatus(models.TextChoices):
    PREPARED = "prepared", _("being prepared")
    OPEN = "open", _("open for voting")
    CLOSED = "closed", _("closed")


@dataclass(frozen=True)
class VoteTimes:
    opens_at: datetime.datetime
    closes_at: datetime.datetime

    def status(self, now: datetime.datetime) -> str:
        if now < self.opens_at:
            return VoteStatus.PREPARED
        if now < self.closes_at:
            return VoteStatus.OPEN
        return VoteStatus.CLOSED


def vote_times(starts_on: datetime.date, ends_on: datetime.date) -> VoteTimes:
    """The instants a vote held on these days opens and closes."""
    zone = timezone.get_default_timezone()

    def midnight(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

    return VoteTimes(
        opens_at=midnight(starts_on),
        closes_at=midnight(ends_on + datetime.timedelta(days=1)),
    )
