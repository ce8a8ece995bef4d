"""Writing a proposal: the resident's draft, its changes, submitting and withdrawing it, and
staff registering one brought on paper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from budgets.models import CyclePhase
from budgets.selectors import cycle_get, cycle_state
from portal.errors import DomainError
from portal.formats import day_text
from portal.permissions import is_due, require
from proposals import services
from proposals.forms import ProposalForm, RegisterForm, photo_rows, posted_photos
from proposals.views._pages import acting_on, add_error, confirm


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "proposals.create", cycle)
    if not is_due("proposals.create", cycle):
        # Refused at the page, not once the proposal is written: back to the cycle's
        # proposals, told when they were taken.
        messages.error(request, _proposals_closed(cycle))
        return redirect("proposals:cycle_list", kato_code, fiscal_year)
    form = ProposalForm(request.POST or None, request.FILES or None, unit=cycle.unit)
    if request.method == "POST" and form.is_valid():
        photos, captions = posted_photos(form)
        try:
            proposal = services.proposal_create(
                cycle=cycle,
                author=request.user,
                data=form.proposal_input(),
                photos=photos,
                captions=captions,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your proposal is saved as a private draft. Submit it when it is ready."
                ),
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "photo_rows": photo_rows(form),
            "unit": cycle.unit,
            "cycle": cycle,
            "mode": "create",
        },
        status=400 if form.errors else 200,
    )


def _proposals_closed(cycle) -> str:
    """When the cycle's proposals were taken, and where its budget is now (its phases
    and state as `cycle_get` read them)."""
    taken = next(
        phase for phase in cycle.phases.all() if phase.kind == CyclePhase.PROPOSALS_OPEN
    )
    return _(
        "Proposals for the %(year)s budget were taken from %(start)s to %(end)s. "
        "The budget is now at: %(phase)s."
    ) % {
        "year": cycle.fiscal_year,
        "start": day_text(taken.starts_on),
        "end": day_text(taken.ends_on),
        "phase": cycle_state(cycle).label,
    }


@login_required
@sensitive_post_parameters("iin")
@require_http_methods(["GET", "POST"])
def proposal_register(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "proposals.register_on_behalf", cycle)
    form = RegisterForm(request.POST or None, request.FILES or None, unit=cycle.unit)
    if request.method == "POST" and form.is_valid():
        photos, captions = posted_photos(form)
        try:
            proposal = services.proposal_register(
                cycle=cycle,
                actor=request.user,
                iin=form.cleaned_data["iin"],
                author_name=form.cleaned_data["author_name"],
                data=form.proposal_input(),
                photos=photos,
                captions=captions,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("The proposal is registered on the resident's behalf and submitted."),
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "photo_rows": photo_rows(form),
            "unit": cycle.unit,
            "cycle": cycle,
            "mode": "register",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.change")
    if response:
        return response
    initial = {
        "title": proposal.title,
        "description": proposal.description,
        "function": proposal.function_id,
        "place": proposal.place_id,
        "address": proposal.address,
        "cost_estimate": proposal.cost_estimate,
    }
    form = ProposalForm(
        request.POST or None, request.FILES or None, unit=proposal.unit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        photos, captions = posted_photos(form)
        remove = [
            int(value)
            for value in request.POST.getlist("remove_photo")
            if value.isdigit()
        ]
        try:
            services.proposal_update(
                proposal=proposal,
                actor=request.user,
                data=form.proposal_input(),
                photos=photos,
                captions=captions,
                remove_photo_ids=remove,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "photo_rows": photo_rows(form),
            "unit": proposal.unit,
            "cycle": proposal.cycle,
            "proposal": proposal,
            "mode": "edit",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.submit")
    if response:
        return response
    return confirm(
        request,
        proposal,
        service=services.proposal_submit,
        success=_("Your proposal is submitted and public."),
        template_context={
            "heading": _("Submit this proposal?"),
            "explanation": _(
                "Once submitted, the proposal is public: residents read, support and "
                "comment on it. You may still change or withdraw it until the review starts."
            ),
            "button": _("Yes, submit it"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.change")
    if response:
        return response
    return confirm(
        request,
        proposal,
        service=services.proposal_withdraw,
        success=_("Your proposal is withdrawn."),
        template_context={
            "heading": _("Withdraw this proposal?"),
            "explanation": _(
                "A withdrawn proposal is not reviewed and cannot be submitted again. "
                "If it was submitted, it stays public, marked as withdrawn."
            ),
            "button": _("Yes, withdraw it"),
            "is_destructive": True,
        },
    )
