"""Who may do what with budget cycles and drafts. Phases and statuses are the services' rules;
these are the roles."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    is_akim,
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


add_rule(
    "budgets.record_execution",
    is_staff_of_cycle,
    refusal=_(
        "Only the akimat staff of this unit record and correct the execution of its "
        "budget."
    ),
)
