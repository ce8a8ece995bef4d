"""Who may do what with accounts, and the predicates on roles and residency other apps compose."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Residency, Role, RoleMembership
from portal.permissions import add_rule


def _has_role(user, roles, unit_ids) -> bool:
    if not user.is_authenticated:
        return False
    return (
        RoleMembership.objects.current()
        .filter(user=user, role__in=roles, unit_id__in=unit_ids)
        .exists()
    )


@rules.predicate
def is_unit_staff(user, unit) -> bool:
    """Akimat staff or the akim of this very unit."""
    return unit is not None and _has_role(
        user, (Role.AKIMAT_STAFF, Role.AKIM), [unit.pk]
    )


@rules.predicate
def is_akim(user, unit) -> bool:
    return unit is not None and _has_role(user, (Role.AKIM,), [unit.pk])


@rules.predicate
def is_moderator_for(user, unit) -> bool:
    """A moderator of this unit or of any unit above it (a region's covers its units)."""
    if unit is None:
        return False
    scope = [unit.pk, *(ancestor.pk for ancestor in unit.ancestors)]
    return _has_role(user, (Role.MODERATOR,), scope)


@rules.predicate
def is_maslikhat_deputy_of(user, district) -> bool:
    return district is not None and _has_role(
        user, (Role.MASLIKHAT_DEPUTY, Role.MASLIKHAT_CHAIRMAN), [district.pk]
    )


@rules.predicate
def is_maslikhat_chairman_of(user, district) -> bool:
    return district is not None and _has_role(
        user, (Role.MASLIKHAT_CHAIRMAN,), [district.pk]
    )


@rules.predicate
def is_verified_resident_of(user, unit) -> bool:
    """Support and comment need this: a verified residency in the unit's budget."""
    if not user.is_authenticated or unit is None:
        return False
    return Residency.objects.verified().filter(user=user, budget_unit=unit).exists()


@rules.predicate
def is_any_unit_staff(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        RoleMembership.objects.current()
        .filter(user=user, role__in=(Role.AKIMAT_STAFF, Role.AKIM))
        .exists()
    )


@rules.predicate
def is_claimant_of_pending(user, residency: Residency) -> bool:
    return (
        user.is_authenticated
        and residency is not None
        and residency.user_id == user.pk
        and residency.is_pending
    )


@rules.predicate
def is_staff_of_claimed_unit(user, residency: Residency) -> bool:
    return residency.user_id != user.pk and is_unit_staff(user, residency.budget_unit)


add_rule(
    "accounts.view_residency_queue",
    is_any_unit_staff,
    refusal=_("Only akimat staff see the queue of residency claims."),
)
add_rule(
    "accounts.decide_residency",
    is_staff_of_claimed_unit,
    refusal=_(
        "Only the akimat staff of the resident's own unit may confirm or refuse this "
        "claim, and never their own."
    ),
)
add_rule(
    "accounts.confirm_residency_by_sms",
    is_claimant_of_pending,
    refusal=_(
        "Only the resident who made this claim confirms it by SMS code, and only "
        "while it awaits confirmation."
    ),
)
add_rule(
    "accounts.manage_register",
    is_unit_staff,
    refusal=_(
        "Only the akimat staff of this unit see and import its household register."
    ),
)
add_rule(
    "accounts.set_verification_channels",
    is_akim,
    refusal=_("Only the akim chooses how the akimat confirms residency claims."),
)
