"""Reads of the territorial registry and of notifications, each a fixed number of queries.

Not found: a `*_get` read, for the pages, raises Http404 when nothing matches; an
`*_api_get` read answers None, which the API turns into its own NotFound."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from portal import dashboard, notifications
from portal.models import (
    AdministrativeUnit,
    DashboardSnapshot,
    Level,
    Notification,
    NotificationPreference,
)


def is_kato_code(text: str) -> bool:
    """Whether `text` may be a KATO code (a few ASCII digits): anything else is found
    nowhere and never becomes a key of the cache."""
    return text.isascii() and text.isdigit() and len(text) <= KATO_CODE_MAX_LENGTH


KATO_CODE_MAX_LENGTH = 12


def unit_key(*, kato_code: str) -> int | None:
    """The primary key of the unit of this KATO code, or None: kept in the cache, for
    what reads a kept fragment first (portal.fragments)."""
    if not is_kato_code(kato_code):
        return None
    key = f"unit-key:{kato_code}"
    pk = cache.get(key)
    if pk is None:
        pk = (
            AdministrativeUnit.objects.filter(kato_code=kato_code)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            cache.set(key, pk, UNIT_KEY_KEPT_SECONDS)
    return pk


UNIT_KEY_KEPT_SECONDS = 24 * 60 * 60


def unit_get(*, kato_code: str) -> AdministrativeUnit:
    """A unit with its ancestors and its akimat's contacts, in one query."""
    return get_object_or_404(
        AdministrativeUnit.objects.with_ancestors().with_akimat(), kato_code=kato_code
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


def unit_api_list() -> QuerySet[AdministrativeUnit]:
    """Every unit with its parent's code, in KATO order: one query a page."""
    return AdministrativeUnit.objects.select_related("parent").order_by("kato_code")


def unit_api_get(*, kato_code: str) -> AdministrativeUnit | None:
    """A unit with its ancestors, its akimat's contacts and the number of its children,
    in one query."""
    return (
        AdministrativeUnit.objects.with_ancestors()
        .with_akimat()
        .annotate(children_count=Count("children"))
        .filter(kato_code=kato_code)
        .first()
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
    """The notices shown in the site; those the user wanted by e-mail only are not."""
    return Notification.objects.filter(recipient=user, in_app=True).select_related(
        "unit"
    )


def notification_get(*, user, pk: int) -> Notification:
    """One of the user's notices; not found among anyone else's."""
    return get_object_or_404(notification_list(user=user), pk=pk)


def notification_of(*, user, pk: int) -> Notification:
    """One of the user's notices however it was sent (an SMS's link leads to it)."""
    return get_object_or_404(Notification.objects.filter(recipient=user), pk=pk)


def notification_sms_kinds(*, user) -> set[str]:
    """The kinds the user chose to also get by SMS."""
    return set(
        NotificationPreference.objects.filter(
            user=user, by_sms=True, kind__in=notifications.sms_kinds()
        ).values_list("kind", flat=True)
    )


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, in_app=True, read_at__isnull=True
    ).count()


def notification_preferences(*, user) -> dict[str, tuple[bool, bool]]:
    """How the user wants each registered kind: (in the site, by e-mail), in one query."""
    chosen = {
        kind: (in_app, by_email)
        for kind, in_app, by_email in NotificationPreference.objects.filter(
            user=user
        ).values_list("kind", "in_app", "by_email")
    }
    return {kind: chosen.get(kind, (True, True)) for kind in notifications.KINDS}


def notifications_awaiting_email(
    *, created_after: datetime, created_before: datetime, limit: int
) -> list[int]:
    """Ids of the notices to e-mail not e-mailed yet, made in the time given, oldest first."""
    return list(
        Notification.objects.filter(
            by_email=True,
            emailed_at__isnull=True,
            created_at__gt=created_after,
            created_at__lte=created_before,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def dashboard_snapshot_get(
    *, unit: AdministrativeUnit, fiscal_year: int
) -> tuple[dict, datetime] | None:
    """The figures of the unit's dashboard for the year as last computed, with the time
    they were computed; None when there are none of the current layout."""
    row = (
        DashboardSnapshot.objects.filter(
            unit=unit, fiscal_year=fiscal_year, layout=dashboard.layout()
        )
        .values_list("figures", "signature", "computed_at")
        .first()
    )
    if row is None:
        return None
    figures = dashboard.figures_unpack(row[0], row[1])
    return None if figures is None else (figures, row[2])


def dashboard_snapshot_time(
    *, unit: AdministrativeUnit, fiscal_year: int
) -> datetime | None:
    """When the figures of the unit's dashboard for the year were last computed (of the
    current layout), without reading them; None when they never were."""
    return (
        DashboardSnapshot.objects.filter(
            unit=unit, fiscal_year=fiscal_year, layout=dashboard.layout()
        )
        .values_list("computed_at", flat=True)
        .first()
    )
