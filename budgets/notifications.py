"""What the budgets notifications say."""

from django.utils.translation import gettext_lazy as _

from budgets.models import CyclePhase
from portal.notifications import register


def _phase_name(context: dict) -> dict:
    return {**context, "phase": CyclePhase(context["phase"]).label}


register(
    "cycle_phase_changed",
    label=_(
        "A budget of your unit moves to its next phase (akimat staff and the akim)"
    ),
    subject=_("The %(year)s budget of %(unit)s: %(phase)s"),
    body=_("The budget cycle of %(unit)s for %(year)s has moved on to: %(phase)s."),
    prepare=_phase_name,
)
register(
    "cycle_overdue",
    label=_("A phase of your unit’s budget is overdue (the akim)"),
    subject=_("Overdue: the %(year)s budget of %(unit)s"),
    body=_(
        "The phase “%(phase)s” of the %(year)s budget of %(unit)s has passed its end date "
        "and the act that ends it is missing. Residents see it marked as overdue."
    ),
    prepare=_phase_name,
)
register(
    "draft_comment_answered",
    label=_("The akimat answers your comment on a draft budget"),
    subject=_("The akimat of %(unit)s answered your comment"),
    body=_(
        "The akimat of %(unit)s gave an official answer to your comment on the draft budget."
    ),
)


def _outcome_name(context: dict) -> dict:
    from budgets.models import SessionOutcome

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
