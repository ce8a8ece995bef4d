"""Pages of the execution of an adopted budget: plan against actual for everyone, and the
akimat's quarterly report and corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from budgets import execution, selectors
from budgets.codes import ErrorCode
from budgets.forms import (
    ExecutionCorrectForm,
    ExecutionLineFormSet,
    ExecutionQuarterForm,
)
from budgets.models import QUARTERS, BudgetCycle, ClassificationKind
from budgets.views._pages import cycle_of
from portal import fragments
from portal.errors import DomainError
from portal.permissions import require

# Where each refusal of a correction is shown on its form.
CORRECTION_FIELDS = {
    ErrorCode.AMOUNT_INVALID: "new_total",
    ErrorCode.EXECUTION_TOTAL_NEGATIVE: "new_total",
    ErrorCode.EXECUTION_CORRECTION_UNCHANGED: "new_total",
    ErrorCode.EXECUTION_REASON_REQUIRED: "reason",
    ErrorCode.EXECUTION_NOTE_TOO_LONG: "reason",
}


def _execution_url(cycle: BudgetCycle) -> str:
    return reverse(
        "budgets:execution",
        kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year},
    )


def _refusal(cycle: BudgetCycle) -> DomainError | None:
    return execution.execution_refusal(
        cycle=cycle, state=selectors.cycle_state(cycle), on=timezone.localdate()
    )


def execution_page(request, kato_code: str, fiscal_year: int):
    """Everyone's view of the adopted budget's execution; a visitor's kept
    (portal.fragments)."""
    if fragments.is_visitor_read(request):
        _cycle_id, unit_id = selectors.cycle_keys(
            kato_code=kato_code, fiscal_year=fiscal_year
        )
        return fragments.visitor_page(
            request,
            "budgets/execution.html",
            lambda: _execution_context(request, cycle_of(kato_code, fiscal_year)),
            unit_id=unit_id,
        )
    return render(
        request,
        "budgets/execution.html",
        _execution_context(request, cycle_of(kato_code, fiscal_year)),
    )


def _execution_context(request, cycle: BudgetCycle) -> dict:
    view = selectors.execution_view(cycle, with_companions=True)
    if view is None:
        raise Http404
    may_record = (
        request.user.has_perm("budgets.record_execution", cycle)
        and _refusal(cycle) is None
    )
    return {
        "cycle": cycle,
        "unit": cycle.unit,
        "state": selectors.cycle_state(cycle),
        "view": view,
        "quarters": QUARTERS,
        "may_record": may_record,
        "books_close_on": execution.books_close_on(cycle),
    }


def _default_quarter(cycle: BudgetCycle) -> int:
    """The last quarter that has ended, since a quarter is reported once its figures are
    in; the first while none has ended, the fourth once the year is over."""
    ended = execution.quarters_ended(cycle, timezone.localdate())
    return ended[-1] if ended else 1


def _report_formset(view, quarter: int, data=None):
    """One row per line not yet reported for the quarter; on a post, the rows posted, each
    with its line (None when the posted line is not in the adopted budget)."""
    unreported = [e for e in view.lines if not e.quarters[quarter - 1].is_reported]
    formset = ExecutionLineFormSet(
        data, initial=[{"line": e.line.pk} for e in unreported], prefix="lines"
    )
    by_pk = {e.line.pk: e for e in view.lines}
    for index, form in enumerate(formset.forms):
        if data is None:
            form.execution = unreported[index]
        else:
            form.execution = by_pk.get(_posted_line(form))
    return formset


def _posted_line(form) -> int | None:
    try:
        return int(form["line"].value())
    except (TypeError, ValueError):
        return None


def _quarter_asked(cycle: BudgetCycle, query) -> int:
    """The quarter the page is asked for, when it has begun; the default quarter else."""
    form = ExecutionQuarterForm(query or None)
    begun = execution.quarters_begun(cycle, timezone.localdate())
    if query and form.is_valid() and form.cleaned_data["quarter"] in begun:
        return form.cleaned_data["quarter"]
    return _default_quarter(cycle)


def _reports(formset) -> list[execution.ReportInput]:
    """The posted rows with an amount; a row left empty is not reported."""
    return [
        execution.ReportInput(
            line=form.execution.line,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
        for form in formset.forms
        if form.cleaned_data.get("amount") is not None
    ]


def _record_quarter(
    request, cycle: BudgetCycle, quarter: int, formset, quarter_form
) -> list | None:
    """Record the quarter's report: its entries, or None with the refusal on the form."""
    reports = _reports(formset)
    try:
        return execution.execution_record_quarter(
            cycle=cycle, quarter=quarter, reports=reports, actor=request.user
        )
    except DomainError as error:
        quarter_form.add_error(None, error.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def execution_record(request, kato_code: str, fiscal_year: int):
    """The akimat's report of a quarter: one amount and note per line not yet reported."""
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.record_execution", cycle)
    view = selectors.execution_view(cycle)
    if view is None:
        messages.error(request, _refusal(cycle).message)
        return redirect(cycle)
    if request.method == "GET":
        refusal = _refusal(cycle)
        if refusal is not None:
            # Never offer an act that cannot be done.
            messages.error(request, refusal.message)
            return redirect(_execution_url(cycle))
        quarter = _quarter_asked(cycle, request.GET)
        quarter_form = ExecutionQuarterForm(initial={"quarter": quarter})
        formset = _report_formset(view, quarter)
        return _record_page(request, cycle, view, quarter, quarter_form, formset)
    quarter_form = ExecutionQuarterForm(request.POST)
    quarter = (
        quarter_form.cleaned_data["quarter"]
        if quarter_form.is_valid()
        else _default_quarter(cycle)
    )
    formset = _report_formset(view, quarter, request.POST)
    if any(form.execution is None for form in formset.forms):
        # A row the page never drew: its line is not one of this budget.
        quarter_form.add_error(None, _("A line is not in the adopted budget."))
    if not quarter_form.errors and formset.is_valid():
        entries = _record_quarter(request, cycle, quarter, formset, quarter_form)
        if entries is not None:
            messages.success(
                request,
                ngettext(
                    "Quarter %(quarter)s is reported for %(count)s line.",
                    "Quarter %(quarter)s is reported for %(count)s lines.",
                    len(entries),
                )
                % {"quarter": quarter, "count": len(entries)},
            )
            return redirect(_execution_url(cycle))
    return _record_page(request, cycle, view, quarter, quarter_form, formset)


def _record_page(
    request, cycle: BudgetCycle, view, quarter: int, quarter_form, formset
):
    begun = execution.quarters_begun(cycle, timezone.localdate())
    rows = [form for form in formset.forms if form.execution is not None]
    return render(
        request,
        "budgets/execution_record.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "view": view,
            "quarter": quarter,
            "quarters": [q for q in QUARTERS if q in begun] or [1],
            "quarter_form": quarter_form,
            "formset": formset,
            "revenue_forms": [
                f
                for f in rows
                if f.execution.line.classification.kind == ClassificationKind.REVENUE
            ],
            "expenditure_forms": [
                f
                for f in rows
                if f.execution.line.classification.kind
                == ClassificationKind.EXPENDITURE
            ],
            "reported": [e for e in view.lines if e.quarters[quarter - 1].is_reported],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def execution_correct(
    request, kato_code: str, fiscal_year: int, line: int, quarter: int
):
    """Correct one line-quarter: the right total and a public reason, then a confirmation."""
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.record_execution", cycle)
    view = selectors.execution_view(cycle)
    line_execution = view.line(line) if view is not None else None
    if line_execution is None or quarter not in QUARTERS:
        raise Http404
    reported = line_execution.quarters[quarter - 1]
    if not reported.is_reported:
        messages.error(
            request,
            _("Quarter %(quarter)s of this line is not reported yet: report it first.")
            % {"quarter": quarter},
        )
        return redirect(_execution_url(cycle))
    if request.method == "GET":
        refusal = _refusal(cycle)
        if refusal is not None:
            messages.error(request, refusal.message)
            return redirect(_execution_url(cycle))
    form = ExecutionCorrectForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if "confirm" in request.POST:
            try:
                execution.execution_correct(
                    entry=reported.latest,
                    new_total=form.cleaned_data["new_total"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(CORRECTION_FIELDS.get(error.code), error.message)
            else:
                messages.success(
                    request,
                    _("The correction is recorded; the line's history keeps both."),
                )
                return redirect(f"{_execution_url(cycle)}#history-{line}")
        else:
            confirming = True
    return render(
        request,
        "budgets/execution_correct.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "execution": line_execution,
            "reported": reported,
            "form": form,
            "confirming": confirming,
            "difference": form.cleaned_data["new_total"] - reported.total
            if confirming
            else None,
        },
        status=400 if form.errors else 200,
    )
