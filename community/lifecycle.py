"""The gathering's one state machine, written down once, and the arithmetic of its quorum
and its majority.

`planned → announced → held`, and `planned | announced → cancelled`. A gathering is
announced at least its days of notice before its day; from its day until its minutes are
published (`held`), staff record who came and how each item was voted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from community.codes import GatheringTransition
from community.models import GatheringStatus
from portal.errors import DomainError

TRANSITIONS: dict[str, frozenset[str]] = {
    GatheringStatus.PLANNED: frozenset(
        {GatheringStatus.ANNOUNCED, GatheringStatus.CANCELLED}
    ),
    GatheringStatus.ANNOUNCED: frozenset(
        {GatheringStatus.HELD, GatheringStatus.CANCELLED}
    ),
    GatheringStatus.HELD: frozenset(),
    GatheringStatus.CANCELLED: frozenset(),
}


def transition_check(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise DomainError(
            GatheringTransition(f"gathering_{current}_to_{target}"),
            _("A gathering that is %(current)s cannot become %(target)s.")
            % {
                "current": GatheringStatus(current).label,
                "target": GatheringStatus(target).label,
            },
        )


def in_session(status: str, held_on: datetime.date, today: datetime.date) -> bool:
    """Whether attendance and votes may be recorded: announced, and its day has come."""
    return status == GatheringStatus.ANNOUNCED and today >= held_on


def share_needed(eligible: int, percent: int) -> int:
    """The fewest of the residents of age that make `percent` of them, rounded up and
    never fewer than one: those present for a quorum, the signatures that convene."""
    return max(1, -(-eligible * percent // 100))


def passes(votes_for: int, present: int, percent: int) -> bool:
    """Whether an item is decided: "for" by more than `percent` of those present."""
    return votes_for * 100 > present * percent


@dataclass(frozen=True)
class Outcome:
    """What a held gathering decided on an item."""

    quorate: bool
    adopted: bool

    @property
    def key(self) -> str:
        if not self.quorate:
            return "no_quorum"
        return "adopted" if self.adopted else "not_adopted"
