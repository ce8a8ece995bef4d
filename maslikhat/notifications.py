"""The notices of the maslikhat's vote, registered with portal's notifications."""

from django.utils.translation import gettext_lazy as _

from maslikhat.models import SessionOutcome
from portal.notifications import register


def _outcome_name(context: dict) -> dict:
    return {**context, "outcome": SessionOutcome(context["outcome"]).label}


register(
    "session_opened",
    label=_("The maslikhat opens a vote on a budget (deputies)"),
    subject=_("The maslikhat votes on the %(year)s budget of %(unit)s"),
    body=_(
        "A voting session on the %(year)s draft budget of %(unit)s is open. Read the draft "
        "and cast your vote before the session closes."
    ),
)
register(
    "session_closing",
    label=_("A day left to cast your vote (deputies)"),
    subject=_("A day left to vote on the %(year)s budget of %(unit)s"),
    body=_(
        "The voting session on the %(year)s draft budget of %(unit)s closes within a day "
        "and you have not voted yet."
    ),
    sms=True,
)
register(
    "session_closed",
    label=_("The outcome of the maslikhat’s vote on a budget"),
    subject=_("The maslikhat's vote on the %(year)s budget of %(unit)s: %(outcome)s"),
    body=_(
        "The voting session on the %(year)s draft budget of %(unit)s is closed: %(outcome)s."
    ),
    prepare=_outcome_name,
)
