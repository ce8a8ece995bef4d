"""Which units hold their own budget, as a table: level, parent, population, year → holds?"""

import pytest

from portal.models import AdministrativeUnit, Level, OwnBudgetReason, own_budget_status
from tests.portal.factories import UnitFactory

L = Level
R = OwnBudgetReason

# (level, parent level, population, fiscal year) → (holds, reason)
RULE_TABLE = [
    # Towns of district significance and rural districts: by population before 2020.
    (L.CITY_OF_DISTRICT_SIGNIFICANCE, L.DISTRICT, 15000, 2017, False, R.BEFORE_REFORM),
    (
        L.CITY_OF_DISTRICT_SIGNIFICANCE,
        L.DISTRICT,
        15000,
        2018,
        True,
        R.HOLDS_POPULATION,
    ),
    (L.RURAL_DISTRICT, L.DISTRICT, 2001, 2018, True, R.HOLDS_POPULATION),
    (L.RURAL_DISTRICT, L.DISTRICT, 2000, 2018, False, R.TOO_SMALL),
    (L.RURAL_DISTRICT, L.DISTRICT, 2000, 2019, False, R.TOO_SMALL),
    (L.RURAL_DISTRICT, L.DISTRICT, None, 2019, False, R.POPULATION_UNKNOWN),
    (L.RURAL_DISTRICT, L.DISTRICT, 2000, 2020, True, R.HOLDS_ALL_UNITS),
    (L.RURAL_DISTRICT, L.DISTRICT, None, 2026, True, R.HOLDS_ALL_UNITS),
    (
        L.RURAL_DISTRICT,
        L.CITY_OF_REGIONAL_SIGNIFICANCE,
        900,
        2021,
        True,
        R.HOLDS_ALL_UNITS,
    ),
    # A village or settlement administration (directly under a district or city).
    (L.VILLAGE, L.DISTRICT, 2400, 2018, True, R.HOLDS_POPULATION),
    (L.VILLAGE, L.DISTRICT, 1500, 2019, False, R.TOO_SMALL),
    (L.VILLAGE, L.DISTRICT, 1500, 2020, True, R.HOLDS_ALL_UNITS),
    (
        L.SETTLEMENT,
        L.CITY_OF_REGIONAL_SIGNIFICANCE,
        3000,
        2018,
        True,
        R.HOLDS_POPULATION,
    ),
    (L.SETTLEMENT, L.DISTRICT, 300, 2025, True, R.HOLDS_ALL_UNITS),
    # A village inside a rural district, a town or another village takes part in theirs.
    (L.VILLAGE, L.RURAL_DISTRICT, 5000, 2018, False, R.PART_OF_LARGER_UNIT),
    (L.VILLAGE, L.RURAL_DISTRICT, 5000, 2026, False, R.PART_OF_LARGER_UNIT),
    (L.SETTLEMENT, L.RURAL_DISTRICT, 800, 2026, False, R.PART_OF_LARGER_UNIT),
    (
        L.VILLAGE,
        L.CITY_OF_DISTRICT_SIGNIFICANCE,
        800,
        2026,
        False,
        R.PART_OF_LARGER_UNIT,
    ),
    (L.VILLAGE, L.VILLAGE, 40, 2026, False, R.PART_OF_LARGER_UNIT),
    # KATO lists a town's administration and, below it, the town itself: one budget.
    (
        L.CITY_OF_DISTRICT_SIGNIFICANCE,
        L.CITY_OF_DISTRICT_SIGNIFICANCE,
        45000,
        2026,
        False,
        R.PART_OF_LARGER_UNIT,
    ),
    # Levels above local self-government never hold a fourth-level budget.
    (L.REGION, None, 800000, 2026, False, R.NOT_LOCAL_LEVEL),
    (L.DISTRICT, L.REGION, 40000, 2026, False, R.NOT_LOCAL_LEVEL),
    (L.CITY_OF_REGIONAL_SIGNIFICANCE, L.REGION, 300000, 2026, False, R.NOT_LOCAL_LEVEL),
    (L.CITY_OF_REPUBLICAN_SIGNIFICANCE, None, 1500000, 2026, False, R.NOT_LOCAL_LEVEL),
    (
        L.DISTRICT_IN_CITY,
        L.CITY_OF_REPUBLICAN_SIGNIFICANCE,
        200000,
        2026,
        False,
        R.NOT_LOCAL_LEVEL,
    ),
]


@pytest.mark.parametrize(
    ("level", "parent_level", "population", "year", "holds", "reason"), RULE_TABLE
)
def test_own_budget_rule(level, parent_level, population, year, holds, reason):
    status = own_budget_status(
        level=level, parent_level=parent_level, population=population, fiscal_year=year
    )

    assert (status.holds, status.reason) == (holds, reason)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "parent_level", "population", "year", "holds", "reason"), RULE_TABLE
)
def test_the_queryset_agrees_with_the_rule(
    level, parent_level, population, year, holds, reason
):
    parent = (
        UnitFactory(kato_code="110000000", level=parent_level) if parent_level else None
    )
    unit = UnitFactory(
        kato_code="115633000",
        level=level,
        parent=parent,
        population=population,
        population_year=2021 if population is not None else None,
    )

    held = (
        AdministrativeUnit.objects.holding_own_budget(year).filter(pk=unit.pk).exists()
    )

    assert held is holds
    assert unit.has_own_budget(year) is holds


def test_budget_unit_is_the_nearest_unit_up_the_tree_that_holds_one(territory):
    village = AdministrativeUnit.objects.with_ancestors().get(kato_code="115633100")

    assert village.budget_unit(2026) == territory["rural_district"]
    assert (
        territory["village_administration"].budget_unit(2026)
        == territory["village_administration"]
    )
    assert territory["district"].budget_unit(2026) is None
