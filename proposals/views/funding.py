"""Into the budget and done: including an approved proposal in the draft, marking the work
started, and reporting it done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from budgets.models import DraftStatus
from portal.errors import DomainError
from proposals import selectors, services
from proposals.forms import ImplementForm, IncludeForm, photo_rows, posted_photos
from proposals.views._pages import acting_on, add_error, confirm


@login_required
@require_http_methods(["GET", "POST"])
def proposal_include(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.include")
    if response:
        return response
    inclusion = selectors.proposal_inclusion(proposal=proposal)
    suggested = inclusion.suggested
    form = IncludeForm(
        request.POST or None,
        lines=inclusion.lines,
        initial={"line": suggested.pk if suggested else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_include(
                proposal=proposal, actor=request.user, line=form.cleaned_data["line"]
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request, _("The proposal is included in the draft budget.")
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/include.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "form": form,
            "has_lines": inclusion.has_lines,
            "draft_statuses": DraftStatus,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_start(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.start")
    if response:
        return response
    return confirm(
        request,
        proposal,
        service=services.proposal_start,
        success=_("The proposal is marked as in progress."),
        template_context={
            "heading": _("Mark the work as started?"),
            "explanation": _(
                "The author and the followers are told that the work on this proposal "
                "has started."
            ),
            "button": _("Yes, the work has started"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_implement(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.implement")
    if response:
        return response
    form = ImplementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photos, captions = posted_photos(form)
        try:
            services.proposal_implement(
                proposal=proposal,
                actor=request.user,
                text=form.cleaned_data["text"],
                amount_spent=form.cleaned_data["amount_spent"],
                photos=photos,
                captions=captions,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("The implementation report is published; followers are told."),
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/implement.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "form": form,
            "photo_rows": photo_rows(form),
        },
        status=400 if form.errors else 200,
    )
