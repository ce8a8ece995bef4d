"""Reads of gatherings: the unit's rules, its gatherings, one gathering with its agenda,
and the residents of its territory the household register lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.iin import born_by
from accounts.models import RegisterEntry, address_key
from community import lifecycle
from community.models import (
    Attendance,
    Gathering,
    GatheringRules,
    GatheringStatus,
)
from portal.models import AdministrativeUnit


def gathering_rules(*, unit: AdministrativeUnit) -> GatheringRules:
    """The unit's rules, or the model rules' defaults unsaved."""
    return GatheringRules.objects.filter(unit=unit).first() or GatheringRules(unit=unit)


def unit_places(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The settlements a separate gathering may be held in: the unit's own, or itself
    when it is one settlement."""
    places = AdministrativeUnit.objects.filter(Q(parent=unit) | Q(parent__parent=unit))
    if not places.exists():
        places = AdministrativeUnit.objects.filter(pk=unit.pk)
    return places.order_by("name_kk", "kato_code")


def gatherings_of(
    *, unit: AdministrativeUnit, with_planned: bool
) -> QuerySet[Gathering]:
    gatherings = (
        Gathering.objects.filter(unit=unit)
        .select_related("unit", "place")
        .order_by("-held_on", "-pk")
    )
    if not with_planned:
        gatherings = gatherings.exclude(status=GatheringStatus.PLANNED)
    return gatherings


def gathering_get(*, kato_code: str, pk: int) -> Gathering:
    return get_object_or_404(
        Gathering.objects.select_related("unit", "place").prefetch_related("items"),
        unit__kato_code=kato_code,
        pk=pk,
    )


def territory_register(*, gathering: Gathering) -> QuerySet[RegisterEntry]:
    """The register's residents of the gathering's territory: the unit, a settlement,
    a street of it or a building on that street (streets and houses compared without
    regard to case or spacing)."""
    entries = RegisterEntry.objects.filter(unit_id=gathering.unit_id)
    if gathering.place_id:
        entries = entries.filter(place_id=gathering.place_id)
    if gathering.street:
        entries = entries.filter(street_key=address_key(gathering.street))
    if gathering.house:
        entries = entries.filter(house_key=address_key(gathering.house))
    return entries


def eligible_register(*, gathering: Gathering) -> QuerySet[RegisterEntry]:
    """Those of them of age on the gathering's day."""
    return territory_register(gathering=gathering).filter(
        birth_date__lte=born_by(gathering.held_on, gathering.min_age)
    )


def eligible_count(*, gathering: Gathering) -> int:
    """The residents of age: frozen when the gathering closed, counted until then."""
    if gathering.eligible is not None:
        return gathering.eligible
    return eligible_register(gathering=gathering).count()


def present_count(*, gathering: Gathering) -> int:
    if gathering.present is not None:
        return gathering.present
    return Attendance.objects.filter(gathering=gathering).count()


def attendance_of(*, gathering: Gathering) -> QuerySet[Attendance]:
    return Attendance.objects.filter(gathering=gathering).order_by(
        "-recorded_at", "-pk"
    )


def gathering_figures(*, gathering: Gathering) -> dict:
    eligible = eligible_count(gathering=gathering)
    present = present_count(gathering=gathering)
    needed = lifecycle.share_needed(eligible, gathering.quorum_percent)
    return {
        "eligible": eligible,
        "present": present,
        "quorum_needed": needed,
        "quorate": present >= needed,
    }
