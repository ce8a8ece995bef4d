"""The akim's decision on an assessed proposal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.errors import DomainError
from proposals import services
from proposals.forms import DecisionForm
from proposals.views._pages import acting_on, add_error


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.decide")
    if response:
        return response
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The decision is published."))
            return redirect(proposal)
    return render(
        request,
        "proposals/decide.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "review": getattr(proposal, "review", None),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
