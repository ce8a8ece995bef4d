"""Reads of accounts: staff of a unit, a user's residency and roles, the residency queue,
and the places a resident names.

Not found: a `*_get` read, for the pages, raises Http404 when nothing matches; a read that
may find nothing (`user_residency`) answers None."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import (
    RegisterEntry,
    RegisterImport,
    Residency,
    ResidencyStatus,
    Role,
    RoleMembership,
    TextCode,
    UnitVerification,
    User,
)
from portal.models import AdministrativeUnit

STAFF_ROLES = (Role.AKIMAT_STAFF, Role.AKIM)


def unit_staff(*, unit: AdministrativeUnit) -> QuerySet[User]:
    return User.objects.filter(
        memberships__in=RoleMembership.objects.current().filter(
            unit=unit, role__in=STAFF_ROLES
        ),
        is_active=True,
    ).distinct()


def user_residency(*, user: User) -> Residency | None:
    """The user's latest claim, whatever its state, with the places it names."""
    return (
        Residency.objects.filter(user=user)
        .select_related("place__parent__parent__parent__parent", "budget_unit")
        .first()
    )


def residency_get(*, pk: int) -> Residency:
    """A claim with the resident and the places it names, for the akimat's decision."""
    return get_object_or_404(
        Residency.objects.select_related(
            "user", "place__parent__parent", "budget_unit"
        ),
        pk=pk,
    )


def places_matching(
    text: str, *, levels: Iterable[str]
) -> QuerySet[AdministrativeUnit]:
    """The places of those levels whose name matches the text, with their ancestors."""
    return (
        AdministrativeUnit.objects.filter(level__in=levels)
        .with_ancestors()
        .matching(text)
    )


def places_coded(
    kato_code: str, *, levels: Iterable[str]
) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(
        level__in=levels, kato_code=kato_code
    ).with_ancestors()


def user_memberships(*, user: User) -> QuerySet[RoleMembership]:
    return RoleMembership.objects.filter(user=user).select_related("unit")


def staff_units(*, user: User) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(
        memberships__in=RoleMembership.objects.current().filter(
            user=user, role__in=STAFF_ROLES
        )
    ).distinct()


def is_moderator(*, user: User) -> bool:
    return (
        RoleMembership.objects.current().filter(user=user, role=Role.MODERATOR).exists()
    )


def residency_queue(*, user: User) -> QuerySet[Residency]:
    """Pending claims waiting for the akimat of any unit the user is staff of."""
    return (
        Residency.objects.filter(
            status=ResidencyStatus.PENDING, budget_unit__in=staff_units(user=user)
        )
        .select_related("user", "place__parent", "budget_unit")
        .order_by("created_at", "pk")
    )


def register_summary(*, unit: AdministrativeUnit) -> dict:
    """How many residents the unit's register lists, in all and by settlement."""
    by_place = list(
        RegisterEntry.objects.filter(unit=unit)
        .values("place__kato_code", "place__name_kk", "place__name_ru")
        .annotate(count=Count("pk"))
        .order_by("place__kato_code")
    )
    return {"total": sum(row["count"] for row in by_place), "by_place": by_place}


def register_imports(*, unit: AdministrativeUnit) -> QuerySet[RegisterImport]:
    return RegisterImport.objects.filter(unit=unit).select_related("imported_by")


def unit_verification(*, unit: AdministrativeUnit) -> UnitVerification:
    """The unit's channels, or the default (only a visit to the akimat) unsaved."""
    return UnitVerification.objects.filter(unit=unit).first() or UnitVerification(
        unit=unit
    )


def text_code_live(
    *, user: User, purpose: str, residency: Residency | None = None
) -> TextCode | None:
    """The person's latest code of this purpose while it may still be entered."""
    codes = TextCode.objects.filter(
        user=user,
        purpose=purpose,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=settings.QATYSU_SMS_CODE_ATTEMPTS,
    )
    if residency is not None:
        codes = codes.filter(residency=residency)
    return codes.order_by("-created_at", "-pk").first()
