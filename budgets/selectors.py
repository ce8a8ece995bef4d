"""Reads of budgets: cycles with their derived state, drafts with their totals and lines,
the differences between two versions, the public history of a cycle, the execution of the
adopted budget."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from budgets import extensions, lifecycle
from budgets.lifecycle import CycleState
from budgets.models import (
    FUNCTIONAL_GROUPS,
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    CommunityMeeting,
    DraftBudget,
    DraftComment,
    DraftStatus,
    ExecutionEntry,
    Phase,
)
from portal.models import AuditEvent


def with_state_days(cycles: QuerySet[BudgetCycle]) -> QuerySet[BudgetCycle]:
    """The cycles with what their state is derived from, in the same query: the phase
    dates the rules of budgets.lifecycle read (by `Day.alias`) and `decisive_status`, the
    status of the latest version that is not being prepared. `cycle_state` reads them."""
    return cycles.annotate(
        **{
            day.alias: Subquery(
                Phase.objects.filter(cycle=OuterRef("pk"), kind=day.kind).values(
                    day.field
                )[:1]
            )
            for day in lifecycle.STATE_DAYS
        },
        decisive_status=Subquery(
            DraftBudget.objects.filter(cycle=OuterRef("pk"))
            .exclude(status=DraftStatus.PREPARING)
            .order_by("-version")
            .values("status")[:1]
        ),
    )


def cycle_state(
    cycle: BudgetCycle, *, on: datetime.date | None = None, fresh: bool = False
) -> CycleState:
    """The one way to ask a cycle's state (today, unless `on`). A cycle fetched with
    `with_state_days` (`cycle_get`, the API's cycles) costs no query; any other, or with
    `fresh` (the services, after taking their lock), one."""
    if fresh or not hasattr(cycle, "decisive_status"):
        cycle = with_state_days(BudgetCycle.objects.filter(pk=cycle.pk)).get()
    return lifecycle.state_from_days(
        days={day.alias: getattr(cycle, day.alias) for day in lifecycle.STATE_DAYS},
        decisive_status=cycle.decisive_status,
        on=on or timezone.localdate(),
    )


def cycles_with_state(
    cycles: QuerySet[BudgetCycle], *, on
) -> list[tuple[BudgetCycle, CycleState]]:
    """Each cycle with its state on a day, in two queries whatever their number: the
    cycles (locked, when the caller locks them), then their states. Read after the lock,
    never in the locking query, whose subqueries would see the data as it was before a
    lock it waited for."""
    cycles = list(cycles)
    states = {
        row.pk: cycle_state(row, on=on)
        for row in with_state_days(
            BudgetCycle.objects.filter(pk__in=[cycle.pk for cycle in cycles])
        ).only("pk")
    }
    return [(cycle, states[cycle.pk]) for cycle in cycles]


def cycles_with_derived_phase(
    cycles: QuerySet[BudgetCycle], *, on
) -> QuerySet[BudgetCycle]:
    """The cycles with `derived_phase`, their phase on a day decided in SQL by the same
    rules as `cycle_state` (budgets.lifecycle.phase_case); tests/api/test_cycles.py
    checks that the two agree in every phase."""
    return with_state_days(cycles).annotate(derived_phase=lifecycle.phase_case(on))


def cycles_in_phase(
    cycles: QuerySet[BudgetCycle], *, phase: str, on
) -> QuerySet[BudgetCycle]:
    """The cycles whose phase on a day is `phase`, so that a list is filtered before it
    is paginated."""
    return cycles_with_derived_phase(cycles, on=on).filter(derived_phase=phase)


def cycle_get(*, kato_code: str, fiscal_year: int) -> BudgetCycle:
    """A cycle with its unit's ancestors, its phases and drafts, and what its state is
    derived from; 404 when there is none."""
    return get_object_or_404(
        with_state_days(BudgetCycle.objects.all())
        .select_related("unit__parent__parent__parent__parent")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch(
                "drafts",
                queryset=DraftBudget.objects.select_related("meeting").order_by(
                    "-version"
                ),
            ),
        ),
        unit__kato_code=kato_code,
        fiscal_year=fiscal_year,
    )


def unit_cycles(*, unit) -> QuerySet[BudgetCycle]:
    return BudgetCycle.objects.filter(unit=unit).order_by("-fiscal_year")


def public_drafts(cycle: BudgetCycle) -> list[DraftBudget]:
    """The versions the public reads, newest first: every one but a version still being
    prepared. A published version that a later one replaced is labelled so."""
    return mark_superseded(
        [d for d in cycle.drafts.all() if d.status != DraftStatus.PREPARING]
    )


@dataclass
class Totals:
    revenue: Decimal = ZERO
    expenditure: Decimal = ZERO
    transfers: Decimal = ZERO

    @property
    def own_revenue(self) -> Decimal:
        return self.revenue - self.transfers

    @property
    def transfer_share(self) -> Decimal | None:
        """Transfers as a percentage of revenue, one decimal."""
        if not self.revenue:
            return None
        return (self.transfers * 100 / self.revenue).quantize(Decimal("0.1"))

    @property
    def deficit(self) -> Decimal:
        return max(self.expenditure - self.revenue, ZERO)

    @property
    def surplus(self) -> Decimal:
        return max(self.revenue - self.expenditure, ZERO)


def draft_totals(draft: DraftBudget) -> Totals:
    totals = Totals()
    for kind, is_transfer, amount in (
        draft.lines.values("classification__kind", "classification__is_transfer")
        .annotate(total=Sum("amount"))
        .values_list("classification__kind", "classification__is_transfer", "total")
    ):
        # SQLite sums decimals as floats and hands back 15 digits: back to tiyn.
        _add(totals, kind, is_transfer, amount.quantize(Decimal("0.01")))
    return totals


def _add(totals: Totals, kind: str, is_transfer: bool, amount: Decimal) -> None:
    if kind == ClassificationKind.REVENUE:
        totals.revenue += amount
        if is_transfer:
            totals.transfers += amount
    else:
        totals.expenditure += amount


def totals_of(lines: Iterable[BudgetLine]) -> Totals:
    totals = Totals()
    for line in lines:
        _add(
            totals,
            line.classification.kind,
            line.classification.is_transfer,
            line.amount,
        )
    return totals


@dataclass
class DraftView:
    draft: DraftBudget
    revenue: list[BudgetLine] = field(default_factory=list)
    expenditure: list[BudgetLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def draft_get(*, cycle: BudgetCycle, version: int) -> DraftBudget:
    for draft in cycle.drafts.all():
        if draft.version == version:
            draft.cycle = cycle
            return draft
    raise DraftBudget.DoesNotExist


def draft_view(draft: DraftBudget, *, with_comments: bool = False) -> DraftView:
    lines = draft.lines.select_related("classification")
    if with_comments:
        lines = lines.prefetch_related(
            Prefetch("comments", queryset=_comments().filter(reply_to__isnull=True))
        )
    view = DraftView(draft=draft)
    for line in lines:
        line.draft = draft
        (
            view.revenue
            if line.classification.kind == ClassificationKind.REVENUE
            else view.expenditure
        ).append(line)
    view.totals = totals_of([*view.revenue, *view.expenditure])
    return view


def _comments() -> QuerySet[DraftComment]:
    return (
        DraftComment.objects.select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=DraftComment.objects.select_related("author"))
        )
        .order_by("created_at", "pk")
    )


def draft_general_comments(draft: DraftBudget) -> QuerySet[DraftComment]:
    return _comments().filter(draft=draft, line__isnull=True, reply_to__isnull=True)


@dataclass(frozen=True)
class LineChange:
    classification: BudgetClassification
    before: Decimal | None
    after: Decimal | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.before != self.after else "unchanged"

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


@dataclass
class DraftDiff:
    before: DraftView
    after: DraftView
    changes: list[LineChange]

    @property
    def changed(self) -> list[LineChange]:
        return [change for change in self.changes if change.kind != "unchanged"]


def draft_diff(before: DraftBudget, after: DraftBudget) -> DraftDiff:
    """What changed between two versions, line by line, matched by classification."""
    old, new = draft_view(before), draft_view(after)
    by_code: dict[int, list] = {}
    for line in [*old.revenue, *old.expenditure]:
        by_code[line.classification_id] = [line.classification, line.amount, None]
    for line in [*new.revenue, *new.expenditure]:
        by_code.setdefault(line.classification_id, [line.classification, None, None])[
            2
        ] = line.amount
    changes = sorted(
        (
            LineChange(classification, before_amount, after_amount)
            for classification, before_amount, after_amount in by_code.values()
        ),
        key=lambda change: (
            change.classification.kind,
            change.classification.position,
            change.classification.code,
        ),
    )
    return DraftDiff(before=old, after=new, changes=changes)


PUBLIC_DRAFT_VERBS = (
    "draft.published",
    "draft.submitted",
    "draft.approved",
    "draft.returned",
)


def cycle_history(cycle: BudgetCycle) -> QuerySet[AuditEvent]:
    """The cycle's public history: its phases, extensions, versions and the meeting."""
    drafts = [draft.pk for draft in cycle.drafts.all()]
    content_type = ContentType.objects.get_for_model
    return (
        AuditEvent.objects.filter(
            Q(target_type=content_type(BudgetCycle), target_id=str(cycle.pk))
            | Q(
                target_type=content_type(DraftBudget),
                target_id__in=[str(pk) for pk in drafts],
                verb__in=PUBLIC_DRAFT_VERBS,
            )
            | Q(
                target_type=content_type(CommunityMeeting),
                target_id__in=[
                    str(pk)
                    for pk in CommunityMeeting.objects.filter(
                        draft_id__in=drafts
                    ).values_list("pk", flat=True)
                ],
            )
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def classifications(kind: str | None = None) -> QuerySet[BudgetClassification]:
    entries = BudgetClassification.objects.filter(is_active=True)
    return entries.filter(kind=kind) if kind else entries


# The execution of the adopted budget: plan against actual, quarter by quarter.


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


# The open data (budgets.opendata): each a single query of plain values, public columns
# only, to be read in chunks.


def export_draft_lines(cycle: BudgetCycle) -> QuerySet:
    """The lines of every public version of the cycle's draft, version by version."""
    return (
        BudgetLine.objects.filter(draft__cycle=cycle)
        .exclude(draft__status=DraftStatus.PREPARING)
        .order_by(
            "draft__version",
            "classification__kind",
            "classification__position",
            "classification__code",
        )
        .values(
            "draft__version",
            "draft__status",
            "classification__kind",
            "classification__code",
            "classification__name_kk",
            "classification__name_ru",
            "classification__position",
            "classification__is_transfer",
            "amount",
            "explanation",
        )
    )


def export_execution_entries(cycle: BudgetCycle) -> QuerySet:
    """Every execution entry on the cycle's adopted draft, line by line, oldest first."""
    return (
        ExecutionEntry.objects.filter(
            line__draft__cycle=cycle, line__draft__status=DraftStatus.APPROVED
        )
        .order_by(
            "line__classification__kind",
            "line__classification__position",
            "line__classification__code",
            "quarter",
            "recorded_at",
            "pk",
        )
        .values(
            "pk",
            "line__classification__kind",
            "line__classification__code",
            "line__classification__name_kk",
            "line__classification__name_ru",
            "quarter",
            "amount",
            "note",
            "corrects_id",
            "recorded_at",
        )
    )


def has_execution_entries(draft: DraftBudget) -> bool:
    return ExecutionEntry.objects.filter(line__draft=draft).exists()


def export_fiscal_lines(
    draft: DraftBudget, *, kind: str, with_execution: bool
) -> QuerySet:
    """The draft's lines of one kind, for the Fiscal Data Package; with execution, each
    with `executed`, the sum of its entries (0 when none), computed by the database."""
    lines = (
        BudgetLine.objects.filter(draft=draft, classification__kind=kind)
        .order_by("classification__position", "classification__code")
        .values(
            "classification__code",
            "classification__name_kk",
            "classification__name_ru",
            "classification__position",
            "classification__is_transfer",
            "amount",
        )
    )
    if not with_execution:
        return lines
    from django.db.models.functions import Coalesce

    money = models.DecimalField(max_digits=16, decimal_places=2)
    total = (
        ExecutionEntry.objects.filter(line=models.OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    # The output field brings SQLite's float sum back to tenge and tiyn.
    return lines.annotate(
        executed=Coalesce(
            models.Subquery(total, output_field=money),
            models.Value(ZERO),
            output_field=money,
        )
    )


# The public API's reads: only what the pages show everyone, a fixed number of queries.


def _public_versions() -> Prefetch:
    """The cycle's versions the public reads, newest first, as `public_versions`: a
    version being prepared is never even read."""
    return Prefetch(
        "drafts",
        queryset=DraftBudget.objects.exclude(status=DraftStatus.PREPARING)
        .select_related("meeting")
        .order_by("-version"),
        to_attr="public_versions",
    )


def cycle_api_list() -> QuerySet[BudgetCycle]:
    """Cycles with their unit, phases, public versions and what their state is derived
    from: three queries a page."""
    return (
        with_state_days(BudgetCycle.objects.all())
        .select_related("unit")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            _public_versions(),
        )
        .order_by("-fiscal_year", "unit__kato_code")
    )


def cycle_api_get(*, kato_code: str, fiscal_year: int) -> BudgetCycle | None:
    return (
        cycle_api_list()
        .filter(unit__kato_code=kato_code, fiscal_year=fiscal_year)
        .first()
    )


def mark_superseded(drafts: list[DraftBudget]) -> list[DraftBudget]:
    """Public versions, newest first, each marked whether a later one replaced it."""
    for index, draft in enumerate(drafts):
        draft.is_superseded = lifecycle.is_superseded(
            status=draft.status, has_later_public_version=index > 0
        )
    return drafts


def _lines_total(**conditions) -> Coalesce:
    money = models.DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(
        Subquery(
            BudgetLine.objects.filter(draft=OuterRef("pk"), **conditions)
            .order_by()
            .values("draft")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=money,
        ),
        Value(ZERO),
        output_field=money,
    )


def draft_api_list() -> QuerySet[DraftBudget]:
    """Public versions with their cycle, unit, meeting and totals: one query a page."""
    later = DraftBudget.objects.filter(
        cycle=OuterRef("cycle"), version__gt=OuterRef("version")
    ).exclude(status=DraftStatus.PREPARING)
    return (
        DraftBudget.objects.exclude(status=DraftStatus.PREPARING)
        .select_related("cycle__unit", "meeting")
        .annotate(
            revenue_total=_lines_total(classification__kind=ClassificationKind.REVENUE),
            transfers_total=_lines_total(
                classification__kind=ClassificationKind.REVENUE,
                classification__is_transfer=True,
            ),
            expenditure_total=_lines_total(
                classification__kind=ClassificationKind.EXPENDITURE
            ),
            has_later_version=Exists(later),
        )
        .order_by("-cycle__fiscal_year", "cycle__unit__kato_code", "-version")
    )


def draft_api_get(
    *, kato_code: str, fiscal_year: int, version: int
) -> DraftBudget | None:
    return (
        draft_api_list()
        .filter(
            cycle__unit__kato_code=kato_code,
            cycle__fiscal_year=fiscal_year,
            version=version,
        )
        .first()
    )


def totals_annotated(draft: DraftBudget) -> Totals:
    """The totals `draft_api_list` annotated on a draft."""
    return Totals(
        revenue=draft.revenue_total,
        expenditure=draft.expenditure_total,
        transfers=draft.transfers_total,
    )
