"""Pages of a cycle's draft: a version with its lines and comments, a new version, editing
its lines, publishing it, the differences between two versions, and the akim's submission
to the maslikhat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from budgets import notice, selectors, services
from budgets.forms import CommentForm, DraftForm, LineFormSet, ReplyForm
from budgets.models import BudgetCycle, BudgetLine, CyclePhase, DraftBudget
from budgets.views._pages import cycle_of, draft_acted_on, draft_of, login_url
from portal import fragments
from portal.errors import DomainError
from portal.permissions import allows, is_due, require
from portal.printed import pdf_response


@require_http_methods(["GET", "POST"])
def draft_detail(request, kato_code: str, fiscal_year: int, version: int):
    if fragments.is_visitor_read(request):
        # A visitor reads what every visitor reads: kept (portal.fragments).
        _cycle_id, unit_id = selectors.cycle_keys(
            kato_code=kato_code, fiscal_year=fiscal_year
        )

        def context():
            cycle = cycle_of(kato_code, fiscal_year)
            draft = draft_of(cycle, version, request.user)
            view = selectors.draft_view(draft, with_comments=True)
            return _context(request, cycle, draft, view, CommentForm())

        return fragments.visitor_page(
            request, "budgets/draft_detail.html", context, unit_id=unit_id
        )
    cycle = cycle_of(kato_code, fiscal_year)
    draft = draft_of(cycle, version, request.user)
    view = selectors.draft_view(draft, with_comments=True)
    form = CommentForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{login_url()}?next={request.path}")
        require(request.user, "budgets.comment_draft", draft)
        form = _comment_post(request, draft, view)
        if form is None:
            return redirect(f"{draft.get_absolute_url()}#comments")
    return render(
        request,
        "budgets/draft_detail.html",
        _context(request, cycle, draft, view, form),
        status=400 if form.errors else 200,
    )


@require_safe
def draft_notice(request, kato_code: str, fiscal_year: int, version: int):
    """The notice of the draft for the notice board (PDF, Kazakh and Russian), while it
    is open for public discussion."""
    cycle = cycle_of(kato_code, fiscal_year)
    draft = draft_of(cycle, version, request.user)
    until = selectors.phase_ends_on(cycle, CyclePhase.PUBLIC_DISCUSSION)
    if not is_due("budgets.comment_draft", draft) or until is None:
        raise Http404
    return pdf_response(
        notice.draft_notice_pdf(
            draft,
            until=until,
            page_url=request.build_absolute_uri(draft.get_absolute_url()),
        ),
        f"qatysu-{kato_code}-{fiscal_year}-draft-v{draft.version}-notice.pdf",
    )


def _context(request, cycle, draft, view, form) -> dict:
    return {
        "cycle": cycle,
        "unit": cycle.unit,
        "draft": draft,
        "view": view,
        "state": selectors.cycle_state(cycle),
        "general_comments": selectors.draft_general_comments(draft),
        "form": form,
        "is_discussed": is_due("budgets.comment_draft", draft),
        "may_comment": allows(request.user, "budgets.comment_draft", draft),
        "may_reply": request.user.has_perm("budgets.reply_officially", cycle),
        "reply_form": ReplyForm(),
        "versions": selectors.public_drafts(cycle),
    }


def _comment_post(request, draft: DraftBudget, view) -> CommentForm | None:
    """Publish the posted comment: None once it is, else the form with its errors."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return form
    line = _comment_line(form, view)
    if form.errors:
        return form
    try:
        services.comment_post(
            draft=draft,
            author=request.user,
            body=form.cleaned_data["body"],
            line=line,
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return form
    messages.success(request, _("Your comment is published."))
    return None


def _comment_line(form: CommentForm, view) -> BudgetLine | None:
    """The line a valid comment is on, None for a general comment; an error on the form
    when the posted line is not in this draft."""
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
    return line


@login_required
@require_POST
def draft_create(request, kato_code: str, fiscal_year: int):
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.new_version", cycle)
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
    existing = selectors.draft_lines_by_classification(draft)
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
        by_pk |= selectors.classifications_by_pk(
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
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    draft = draft_of(cycle, version, request.user)
    if not draft.is_editable:
        messages.error(
            request,
            _("A published version is never edited: make a new version from it."),
        )
        return redirect(draft)
    if request.method == "GET":
        formset = _line_formset(draft)
        form = DraftForm(
            initial={"cash_balance_used": draft.cash_balance_used, "note": draft.note}
        )
        return _draft_edit_page(request, cycle, draft, formset, form)
    formset = _line_formset(draft, request.POST)
    if formset.is_cut_short():
        messages.error(
            request,
            _(
                "The page sent an incomplete list of the draft's lines (it was changed "
                "or cut short on the way): nothing was saved. Here is the draft as it "
                "was saved; enter your changes again."
            ),
        )
        return redirect(
            "budgets:draft_edit",
            kato_code=kato_code,
            fiscal_year=fiscal_year,
            version=version,
        )
    form = DraftForm(request.POST)
    if (
        formset.is_valid()
        and form.is_valid()
        and _draft_update(request, draft, formset, form)
    ):
        messages.success(request, _("The draft is saved."))
        return redirect(
            "budgets:draft_publish"
            if "publish" in request.POST
            else "budgets:draft_edit",
            kato_code=kato_code,
            fiscal_year=fiscal_year,
            version=version,
        )
    return _draft_edit_page(request, cycle, draft, formset, form)


def _draft_update(request, draft: DraftBudget, formset, form: DraftForm) -> bool:
    """Save the posted lines: False, with the refusal on the form, when refused."""
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
        return False
    return True


def _draft_edit_page(request, cycle: BudgetCycle, draft: DraftBudget, formset, form):
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
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.manage_cycle", cycle)
    draft = draft_of(cycle, version, request.user)
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
    cycle = cycle_of(kato_code, fiscal_year)
    versions = selectors.public_drafts(cycle)
    if request.user.has_perm("budgets.manage_cycle", cycle):
        versions = selectors.cycle_drafts(cycle)
    by_number = {draft.version: draft for draft in versions}
    numbers = sorted(by_number)
    if len(numbers) < 2:
        diff = None
        before_number = after_number = None
    else:
        before_number, after_number = _diff_numbers(request, numbers)
        if before_number is None:
            return render(
                request,
                "budgets/draft_diff.html",
                {
                    "cycle": cycle,
                    "unit": cycle.unit,
                    "diff": None,
                    "first_number": after_number,
                },
                status=404,
            )
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


def _diff_numbers(request, numbers: list[int]) -> tuple[int | None, int]:
    """The two versions to compare, from the query string: by default the latest and,
    before it, the version that preceded it, which the first version has not (None);
    404 for a version the visitor may not read."""
    try:
        after_number = int(request.GET.get("to", numbers[-1]))
        before_number = request.GET.get("from")
        if before_number is not None:
            before_number = int(before_number)
    except ValueError:
        raise Http404 from None
    if after_number not in numbers:
        raise Http404
    if before_number is None:
        earlier = [number for number in numbers if number < after_number]
        return (earlier[-1] if earlier else None), after_number
    if before_number not in numbers:
        raise Http404
    return before_number, after_number


@login_required
@require_http_methods(["GET", "POST"])
def draft_submit(request, kato_code: str, fiscal_year: int, version: int):
    cycle = cycle_of(kato_code, fiscal_year)
    draft = draft_acted_on(cycle, version, request.user, "budgets.submit_draft")
    if request.method == "GET" and not is_due("budgets.submit_draft", draft):
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
