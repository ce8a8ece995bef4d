"""Writes of the dashboards' snapshots (portal.models.DashboardSnapshot): taken when a
dashboard is first read, and taken again by the clock's refresh after an act in its units
(portal.tasks.dashboards_refresh). Their own home, apart from portal.services, which the
tasks module is imported by."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.utils import timezone

from portal import dashboard
from portal.models import (
    AdministrativeUnit,
    AuditEvent,
    DashboardRefresh,
    DashboardSnapshot,
)

# An act's audit event is written before its transaction commits: the refresh reads the
# trail again this far back, so that an act that committed late is not missed.
ACT_OVERLAP = datetime.timedelta(minutes=2)


def dashboard_snapshot_take(
    *, unit: AdministrativeUnit, fiscal_year: int
) -> tuple[dict, datetime.datetime]:
    """Compute the unit's dashboard for the year (its own budget's, or its area's) and
    keep it; returns the figures and the time they were computed from (the time before
    computing: an act during it makes the snapshot stale, and is taken up again)."""
    computed_at = timezone.now()
    if unit.own_budget_status(fiscal_year).holds:
        figures = dashboard.unit_figures(unit=unit, fiscal_year=fiscal_year)
    else:
        figures = dashboard.area_figures(area=unit, fiscal_year=fiscal_year)
    data, signature = dashboard.figures_pack(figures)
    DashboardSnapshot.objects.update_or_create(
        unit=unit,
        fiscal_year=fiscal_year,
        defaults={
            "computed_at": computed_at,
            "layout": dashboard.layout(),
            "figures": data,
            "signature": signature,
        },
    )
    return figures, computed_at


def dashboards_refresh() -> int:
    """Take again every kept dashboard whose unit, or a unit below it, has an act in the
    audit trail since it was computed (the clock's job); returns how many were taken."""
    now = timezone.now()
    with transaction.atomic():
        mark, _created = DashboardRefresh.objects.select_for_update().get_or_create(
            pk=1, defaults={"read_up_to": now}
        )
        since = mark.read_up_to - ACT_OVERLAP
        changed = dict(
            AuditEvent.objects.filter(created_at__gt=since, unit__isnull=False)
            .order_by()
            .values("unit_id")
            .annotate(last=models.Max("created_at"))
            .values_list("unit_id", "last")
        )
        mark.read_up_to = now
        mark.save(update_fields=["read_up_to"])
    # An act changes its unit's figures and those of every area above it.
    last_change: dict[int, datetime.datetime] = {}
    for unit_id, *ancestors in AdministrativeUnit.objects.filter(
        pk__in=list(changed)
    ).values_list(
        "pk",
        "parent_id",
        "parent__parent_id",
        "parent__parent__parent_id",
        "parent__parent__parent__parent_id",
    ):
        for affected in (unit_id, *ancestors):
            if affected is not None:
                last_change[affected] = max(
                    changed[unit_id], last_change.get(affected, changed[unit_id])
                )
    stale = [
        snapshot
        for snapshot in DashboardSnapshot.objects.filter(unit_id__in=list(last_change))
        .defer("figures")
        .select_related("unit")
        if snapshot.computed_at <= last_change[snapshot.unit_id]
    ]
    for snapshot in stale:
        dashboard_snapshot_take(unit=snapshot.unit, fiscal_year=snapshot.fiscal_year)
    return len(stale)
