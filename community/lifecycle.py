"""The gathering's state machine and the community meeting's sitting's, each written down
once, and the arithmetic of a quorum and a majority that both use.

A gathering: `planned → announced → held`, and `planned | announced → cancelled`. It is
announced at least its days of notice before its day; from its day until its minutes are
published (`held`), staff record who came and how each item was voted.

A sitting of the meeting: `called → held`, and `called → cancelled`. From its day staff
record the members present and the votes, which publishes its minutes (`held`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from community.codes import GatheringTransition, SittingTransition
from community.models import GatheringStatus, SittingStatus
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


SITTING_TRANSITIONS: dict[str, frozenset[str]] = {
    SittingStatus.CALLED: frozenset({SittingStatus.HELD, SittingStatus.CANCELLED}),
    SittingStatus.HELD: frozenset(),
    SittingStatus.CANCELLED: frozenset(),
}


def sitting_transition_check(current: str, target: str) -> None:
    if target not in SITTING_TRANSITIONS[current]:
        raise DomainError(
            SittingTransition(f"sitting_{current}_to_{target}"),
            _("A sitting that is %(current)s cannot become %(target)s.")
            % {
                "current": SittingStatus(current).label,
                "target": SittingStatus(target).label,
            },
        )


def sitting_in_session(
    status: str, held_on: datetime.date, today: datetime.date
) -> bool:
    """Whether the members present and the votes may be recorded: called, and its day
    has come."""
    return status == SittingStatus.CALLED and today >= held_on


def in_session(status: str, held_on: datetime.date, today: datetime.date) -> bool:
    """Whether attendance and votes may be recorded: announced, and its day has come."""
    return status == GatheringStatus.ANNOUNCED and today >= held_on


def share_needed(eligible: int, percent: int) -> int:
    """The fewest of the residents of age that make `percent` of them, rounded up and
    never fewer than one: those present for a quorum, the signatures that convene."""
    return max(1, -(-eligible * percent // 100))


def is_quorate(present: int, total: int, percent: int) -> bool:
    """Whether `present` of `total` make the quorum of `percent` of them."""
    return present >= share_needed(total, percent)


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


def item_outcome(item, *, present: int, percent: int, quorate: bool) -> Outcome:
    """What came of an item voted on by `present` people needing more than `percent`
    of them."""
    return Outcome(
        quorate=quorate,
        adopted=quorate
        and item.votes_for is not None
        and passes(item.votes_for, present, percent),
    )
