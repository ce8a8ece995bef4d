"""Pages of proposals: lists, a proposal's page, and the acts of residents, staff, the akim
and moderators on it. Thin: parse, check the rule, call a service or a selector."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from budgets.models import ClassificationKind, CyclePhase, DraftStatus
from budgets.selectors import cycle_get, cycle_state
from portal.errors import DomainError
from portal.permissions import require
from portal.selectors import unit_get
from proposals import selectors, services
from proposals.forms import (
    AssessmentForm,
    AssignForm,
    CommentForm,
    DecisionForm,
    ImplementForm,
    IncludeForm,
    ListFilterForm,
    ModerationForm,
    ProposalForm,
    RegisterForm,
    ReportForm,
    photo_rows,
    posted_photos,
)
from proposals.models import (
    COMMENT_EDIT_MINUTES,
    ContentReport,
    Proposal,
    ProposalComment,
    ProposalStatus,
)

S = ProposalStatus
PAGE_SIZE = 20

# Which field of a form a refusal of the services belongs to.
ERROR_FIELDS = {
    "title_empty": "title",
    "title_too_long": "title",
    "description_empty": "description",
    "description_too_long": "description",
    "function_not_expenditure": "function",
    "place_outside_unit": "place",
    "cost_invalid": "cost_estimate",
    "author_name_empty": "author_name",
    "iin_not_twelve_digits": "iin",
    "iin_century_digit": "iin",
    "iin_birth_date": "iin",
    "iin_birth_date_future": "iin",
    "iin_check_digit": "iin",
    "photo_too_large": "photo_1",
    "photo_not_an_image": "photo_1",
    "reasons_empty": "reasons",
    "reason_empty": "reason",
    "report_empty": "text",
    "amount_invalid": "amount_spent",
    "comment_empty": "body",
    "report_reason_empty": "reason",
    "moderation_reason_empty": "reason",
}


def _add_error(form, error: DomainError) -> None:
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def _login_redirect(request):
    return redirect(f"{reverse('account_login')}?next={request.path}")


def _readable(request, pk: int) -> Proposal:
    """A proposal the user may read; a private draft is not found by anyone else."""
    proposal = selectors.proposal_get(pk=pk)
    if not request.user.has_perm("proposals.view", proposal):
        raise Http404
    return proposal


# Lists.


def _list(request, *, unit, cycle=None, state=None):
    form = ListFilterForm(request.GET or None, unit=unit)
    filters = form.filters() if request.GET else {}
    queryset = selectors.proposal_list(cycle=cycle, unit=unit, **filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    is_open = state is not None and state.phase in (
        CyclePhase.PLANNED,
        CyclePhase.PROPOSALS_OPEN,
    )
    return render(
        request,
        "proposals/list.html",
        {
            "unit": unit,
            "cycle": cycle,
            "state": state,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_filtered": any(
                filters.get(key)
                for key in ("text", "status", "function_id", "place_id")
            ),
            "supported": selectors.supported_ids(user=request.user, proposals=page),
            "may_create": is_open and request.user.has_perm("proposals.create", unit),
            "may_register": state is not None
            and state.phase == CyclePhase.PROPOSALS_OPEN
            and request.user.has_perm("proposals.register_on_behalf", unit),
            "is_open": is_open,
        },
    )


def cycle_proposals(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    return _list(request, unit=cycle.unit, cycle=cycle, state=cycle_state(cycle))


def unit_proposals(request, kato_code: str):
    return _list(request, unit=unit_get(kato_code=kato_code))


@login_required
def my_proposals(request):
    page = Paginator(selectors.my_proposals(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/mine.html", {"page": page})


# Writing.


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "proposals.create", cycle.unit)
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
            _add_error(form, error)
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


@login_required
@sensitive_post_parameters("iin")
@require_http_methods(["GET", "POST"])
def proposal_register(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "proposals.register_on_behalf", cycle.unit)
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
            _add_error(form, error)
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
    proposal, response = _acting_on(
        request, pk, "proposals.change", S.DRAFT, S.SUBMITTED
    )
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
            _add_error(form, error)
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


def _not_now(request, proposal: Proposal, *statuses: str):
    """A page for an act the proposal's status no longer (or not yet) allows is never
    offered: back to the proposal with the reason. A POST goes to the service, which
    refuses it with its own code."""
    if request.method == "GET" and proposal.status not in statuses:
        messages.error(
            request,
            _("This cannot be done now: the proposal is %(status)s.")
            % {"status": proposal.get_status_display()},
        )
        return redirect(proposal)
    return None


def _acting_on(request, pk: int, rule: str, *statuses: str):
    """The proposal an act's page is about, once the rule allows the user; and, for a
    page the status does not allow, the answer that sends them back."""
    proposal = _readable(request, pk)
    require(request.user, rule, proposal)
    return proposal, _not_now(request, proposal, *statuses)


def _confirm(request, proposal, *, service, template_context, success, **kwargs):
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


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk: int):
    proposal, response = _acting_on(request, pk, "proposals.change", S.DRAFT)
    if response:
        return response
    return _confirm(
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
    proposal, response = _acting_on(
        request, pk, "proposals.change", S.DRAFT, S.SUBMITTED
    )
    if response:
        return response
    return _confirm(
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


# The proposal's page and what residents do on it.


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = _readable(request, pk)
    form = CommentForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return _login_redirect(request)
        require(request.user, "proposals.comment", proposal)
        form = CommentForm(request.POST)
        if form.is_valid():
            reply_to = None
            if form.cleaned_data["reply_to"]:
                reply_to = ProposalComment.objects.filter(
                    pk=form.cleaned_data["reply_to"], proposal=proposal
                ).first()
            try:
                comment = services.comment_post(
                    proposal=proposal,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    reply_to=reply_to,
                )
            except DomainError as error:
                if error.code != "proposal_not_commentable":
                    _add_error(form, error)
                else:
                    # A hidden or private proposal shows no comment form to carry
                    # the error: say why on the proposal's page.
                    messages.error(request, error.message)
                    return redirect(proposal)
            else:
                messages.success(request, _("Your comment is published."))
                return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    user = request.user
    state = cycle_state(proposal.cycle)
    phase = state.phase
    review = getattr(proposal, "review", None)
    is_open = phase == CyclePhase.PROPOSALS_OPEN
    is_author = user.has_perm("proposals.change", proposal)
    today = timezone.localdate()
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "cycle": proposal.cycle,
            "phase": phase,
            "state": state,
            "review": review,
            "is_overdue": review is not None and review.is_overdue_on(today),
            "decision": getattr(proposal, "decision", None),
            "implementation": getattr(proposal, "implementation", None),
            "photos": [p for p in proposal.photos.all() if p.kind == "proposal"],
            "work_photos": [
                p for p in proposal.photos.all() if p.kind == "implementation"
            ],
            "comments": selectors.proposal_comments(proposal),
            "timeline": selectors.proposal_timeline(proposal),
            "form": form,
            "has_supported": selectors.has_supported(user=user, proposal=proposal),
            "is_following": selectors.is_following(user=user, proposal=proposal),
            "may_support": is_open
            and proposal.status == S.SUBMITTED
            and not proposal.is_hidden
            and user.has_perm("proposals.support", proposal),
            "may_comment": proposal.is_public
            and not proposal.is_hidden
            and user.has_perm("proposals.comment", proposal),
            "may_change": is_author
            and proposal.status in (S.DRAFT, S.SUBMITTED)
            and phase in (CyclePhase.PLANNED, CyclePhase.PROPOSALS_OPEN),
            "may_submit": is_author and proposal.status == S.DRAFT and is_open,
            "may_moderate": proposal.is_public
            and user.has_perm("proposals.moderate", proposal),
            "may_review": proposal.status == S.UNDER_REVIEW
            and user.has_perm("proposals.review", proposal),
            "may_decide": proposal.status in (S.RECOMMENDED, S.NOT_RECOMMENDED)
            and user.has_perm("proposals.decide", proposal),
            "may_track": proposal.status in (S.APPROVED, S.FUNDED, S.IN_PROGRESS)
            and user.has_perm("proposals.track", proposal),
            # A comment written after this moment may still be edited by its author.
            "edit_cutoff": timezone.now()
            - datetime.timedelta(minutes=COMMENT_EDIT_MINUTES),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def proposal_support(request, pk: int):
    proposal = _readable(request, pk)
    require(request.user, "proposals.support", proposal)
    try:
        if request.POST.get("action") == "withdraw":
            services.support_withdraw(proposal=proposal, user=request.user)
            messages.success(request, _("You no longer support this proposal."))
        else:
            services.support_add(proposal=proposal, user=request.user)
            messages.success(request, _("You support this proposal."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{proposal.get_absolute_url()}#support")


@login_required
@require_POST
def proposal_follow(request, pk: int):
    proposal = _readable(request, pk)
    require(request.user, "proposals.follow", proposal)
    try:
        if request.POST.get("action") == "unfollow":
            services.proposal_unfollow(proposal=proposal, user=request.user)
            messages.success(request, _("You no longer follow this proposal."))
        else:
            services.proposal_follow(proposal=proposal, user=request.user)
            messages.success(
                request, _("You follow this proposal: you are told of every change.")
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(proposal)


def _comment(proposal: Proposal, comment_pk: int) -> ProposalComment:
    return get_object_or_404(
        ProposalComment.objects.select_related("author"),
        pk=comment_pk,
        proposal=proposal,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int, comment_pk: int):
    proposal = _readable(request, pk)
    comment = _comment(proposal, comment_pk)
    require(request.user, "proposals.edit_comment", comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, actor=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your comment is changed."))
            return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "proposals/comment_edit.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "comment": comment,
            "form": form,
            "edit_until": services.comment_editable_until(comment),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def content_report(request, pk: int, comment_pk: int | None = None):
    proposal = _readable(request, pk)
    comment = _comment(proposal, comment_pk) if comment_pk else None
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
            _add_error(form, error)
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
    proposal = _readable(request, pk)
    require(request.user, "proposals.moderate", proposal)
    comment = _comment(proposal, comment_pk) if comment_pk else None
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
            _add_error(form, error)
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
            "reports": ContentReport.objects.filter(
                proposal=proposal, comment=comment, status="open"
            ).select_related("reporter"),
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
    report = get_object_or_404(
        ContentReport.objects.select_related("proposal__unit"), pk=report_pk
    )
    require(request.user, "proposals.moderate", report.proposal)
    try:
        services.report_dismiss(report=report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is dismissed."))
    return redirect("proposals:report_queue")


# The akimat's work: the queue, the review, the decision, inclusion and implementation.


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
            "query": f"queue={queue}",
            "counts": selectors.queue_counts(unit=unit),
            "page": page,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_review(request, pk: int):
    proposal, response = _acting_on(request, pk, "proposals.review", S.UNDER_REVIEW)
    if response:
        return response
    staff = selectors.unit_staff(unit=proposal.unit)
    assign_form = AssignForm(
        request.POST if "assign" in request.POST else None,
        staff=staff,
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
                _add_error(assign_form, error)
            else:
                messages.success(request, _("The reviewer is assigned."))
                return redirect("proposals:review", pk=proposal.pk)
        elif "assess" in request.POST and form.is_valid():
            try:
                services.review_complete(
                    proposal=proposal, actor=request.user, data=form.assessment_input()
                )
            except DomainError as error:
                _add_error(form, error)
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


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk: int):
    proposal, response = _acting_on(
        request, pk, "proposals.decide", S.RECOMMENDED, S.NOT_RECOMMENDED
    )
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
            _add_error(form, error)
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


def includable_lines(proposal: Proposal):
    from budgets.models import BudgetLine

    return (
        BudgetLine.objects.filter(
            draft__cycle=proposal.cycle,
            draft__status__in=services.INCLUDABLE_DRAFT_STATUSES,
            classification__kind=ClassificationKind.EXPENDITURE,
        )
        .select_related("draft", "classification")
        .order_by("-draft__version", "classification__position", "classification__code")
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_include(request, pk: int):
    proposal, response = _acting_on(request, pk, "proposals.track", S.APPROVED)
    if response:
        return response
    lines = includable_lines(proposal)
    matching = lines.filter(classification=proposal.function_id).first()
    form = IncludeForm(
        request.POST or None,
        lines=lines,
        initial={"line": matching.pk if matching else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_include(
                proposal=proposal, actor=request.user, line=form.cleaned_data["line"]
            )
        except DomainError as error:
            _add_error(form, error)
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
            "has_lines": lines.exists(),
            "draft_statuses": DraftStatus,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_start(request, pk: int):
    proposal, response = _acting_on(request, pk, "proposals.track", S.FUNDED)
    if response:
        return response
    return _confirm(
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
    proposal, response = _acting_on(request, pk, "proposals.track", S.IN_PROGRESS)
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
            _add_error(form, error)
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
