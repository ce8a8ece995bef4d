"""The proposal's lifecycle, written down once: which status may follow which."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from budgets.models import DraftStatus
from portal.errors import DomainError
from proposals.codes import ProposalTransition
from proposals.models import ProposalStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
    S.UNDER_REVIEW: frozenset({S.RECOMMENDED, S.NOT_RECOMMENDED}),
    S.RECOMMENDED: frozenset({S.APPROVED, S.REJECTED}),
    S.NOT_RECOMMENDED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.INCLUDED}),
    S.REJECTED: frozenset(),
    S.INCLUDED: frozenset({S.FUNDED}),
    S.FUNDED: frozenset({S.IN_PROGRESS}),
    S.IN_PROGRESS: frozenset({S.IMPLEMENTED}),
    S.IMPLEMENTED: frozenset(),
}

# The order a proposal moves on in, for the timeline and the funnel.
ORDER = [
    S.DRAFT,
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.RECOMMENDED,
    S.APPROVED,
    S.INCLUDED,
    S.FUNDED,
    S.IN_PROGRESS,
    S.IMPLEMENTED,
]

# The versions of the cycle's draft an approved proposal may be included in.
INCLUDABLE_DRAFT_STATUSES = (
    DraftStatus.PREPARING,
    DraftStatus.PUBLISHED,
    DraftStatus.COORDINATED,
    DraftStatus.UNDER_VOTE,
)


def transition_check(current: str, target: str) -> None:
    """Refuse a move the lifecycle does not allow, with a code naming both ends."""
    if target not in TRANSITIONS[current]:
        raise DomainError(
            ProposalTransition(f"proposal_{current}_to_{target}"),
            _("A proposal that is %(current)s cannot become %(target)s.")
            % {"current": S(current).label, "target": S(target).label},
        )


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]
