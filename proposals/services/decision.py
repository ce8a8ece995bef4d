"""The akim's decision on an assessed proposal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.errors import DomainError
from proposals import lifecycle, locks
from proposals.codes import ErrorCode
from proposals.models import AkimDecision, Decision, Proposal
from proposals.services._input import clean_text
from proposals.services._moves import move


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, actor: User, decision: str, reason: str
) -> Proposal:
    """The akim approves or rejects an assessed proposal, always with a public reason."""
    proposal = locks.proposal_lock(proposal)
    if decision not in Decision.values:
        raise DomainError(ErrorCode.DECISION_INVALID, _("Choose approved or rejected."))
    lifecycle.transition_check(proposal.status, decision)
    reason = clean_text(
        reason,
        code=ErrorCode.REASON_EMPTY,
        message=_("Give the reason for the decision; it is published."),
        max_length=4000,
    )
    AkimDecision.objects.create(
        proposal=proposal, decision=decision, reason=reason, decided_by=actor
    )
    return move(proposal, decision, actor=actor, details={"reason": reason})
