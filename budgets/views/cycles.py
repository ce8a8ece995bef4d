"""Pages of budget cycles: a unit's cycles, opening one, the cycle's page with its
timeline and history, extending a phase, and following a cycle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from budgets import extensions, selectors, services
from budgets.codes import ErrorCode
from budgets.forms import CycleOpenForm, PhaseExtendForm
from budgets.lifecycle import open_defaults
from budgets.models import TIMELINE_PHASES, CyclePhase
from budgets.views._pages import cycle_of
from portal.errors import DomainError
from portal.permissions import allows, require
from portal.selectors import unit_get

# The refusals of an extension that are about the day asked for.
EXTENSION_DAY_CODES = frozenset(
    {
        ErrorCode.CITIZEN_PHASE_SHORTENED,
        ErrorCode.PHASE_NOT_EXTENDED,
        ErrorCode.PHASE_END_IN_PAST,
        ErrorCode.PHASE_ALREADY_OVER,
    }
)


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


def _open_initial(unit) -> dict:
    """The next fiscal year the unit can open and its phases' dates by its calendar."""
    fiscal_year, dates = open_defaults(
        calendar_row=services.calendar_for(unit),
        years_with_cycle=selectors.cycle_years(unit=unit),
        today=timezone.localdate(),
    )
    initial = {"fiscal_year": fiscal_year}
    for phase, (starts_on, ends_on) in dates.items():
        initial[f"{phase}_starts_on"] = starts_on
        initial[f"{phase}_ends_on"] = ends_on
    return initial


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
        form = CycleOpenForm(initial=_open_initial(unit))
    return render(
        request,
        "budgets/cycle_open.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _next_step(state, phases):
    """What happens next in the cycle, and when, for the timeline's summary."""
    index = CyclePhase.values.index(state.phase)
    for phase in CyclePhase.values[index + 1 :]:
        if phase in phases:
            return CyclePhase(phase).label, phases[phase].starts_on
    return None, None


def cycle_detail(request, kato_code: str, fiscal_year: int):
    cycle = cycle_of(kato_code, fiscal_year)
    state = selectors.cycle_state(cycle)
    phases = {phase.kind: phase for phase in cycle.phases.all()}
    public = selectors.public_drafts(cycle)
    current = public[0] if public else None
    next_label, next_on = _next_step(state, phases)
    manages = request.user.has_perm("budgets.manage_cycle", cycle)
    return render(
        request,
        "budgets/cycle_detail.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "state": state,
            "timeline": [
                (CyclePhase(kind).label, kind, phases[kind])
                for kind in TIMELINE_PHASES
                if kind in phases
            ],
            "next_label": next_label,
            "next_on": next_on,
            "current": selectors.draft_view(current) if current else None,
            "versions": public,
            "history": selectors.cycle_history(cycle)[:50],
            "manages": manages,
            "preparing": selectors.draft_in_preparation(cycle) if manages else None,
            "may_new_version": allows(request.user, "budgets.new_version", cycle),
            "may_record_meeting": current is not None
            and allows(request.user, "budgets.record_meeting", current),
            "may_submit": current is not None
            and allows(request.user, "budgets.submit_draft", current),
            "is_following": selectors.is_following(cycle=cycle, user=request.user),
            "panels": extensions.cycle_panels(
                cycle=cycle, current=current, user=request.user
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_extend(request, kato_code: str, fiscal_year: int):
    cycle = cycle_of(kato_code, fiscal_year)
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
            form.add_error(
                "ends_on" if error.code in EXTENSION_DAY_CODES else None, error.message
            )
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


@login_required
@require_POST
def cycle_follow(request, kato_code: str, fiscal_year: int):
    """Follow or stop following a cycle: its results reach followers as notifications."""
    cycle = cycle_of(kato_code, fiscal_year)
    if request.POST.get("follow") == "0":
        services.cycle_unfollow(cycle=cycle, user=request.user)
        messages.success(request, _("You no longer follow this budget."))
    else:
        services.cycle_follow(cycle=cycle, user=request.user)
        messages.success(
            request, _("You follow this budget: you will be told of its results.")
        )
    return redirect(cycle)
