"""Who may do what with proposals, and when: each rule is a role (`is_author`, …) and, for
an act on a proposal, the status and phase that allow it (`status_allows_review`,
`phase_allows_support`, …). A page offers an act and its view lets it through by the same
rule (portal.permissions); the services keep checking the state under their lock, and
refuse with their own code."""

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
from budgets.models import CyclePhase
from budgets.permissions import is_resident_of_cycle, is_staff_of_cycle
from budgets.selectors import cycle_state
from portal.permissions import add_rule
from proposals import selectors
from proposals.models import ProposalStatus as S
from proposals.models import VoteOutcome

PROPOSING_PHASES = (CyclePhase.PLANNED, CyclePhase.PROPOSALS_OPEN)
# A proposal goes into the draft where no residents' vote had it on its ballot, or where
# the residents selected it.
INCLUDABLE_OUTCOMES = ("", VoteOutcome.SELECTED)


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
def is_reviewer_for(user, unit) -> bool:
    """One of the unit's akimat staff, to whom its review of a proposal may be given; not
    its akim, who decides on the proposals. Asked of the query that lists them for the
    choice, so that the choice offered and the rule cannot differ."""
    return (
        user.is_authenticated
        and selectors.unit_reviewers(unit=unit).filter(pk=user.pk).exists()
    )


REVIEWER_REFUSAL = _(
    "Choose one of the akimat staff of this unit as the reviewer: the akim decides on "
    "the proposals and does not review them."
)


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


def _phase(proposal) -> str:
    """The phase of the proposal's cycle: no query for a proposal of `selectors.proposal_get`,
    whose cycle carries what its state is derived from."""
    return cycle_state(proposal.cycle).phase


@rules.predicate
def status_allows_support(_user, proposal) -> bool:
    return proposal.status == S.SUBMITTED and not proposal.is_hidden


@rules.predicate
def phase_allows_support(_user, proposal) -> bool:
    return _phase(proposal) == CyclePhase.PROPOSALS_OPEN


@rules.predicate
def status_allows_comment(_user, proposal) -> bool:
    return proposal.is_public and not proposal.is_hidden


@rules.predicate
def status_allows_change(_user, proposal) -> bool:
    """Changed or withdrawn while a draft or submitted: its review has not started."""
    return proposal.status in (S.DRAFT, S.SUBMITTED)


@rules.predicate
def phase_allows_change(_user, proposal) -> bool:
    return _phase(proposal) in PROPOSING_PHASES


@rules.predicate
def status_allows_submission(_user, proposal) -> bool:
    return proposal.status == S.DRAFT


@rules.predicate
def phase_allows_submission(_user, proposal) -> bool:
    return _phase(proposal) == CyclePhase.PROPOSALS_OPEN


@rules.predicate
def status_allows_moderation(_user, proposal) -> bool:
    return proposal.is_public


@rules.predicate
def status_allows_review(_user, proposal) -> bool:
    return proposal.status == S.UNDER_REVIEW


@rules.predicate
def status_allows_decision(_user, proposal) -> bool:
    return proposal.status in (S.RECOMMENDED, S.NOT_RECOMMENDED)


@rules.predicate
def status_allows_inclusion(_user, proposal) -> bool:
    return (
        proposal.status == S.APPROVED and proposal.vote_outcome in INCLUDABLE_OUTCOMES
    )


@rules.predicate
def status_allows_start(_user, proposal) -> bool:
    return proposal.status == S.FUNDED


@rules.predicate
def status_allows_report(_user, proposal) -> bool:
    return proposal.status == S.IN_PROGRESS


@rules.predicate
def phase_allows_proposing(_user, cycle) -> bool:
    """A resident writes a draft from the cycle's announcement to the close of proposals."""
    return cycle_state(cycle).phase in PROPOSING_PHASES


@rules.predicate
def phase_allows_registration(_user, cycle) -> bool:
    return cycle_state(cycle).phase == CyclePhase.PROPOSALS_OPEN


# The phase part of each act that has one: an act's page not due for the phase says so,
# rather than naming the proposal's status.
PHASE_PREDICATES = {
    "proposals.support": phase_allows_support,
    "proposals.change": phase_allows_change,
    "proposals.submit": phase_allows_submission,
}


add_rule(
    "proposals.view",
    can_read_proposal,
    refusal=_("This proposal is a private draft of its author."),
)
add_rule(
    "proposals.create",
    is_resident_of_cycle,
    when=phase_allows_proposing,
    refusal=_(
        "Only verified residents of this unit make proposals for its budget. Give your "
        "place of residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "proposals.change",
    is_author,
    when=status_allows_change & phase_allows_change,
    refusal=_("Only the author changes, submits or withdraws a proposal."),
)
add_rule(
    "proposals.submit",
    is_author,
    when=status_allows_submission & phase_allows_submission,
    refusal=_("Only the author changes, submits or withdraws a proposal."),
)
add_rule(
    "proposals.register_on_behalf",
    is_staff_of_cycle,
    when=phase_allows_registration,
    refusal=_("Only the akimat staff of this unit register proposals brought to them."),
)
add_rule(
    "proposals.support",
    is_resident_of_proposal_unit,
    when=status_allows_support & phase_allows_support,
    refusal=_(
        "Only verified residents of this unit support its proposals. Give your place of "
        "residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "proposals.comment",
    is_resident_of_proposal_unit | is_staff_of_proposal_unit,
    when=status_allows_comment,
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
    when=status_allows_moderation,
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
    when=status_allows_review,
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
    when=status_allows_decision,
    refusal=_("Only the akim of this unit decides on its proposals."),
)
TRACKING_REFUSAL = _(
    "Only the akimat staff of this unit include proposals in the budget and report on "
    "their implementation."
)
add_rule(
    "proposals.include",
    is_staff_of_proposal_unit,
    when=status_allows_inclusion,
    refusal=TRACKING_REFUSAL,
)
add_rule(
    "proposals.start",
    is_staff_of_proposal_unit,
    when=status_allows_start,
    refusal=TRACKING_REFUSAL,
)
add_rule(
    "proposals.implement",
    is_staff_of_proposal_unit,
    when=status_allows_report,
    refusal=TRACKING_REFUSAL,
)
