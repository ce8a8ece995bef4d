"""Budgets' sections of the transparency dashboard (portal.dashboard): the execution of the
adopted budget (plan against actual, own revenue and transfers, spending by function), for
one unit's budget of a year or summed over several units.

Sums are taken by the database in whole tiyn (integers), so that they are exact on SQLite,
which sums decimals as floats, as on PostgreSQL; and they are the sums the execution page
shows line by line (tests/portal/test_dashboard.py holds them to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Sum,
)
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.lifecycle import CycleState
from budgets.models import (
    ZERO,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    DraftBudget,
    DraftStatus,
    ExecutionEntry,
    Phase,
    functional_group_of,
)
from budgets.selectors import (
    FunctionExecution,
    PlanActual,
    adopted_draft,
    cycle_state,
    percentage,
    with_state_days,
)
from portal import charts, dashboard
from portal.dashboard import MONEY, PERCENT, AreaFigures, Column, format_figure
from portal.models import AdministrativeUnit

HUNDRED = Decimal(100)


def _tiyn_sum(path: str) -> Sum:
    """The sum of a money field in whole tiyn: an integer sum, exact on every database."""
    return Sum(Cast(Round(F(path) * 100), BigIntegerField()))


def _tenge(tiyn: int | None) -> Decimal:
    return (Decimal(tiyn or 0) / HUNDRED).quantize(Decimal("0.01"))


@dataclass
class BudgetFigures:
    """Plan against actual of adopted budgets: one unit's, or several summed."""

    revenue: PlanActual = field(default_factory=PlanActual)
    own_revenue: PlanActual = field(default_factory=PlanActual)
    transfers: PlanActual = field(default_factory=PlanActual)
    expenditure: PlanActual = field(default_factory=PlanActual)
    functions: list[FunctionExecution] = field(default_factory=list)
    # Over an area: the units holding their own budget, those with a cycle for the year,
    # and those whose budget is adopted (whose figures are summed here).
    units_total: int = 0
    units_with_cycle: int = 0
    units_adopted: int = 0
    _by_group: dict = field(default_factory=dict, repr=False)

    def add(
        self, *, kind: str, is_transfer: bool, position: int, plan=ZERO, actual=ZERO
    ):
        if kind == ClassificationKind.REVENUE:
            targets = [
                self.revenue,
                self.transfers if is_transfer else self.own_revenue,
            ]
        else:
            group = functional_group_of(kind, position)
            if group not in self._by_group:
                self._by_group[group] = FunctionExecution(group=group)
            targets = [self.expenditure, self._by_group[group]]
        for target in targets:
            target.plan += plan
            target.actual += actual

    def merge(self, other: BudgetFigures) -> None:
        """Add another unit's sums (before either is finished)."""
        for name in ("revenue", "own_revenue", "transfers", "expenditure"):
            target, source = getattr(self, name), getattr(other, name)
            target.plan += source.plan
            target.actual += source.actual
        for group, function in other._by_group.items():
            if group not in self._by_group:
                self._by_group[group] = FunctionExecution(group=group)
            self._by_group[group].plan += function.plan
            self._by_group[group].actual += function.actual

    def finish(self) -> BudgetFigures:
        """Shares from the sums (never averages of the units' shares)."""
        for amount in ("plan", "actual"):
            share = percentage(
                getattr(self.transfers, amount), getattr(self.revenue, amount)
            )
            setattr(self.transfers, f"{amount}_share", share)
            setattr(
                self.own_revenue,
                f"{amount}_share",
                None if share is None else 100 - share,
            )
        self.functions = sorted(
            self._by_group.values(), key=lambda f: (f.group is None, f.group or 0)
        )
        for function in self.functions:
            function.plan_share = percentage(function.plan, self.expenditure.plan)
            function.actual_share = percentage(function.actual, self.expenditure.actual)
        return self

    @property
    def has_budget(self) -> bool:
        return self.units_adopted > 0

    @property
    def function_chart(self) -> charts.BarChart:
        plan, actual = gettext("plan"), gettext("actual")
        return charts.bar_chart(
            chart_id="chart-functions",
            title=gettext("Spending by function: plan and actual"),
            description=gettext(
                "For each function, a bar of the planned spending and a bar of what was "
                "spent, with the amounts; the table beside the chart gives the same "
                "figures."
            ),
            groups=[
                charts.GroupInput(
                    label=_function_label(function),
                    bars=[
                        charts.BarInput(
                            function.plan,
                            f"{plan}: {format_figure(function.plan, MONEY)}",
                            "plan",
                        ),
                        charts.BarInput(
                            function.actual,
                            f"{actual}: {format_figure(function.actual, MONEY)}"
                            + (
                                f", {format_figure(function.percentage, PERCENT)}"
                                if function.percentage is not None
                                else ""
                            ),
                            "actual",
                        ),
                    ],
                )
                for function in self.functions
            ],
        )

    @property
    def revenue_chart(self) -> charts.StackedChart:
        own, transfers = gettext("Own revenues"), gettext("Transfers")
        rows = []
        for label, amount in (
            (gettext("Revenue planned"), "plan"),
            (gettext("Revenue received"), "actual"),
        ):
            parts = []
            for name, item, tone in (
                (own, self.own_revenue, "own"),
                (transfers, self.transfers, "transfer"),
            ):
                share = getattr(item, f"{amount}_share")
                value = getattr(item, amount)
                parts.append(
                    charts.BarInput(
                        value,
                        f"{name}: {format_figure(value, MONEY)}"
                        + (
                            f", {format_figure(share, PERCENT)}"
                            if share is not None
                            else ""
                        ),
                        tone,
                    )
                )
            rows.append(charts.StackInput(label=label, parts=parts))
        return charts.stacked_chart(
            chart_id="chart-revenue",
            title=gettext("Revenue: own revenues and transfers"),
            description=gettext(
                "Two bars, the revenue planned and the revenue received, each split into "
                "own revenues (taxes, fees, other) and transfers from the district "
                "budget, with each part's amount and share; the table beside the chart "
                "gives the same figures."
            ),
            rows=rows,
        )


def _function_label(function: FunctionExecution) -> str:
    if function.group is None:
        return str(function.label)
    return f"{function.group:02d} {function.label}"


def execution_sums(
    *, unit_ids: Sequence[int], fiscal_year: int
) -> dict[int, BudgetFigures]:
    """Each unit's adopted budget of the year, plan and actual, in two queries whatever
    the number of units, lines and entries; units with no adopted budget are absent."""
    approved = {
        "draft__status": DraftStatus.APPROVED,
        "draft__cycle__fiscal_year": fiscal_year,
        "draft__cycle__unit_id__in": unit_ids,
    }
    keys = (
        "classification__kind",
        "classification__is_transfer",
        "classification__position",
    )
    figures: dict[int, BudgetFigures] = {}
    for row in (
        BudgetLine.objects.filter(**approved)
        .values("draft__cycle__unit_id", *keys)
        .annotate(tiyn=_tiyn_sum("amount"))
        .order_by()
    ):
        figures.setdefault(row["draft__cycle__unit_id"], BudgetFigures()).add(
            kind=row["classification__kind"],
            is_transfer=row["classification__is_transfer"],
            position=row["classification__position"],
            plan=_tenge(row["tiyn"]),
        )
    for row in (
        ExecutionEntry.objects.filter(**{f"line__{k}": v for k, v in approved.items()})
        .values("line__draft__cycle__unit_id", *(f"line__{key}" for key in keys))
        .annotate(tiyn=_tiyn_sum("amount"))
        .order_by()
    ):
        figures.setdefault(row["line__draft__cycle__unit_id"], BudgetFigures()).add(
            kind=row["line__classification__kind"],
            is_transfer=row["line__classification__is_transfer"],
            position=row["line__classification__position"],
            actual=_tenge(row["tiyn"]),
        )
    return figures


@dataclass
class UnitExecution:
    """The execution section of one unit's dashboard."""

    unit: AdministrativeUnit
    fiscal_year: int
    cycle: BudgetCycle | None
    state: CycleState | None
    figures: BudgetFigures | None

    @property
    def is_adopted(self) -> bool:
        return self.figures is not None

    @property
    def execution_url(self) -> str:
        return reverse(
            "budgets:execution",
            kwargs={"kato_code": self.unit.kato_code, "fiscal_year": self.fiscal_year},
        )


def unit_execution(*, unit: AdministrativeUnit, fiscal_year: int) -> UnitExecution:
    """The unit's cycle of the year with its state, and, once a draft is adopted, its
    execution summed: one query without a cycle, three before adoption, five after."""
    cycle = (
        with_state_days(BudgetCycle.objects.filter(unit=unit, fiscal_year=fiscal_year))
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch("drafts", queryset=DraftBudget.objects.order_by("-version")),
        )
        .first()
    )
    if cycle is None:
        return UnitExecution(unit, fiscal_year, None, None, None)
    cycle.unit = unit
    figures = None
    if adopted_draft(cycle) is not None:
        figures = execution_sums(unit_ids=[unit.pk], fiscal_year=fiscal_year).get(
            unit.pk, BudgetFigures()
        )
        figures.units_total = figures.units_with_cycle = figures.units_adopted = 1
        figures.finish()
    return UnitExecution(unit, fiscal_year, cycle, cycle_state(cycle), figures)


def area_execution(
    *, units: Sequence[AdministrativeUnit], fiscal_year: int
) -> AreaFigures:
    """The execution summed over the units, and each unit's figures for the comparison;
    three queries whatever the number of units."""
    unit_ids = [unit.pk for unit in units]
    adopted = DraftBudget.objects.filter(
        cycle=OuterRef("pk"), status=DraftStatus.APPROVED
    )
    cycles = dict(
        BudgetCycle.objects.filter(unit_id__in=unit_ids, fiscal_year=fiscal_year)
        .annotate(is_adopted=Exists(adopted))
        .values_list("unit_id", "is_adopted")
    )
    by_unit = execution_sums(unit_ids=unit_ids, fiscal_year=fiscal_year)
    total = BudgetFigures(
        units_total=len(units),
        units_with_cycle=len(cycles),
        units_adopted=sum(1 for is_adopted in cycles.values() if is_adopted),
    )
    values = {}
    for unit in units:
        if not cycles.get(unit.pk):
            values[unit.pk] = dict.fromkeys(column.key for column in COLUMNS)
            continue
        # An adopted budget without a line sums to nothing, and still counts.
        figures = by_unit.get(unit.pk, BudgetFigures())
        total.merge(figures)
        values[unit.pk] = _comparison(unit, figures.finish())
    return AreaFigures(total=total.finish(), by_unit=values)


COLUMNS = (
    Column("expenditure_plan", _("Spending planned"), MONEY),
    Column("expenditure_actual", _("Spent"), MONEY),
    Column("expenditure_executed", _("Spending executed"), PERCENT),
    Column("own_revenue_share", _("Own revenues, share of revenue planned"), PERCENT),
    Column("plan_per_resident", _("Spending planned per resident"), MONEY),
)


def _comparison(unit: AdministrativeUnit, figures: BudgetFigures) -> dict:
    return {
        "expenditure_plan": figures.expenditure.plan,
        "expenditure_actual": figures.expenditure.actual,
        "expenditure_executed": figures.expenditure.percentage,
        "own_revenue_share": figures.own_revenue.plan_share,
        "plan_per_resident": (
            (figures.expenditure.plan / unit.population).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
            if unit.population
            else None
        ),
    }


dashboard.register(
    dashboard.Section(
        key="execution",
        position=10,
        template="budgets/dashboard/execution.html",
        area_template="budgets/dashboard/execution_area.html",
        unit_figures=unit_execution,
        area_figures=area_execution,
        columns=COLUMNS,
    )
)
