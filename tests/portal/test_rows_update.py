"""One value set on many rows: an UPDATE per batch of keys, never a statement per row nor
a CASE per row, and only the rows named."""

from portal import services
from portal.models import AdministrativeUnit
from tests.portal.factories import UnitFactory


def test_rows_are_updated_by_batches_of_keys_and_no_other_row(
    db, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(services, "ROWS_PER_UPDATE", 4)
    units = [UnitFactory(kato_code=f"1156{30 + n:02d}000") for n in range(11)]
    named = [unit.pk for unit in units[:10]]

    # 10 keys by batches of 4: three statements
    with django_assert_num_queries(3):
        changed = services.rows_update(
            AdministrativeUnit, named, population=777, population_year=2021
        )

    assert changed == 10
    assert set(
        AdministrativeUnit.objects.filter(
            population=777, population_year=2021
        ).values_list("pk", flat=True)
    ) == set(named)
    units[10].refresh_from_db()
    assert units[10].population != 777


def test_no_keys_cost_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert (
            services.rows_update(
                AdministrativeUnit, [], population=1, population_year=2021
            )
            == 0
        )
