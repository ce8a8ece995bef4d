"""Where the cycle of a proposal is: the phase its dates put it in today."""

from __future__ import annotations

from budgets.models import BudgetCycle, CyclePhase
from budgets.selectors import cycle_state
from portal.errors import DomainError


def cycle_phase(cycle: BudgetCycle, *, fresh: bool = True) -> str:
    return cycle_state(cycle, fresh=fresh).phase


def require_proposals_open(
    cycle: BudgetCycle, code: str, message, *, fresh: bool = True
) -> None:
    """Refuse unless the cycle takes proposals today: its state read again (`fresh`),
    or, for an act that takes no lock on the cycle, as the caller read it in this
    request (proposals.selectors.proposal_act_get), which is as current."""
    if cycle_phase(cycle, fresh=fresh) != CyclePhase.PROPOSALS_OPEN:
        raise DomainError(code, message)
