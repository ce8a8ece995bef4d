"""Pages of budgets: a unit's cycles, the cycle page, drafts, the diff, and the acts of
staff, the akim and residents on them. Thin: parse, check the rule, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from budgets import extensions, selectors, services
from budgets.forms import (
    CommentForm,
    CycleOpenForm,
    DraftForm,
    LineFormSet,
    MeetingForm,
    PhaseExtendForm,
    ReplyForm,
)
from budgets.lifecycle import default_phase_dates
from budgets.models import (
    DATED_PHASES,
    BudgetClassification,
    BudgetCycle,
    CyclePhase,
    DraftBudget,
    DraftComment,
    DraftStatus,
)
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.permissions import require
from portal.selectors import unit_get


def unit_cycles(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    cycles = selectors.unit_cycles(unit=unit)
    return render(
        request,
        "budgets/unit_cycles.html",
        {
            "unit": unit,
            "cycles": [
                (cycle, state)
                for cycle, state in selectors.cycles_with_state(
                    cycles, on=timezone.localdate()
                )
            ],
            "may_open": request.user.has_perm("budgets.open_cycle", unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_open(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "budgets.open_cycle", unit)
    if request.method == "POST":
        form = CycleOpenForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.cycle_open(
                    unit=unit,
                    fiscal_year=form.cleaned_data["fiscal_year"],
                    actor=request.user,
                    dates=form.dates(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The budget cycle is open."))
                return redirect(cycle)
    else:
        fiscal_year = current_fiscal_year() + 1
        dates = default_phase_dates(
            fiscal_year=fiscal_year, calendar_row=services.calendar_for(unit)
        )
        initial = {"fiscal_year": fiscal_year}
        for phase, (starts_on, ends_on) in dates.items():
            initial[f"{phase}_starts_on"] = starts_on
            initial[f"{phase}_ends_on"] = ends_on
        form = CycleOpenForm(initial=initial)
    return render(
        request,
        "budgets/cycle_open.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _cycle(kato_code: str, fiscal_year: int) -> BudgetCycle:
    return selectors.cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)


def _draft(cycle: BudgetCycle, version: int, user) -> DraftBudget:
    draft = selectors.draft_get(cycle=cycle, version=version)
    # A version in preparation is the akimat's working copy, not yet public.
    if draft.status == DraftStatus.PREPARING and not user.has_perm(
        "budgets.manage_cycle", cycle
    ):
        raise Http404
    return draft


def _next_step(state, phases):
    """What happens next in the cycle, and when, for the timeline's summary."""
    index = CyclePhase.values.index(state.phase)
    for phase in CyclePhase.values[index + 1 :]:
        if phase in phases:
            return CyclePhase(phase).label, phases[phase].starts_on
    return None, None


def cycle_detail(request, kato_code: str, fiscal_year: int):
    cycle = _cycle(kato_code, fiscal_year)
    state = selectors.cycle_state(cycle)
    phases = {phase.kind: phase for phase in cycle.phases.all()}
    public = selectors.public_drafts(cycle)
    current = public[0] if public else None
    next_label, next_on = _next_step(state, phases)
    manages = request.user.has_perm("budgets.manage_cycle", cycle)
    preparing = next(
        (d for d in cycle.drafts.all() if d.status == DraftStatus.PREPARING), None
    )
    return render(
        request,
        "budgets/cycle_detail.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "state": state,
            "timeline": [
                (CyclePhase(kind).label, kind, phases[kind]) for kind in DATED_PHASES
            ],
            "next_label": next_label,
            "next_on": next_on,
            "current": selectors.draft_view(current) if current else None,
            "versions": public,
            "history": selectors.cycle_history(cycle)[:50],
            "manages": manages,
            "preparing": preparing if manages else None,
            "may_submit": request.user.has_perm("budgets.submit_draft", cycle),
            "is_following": request.user.is_authenticated
            and cycle.followers.filter(user=request.user).exists(),
            "panels": extensions.cycle_panels(
                cycle=cycle, current=current, user=request.user
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def draft_detail(request, kato_code: str, fiscal_year: int, version: int):
    cycle = _cycle(kato_code, fiscal_year)
    draft = _draft(cycle, version, request.user)
    state = selectors.cycle_state(cycle)
    view = selectors.draft_view(draft, with_comments=True)
    form = CommentForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        require(request.user, "budgets.comment_draft", cycle)
        form = CommentForm(request.POST)
        if form.is_valid():
            lines = {line.pk: line for line in [*view.revenue, *view.expenditure]}
            line_id = form.cleaned_data["line"]
            line = lines.get(line_id)
            if line_id is not None and line is None:
                form.add_error(
                    None,
                    ValidationError(
                        _("This line is not in this draft."), code="line_not_in_draft"
                    ),
                )
        if form.is_valid():
            try:
                services.comment_post(
                    draft=draft,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    line=line,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your comment is published."))
                return redirect(f"{draft.get_absolute_url()}#comments")
    is_discussed = (
        state.phase == CyclePhase.PUBLIC_DISCUSSION
        and draft.status == DraftStatus.PUBLISHED
        and draft == next(iter(selectors.public_drafts(cycle)), None)
    )
    return render(
        request,
        "budgets/draft_detail.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "view": view,
            "state": state,
            "general_comments": selectors.draft_general_comments(draft),
            "form": form,
            "is_discussed": is_discussed,
            "may_comment": is_discussed
            and request.user.has_perm("budgets.comment_draft", cycle),
            "may_reply": request.user.has_perm("budgets.reply_officially", cycle),
            "reply_form": ReplyForm(),
            "versions": selectors.public_drafts(cycle),
        },
        status=400 if form.errors else 200,
    )


def _login_url() -> str:
    from django.urls import reverse

    return reverse("account_login")


@login_required
@require_POST
def comment_reply(request, kato_code: str, fiscal_year: int, pk: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.reply_officially", cycle)
    comment = (
        DraftComment.objects.filter(pk=pk, draft__cycle=cycle)
        .select_related("draft", "line")
        .first()
    )
    if comment is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.comment_reply(
                comment=comment, author=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your official reply is published."))
    else:
        messages.error(request, _("Write a reply first."))
    return redirect(f"{comment.draft.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def draft_create(request, kato_code: str, fiscal_year: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    try:
        draft = services.draft_create(cycle=cycle, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(cycle)
    return redirect(
        "budgets:draft_edit",
        kato_code=kato_code,
        fiscal_year=fiscal_year,
        version=draft.version,
    )


def _line_formset(draft: DraftBudget, data=None) -> LineFormSet:
    entries = list(selectors.classifications())
    existing = {line.classification_id: line for line in draft.lines.all()}
    initial = [
        {
            "classification": entry.pk,
            "amount": existing[entry.pk].amount if entry.pk in existing else None,
            "explanation": existing[entry.pk].explanation
            if entry.pk in existing
            else "",
        }
        for entry in entries
    ]
    formset = LineFormSet(data, initial=initial, prefix="lines")
    by_pk = {entry.pk: entry for entry in entries}
    if data is not None:
        # A row may name an entry retired since the page was drawn: it keeps its name
        # and shows its error rather than taking the next row's.
        by_pk |= BudgetClassification.objects.in_bulk(
            {_posted_entry(form) for form in formset.forms} - by_pk.keys() - {None}
        )
    for index, form in enumerate(formset.forms):
        positional = entries[index] if index < len(entries) else None
        form.entry = by_pk.get(_posted_entry(form), positional) if data else positional
    return formset


def _posted_entry(form) -> int | None:
    try:
        return int(form["classification"].value())
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, kato_code: str, fiscal_year: int, version: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    draft = _draft(cycle, version, request.user)
    if not draft.is_editable:
        messages.error(
            request,
            _("A published version is never edited: make a new version from it."),
        )
        return redirect(draft)
    if request.method == "POST":
        formset = _line_formset(draft, request.POST)
        form = DraftForm(request.POST)
        if formset.is_valid() and form.is_valid():
            lines = [
                services.LineInput(
                    classification=line["classification"],
                    amount=line["amount"],
                    explanation=line["explanation"].strip(),
                )
                for line in formset.cleaned_data
                if line.get("amount") is not None
            ]
            try:
                services.draft_update(
                    draft=draft,
                    lines=lines,
                    cash_balance_used=form.cleaned_data["cash_balance_used"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft is saved."))
                if "publish" in request.POST:
                    return redirect(
                        "budgets:draft_publish",
                        kato_code=kato_code,
                        fiscal_year=fiscal_year,
                        version=version,
                    )
                return redirect(
                    "budgets:draft_edit",
                    kato_code=kato_code,
                    fiscal_year=fiscal_year,
                    version=version,
                )
    else:
        formset = _line_formset(draft)
        form = DraftForm(
            initial={"cash_balance_used": draft.cash_balance_used, "note": draft.note}
        )
    view = selectors.draft_view(draft)
    balance = view.totals.revenue + draft.cash_balance_used - view.totals.expenditure
    return render(
        request,
        "budgets/draft_edit.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "formset": formset,
            "form": form,
            "totals": view.totals,
            "balance": balance,
            "unbalanced": balance < 0,
            # A form without an entry is one more than the page drew (a tampered count).
            "revenue_forms": [
                f for f in formset.forms if f.entry and f.entry.kind == "revenue"
            ],
            "expenditure_forms": [
                f for f in formset.forms if f.entry and f.entry.kind == "expenditure"
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_publish(request, kato_code: str, fiscal_year: int, version: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    draft = _draft(cycle, version, request.user)
    if request.method == "GET" and not draft.is_editable:
        # Never offer an act that cannot be done: this version is already published.
        messages.error(request, _("This version is already published."))
        return redirect(draft)
    if request.method == "POST":
        try:
            services.draft_publish(draft=draft, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The draft is published for public discussion.")
            )
            return redirect(draft)
    view = selectors.draft_view(draft)
    return render(
        request,
        "budgets/draft_publish.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "view": view,
            "is_balanced": view.totals.expenditure
            <= view.totals.revenue + draft.cash_balance_used,
        },
        status=400 if request.method == "POST" else 200,
    )


def draft_diff(request, kato_code: str, fiscal_year: int):
    cycle = _cycle(kato_code, fiscal_year)
    versions = selectors.public_drafts(cycle)
    if request.user.has_perm("budgets.manage_cycle", cycle):
        versions = list(cycle.drafts.all())
    by_number = {draft.version: draft for draft in versions}
    numbers = sorted(by_number)
    if len(numbers) < 2:
        diff = None
        before_number = after_number = None
    else:
        try:
            before_number = int(request.GET.get("from", numbers[-2]))
            after_number = int(request.GET.get("to", numbers[-1]))
        except ValueError:
            raise Http404 from None
        if before_number not in by_number or after_number not in by_number:
            raise Http404
        for draft in (by_number[before_number], by_number[after_number]):
            draft.cycle = cycle
        diff = selectors.draft_diff(by_number[before_number], by_number[after_number])
    return render(
        request,
        "budgets/draft_diff.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "diff": diff,
            "numbers": numbers,
            "before_number": before_number,
            "after_number": after_number,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request, kato_code: str, fiscal_year: int, version: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    draft = _draft(cycle, version, request.user)
    state = selectors.cycle_state(cycle)
    if request.method == "GET" and (
        state.phase != CyclePhase.COORDINATION or draft.status != DraftStatus.PUBLISHED
    ):
        messages.error(
            request,
            _(
                "The meeting's decision is recorded on the published draft after its "
                "discussion."
            ),
        )
        return redirect(cycle)
    form = MeetingForm()
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_record(
                    draft=draft,
                    actor=request.user,
                    held_on=data["held_on"],
                    members_total=data["members_total"],
                    members_present=data["members_present"],
                    decision=data["decision"],
                    remarks=data["remarks"],
                    minutes=data["minutes"],
                )
            except DomainError as error:
                field = "minutes" if error.code.startswith("minutes") else None
                field = "remarks" if error.code == "meeting_remarks_required" else field
                form.add_error(field, error.message)
            else:
                messages.success(
                    request, _("The community meeting's decision is recorded.")
                )
                return redirect(cycle)
    return render(
        request,
        "budgets/meeting_form.html",
        {"cycle": cycle, "unit": cycle.unit, "draft": draft, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_submit(request, kato_code: str, fiscal_year: int, version: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.submit_draft", cycle)
    draft = _draft(cycle, version, request.user)
    if request.method == "GET" and draft.status != DraftStatus.COORDINATED:
        messages.error(
            request,
            _("Only a draft coordinated by the community meeting is submitted."),
        )
        return redirect(cycle)
    if request.method == "POST":
        try:
            services.draft_submit(draft=draft, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The draft is submitted to the district maslikhat.")
            )
            return redirect(cycle)
    return render(
        request,
        "budgets/draft_submit.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "view": selectors.draft_view(draft),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_extend(request, kato_code: str, fiscal_year: int):
    cycle = _cycle(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    form = PhaseExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_extend(
                cycle=cycle,
                kind=form.cleaned_data["phase"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error("ends_on" if "phase" in error.code else None, error.message)
        else:
            messages.success(
                request,
                _("The phase is extended; the reason is on the cycle's history."),
            )
            return redirect(cycle)
    return render(
        request,
        "budgets/phase_extend.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "form": form,
            "phases": cycle.phases.all(),
        },
        status=400 if form.errors else 200,
    )


def meeting_minutes(request, kato_code: str, fiscal_year: int, version: int):
    """The minutes of the community meeting, public like its decision."""
    cycle = _cycle(kato_code, fiscal_year)
    draft = _draft(cycle, version, request.user)
    meeting = getattr(draft, "meeting", None)
    if meeting is None:
        raise Http404
    return FileResponse(
        meeting.minutes.open("rb"),
        content_type="application/pdf",
        filename=f"minutes-{kato_code}-{fiscal_year}-v{version}.pdf",
    )


@login_required
@require_POST
def cycle_follow(request, kato_code: str, fiscal_year: int):
    """Follow or stop following a cycle: its results reach followers as notifications."""
    cycle = _cycle(kato_code, fiscal_year)
    if request.POST.get("follow") == "0":
        services.cycle_unfollow(cycle=cycle, user=request.user)
        messages.success(request, _("You no longer follow this budget."))
    else:
        services.cycle_follow(cycle=cycle, user=request.user)
        messages.success(
            request, _("You follow this budget: you will be told of its results.")
        )
    return redirect(cycle)
