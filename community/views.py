"""Pages of gatherings: the unit's list, one gathering, calling and changing it, the
residents present, its close with the votes, its notice and its minutes, the unit's
rules. Thin: the services decide, the rules in community.permissions guard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from community import lifecycle, printed, selectors, services
from community.forms import (
    AttendanceForm,
    CancelForm,
    CloseForm,
    GatheringForm,
    RulesForm,
)
from community.models import GatheringStatus
from portal.errors import DomainError
from portal.permissions import allows, is_due, require
from portal.printed import pdf_response
from portal.selectors import unit_get

PAGE_SIZE = 20
ATTENDANCE_PAGE_SIZE = 50


def gathering_list(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    may_prepare = allows(request.user, "community.prepare_gathering", unit)
    page = Paginator(
        selectors.gatherings_of(unit=unit, with_planned=may_prepare), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "community/gathering_list.html",
        {
            "unit": unit,
            "page": page,
            "may_prepare": may_prepare,
            "rules": selectors.gathering_rules(unit=unit),
        },
    )


def _gathering(request, kato_code: str, pk: int):
    gathering = selectors.gathering_get(kato_code=kato_code, pk=pk)
    if gathering.status == GatheringStatus.PLANNED and not allows(
        request.user, "community.view_planned_gathering", gathering
    ):
        raise Http404
    return gathering


def gathering_detail(request, kato_code: str, pk: int):
    gathering = _gathering(request, kato_code, pk)
    figures = selectors.gathering_figures(gathering=gathering)
    user = request.user
    items = [
        (
            item,
            lifecycle.item_outcome(
                item,
                present=figures["present"],
                percent=gathering.majority_percent,
                quorate=figures["quorate"],
            ),
        )
        for item in gathering.items.all()
    ]
    return render(
        request,
        "community/gathering_detail.html",
        {
            "unit": gathering.unit,
            "gathering": gathering,
            "figures": figures,
            "items": items,
            "held": gathering.status == GatheringStatus.HELD,
            "territory": printed.territory_text(gathering),
            "title": printed.title_text(gathering),
            "minutes_overdue": gathering.status == GatheringStatus.ANNOUNCED
            and gathering.minutes_due_on is not None
            and timezone.localdate() > gathering.minutes_due_on,
            "may": {
                act: allows(user, f"community.{act}", gathering)
                for act in (
                    "change_gathering",
                    "announce_gathering",
                    "cancel_gathering",
                    "record_attendance",
                    "close_gathering",
                )
            },
            "cancel_form": CancelForm(),
        },
    )


def _gathering_form(request, unit, gathering, save, done: str):
    """The form that prepares a gathering (`gathering` None) or changes one: `save`
    takes the form's data and returns the gathering saved."""
    form = GatheringForm(
        request.POST or None,
        places=selectors.unit_places(unit=unit),
        initial=GatheringForm.initial_of(gathering) if gathering else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.data_object())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(saved)
    return render(
        request,
        "community/gathering_form.html",
        {"unit": unit, "form": form, "gathering": gathering},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def gathering_new(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "community.prepare_gathering", unit)
    return _gathering_form(
        request,
        unit,
        None,
        lambda data: services.gathering_prepare(
            unit=unit, actor=request.user, data=data
        ),
        _("The gathering is prepared. The akim announces it to the residents."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def gathering_edit(request, kato_code: str, pk: int):
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.change_gathering", gathering)
    if not is_due("community.change_gathering", gathering):
        return redirect(gathering)
    return _gathering_form(
        request,
        gathering.unit,
        gathering,
        lambda data: services.gathering_change(
            gathering=gathering, actor=request.user, data=data
        ),
        _("The gathering is changed."),
    )


@login_required
@require_POST
def gathering_announce(request, kato_code: str, pk: int):
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.announce_gathering", gathering)
    try:
        services.gathering_announce(gathering=gathering, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The gathering is announced and the residents are told. Print its notice."
            ),
        )
    return redirect(gathering)


@login_required
@require_POST
def gathering_cancel(request, kato_code: str, pk: int):
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.cancel_gathering", gathering)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.gathering_cancel(
                gathering=gathering,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The gathering is cancelled."))
        return redirect(gathering)
    messages.error(request, _("Give the residents the reason for cancelling."))
    return redirect(gathering)


@sensitive_post_parameters("iins")
@login_required
@require_http_methods(["GET", "POST"])
def gathering_attendance(request, kato_code: str, pk: int):
    """Staff enter the IINs of the residents present; the page keeps what was typed and
    sends it when the connection returns (static/js/attendance.js)."""
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.record_attendance", gathering)
    if not is_due("community.record_attendance", gathering):
        messages.error(
            request,
            _(
                "Attendance is recorded from the day of an announced gathering until its "
                "minutes are published."
            ),
        )
        return redirect(gathering)
    form = AttendanceForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.attendance_record(
                gathering=gathering,
                actor=request.user,
                iins=form.cleaned_data["iins"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            # What was refused stays in the box to be corrected; the rest is recorded.
            form = AttendanceForm()
    page = Paginator(
        selectors.attendance_of(gathering=gathering), ATTENDANCE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "community/attendance.html",
        {
            "unit": gathering.unit,
            "gathering": gathering,
            "form": form,
            "report": report,
            "page": page,
            "figures": selectors.gathering_figures(gathering=gathering),
            "title": printed.title_text(gathering),
            "offline_texts": {
                "kept": _("The list kept on this device is back: send it."),
                "waiting": _(
                    "No connection: the list is kept on this device and sent when the "
                    "connection returns."
                ),
                "sending": _("The connection is back: sending the list."),
                "offline": _(
                    "No connection. Keep typing: the list is kept on this device."
                ),
            },
        },
        status=400 if form.errors or (report and report.refused) else 200,
    )


@login_required
@require_POST
def attendance_remove(request, kato_code: str, pk: int, attendance_pk: int):
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.record_attendance", gathering)
    try:
        services.attendance_remove(
            gathering=gathering, actor=request.user, attendance_pk=attendance_pk
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The resident is taken off the list."))
    return redirect("community:gathering_attendance", kato_code=kato_code, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def gathering_close(request, kato_code: str, pk: int):
    gathering = _gathering(request, kato_code, pk)
    require(request.user, "community.close_gathering", gathering)
    if not is_due("community.close_gathering", gathering):
        return redirect(gathering)
    form = CloseForm(request.POST or None, items=gathering.items.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.gathering_close(
                gathering=gathering, actor=request.user, votes=form.votes()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The minutes are published."))
            return redirect(gathering)
    return render(
        request,
        "community/gathering_close.html",
        {
            "unit": gathering.unit,
            "gathering": gathering,
            "form": form,
            "figures": selectors.gathering_figures(gathering=gathering),
            "title": printed.title_text(gathering),
        },
        status=400 if form.errors else 200,
    )


def gathering_notice(request, kato_code: str, pk: int):
    """The notice for the notice board while the gathering is ahead."""
    gathering = _gathering(request, kato_code, pk)
    if gathering.status != GatheringStatus.ANNOUNCED:
        raise Http404
    page_url = request.build_absolute_uri(gathering.get_absolute_url())
    return pdf_response(
        printed.gathering_notice_pdf(gathering, page_url=page_url),
        f"qatysu-{kato_code}-gathering-{gathering.pk}-notice.pdf",
    )


def gathering_minutes(request, kato_code: str, pk: int, language: str):
    gathering = _gathering(request, kato_code, pk)
    if (
        gathering.status != GatheringStatus.HELD
        or language not in printed.MINUTES_LANGUAGES
    ):
        raise Http404
    return pdf_response(
        printed.minutes_pdf(gathering, language=language),
        f"qatysu-{kato_code}-gathering-{gathering.pk}-minutes-{language}.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def gathering_rules(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "community.set_rules", unit)
    rules = selectors.gathering_rules(unit=unit)
    form = RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        services.gathering_rules_set(
            unit=unit,
            actor=request.user,
            values={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(
            request,
            _("The rules are saved. Gatherings already announced keep their rules."),
        )
        return redirect("community:gathering_list", kato_code=kato_code)
    return render(
        request,
        "community/rules.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )
