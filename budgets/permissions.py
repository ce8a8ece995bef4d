"""Who may do what with budget cycles and drafts. Phases and statuses are the services' rules;
these are the roles."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    is_akim,
    is_maslikhat_chairman_of,
    is_unit_staff,
    is_verified_resident_of,
)
from portal.permissions import add_rule


@rules.predicate
def is_staff_of_cycle(user, cycle) -> bool:
    return is_unit_staff(user, cycle.unit)


@rules.predicate
def is_akim_of_cycle(user, cycle) -> bool:
    return is_akim(user, cycle.unit)


@rules.predicate
def is_resident_of_cycle(user, cycle) -> bool:
    return is_verified_resident_of(user, cycle.unit)


add_rule(
    "budgets.open_cycle",
    is_unit_staff,
    refusal=_("Only the akimat staff of this unit open its budget cycle."),
)
add_rule(
    "budgets.manage_cycle",
    is_staff_of_cycle,
    refusal=_(
        "Only the akimat staff of this unit prepare its draft budget and its phases."
    ),
)
add_rule(
    "budgets.submit_draft",
    is_akim_of_cycle,
    refusal=_("Only the akim of this unit submits its draft budget to the maslikhat."),
)
add_rule(
    "budgets.comment_draft",
    is_resident_of_cycle,
    refusal=_(
        "Only verified residents of this unit comment on its draft budget. Give your place "
        "of residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "budgets.reply_officially",
    is_staff_of_cycle,
    refusal=_("Only the akimat staff of this unit answer on its behalf."),
)


@rules.predicate
def is_chairman_for_cycle(user, cycle) -> bool:
    from budgets.services import maslikhat_district

    return is_maslikhat_chairman_of(user, maslikhat_district(cycle.unit))


@rules.predicate
def is_deputy_of_session(user, session) -> bool:
    """A deputy of the maslikhat when the session opened: its members are fixed then."""
    return user.is_authenticated and session.members.filter(deputy=user).exists()


@rules.predicate
def is_any_deputy(user) -> bool:
    from accounts.models import Role, RoleMembership

    return (
        user.is_authenticated
        and RoleMembership.objects.current()
        .filter(user=user, role__in=(Role.MASLIKHAT_DEPUTY, Role.MASLIKHAT_CHAIRMAN))
        .exists()
    )


add_rule(
    "budgets.open_session",
    is_chairman_for_cycle,
    refusal=_("Only the chairman of the district maslikhat opens a voting session."),
)
add_rule(
    "budgets.cast_ballot",
    is_deputy_of_session,
    refusal=_("Only the deputies of this district's maslikhat vote in its sessions."),
)
add_rule(
    "budgets.view_deputy_sessions",
    is_any_deputy,
    refusal=_("This page is for maslikhat deputies."),
)


add_rule(
    "budgets.record_execution",
    is_staff_of_cycle,
    refusal=_(
        "Only the akimat staff of this unit record and correct the execution of its "
        "budget."
    ),
)
