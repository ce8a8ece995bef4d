"""The maslikhat's vote on budgets' pages and API: the vote's section of a cycle's page and
the `voting_sessions` of the API's cycle (budgets/extensions.py; budgets never imports the
maslikhat)."""

from __future__ import annotations

from budgets.extensions import (
    CyclePanel,
    register_cycle_api_field,
    register_cycle_panel,
)
from maslikhat import selectors
from portal.permissions import allows


def cycle_vote(*, cycle, current, user) -> dict | None:
    """The cycle's sessions, and whether the user may open one on the current draft."""
    sessions = list(selectors.cycle_sessions(cycle))
    may_open_session = current is not None and allows(
        user, "maslikhat.open_session", current
    )
    if not (sessions or may_open_session):
        return None
    return {
        "sessions": sessions,
        "may_open_session": may_open_session,
        "current": current,
    }


def _cycle_sessions_field():
    from maslikhat.api import CycleSessionsField

    return CycleSessionsField()


register_cycle_panel(
    CyclePanel(
        key="maslikhat_vote",
        template="maslikhat/includes/cycle_vote.html",
        context=cycle_vote,
    )
)
register_cycle_api_field("voting_sessions", _cycle_sessions_field)
