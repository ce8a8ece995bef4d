"""Every change of state of the residents' vote, one module per part of its lifecycle: the
set-up and the freeze (setup), the ballots (ballots), the numbered papers (papers), the
count after the close (close).
Who may call them is checked by the views with votes/permissions.py."""

from votes.services.ballots import ballot_cast, ballot_enter_paper, choices_check
from votes.services.close import vote_count, votes_tick
from votes.services.papers import BALLOT_PAPERS_MOST, ballot_papers_issue
from votes.services.setup import (
    VoteRules,
    project_add,
    project_remove,
    vote_cancel,
    vote_freeze,
    vote_prepare,
    vote_update,
)

__all__ = [
    "BALLOT_PAPERS_MOST",
    "VoteRules",
    "ballot_cast",
    "ballot_enter_paper",
    "ballot_papers_issue",
    "choices_check",
    "project_add",
    "project_remove",
    "vote_cancel",
    "vote_count",
    "vote_freeze",
    "vote_prepare",
    "vote_update",
    "votes_tick",
]
