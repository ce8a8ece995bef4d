"""What budgets announces to the apps that build on it (proposals listens; budgets never
imports proposals).

- `cycle_phase_changed(sender=BudgetCycle, changes)`: sent once per announcement of changes of
  phase, after the transaction that recorded them commits, whether the clock or an act
  moved them; `changes` lists a `PhaseChange` per cycle (on the national day, every cycle
  of the country at once: a receiver handles them together, never one by one).
- `draft_adopted(sender=DraftBudget, draft)`: sent once when the maslikhat approves a draft,
  after the transaction commits; the draft's cycle is then adopted.
"""

from typing import NamedTuple

from django.dispatch import Signal


class PhaseChange(NamedTuple):
    cycle: object  # a BudgetCycle
    old_phase: str  # a CyclePhase
    new_phase: str


cycle_phase_changed = Signal()
draft_adopted = Signal()
