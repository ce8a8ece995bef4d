"""The residents' vote on budgets' pages: its section of a cycle's page
(budgets/extensions.py; budgets never imports votes)."""

from __future__ import annotations

from budgets.extensions import CyclePanel, register_cycle_panel
from portal.permissions import allows
from votes import selectors


def cycle_vote(*, cycle, current, user) -> dict | None:
    """The cycle's vote with its status, or the offer to set one up."""
    vote = selectors.vote_of_cycle(cycle)
    if vote is None:
        if not allows(user, "votes.prepare", cycle):
            return None
        return {"vote": None, "may_prepare": True, "cycle": cycle}
    return {
        "vote": vote,
        "status": selectors.vote_status(vote),
        "times": selectors.times(vote),
        "cycle": cycle,
        "may_cast": allows(user, "votes.cast", vote),
    }


register_cycle_panel(
    CyclePanel(
        key="residents_vote",
        template="votes/includes/cycle_vote.html",
        context=cycle_vote,
    )
)
