"""Who may do what with proposals. Phases, statuses and deadlines are the services' rules;
these are the roles, each rule checked with the object it is about."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    is_akim,
    is_moderator_for,
    is_unit_staff,
    is_verified_resident_of,
)
from accounts.selectors import is_moderator
from portal.permissions import add_rule


@rules.predicate
def is_author(user, proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_resident_of_proposal_unit(user, proposal) -> bool:
    return is_verified_resident_of(user, proposal.unit)


@rules.predicate
def is_staff_of_proposal_unit(user, proposal) -> bool:
    return is_unit_staff(user, proposal.unit)


@rules.predicate
def is_akim_of_proposal_unit(user, proposal) -> bool:
    return is_akim(user, proposal.unit)


@rules.predicate
def is_moderator_of_proposal(user, proposal) -> bool:
    return is_moderator_for(user, proposal.unit)


@rules.predicate
def is_signed_in(user, obj=None) -> bool:
    return user.is_authenticated


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def can_read_proposal(user, proposal) -> bool:
    """A submitted proposal is public; a draft only its author and the unit's staff read."""
    return (
        proposal.is_public
        or is_author(user, proposal)
        or is_staff_of_proposal_unit(user, proposal)
    )


add_rule(
    "proposals.view",
    can_read_proposal,
    refusal=_("This proposal is a private draft of its author."),
)
add_rule(
    "proposals.create",
    is_verified_resident_of,
    refusal=_(
        "Only verified residents of this unit make proposals for its budget. Give your "
        "place of residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "proposals.change",
    is_author,
    refusal=_("Only the author changes, submits or withdraws a proposal."),
)
add_rule(
    "proposals.register_on_behalf",
    is_unit_staff,
    refusal=_("Only the akimat staff of this unit register proposals brought to them."),
)
add_rule(
    "proposals.support",
    is_resident_of_proposal_unit,
    refusal=_(
        "Only verified residents of this unit support its proposals. Give your place of "
        "residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "proposals.comment",
    is_resident_of_proposal_unit | is_staff_of_proposal_unit,
    refusal=_(
        "Only verified residents of this unit and its akimat comment on its proposals."
    ),
)
add_rule(
    "proposals.edit_comment",
    is_comment_author,
    refusal=_("Only the author of a comment edits it."),
)
add_rule(
    "proposals.follow",
    is_signed_in,
    refusal=_("Sign in to follow a proposal."),
)
add_rule(
    "proposals.report",
    is_signed_in,
    refusal=_("Sign in to report content."),
)
add_rule(
    "proposals.moderate",
    is_moderator_of_proposal,
    refusal=_(
        "Only the moderators of this unit or its region hide or restore content."
    ),
)


@rules.predicate
def is_any_moderator(user) -> bool:
    return user.is_authenticated and is_moderator(user=user)


add_rule(
    "proposals.view_reports",
    is_any_moderator,
    refusal=_("Only moderators see the reports of abusive content."),
)
add_rule(
    "proposals.review",
    is_staff_of_proposal_unit,
    refusal=_("Only the akimat staff of this unit review its proposals."),
)
add_rule(
    "proposals.view_review_queue",
    is_unit_staff,
    refusal=_("Only the akimat staff of this unit see its review queue."),
)
add_rule(
    "proposals.decide",
    is_akim_of_proposal_unit,
    refusal=_("Only the akim of this unit decides on its proposals."),
)
add_rule(
    "proposals.track",
    is_staff_of_proposal_unit,
    refusal=_(
        "Only the akimat staff of this unit include proposals in the budget and report "
        "on their implementation."
    ),
)
