"""import_population: each unit's population of a year, in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.kato.classifier import note_first_row, units_update
from portal.kato.tables import (
    FIRST_CENSUS_YEAR,
    POPULATION_COLUMNS,
    read_table,
    row_error,
)
from portal.models import AdministrativeUnit

# import_population


@dataclass(frozen=True)
class PopulationResult:
    updated: int
    unchanged: int


POPULATION_MAX = 2_147_483_647  # the largest PositiveIntegerField on every database


def _integer(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def import_population(path: Path) -> PopulationResult:
    """Set the population and its year of units from a `kato,population,year` table.

    CSV or XLSX, read as the classifier is (`read_table`).
    """
    path = Path(path)
    last_year = timezone.now().year
    rows = list(read_table(path, POPULATION_COLUMNS, kind="population"))
    with transaction.atomic():
        units = {
            unit.kato_code: unit
            for unit in AdministrativeUnit.objects.only(
                "pk", "kato_code", "population", "population_year"
            )
        }
        first_row: dict[str, int] = {}
        to_update: list[AdministrativeUnit] = []
        unchanged = 0
        for row in rows:
            code = row.values.get("kato", "")
            population = _integer(row.values.get("population", ""))
            year = _integer(row.values.get("year", ""))
            unit = units.get(code)
            if unit is None:
                raise row_error(
                    row,
                    "population_unknown_code",
                    _("no unit has the KATO code %(code)s.") % {"code": code or '""'},
                )
            note_first_row(row, code, first_row, kind="population")
            if population is None or population > POPULATION_MAX:
                raise row_error(
                    row,
                    "population_not_a_number",
                    _("the population %(value)s is not a whole number of people.")
                    % {"value": row.values.get("population", "") or '""'},
                )
            if population < 0:
                raise row_error(
                    row,
                    "population_negative",
                    _("the population %(value)d is negative.") % {"value": population},
                )
            if year is None or not FIRST_CENSUS_YEAR <= year <= last_year:
                raise row_error(
                    row,
                    "population_year_out_of_range",
                    _("the year %(value)s is not between %(first)d and %(last)d.")
                    % {
                        "value": row.values.get("year", "") or '""',
                        "first": FIRST_CENSUS_YEAR,
                        "last": last_year,
                    },
                )
            if (unit.population, unit.population_year) == (population, year):
                unchanged += 1
                continue
            unit.population = population
            unit.population_year = year
            to_update.append(unit)
        units_update(to_update, ["population", "population_year"])
    return PopulationResult(updated=len(to_update), unchanged=unchanged)
