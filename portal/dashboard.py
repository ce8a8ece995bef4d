"""The transparency dashboard: the registry of its sections and the assembly of its pages.

Portal owns the page but not the figures: budgets (the execution, the maslikhat's votes)
and proposals (the participation funnel, the reviews) register a `Section` here in their
AppConfig.ready(), and portal never imports them. A section computes its figures for one
unit's budget of a fiscal year, and for a set of units summed, with the values it adds to
the comparison of those units; and names the templates that show them.

The functions here are what the pages call, and what bench/dashboard.py times.
"""

from __future__ import annotations

import datetime
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import charts
from portal.models import AdministrativeUnit
from portal.templatetags.portal_tags import tenge

# How a column's values are written: an amount of tenge, a percentage, a count, a rate.
MONEY = "money"
PERCENT = "percent"
COUNT = "count"
RATE = "rate"


@dataclass(frozen=True)
class Suppressed:
    """A count of people too small to show (or one that would give such a count away by
    subtraction): written "fewer than N" or "hidden", never its value."""

    # The smallest count shown when the figure was computed.
    smallest: int
    # Hidden because it is small, or else only so that a small one cannot be worked out.
    is_small: bool = True


def smallest_cell() -> int:
    return settings.QATYSU_DASHBOARD_SMALLEST_CELL


def suppress(counts: Sequence[int], *, smallest: int | None = None) -> list:
    """Counts of people, each in its cell of one table whose total is shown: every count
    from 1 to `smallest` - 1 is suppressed; then, while the hidden cells are one alone or
    add up to fewer than `smallest` (the total less the cells shown would give them
    away: two hidden cells that make 2 are 1 and 1), the smallest other count above zero
    is hidden too. Zero is shown: it counts no one."""
    smallest = smallest_cell() if smallest is None else smallest
    hidden = {index for index, count in enumerate(counts) if 0 < count < smallest}
    while hidden and (
        len(hidden) == 1 or sum(counts[index] for index in hidden) < smallest
    ):
        others = [
            (count, index)
            for index, count in enumerate(counts)
            if count > 0 and index not in hidden
        ]
        if not others:
            break
        hidden.add(min(others)[1])
    return [
        Suppressed(smallest, is_small=counts[index] < smallest)
        if index in hidden
        else count
        for index, count in enumerate(counts)
    ]


def is_shown(value) -> bool:
    return value is not None and not isinstance(value, Suppressed)


def format_figure(value, kind: str) -> str:
    """A figure as the pages write it, in the active language; "—" when unknown."""
    if value is None:
        return "—"
    if isinstance(value, Suppressed):
        if not value.is_small:
            return str(_("hidden"))
        return str(_("fewer than %(smallest)s") % {"smallest": value.smallest})
    if kind == MONEY:
        return f"{tenge(value)}\u00a0₸"
    if kind == PERCENT:
        return f"{formats.number_format(value, 1)}%"
    if kind == RATE:
        return formats.number_format(value, 1)
    return tenge(value)


@dataclass(frozen=True)
class Column:
    """A figure by which the units of a district or region are compared and sorted."""

    key: str
    label: str | Promise
    kind: str
    # The figure the comparison's chart draws when the table is sorted by it.
    is_charted: bool = True


@dataclass
class AreaFigures:
    """A section's figures over several units: summed, and each unit's comparison values."""

    total: Any
    by_unit: dict[int, dict[str, Decimal | int | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    key: str
    position: int
    # Renders `figures` (what `unit_figures` returned) for `unit` and `fiscal_year`.
    template: str
    # Renders `figures` (the `total` of `area_figures`) for `area` and `fiscal_year`.
    area_template: str
    # (*, unit, fiscal_year) -> figures, in a fixed number of queries.
    unit_figures: Callable[..., Any]
    # (*, units, fiscal_year) -> AreaFigures, in a fixed number of queries whatever the
    # number of units.
    area_figures: Callable[..., AreaFigures]
    columns: tuple[Column, ...] = ()


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


def registered() -> list[Section]:
    return sorted(
        SECTIONS.values(), key=lambda section: (section.position, section.key)
    )


@dataclass(frozen=True)
class SectionFigures:
    section: Section
    figures: Any

    @property
    def template(self) -> str:
        return self.section.template

    @property
    def area_template(self) -> str:
        return self.section.area_template


@dataclass
class UnitDashboard:
    unit: AdministrativeUnit
    fiscal_year: int
    sections: list[SectionFigures]
    # When the figures were computed (a snapshot's time), None when just now.
    computed_at: datetime.datetime | None = None


# Raise when a section's figures change their attributes: older snapshots are then
# computed anew instead of read.
FIGURES_VERSION = 3


def layout() -> str:
    """What a snapshot's figures are made of: the sections registered, in order, and the
    version of the figures' objects (raised when a section's figures change shape)."""
    return f"{FIGURES_VERSION}:" + ",".join(section.key for section in registered())


def figures_pack(figures: dict[str, Any]) -> tuple[bytes, str]:
    """A snapshot's figures as bytes, with their signature."""
    data = pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL)
    return data, _signature(data)


def figures_unpack(data: bytes, signature: str) -> dict[str, Any] | None:
    """The figures of a snapshot, or None when its signature is not the site's (never
    unpickled then)."""
    data = bytes(data)
    if not constant_time_compare(_signature(data), signature):
        return None
    return pickle.loads(data)  # noqa: S301 - signed by this site just above


def _signature(data: bytes) -> str:
    return salted_hmac(SNAPSHOT_SALT, data, algorithm="sha256").hexdigest()


SNAPSHOT_SALT = "portal.dashboard.snapshot"


def unit_figures(*, unit: AdministrativeUnit, fiscal_year: int) -> dict[str, Any]:
    """Every section's figures for the budget of a unit that holds one in that year, by
    section key: what a snapshot keeps."""
    return {
        section.key: section.unit_figures(unit=unit, fiscal_year=fiscal_year)
        for section in registered()
    }


def unit_dashboard(
    *,
    unit: AdministrativeUnit,
    fiscal_year: int,
    figures: dict[str, Any] | None = None,
    computed_at: datetime.datetime | None = None,
) -> UnitDashboard:
    """A unit's dashboard: from the figures of a snapshot, or computed now."""
    if figures is None:
        figures = unit_figures(unit=unit, fiscal_year=fiscal_year)
    return UnitDashboard(
        unit=unit,
        fiscal_year=fiscal_year,
        sections=[
            SectionFigures(section, figures[section.key]) for section in registered()
        ],
        computed_at=computed_at,
    )


# KATO has at most five levels: four steps up from a unit reach the region.
ANCESTOR_PATHS = tuple("__".join(["parent"] * steps) for steps in range(1, 5))


def area_units(*, area: AdministrativeUnit, fiscal_year: int) -> list:
    """The units within `area` (a district, a city, a region) that hold their own budget
    in the year, by KATO code (the same order on every database); one query."""
    within = Q()
    for path in ANCESTOR_PATHS:
        within |= Q(**{path: area})
    return list(
        AdministrativeUnit.objects.holding_own_budget(fiscal_year)
        .filter(within)
        .select_related("parent")
        .order_by("kato_code")
    )


POPULATION = Column("population", _("Population"), COUNT, is_charted=False)
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class ComparisonRow:
    unit: AdministrativeUnit
    # Each column with the unit's value, None when unknown.
    cells: list[tuple[Column, Decimal | int | None]]

    def value(self, key: str):
        for column, value in self.cells:
            if column.key == key:
                return value
        raise KeyError(key)


@dataclass
class AreaDashboard:
    area: AdministrativeUnit
    fiscal_year: int
    units: list[AdministrativeUnit]
    sections: list[SectionFigures]
    columns: list[Column]
    rows: list[ComparisonRow]
    # The key the rows are sorted by, with "-" in front when descending.
    sort: str = DEFAULT_SORT
    computed_at: datetime.datetime | None = None

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def is_descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def chart_column(self) -> Column | None:
        """The figure the comparison chart draws: the one sorted by, when it is charted,
        or else the first charted one."""
        charted = [column for column in self.columns if column.is_charted]
        for column in charted:
            if column.key == self.sort_key:
                return column
        return charted[0] if charted else None


def comparison_columns() -> list[Column]:
    return [POPULATION] + [
        column for section in registered() for column in section.columns
    ]


def sort_choices() -> set[str]:
    keys = {DEFAULT_SORT, *(column.key for column in comparison_columns())}
    return keys | {f"-{key}" for key in keys}


def area_figures(*, area: AdministrativeUnit, fiscal_year: int) -> dict[str, Any]:
    """The sections' figures summed over the units of `area` that hold their own budget,
    and each unit's values for the comparison: what a snapshot keeps."""
    units = area_units(area=area, fiscal_year=fiscal_year)
    totals: dict[str, Any] = {}
    values: dict[int, dict] = {
        unit.pk: {POPULATION.key: unit.population} for unit in units
    }
    for section in registered():
        figures = section.area_figures(units=units, fiscal_year=fiscal_year)
        totals[section.key] = figures.total
        for unit_id, unit_values in figures.by_unit.items():
            values.setdefault(unit_id, {}).update(unit_values)
    return {"units": units, "totals": totals, "values": values}


def area_dashboard(
    *,
    area: AdministrativeUnit,
    fiscal_year: int,
    sort: str = DEFAULT_SORT,
    figures: dict[str, Any] | None = None,
    computed_at: datetime.datetime | None = None,
) -> AreaDashboard:
    """The sections' figures summed over the units of `area` that hold their own budget,
    and the units compared, sorted by `sort` (a column's key, "-" first for descending;
    an unknown key sorts by name): from the figures of a snapshot, or computed now.
    Units without a value for the sorted column come last either way."""
    if figures is None:
        figures = area_figures(area=area, fiscal_year=fiscal_year)
    units, values = figures["units"], figures["values"]
    columns = comparison_columns()
    if sort not in sort_choices():
        sort = DEFAULT_SORT
    rows = [
        ComparisonRow(
            unit=unit,
            cells=[(column, values[unit.pk].get(column.key)) for column in columns],
        )
        for unit in units
    ]
    return AreaDashboard(
        area=area,
        fiscal_year=fiscal_year,
        units=units,
        sections=[
            SectionFigures(section, figures["totals"][section.key])
            for section in registered()
        ],
        columns=columns,
        rows=_sorted(rows, sort),
        sort=sort,
        computed_at=computed_at,
    )


def _sorted(rows: list[ComparisonRow], sort: str) -> list[ComparisonRow]:
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    # By name first, so that equal values keep the order of the names.
    rows = sorted(rows, key=lambda row: (row.unit.name.casefold(), row.unit.kato_code))
    if key == DEFAULT_SORT:
        return rows[::-1] if descending else rows
    known = [row for row in rows if row.value(key) is not None]
    unknown = [row for row in rows if row.value(key) is None]
    known.sort(key=lambda row: row.value(key), reverse=descending)
    return known + unknown


def comparison_chart(
    rows: Sequence[ComparisonRow], column: Column, *, title: str, description: str
) -> charts.BarChart:
    """The units of a page of the comparison, one bar each for the figure `column`."""
    return charts.bar_chart(
        chart_id="chart-comparison",
        title=title,
        description=description,
        groups=[
            charts.GroupInput(
                label=row.unit.name,
                bars=[
                    charts.BarInput(
                        row.value(column.key),
                        format_figure(row.value(column.key), column.kind),
                        "actual",
                    )
                ],
            )
            for row in rows
        ],
        maximum=100 if column.kind == PERCENT else None,
    )
