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
