"""Reads of the territorial registry and of notifications, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import AdministrativeUnit, Notification


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


def regions() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(parent__isnull=True).order_by("name_kk")


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("unit")


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
