"""Pages of the maslikhat's vote: opening a session, the ballot with its confirmation, the
public roll call and the deputies' page. Thin: parse, check the rule, call a service."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from budgets import selectors as budget_selectors
from maslikhat import selectors, services
from maslikhat.codes import ErrorCode
from maslikhat.forms import BallotForm, SessionOpenForm
from maslikhat.models import BallotChoice
from portal.errors import DomainError
from portal.permissions import require

# Refusals of a ballot that are about who the voter is: the page answers 403 with the reason.
BALLOT_REFUSED_TO_VOTER = frozenset(
    {ErrorCode.NOT_A_MEMBER, ErrorCode.DEPUTY_ABSENT, ErrorCode.BALLOT_ALREADY_CAST}
)


@login_required
@require_http_methods(["GET", "POST"])
def session_open(request, kato_code: str, fiscal_year: int, version: int):
    cycle = budget_selectors.cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    draft = budget_selectors.draft_get(cycle=cycle, version=version)
    require(request.user, "maslikhat.open_session", draft)
    deputies = list(selectors.deputies(draft.cycle.unit.maslikhat_district))
    if request.method == "POST":
        form = SessionOpenForm(request.POST, deputies=deputies)
        if form.is_valid():
            try:
                session = services.session_open(
                    draft=draft,
                    actor=request.user,
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    absences=form.absences(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The voting session is open."))
                return redirect(session)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = SessionOpenForm(
            deputies=deputies,
            initial={"opens_at": now, "closes_at": now + datetime.timedelta(days=3)},
        )
    return render(
        request,
        "maslikhat/session_open.html",
        {"cycle": cycle, "unit": cycle.unit, "draft": draft, "form": form},
        status=400 if form.errors else 200,
    )


def roll_call(request, pk: int):
    call = selectors.roll_call(pk=pk)
    session = call.session
    template = (
        "maslikhat/includes/roll_call_body.html"
        if request.htmx
        else "maslikhat/roll_call.html"
    )
    is_open_now = (
        not session.is_closed and session.opens_at <= timezone.now() < session.closes_at
    )
    may_vote = (
        is_open_now
        and request.user.is_authenticated
        and any(
            row.member.deputy_id == request.user.pk
            and row.member.is_present
            and row.ballot is None
            for row in call.rows
        )
    )
    return render(
        request,
        template,
        {
            "call": call,
            "session": session,
            "cycle": session.draft.cycle,
            "unit": session.draft.cycle.unit,
            "is_open_now": is_open_now,
            "may_vote": may_vote,
            "votes_needed": call.rules.votes_needed(session.total_deputies),
            "present_needed": call.rules.present_needed(session.total_deputies),
        },
        # 286 tells htmx to swap in the final count and stop polling a closed session.
        status=286 if request.htmx and session.is_closed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, pk: int):
    session = selectors.session_get(pk=pk)
    require(request.user, "maslikhat.cast_ballot", session)
    # An absent deputy, one who joined after the session opened, or one who has voted is
    # refused before being offered a ballot and its confirmation.
    refusal = services.ballot_refusal(session=session, deputy=request.user)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    form = BallotForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            # The first step only shows the choice back: the vote is cast on confirmation.
            confirming = True
        else:
            try:
                services.ballot_cast(
                    session=session,
                    deputy=request.user,
                    choice=form.cleaned_data["choice"],
                )
            except DomainError as error:
                if error.code in BALLOT_REFUSED_TO_VOTER:
                    raise PermissionDenied(error.message) from None
                messages.error(request, error.message)
                return redirect(session)
            messages.success(request, _("Your vote is recorded."))
            return redirect(session)
    return render(
        request,
        "maslikhat/ballot.html",
        {
            "session": session,
            "cycle": session.draft.cycle,
            "unit": session.draft.cycle.unit,
            "form": form,
            "confirming": confirming,
            "choice_label": BallotChoice(form.cleaned_data["choice"]).label
            if confirming
            else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def deputy_sessions(request):
    require(request.user, "maslikhat.view_deputy_sessions")
    return render(
        request,
        "maslikhat/deputy_sessions.html",
        {
            "sessions": selectors.deputy_sessions(user=request.user)[:50],
            "awaiting": selectors.drafts_awaiting_vote(user=request.user),
        },
    )
