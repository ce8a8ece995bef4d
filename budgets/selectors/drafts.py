"""Reads of draft budgets: a cycle's versions (the public ones, the one in preparation),
one version with its lines and totals, what changed between two versions, and the lines
a version's form starts from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.http import Http404

from budgets import lifecycle
from budgets.models import (
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    DraftBudget,
    DraftStatus,
)
from budgets.selectors.discussion import comments


def public_drafts(cycle: BudgetCycle) -> list[DraftBudget]:
    """The versions the public reads, newest first: every one but a version still being
    prepared. A published version that a later one replaced is labelled so."""
    return mark_superseded(
        [d for d in cycle.drafts.all() if d.status != DraftStatus.PREPARING]
    )


def mark_superseded(drafts: list[DraftBudget]) -> list[DraftBudget]:
    """Public versions, newest first, each marked whether a later one replaced it."""
    for index, draft in enumerate(drafts):
        draft.is_superseded = lifecycle.is_superseded(
            status=draft.status, has_later_public_version=index > 0
        )
    return drafts


def cycle_drafts(cycle: BudgetCycle) -> list[DraftBudget]:
    """Every version of the cycle, newest first, the one in preparation included, from
    what `cycle_get` prefetched: for the akimat, which reads its working copy too."""
    return list(cycle.drafts.all())


def draft_in_preparation(cycle: BudgetCycle) -> DraftBudget | None:
    """The version the akimat is preparing, if any, from what `cycle_get` prefetched."""
    return next(
        (d for d in cycle.drafts.all() if d.status == DraftStatus.PREPARING), None
    )


def draft_lines_by_classification(draft: DraftBudget) -> dict[int, BudgetLine]:
    """The version's lines by their entry of the classification, for its form: one
    query."""
    return {line.classification_id: line for line in draft.lines.all()}


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
    """A version of the cycle, from the drafts `cycle_get` prefetched (no query); 404 when
    the cycle has no such version. Whether the visitor may read a version in preparation
    is the page's rule, not this read's."""
    for draft in cycle.drafts.all():
        if draft.version == version:
            draft.cycle = cycle
            return draft
    raise Http404


def draft_view(draft: DraftBudget, *, with_comments: bool = False) -> DraftView:
    lines = draft.lines.select_related("classification")
    if with_comments:
        lines = lines.prefetch_related(
            Prefetch("comments", queryset=comments().filter(reply_to__isnull=True))
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


@dataclass(frozen=True)
class Spending:
    """What a unit's last adopted budget spends: in all and on functional group 07
    (housing and communal services), for the year it was adopted for."""

    fiscal_year: int
    total: Decimal
    housing_and_communal: Decimal


def last_adopted_spending(*, unit, before_year: int) -> Spending | None:
    """The spending of the unit's latest budget adopted for a year before `before_year`;
    None when it has none. Two queries."""
    draft = (
        DraftBudget.objects.filter(
            cycle__unit=unit,
            cycle__fiscal_year__lt=before_year,
            status=DraftStatus.APPROVED,
        )
        .select_related("cycle")
        .order_by("-cycle__fiscal_year", "-version")
        .first()
    )
    if draft is None:
        return None
    total = group = ZERO
    for line in draft.lines.filter(
        classification__kind=ClassificationKind.EXPENDITURE
    ).select_related("classification"):
        total += line.amount
        if line.classification.functional_group == 7:
            group += line.amount
    return Spending(draft.cycle.fiscal_year, total, group)
