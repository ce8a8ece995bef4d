"""Reads of the execution of the adopted budget: plan against actual for every line,
quarter by quarter, with each line's history, the revenue split and spending by
function."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from budgets import extensions
from budgets.models import (
    FUNCTIONAL_GROUPS,
    ZERO,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    DraftBudget,
    DraftStatus,
    ExecutionEntry,
)


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal rounded half up; None for no whole."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class QuarterExecution:
    quarter: int
    # The report first, then its corrections, in the order they were recorded.
    entries: list = field(default_factory=list)

    @property
    def is_reported(self) -> bool:
        return bool(self.entries)

    @property
    def total(self) -> Decimal | None:
        if not self.entries:
            return None
        return sum((entry.amount for entry in self.entries), ZERO)

    @property
    def latest(self):
        return self.entries[-1] if self.entries else None


@dataclass
class LineExecution:
    line: BudgetLine
    quarters: list[QuarterExecution]
    # Every entry of the line, oldest first, each with `total_after`: its quarter's total
    # once it was recorded.
    history: list = field(default_factory=list)
    # What the line pays for, as the apps built on budgets register it (budgets.extensions):
    # the residents' proposals it funds.
    companions: list = field(default_factory=list)

    @property
    def plan(self) -> Decimal:
        return self.line.amount

    @property
    def actual(self) -> Decimal:
        return sum((q.total for q in self.quarters if q.is_reported), ZERO)

    @property
    def percentage(self) -> Decimal | None:
        return percentage(self.actual, self.plan)


@dataclass
class PlanActual:
    """A sum of lines, planned and executed, and its share of the whole it belongs to."""

    plan: Decimal = ZERO
    actual: Decimal = ZERO
    plan_share: Decimal | None = None
    actual_share: Decimal | None = None

    @property
    def percentage(self) -> Decimal | None:
        return percentage(self.actual, self.plan)

    def add(self, execution: LineExecution) -> None:
        self.plan += execution.plan
        self.actual += execution.actual


@dataclass
class FunctionExecution(PlanActual):
    group: int | None = None

    @property
    def label(self) -> str:
        if self.group is None:
            return gettext("Not assigned to a function")
        return FUNCTIONAL_GROUPS[self.group]


@dataclass
class ExecutionView:
    cycle: BudgetCycle
    draft: DraftBudget
    revenue: list[LineExecution] = field(default_factory=list)
    expenditure: list[LineExecution] = field(default_factory=list)
    total_revenue: PlanActual = field(default_factory=PlanActual)
    own_revenue: PlanActual = field(default_factory=PlanActual)
    transfers: PlanActual = field(default_factory=PlanActual)
    total_expenditure: PlanActual = field(default_factory=PlanActual)
    functions: list[FunctionExecution] = field(default_factory=list)
    # Per quarter: (quarter, revenue received, expenditure spent).
    by_quarter: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)

    @property
    def lines(self) -> list[LineExecution]:
        return [*self.revenue, *self.expenditure]

    def line(self, pk: int) -> LineExecution | None:
        return next((e for e in self.lines if e.line.pk == pk), None)

    @property
    def has_entries(self) -> bool:
        return any(execution.history for execution in self.lines)


def adopted_draft(cycle: BudgetCycle) -> DraftBudget | None:
    """The draft the maslikhat approved, from the cycle's drafts (prefetched by
    `cycle_get`)."""
    for draft in cycle.drafts.all():
        if draft.status == DraftStatus.APPROVED:
            return draft
    return None


def _shares(first: PlanActual, second: PlanActual, whole: PlanActual) -> None:
    """Each part's share of the whole, so that the two always add up to 100.0."""
    for amount in ("plan", "actual"):
        share = percentage(getattr(second, amount), getattr(whole, amount))
        setattr(second, f"{amount}_share", share)
        setattr(first, f"{amount}_share", None if share is None else 100 - share)


def execution_view(
    cycle: BudgetCycle, *, with_companions: bool = False
) -> ExecutionView | None:
    """Plan against actual for every line of the adopted draft, with each line's history,
    the revenue split between own revenue and transfers, and spending by function; in two
    queries after `cycle_get`, whatever the number of lines and entries. None before the
    maslikhat has approved a draft. `with_companions` adds what each line pays for
    (budgets.extensions), in one more query per registered provider.

    Spending by function groups the expenditure lines by the functional group of their
    classification (01 general public services … 13 other), which the administrator keeps
    as the hundreds of the entry's position: the programme codes themselves all begin with
    the administrator "124" and say nothing of the function.
    """
    draft = adopted_draft(cycle)
    if draft is None:
        return None
    draft.cycle = cycle
    lines = list(draft.lines.select_related("classification"))
    entries: dict[int, list] = {}
    for entry in ExecutionEntry.objects.filter(line__draft=draft).order_by(
        "recorded_at", "pk"
    ):
        entries.setdefault(entry.line_id, []).append(entry)
    view = ExecutionView(cycle=cycle, draft=draft)
    functions: dict[int | None, FunctionExecution] = {}
    quarter_sums = {q: [ZERO, ZERO] for q in (1, 2, 3, 4)}
    for line in lines:
        line.draft = draft
        execution = _line_execution(line, entries.get(line.pk, []))
        is_revenue = line.classification.kind == ClassificationKind.REVENUE
        for quarter in execution.quarters:
            if quarter.is_reported:
                quarter_sums[quarter.quarter][0 if is_revenue else 1] += quarter.total
        if is_revenue:
            view.revenue.append(execution)
            view.total_revenue.add(execution)
            (
                view.transfers if line.classification.is_transfer else view.own_revenue
            ).add(execution)
        else:
            view.expenditure.append(execution)
            view.total_expenditure.add(execution)
            group = line.classification.functional_group
            functions.setdefault(group, FunctionExecution(group=group)).add(execution)
    _shares(view.own_revenue, view.transfers, view.total_revenue)
    view.functions = sorted(
        functions.values(), key=lambda f: (f.group is None, f.group or 0)
    )
    for function in view.functions:
        function.plan_share = percentage(function.plan, view.total_expenditure.plan)
        function.actual_share = percentage(
            function.actual, view.total_expenditure.actual
        )
    view.by_quarter = [(q, *sums) for q, sums in quarter_sums.items()]
    if with_companions:
        companions = extensions.line_companions([line.pk for line in lines])
        for execution in view.lines:
            execution.companions = companions.get(execution.line.pk, [])
    return view


def _line_execution(line: BudgetLine, entries: list) -> LineExecution:
    quarters = [QuarterExecution(quarter=q) for q in (1, 2, 3, 4)]
    running = dict.fromkeys((1, 2, 3, 4), ZERO)
    for entry in entries:
        entry.line = line
        running[entry.quarter] += entry.amount
        entry.total_after = running[entry.quarter]
        quarters[entry.quarter - 1].entries.append(entry)
    return LineExecution(line=line, quarters=quarters, history=entries)
