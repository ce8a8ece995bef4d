"""Reads of the territorial registry and of notifications, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import AdministrativeUnit, Level, Notification


def unit_get(*, kato_code: str) -> AdministrativeUnit:
    return get_object_or_404(
        AdministrativeUnit.objects.with_ancestors(), kato_code=kato_code
    )


def unit_children(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    # The related manager hands each child its parent, so statuses cost no query.
    return unit.children.annotate(children_count=Count("children")).order_by(
        "name_kk", "kato_code"
    )


def unit_search(*, text: str) -> QuerySet[AdministrativeUnit]:
    return (
        AdministrativeUnit.objects.matching(text)
        .with_ancestors()
        .order_by("level", "name_kk", "kato_code")
    )


def districts() -> list[AdministrativeUnit]:
    """Districts and cities whose units hold budgets, with their region, for a picker."""
    return list(
        AdministrativeUnit.objects.filter(
            level__in=(Level.DISTRICT, Level.CITY_OF_REGIONAL_SIGNIFICANCE),
            parent__level=Level.REGION,
        )
        .select_related("parent")
        .order_by("parent__name_kk", "name_kk")
    )


def units_with_own_budget(
    *, district, fiscal_year: int
) -> QuerySet[AdministrativeUnit]:
    return (
        AdministrativeUnit.objects.holding_own_budget(fiscal_year)
        .filter(parent=district)
        .order_by("name_kk")
    )


def regions() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(parent__isnull=True).order_by("name_kk")


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("unit")


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
