"""What budgets announces to the apps that build on it (proposals listens; budgets never
imports proposals).

- `cycle_phase_changed(sender=BudgetCycle, cycle, old_phase, new_phase)`: sent once per change
  of a cycle's phase, after the transaction that recorded it commits, whether the clock or an
  act moved it. `old_phase` and `new_phase` are `CyclePhase` values.
- `draft_adopted(sender=DraftBudget, draft)`: sent once when the maslikhat approves a draft,
  after the transaction commits; the draft's cycle is then adopted.
"""

from django.dispatch import Signal

cycle_phase_changed = Signal()
draft_adopted = Signal()
