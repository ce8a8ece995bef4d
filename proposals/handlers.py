"""How proposals react to what budgets announces (budgets never imports proposals)."""

from __future__ import annotations

from django.dispatch import receiver

from budgets.models import CyclePhase
from budgets.signals import cycle_phase_changed, draft_adopted
from proposals import services

# Once the cycle has left these, its proposals are closed and the review has begun.
OPEN_PHASES = frozenset({CyclePhase.PLANNED, CyclePhase.PROPOSALS_OPEN})


@receiver(cycle_phase_changed, dispatch_uid="proposals.reviews_start")
def start_reviews(sender, *, changes, **kwargs) -> None:
    # The clock job calls the same service, so a failure here is caught up within minutes.
    closed = [change.cycle for change in changes if change.new_phase not in OPEN_PHASES]
    if closed:
        services.reviews_start(cycles=closed)


@receiver(draft_adopted, dispatch_uid="proposals.fund")
def fund_included(sender, *, draft, **kwargs) -> None:
    services.proposals_fund(draft=draft)
