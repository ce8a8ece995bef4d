"""One value set on many rows: an UPDATE per batch of keys, never a statement per row nor
a CASE per row, and only the rows named; and rows inserted from a SELECT in one
statement."""

import pytest
from django.db.models import CharField, F
from django.db.models.functions import Cast

from portal import services
from portal.models import AdministrativeUnit, AuditEvent
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


def test_rows_are_inserted_from_a_select_in_one_statement_with_the_defaults(
    db, django_assert_num_queries
):
    # Given three units, an event recorded for each in one INSERT … SELECT
    units = [UnitFactory(kato_code=f"1156{40 + n:02d}000") for n in range(3)]
    rows = AdministrativeUnit.objects.filter(pk__in=[u.pk for u in units]).order_by(
        "pk"
    )
    with django_assert_num_queries(1):
        services.rows_insert_select(
            AuditEvent,
            rows,
            {
                "verb": "unit.checked",
                "target_id": Cast("pk", output_field=CharField()),
                "unit": F("pk"),
            },
        )
    # Then each has its row, in the rows' order, the other fields at their defaults
    assert list(
        AuditEvent.objects.filter(verb="unit.checked")
        .order_by("pk")
        .values_list("target_id", "unit_id", "actor_id", "details")
    ) == [(str(u.pk), u.pk, None, {}) for u in units]


def test_a_field_the_model_does_not_have_is_refused(db):
    with pytest.raises(ValueError, match="no fields"):
        services.rows_insert_select(
            AuditEvent, AdministrativeUnit.objects.all(), {"colour": "red"}
        )
    with pytest.raises(TypeError):
        services.audit_events_record_select(
            AdministrativeUnit.objects.all(),
            verb="unit.checked",
            target_id=F("pk"),
            unit_id=F("pk"),
            details={},
            at=None,
        )
