"""Where the cycle of a proposal is: the phase its dates put it in today."""

from __future__ import annotations

from budgets.models import BudgetCycle, CyclePhase
from budgets.selectors import cycle_state
from portal.errors import DomainError


def cycle_phase(cycle: BudgetCycle) -> str:
    return cycle_state(cycle, fresh=True).phase


def require_proposals_open(cycle: BudgetCycle, code: str, message) -> None:
    if cycle_phase(cycle) != CyclePhase.PROPOSALS_OPEN:
        raise DomainError(code, message)
