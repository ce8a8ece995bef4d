"""Reports of abuse and the moderators' pages: reporting, hiding and restoring, the queue
of reports and dismissing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import DomainError
from portal.permissions import require
from proposals import selectors, services
from proposals.forms import ModerationForm, ReportForm
from proposals.views._pages import PAGE_SIZE, add_error, readable


@login_required
@require_http_methods(["GET", "POST"])
def content_report(request, pk: int, comment_pk: int | None = None):
    proposal = readable(request, pk)
    comment = (
        selectors.comment_get(proposal=proposal, pk=comment_pk) if comment_pk else None
    )
    require(request.user, "proposals.report", proposal)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_report(
                proposal=proposal,
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request, _("Thank you: a moderator will look at what you reported.")
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/report.html",
        {"proposal": proposal, "unit": proposal.unit, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk: int, comment_pk: int | None = None):
    proposal = readable(request, pk)
    require(request.user, "proposals.moderate", proposal)
    comment = (
        selectors.comment_get(proposal=proposal, pk=comment_pk) if comment_pk else None
    )
    target = comment or proposal
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if comment is not None:
                service = (
                    services.comment_restore
                    if comment.is_hidden
                    else services.comment_hide
                )
                service(comment=comment, actor=request.user, reason=reason)
            else:
                service = (
                    services.proposal_restore
                    if proposal.is_hidden
                    else services.proposal_hide
                )
                service(proposal=proposal, actor=request.user, reason=reason)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("Restored.")
                if target.is_hidden
                else _("Hidden; the reason is shown in its place."),
            )
            return redirect(proposal)
    return render(
        request,
        "proposals/moderate.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "comment": comment,
            "target": target,
            "form": form,
            "reports": selectors.open_reports(proposal=proposal, comment=comment),
        },
        status=400 if form.errors else 200,
    )


@login_required
def report_queue(request):
    require(request.user, "proposals.view_reports")
    page = Paginator(selectors.report_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/reports.html", {"page": page})


@login_required
@require_POST
def report_dismiss(request, report_pk: int):
    report = selectors.report_get(pk=report_pk)
    require(request.user, "proposals.moderate", report.proposal)
    try:
        services.report_dismiss(report=report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is dismissed."))
    return redirect("proposals:report_queue")
