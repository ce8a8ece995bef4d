"""What the proposals notifications say."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from portal.formats import day_text
from portal.notifications import register
from proposals.models import ProposalStatus


def _status_name(context: dict) -> dict:
    return {**context, "status": ProposalStatus(context["status"]).label}


def _deadline(context: dict) -> dict:
    day = datetime.date.fromisoformat(context["deadline"])
    return {**context, "deadline": day_text(day)}


register(
    "proposal_status_changed",
    label=_("What happens to proposals you wrote or follow"),
    subject=_("“%(title)s”: %(status)s"),
    body=_("The proposal “%(title)s” for the budget of %(unit)s is now: %(status)s."),
    prepare=_status_name,
    sms=True,
    # By SMS only the akim's decision, not every step on the way.
    sms_if=lambda context: (
        context.get("status") in (ProposalStatus.APPROVED, ProposalStatus.REJECTED)
    ),
    sms_label=_("The akim decides on a proposal you wrote or follow"),
)
register(
    "proposal_hidden",
    label=_("A moderator hides your proposal"),
    subject=_("Your proposal “%(title)s” was hidden"),
    body=_(
        "A moderator hid your proposal “%(title)s” for the budget of %(unit)s. "
        "The reason: %(reason)s"
    ),
)
register(
    "proposal_restored",
    label=_("A moderator restores your proposal"),
    subject=_("Your proposal “%(title)s” is shown again"),
    body=_(
        "A moderator restored your proposal “%(title)s” for the budget of %(unit)s. "
        "%(reason)s"
    ),
)
register(
    "comment_hidden",
    label=_("A moderator hides your comment"),
    subject=_("Your comment on “%(title)s” was hidden"),
    body=_(
        "A moderator hid your comment on the proposal “%(title)s”. The reason: %(reason)s"
    ),
)
register(
    "comment_restored",
    label=_("A moderator restores your comment"),
    subject=_("Your comment on “%(title)s” is shown again"),
    body=_("A moderator restored your comment on the proposal “%(title)s”. %(reason)s"),
)
register(
    "review_assigned",
    label=_("Proposals given to you to review (akimat staff)"),
    subject=_("Review the proposal “%(title)s” by %(deadline)s"),
    body=_(
        "You are the reviewer of the proposal “%(title)s” for the budget of %(unit)s. "
        "The deadline of the review is %(deadline)s."
    ),
    prepare=_deadline,
)


def _due(context: dict) -> dict:
    # A reminder written before they were counted named one proposal.
    return _deadline({"count": 1, **context})


register(
    "review_due_soon",
    label=_("Reviews whose deadline is near (akimat staff)"),
    subject=_("Reviews due by %(deadline)s: %(count)s not complete"),
    body=_(
        "Proposals for the budget of %(unit)s whose review is due by %(deadline)s and "
        "not complete: %(count)s. The review queue lists them."
    ),
    prepare=_due,
    sms=True,
)
register(
    "review_overdue",
    label=_("Reviews past their deadline (the akim)"),
    subject=_("Overdue review: “%(title)s”"),
    body=_(
        "The review of the proposal “%(title)s” for the budget of %(unit)s was due by "
        "%(deadline)s and is not complete. The proposal is marked overdue on its page."
    ),
    prepare=_deadline,
)
