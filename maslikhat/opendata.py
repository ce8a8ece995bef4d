"""The maslikhat's roll calls of a cycle as open data: the data set registered in
budgets.opendata. Deputies by name only, never an account or an e-mail."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetCycle, DraftStatus
from budgets.opendata import (
    BOOLEAN,
    CHUNK_SIZE,
    DATETIME,
    INTEGER,
    STRING,
    Column,
    Dataset,
    choices_of,
    register,
)
from maslikhat import selectors
from maslikhat.models import BallotChoice, SessionOutcome


def deputy_public_name(first_name: str, last_name: str) -> str:
    """The deputy's full name as the roll call page shows it; empty for an account
    without a name (the page says "a resident" in its language, a download is the same
    in every language)."""
    return f"{first_name} {last_name}".strip()


def roll_call_rows(cycle: BudgetCycle) -> Iterator[dict]:
    for member in selectors.export_roll_calls(cycle).iterator(chunk_size=CHUNK_SIZE):
        yield {
            "session": member["session_id"],
            "version": member["session__draft__version"],
            "opens_at": member["session__opens_at"],
            "closes_at": member["session__closes_at"],
            "closed_at": member["session__closed_at"],
            "outcome": member["session__outcome"],
            "total_deputies": member["session__total_deputies"],
            "deputy": deputy_public_name(
                member["deputy__first_name"], member["deputy__last_name"]
            ),
            "is_present": member["is_present"],
            "absence_reason": member["absence_reason"],
            "vote": member["vote"] or None,
        }


def _has_been_voted_on(cycle: BudgetCycle) -> bool:
    return any(
        draft.status
        in (DraftStatus.UNDER_VOTE, DraftStatus.APPROVED, DraftStatus.RETURNED)
        for draft in cycle.drafts.all()
    )


ROLL_CALLS = register(
    Dataset(
        slug="roll_calls",
        title=_("Roll calls of the maslikhat"),
        description=_(
            "Every closed voting session of the district maslikhat on a draft of this "
            "budget: one row per deputy of the maslikhat, present or absent, with the "
            "vote cast. A session still open is added once it closes."
        ),
        columns=(
            Column(
                "session",
                INTEGER,
                _("The number of the voting session (its roll call is /votes/<n>/)."),
            ),
            Column("version", INTEGER, _("The version of the draft voted on.")),
            Column("opens_at", DATETIME, _("When the session opened.")),
            Column("closes_at", DATETIME, _("When the session was set to close.")),
            Column("closed_at", DATETIME, _("When the session closed.")),
            Column(
                "outcome",
                STRING,
                _("The result of the session."),
                choices_of(SessionOutcome),
            ),
            Column(
                "total_deputies",
                INTEGER,
                _("The number of deputies of the maslikhat when the session opened."),
            ),
            Column(
                "deputy",
                STRING,
                _("The deputy's name; empty when the account has no name."),
            ),
            Column("is_present", BOOLEAN, _("Whether the deputy was present.")),
            Column(
                "absence_reason", STRING, _("The reason of an absent deputy's absence.")
            ),
            Column(
                "vote",
                STRING,
                _("The deputy's vote; empty when absent or when they did not vote."),
                choices_of(BallotChoice),
            ),
        ),
        rows=roll_call_rows,
        is_available=_has_been_voted_on,
        position=30,
    )
)
