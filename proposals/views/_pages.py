"""What the pages of proposals share: the proposal the user may read, the page of an act
its status does not allow, the confirmation page of an act, and a service's refusal shown
on the field of the form it belongs to."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.codes import ErrorCode as AccountsErrorCode
from budgets.models import CyclePhase
from budgets.selectors import cycle_state
from portal.errors import DomainError
from portal.permissions import is_due, require
from proposals import selectors
from proposals.codes import ErrorCode
from proposals.models import Proposal
from proposals.permissions import PHASE_PREDICATES

PAGE_SIZE = 20

# Which field of a form a refusal of the services belongs to.
ERROR_FIELDS = {
    ErrorCode.TITLE_EMPTY: "title",
    ErrorCode.TITLE_TOO_LONG: "title",
    ErrorCode.DESCRIPTION_EMPTY: "description",
    ErrorCode.DESCRIPTION_TOO_LONG: "description",
    ErrorCode.FUNCTION_NOT_EXPENDITURE: "function",
    ErrorCode.PLACE_OUTSIDE_UNIT: "place",
    ErrorCode.COST_INVALID: "cost_estimate",
    ErrorCode.AUTHOR_NAME_EMPTY: "author_name",
    AccountsErrorCode.IIN_NOT_TWELVE_DIGITS: "iin",
    AccountsErrorCode.IIN_CENTURY_DIGIT: "iin",
    AccountsErrorCode.IIN_BIRTH_DATE: "iin",
    AccountsErrorCode.IIN_BIRTH_DATE_FUTURE: "iin",
    AccountsErrorCode.IIN_CHECK_DIGIT: "iin",
    ErrorCode.PHOTO_TOO_LARGE: "photo_1",
    ErrorCode.PHOTO_NOT_AN_IMAGE: "photo_1",
    ErrorCode.REASONS_EMPTY: "reasons",
    ErrorCode.REVIEWER_NOT_STAFF: "reviewer",
    ErrorCode.REASON_EMPTY: "reason",
    ErrorCode.REPORT_EMPTY: "text",
    ErrorCode.AMOUNT_INVALID: "amount_spent",
    ErrorCode.COMMENT_EMPTY: "body",
    ErrorCode.REPORT_REASON_EMPTY: "reason",
    ErrorCode.MODERATION_REASON_EMPTY: "reason",
}


def add_error(form, error: DomainError) -> None:
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def login_redirect(request):
    return redirect(f"{reverse('account_login')}?next={request.path}")


def readable(request, pk: int, *, read=None) -> Proposal:
    """A proposal the user may read; a private draft is not found by anyone else. Read
    with everything its page shows, or by `read` (a selector: an act that shows nothing
    of it reads `proposal_act_get`)."""
    proposal = (read or selectors.proposal_get)(pk=pk)
    if not request.user.has_perm("proposals.view", proposal):
        raise Http404
    return proposal


def _not_now(request, proposal: Proposal, rule: str):
    """A page for an act the proposal's status or its cycle's phase no longer (or not
    yet) allows is never offered: back to the proposal with the reason. A POST goes to
    the service, which refuses it with its own code."""
    if request.method != "GET" or is_due(rule, proposal):
        return None
    phase_allows = PHASE_PREDICATES.get(rule)
    if phase_allows is not None and not phase_allows.test(None, proposal):
        phase = CyclePhase(cycle_state(proposal.cycle).phase)
        message = _("This cannot be done now: the budget cycle is at “%(phase)s”.") % {
            "phase": phase.label
        }
    else:
        message = _("This cannot be done now: the proposal is %(status)s.") % {
            "status": proposal.get_status_display()
        }
    messages.error(request, message)
    return redirect(proposal)


def acting_on(request, pk: int, rule: str):
    """The proposal an act's page is about, once the rule's role allows the user; and,
    for a page the rule's state does not allow, the answer that sends them back."""
    proposal = readable(request, pk)
    require(request.user, rule, proposal)
    return proposal, _not_now(request, proposal, rule)


def confirm(request, proposal, *, service, template_context, success, **kwargs):
    """A confirmation page on GET; the act on POST, back to the proposal either way."""
    if request.method == "POST":
        try:
            service(proposal=proposal, actor=request.user, **kwargs)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return redirect(proposal)
    return render(
        request,
        "proposals/confirm.html",
        {"proposal": proposal, "unit": proposal.unit, **template_context},
    )
