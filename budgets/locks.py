"""The row locks of budgets, taken in one fixed order: cycle → its phases → draft → line.

Every service that changes a cycle, its phases, a draft or a line locks through these, so
that checks across a cycle's versions hold and two transactions never wait on each other
in opposite orders. (The maslikhat's close of a session locks the session first, then the
draft through `draft_lock`.)"""

from __future__ import annotations

from django.db.models import QuerySet

from budgets.models import BudgetCycle, BudgetLine, DraftBudget, Phase


def cycle_lock(cycle_id: int) -> None:
    """Lock a cycle's row: the first lock of every act on the cycle or its drafts."""
    BudgetCycle.objects.select_for_update().filter(pk=cycle_id).first()


def cycles_lock(cycles: QuerySet[BudgetCycle]) -> QuerySet[BudgetCycle]:
    """Many cycles, locked in primary key order when the query is evaluated."""
    return cycles.select_for_update(of=("self",)).order_by("pk")


def phases_lock(cycle: BudgetCycle) -> dict[str, Phase]:
    """Lock the cycle, then its phases; by kind."""
    cycle_lock(cycle.pk)
    return {
        phase.kind: phase for phase in cycle.phases.select_for_update().order_by("pk")
    }


def draft_lock(draft: DraftBudget, *related: str) -> DraftBudget:
    """Lock the draft's cycle, then the draft; the draft read again with its cycle's unit
    (and `related`)."""
    cycle_lock(draft.cycle_id)
    return (
        DraftBudget.objects.select_for_update(of=("self",))
        .select_related("cycle__unit", *related)
        .get(pk=draft.pk)
    )


def line_lock(line: BudgetLine) -> BudgetLine:
    """Lock a line of an adopted draft: every report and correction of a line waits for
    the one before, so that each correction's difference is taken from the exact total.
    (Execution never changes the draft or its cycle, so it takes the line's lock alone.)"""
    return (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("draft__cycle__unit", "classification")
        .get(pk=line.pk)
    )
