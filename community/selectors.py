"""Reads of gatherings: the unit's rules, its gatherings, one gathering with its agenda,
and the residents of its territory the household register lists; and of the community
meeting: its members in office on a day, its sittings, one sitting's figures."""

from __future__ import annotations

import datetime

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
    MeetingMember,
    MeetingSitting,
    SittingRoll,
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
        "quorate": lifecycle.is_quorate(present, eligible, gathering.quorum_percent),
    }


def quorate(gathering: Gathering) -> bool:
    """Whether a held gathering had its quorum (from the counts fixed at its close)."""
    return gathering.status == GatheringStatus.HELD and lifecycle.is_quorate(
        gathering.present or 0, gathering.eligible or 0, gathering.quorum_percent
    )


def electing_gatherings(*, unit: AdministrativeUnit) -> list[Gathering]:
    """The gatherings that may have elected members of the meeting: the unit's held
    gatherings that had their quorum, the latest first."""
    held = Gathering.objects.filter(unit=unit, status=GatheringStatus.HELD)
    return [
        gathering
        for gathering in held.select_related("unit", "place").order_by(
            "-held_on", "-pk"
        )
        if quorate(gathering)
    ]


def members_of(*, unit: AdministrativeUnit) -> QuerySet[MeetingMember]:
    return MeetingMember.objects.filter(unit=unit).select_related(
        "elected_by", "elected_by__place", "elected_by__unit"
    )


def members_in_office(
    *, unit: AdministrativeUnit, day: datetime.date
) -> QuerySet[MeetingMember]:
    """The members in office on `day`: within their term, not having left by then."""
    return members_of(unit=unit).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        term_starts__lte=day,
        term_ends__gte=day,
    )


def sittings_of(*, unit: AdministrativeUnit) -> QuerySet[MeetingSitting]:
    return (
        MeetingSitting.objects.filter(unit=unit)
        .select_related("unit")
        .order_by("-held_on", "-pk")
    )


def sitting_get(*, kato_code: str, pk: int) -> MeetingSitting:
    return get_object_or_404(
        MeetingSitting.objects.select_related("unit").prefetch_related("items"),
        unit__kato_code=kato_code,
        pk=pk,
    )


def roll_members(*, sitting: MeetingSitting, present: bool) -> QuerySet[MeetingMember]:
    """The members present at a held sitting, or those absent, by name: from its roll,
    fixed when it was closed."""
    return MeetingMember.objects.filter(
        pk__in=SittingRoll.objects.filter(sitting=sitting, present=present).values(
            "member_id"
        )
    ).order_by("full_name", "pk")


def sitting_figures(*, sitting: MeetingSitting) -> dict:
    """The members in office and present, and the quorum: fixed when the sitting was
    held, counted until then."""
    if sitting.members_total is not None:
        total, present = sitting.members_total, sitting.members_present or 0
    else:
        total = members_in_office(unit=sitting.unit, day=sitting.held_on).count()
        present = 0
    needed = lifecycle.share_needed(total, sitting.meeting_quorum_percent)
    return {
        "total": total,
        "present": present,
        "quorum_needed": needed,
        "quorate": lifecycle.is_quorate(present, total, sitting.meeting_quorum_percent),
    }
