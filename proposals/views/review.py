"""The akimat's queue of proposals awaiting it, and the review of one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.errors import DomainError
from portal.permissions import require
from portal.selectors import unit_get
from proposals import selectors, services
from proposals.forms import AssessmentForm, AssignForm
from proposals.views._pages import PAGE_SIZE, acting_on, add_error


@login_required
def review_queue(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "proposals.view_review_queue", unit)
    queue = request.GET.get("queue", "review")
    if queue not in selectors.QUEUES:
        queue = "review"
    page = Paginator(
        selectors.review_queue(unit=unit, queue=queue), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/queue.html",
        {
            "unit": unit,
            "queue": queue,
            "counts": selectors.queue_counts(unit=unit),
            "page": page,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_review(request, pk: int):
    proposal, response = acting_on(request, pk, "proposals.review")
    if response:
        return response
    assign_form = AssignForm(
        request.POST if "assign" in request.POST else None,
        reviewers=selectors.unit_reviewers(unit=proposal.unit),
        initial={
            "reviewer": getattr(getattr(proposal, "review", None), "reviewer_id", None)
        },
    )
    form = AssessmentForm(request.POST if "assess" in request.POST else None)
    if request.method == "POST":
        if "assign" in request.POST and assign_form.is_valid():
            try:
                services.review_assign(
                    proposal=proposal,
                    actor=request.user,
                    reviewer=assign_form.cleaned_data["reviewer"],
                )
            except DomainError as error:
                add_error(assign_form, error)
            else:
                messages.success(request, _("The reviewer is assigned."))
                return redirect("proposals:review", pk=proposal.pk)
        elif "assess" in request.POST and form.is_valid():
            try:
                services.review_complete(
                    proposal=proposal, actor=request.user, data=form.assessment_input()
                )
            except DomainError as error:
                add_error(form, error)
            else:
                messages.success(
                    request, _("The assessment is published; the akim decides next.")
                )
                return redirect(proposal)
    has_errors = bool(form.errors or assign_form.errors)
    return render(
        request,
        "proposals/review.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "review": getattr(proposal, "review", None),
            "assign_form": assign_form,
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if has_errors else 200,
    )
