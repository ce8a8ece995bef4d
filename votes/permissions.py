"""Who may do what in a residents' vote, and when: the akimat staff of the unit set it up
before it opens and enter paper ballots while it is open; its verified residents vote
while it is open. A page offers an act and its view lets it through by the same rule
(portal.permissions); the services check the state again under their lock and refuse
with their own code (and the voter's age, which no page knows before the ballot)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_unit_staff, is_verified_resident_of
from budgets.permissions import is_staff_of_cycle
from budgets.selectors import cycle_state
from budgets.services.cycles import BEFORE_THE_VOTE
from portal.permissions import add_rule
from votes import selectors
from votes.lifecycle import VoteStatus


@rules.predicate
def is_staff_of_vote_unit(user, vote) -> bool:
    return is_unit_staff(user, vote.cycle.unit)


@rules.predicate
def is_resident_of_vote_unit(user, vote) -> bool:
    return is_verified_resident_of(user, vote.cycle.unit)


@rules.predicate
def phase_allows_setup(_user, cycle) -> bool:
    return cycle_state(cycle).phase in BEFORE_THE_VOTE


@rules.predicate
def status_allows_change(_user, vote) -> bool:
    return selectors.vote_status(vote) == VoteStatus.PREPARED


@rules.predicate
def status_allows_ballots(_user, vote) -> bool:
    return selectors.vote_status(vote) == VoteStatus.OPEN


SETUP_REFUSAL = _("Only the akimat staff of this unit set up its residents' vote.")

add_rule(
    "votes.prepare",
    is_staff_of_cycle,
    when=phase_allows_setup,
    refusal=SETUP_REFUSAL,
)
add_rule(
    "votes.change",
    is_staff_of_vote_unit,
    when=status_allows_change,
    refusal=SETUP_REFUSAL,
)
add_rule(
    "votes.cast",
    is_resident_of_vote_unit,
    when=status_allows_ballots,
    refusal=_(
        "Only residents of this unit whose place of residence the akimat has confirmed "
        "vote here. Give your place of residence on your profile and wait for the "
        "akimat to confirm it."
    ),
)


@rules.predicate
def status_allows_paper_record(_user, vote) -> bool:
    return selectors.vote_status(vote) != VoteStatus.PREPARED


PAPER_REFUSAL = _(
    "Only the akimat staff of this unit enter the paper ballots cast there."
)

add_rule(
    "votes.enter_paper",
    is_staff_of_vote_unit,
    when=status_allows_ballots,
    refusal=PAPER_REFUSAL,
)
# The papers issued and the paper ballots entered, read by the staff from the opening
# on, and after the close beside the protocol.
add_rule(
    "votes.see_papers",
    is_staff_of_vote_unit,
    when=status_allows_paper_record,
    refusal=PAPER_REFUSAL,
)
