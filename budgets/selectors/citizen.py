"""Reads of the citizen's budget: one public version of a cycle's draft, or the adopted
budget, in plain words: its total and how much per resident, how much comes from the
unit's own taxes and fees and how much from the district, what the money is for by
functional group, and the residents' projects it pays for."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils.translation import gettext

from budgets import extensions
from budgets.extensions import LineCompanion
from budgets.models import (
    FUNCTIONAL_GROUPS,
    ZERO,
    BudgetClassification,
    BudgetCycle,
    ClassificationKind,
    DraftBudget,
    DraftStatus,
)
from budgets.selectors.drafts import public_drafts
from budgets.selectors.execution import adopted_draft, percentage


def per_resident(amount: Decimal, population: int | None) -> Decimal | None:
    """`amount` per resident in whole tenge, rounded half up; None when the population is
    not known (never a division by a guess)."""
    if not population:
        return None
    return (amount / population).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass
class Item:
    """One line of the version: an entry of the classification and its amount."""

    classification: BudgetClassification
    amount: Decimal
    share: Decimal | None = None
    projects: list[LineCompanion] = field(default_factory=list)

    @property
    def plain_name(self) -> str:
        return self.classification.plain_name

    @property
    def purpose(self) -> str:
        return self.classification.purpose

    @property
    def official_name(self) -> str:
        return self.classification.name

    @property
    def label(self) -> str:
        """The plain name where there is one, else the official name."""
        return self.plain_name or self.official_name


@dataclass
class SpendingGroup:
    """The spending on one functional group (01 … 15; None for an entry the
    administrator gave no group), with its programmes, largest first."""

    group: int | None
    amount: Decimal = ZERO
    share: Decimal | None = None
    per_resident: Decimal | None = None
    items: list[Item] = field(default_factory=list)

    @property
    def official_name(self) -> str:
        if self.group is None:
            return gettext("Not assigned to a function")
        return str(FUNCTIONAL_GROUPS[self.group])

    @property
    def code(self) -> str:
        return "" if self.group is None else f"{self.group:02d}"

    @property
    def plain_names(self) -> list[str]:
        """What the group pays for in plain words: its programmes' plain names (their
        official names where they have none), largest first."""
        return [item.label for item in self.items]


@dataclass(frozen=True)
class Project:
    """A residents' project the version pays for, and the line that pays for it."""

    companion: LineCompanion
    item: Item


@dataclass(frozen=True)
class RevenueRow:
    key: str
    label: str
    amount: Decimal
    share: Decimal | None
    items: list[Item]


@dataclass
class CitizenBudget:
    cycle: BudgetCycle
    draft: DraftBudget
    revenue: Decimal = ZERO
    own_revenue: Decimal = ZERO
    transfers: Decimal = ZERO
    own_share: Decimal | None = None
    transfer_share: Decimal | None = None
    expenditure: Decimal = ZERO
    per_resident: Decimal | None = None
    own_items: list[Item] = field(default_factory=list)
    transfer_items: list[Item] = field(default_factory=list)
    groups: list[SpendingGroup] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)

    @property
    def unit(self):
        return self.cycle.unit

    @property
    def population(self) -> int | None:
        return self.cycle.unit.population

    @property
    def population_year(self) -> int | None:
        return self.cycle.unit.population_year

    @property
    def is_adopted(self) -> bool:
        return self.draft.status == DraftStatus.APPROVED

    @property
    def revenue_rows(self) -> list[RevenueRow]:
        """Own revenue, then the transfers from the district, each with its lines."""
        return [
            RevenueRow(
                key="own",
                label=gettext("The unit's own revenue: taxes, fees and other"),
                amount=self.own_revenue,
                share=self.own_share,
                items=self.own_items,
            ),
            RevenueRow(
                key="transfers",
                label=gettext("Transfers from the district budget"),
                amount=self.transfers,
                share=self.transfer_share,
                items=self.transfer_items,
            ),
        ]

    @property
    def status_text(self) -> str:
        """Which version the figures come from and how far it has gone."""
        draft = self.draft
        values = {"version": draft.version}
        if draft.status == DraftStatus.APPROVED:
            return (
                gettext(
                    "The adopted budget: version %(version)s, approved by the district "
                    "maslikhat."
                )
                % values
            )
        if getattr(draft, "is_superseded", False):
            return (
                gettext(
                    "Version %(version)s of the draft, replaced by a later version."
                )
                % values
            )
        if draft.status == DraftStatus.PREPARING:
            return (
                gettext(
                    "Version %(version)s of the draft, being prepared: not yet public."
                )
                % values
            )
        return gettext(
            "Draft, version %(version)s: %(status)s. The figures may still change "
            "before the maslikhat adopts the budget."
        ) % {**values, "status": draft.get_status_display()}

    @property
    def deficit(self) -> Decimal:
        return max(self.expenditure - self.revenue, ZERO)


def _largest_first(item: Item) -> Decimal:
    return -item.amount


def citizen_draft(cycle: BudgetCycle) -> DraftBudget:
    """The version the cycle's citizen's budget is about, from what `cycle_get`
    prefetched: the adopted one, else the newest public version; 404 while no version
    is public. A superseded version is marked so (`is_superseded`)."""
    draft = adopted_draft(cycle)
    public = public_drafts(cycle)
    if draft is None and public:
        draft = public[0]
    if draft is None:
        raise Http404
    draft.cycle = cycle
    draft.is_superseded = next(
        (d.is_superseded for d in public if d.pk == draft.pk), False
    )
    return draft


def citizen_budget(draft: DraftBudget) -> CitizenBudget:
    """The version in plain words, in two queries (its lines with their entries, then the
    residents' projects of each registered provider) after `cycle_get`, whatever the
    number of lines. Lines of nothing (0 ₸) are left out: they pay for nothing."""
    cycle = draft.cycle
    population = cycle.unit.population
    budget = CitizenBudget(cycle=cycle, draft=draft)
    groups: dict[int | None, SpendingGroup] = {}
    lines = [
        line
        for line in draft.lines.select_related("classification").order_by(
            "classification__position", "classification__code"
        )
        if line.amount
    ]
    expenditure_lines = []
    items: dict[int, Item] = {}
    for line in lines:
        entry = line.classification
        item = Item(classification=entry, amount=line.amount)
        items[line.pk] = item
        if entry.kind == ClassificationKind.REVENUE:
            budget.revenue += line.amount
            if entry.is_transfer:
                budget.transfers += line.amount
                budget.transfer_items.append(item)
            else:
                budget.own_revenue += line.amount
                budget.own_items.append(item)
            continue
        expenditure_lines.append(line)
        budget.expenditure += line.amount
        group = entry.functional_group
        spending = groups.setdefault(group, SpendingGroup(group=group))
        spending.amount += line.amount
        spending.items.append(item)
    budget.transfer_share = percentage(budget.transfers, budget.revenue)
    if budget.transfer_share is not None:
        budget.own_share = 100 - budget.transfer_share
    for item in [*budget.own_items, *budget.transfer_items]:
        item.share = percentage(item.amount, budget.revenue)
    budget.own_items.sort(key=_largest_first)
    budget.transfer_items.sort(key=_largest_first)
    budget.per_resident = per_resident(budget.expenditure, population)
    for spending in groups.values():
        spending.share = percentage(spending.amount, budget.expenditure)
        spending.per_resident = per_resident(spending.amount, population)
        for item in spending.items:
            item.share = percentage(item.amount, budget.expenditure)
        spending.items.sort(key=_largest_first)
    budget.groups = sorted(
        groups.values(),
        key=lambda g: (-g.amount, g.group is None, g.group or 0),
    )
    projects = extensions.draft_projects(draft, expenditure_lines)
    for line_id, companions in projects.items():
        items[line_id].projects = companions
    budget.projects = [
        Project(companion=companion, item=item)
        for spending in budget.groups
        for item in spending.items
        for companion in item.projects
    ]
    return budget
