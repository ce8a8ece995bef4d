"""Pages of the local community meeting: its members by name with their terms and its
sittings; recording a member and their leaving, calling a sitting, cancelling it, closing
it with the members present and the votes, its minutes. Thin: the services decide, the
rules in community.permissions guard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from community import lifecycle, printed, selectors, services
from community.forms import (
    MemberEndForm,
    MemberForm,
    SittingCancelForm,
    SittingCloseForm,
    SittingForm,
)
from community.models import MeetingMember, SittingStatus
from portal.errors import DomainError
from portal.permissions import allows, is_due, require
from portal.printed import pdf_response
from portal.selectors import unit_get

PAGE_SIZE = 20


def meeting(request, kato_code: str):
    """The meeting's members in office today, those whose term is over or who left, and
    its sittings."""
    unit = unit_get(kato_code=kato_code)
    today = timezone.localdate()
    in_office = list(selectors.members_in_office(unit=unit, day=today))
    former = selectors.members_of(unit=unit).exclude(
        pk__in=[member.pk for member in in_office]
    )
    user = request.user
    sittings = Paginator(selectors.sittings_of(unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/meeting.html",
        {
            "unit": unit,
            # Each member's leaving form with ids of its own.
            "in_office": [
                (
                    member,
                    MemberEndForm(
                        initial={"ended_on": today}, auto_id=f"id_m{member.pk}_%s"
                    ),
                )
                for member in in_office
            ],
            "former": former,
            "sittings": sittings,
            "rules": selectors.gathering_rules(unit=unit),
            "may_record": allows(user, "community.record_members", unit),
            "may_call": allows(user, "community.call_sitting", unit),
        },
    )


@sensitive_post_parameters("iin")
@login_required
@require_http_methods(["GET", "POST"])
def member_new(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "community.record_members", unit)
    form = MemberForm(
        request.POST or None,
        gatherings=selectors.electing_gatherings(unit=unit),
        initial={"term_starts": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(unit=unit, actor=request.user, data=form.data_object())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The member of the meeting is recorded."))
            return redirect("community:meeting", kato_code=kato_code)
    return render(
        request,
        "community/member_form.html",
        {"unit": unit, "form": form, "rules": selectors.gathering_rules(unit=unit)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_end(request, kato_code: str, pk: int):
    member = get_object_or_404(
        MeetingMember.objects.select_related("unit"), unit__kato_code=kato_code, pk=pk
    )
    require(request.user, "community.end_member", member)
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(error for errors in form.errors.values() for error in errors),
        )
        return redirect("community:meeting", kato_code=kato_code)
    try:
        services.member_end(
            member=member,
            actor=request.user,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s leaves the meeting.") % {"name": member.full_name},
        )
    return redirect("community:meeting", kato_code=kato_code)


@login_required
@require_http_methods(["GET", "POST"])
def sitting_new(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "community.call_sitting", unit)
    form = SittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sitting = services.sitting_call(
                unit=unit, actor=request.user, data=form.data_object()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The sitting is called and its members are told.")
            )
            return redirect(sitting)
    return render(
        request,
        "community/sitting_form.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _outcomes(sitting, figures) -> list:
    return [
        (
            item,
            lifecycle.item_outcome(
                item,
                present=figures["present"],
                percent=sitting.meeting_majority_percent,
                quorate=figures["quorate"],
            ),
        )
        for item in sitting.items.all()
    ]


def sitting_detail(request, kato_code: str, pk: int):
    sitting = selectors.sitting_get(kato_code=kato_code, pk=pk)
    figures = selectors.sitting_figures(sitting=sitting)
    held = sitting.status == SittingStatus.HELD
    return render(
        request,
        "community/sitting_detail.html",
        {
            "unit": sitting.unit,
            "sitting": sitting,
            "title": printed.sitting_title(sitting),
            "figures": figures,
            "items": _outcomes(sitting, figures),
            "held": held,
            "present": selectors.roll_members(sitting=sitting, present=True)
            if held
            else (),
            "may": {
                act: allows(request.user, f"community.{act}", sitting)
                for act in ("cancel_sitting", "close_sitting")
            },
            "cancel_form": SittingCancelForm(),
        },
    )


@login_required
@require_POST
def sitting_cancel(request, kato_code: str, pk: int):
    sitting = selectors.sitting_get(kato_code=kato_code, pk=pk)
    require(request.user, "community.cancel_sitting", sitting)
    form = SittingCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the members the reason for cancelling."))
        return redirect(sitting)
    try:
        services.sitting_cancel(
            sitting=sitting, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The sitting is cancelled."))
    return redirect(sitting)


@login_required
@require_http_methods(["GET", "POST"])
def sitting_close(request, kato_code: str, pk: int):
    sitting = selectors.sitting_get(kato_code=kato_code, pk=pk)
    require(request.user, "community.close_sitting", sitting)
    if not is_due("community.close_sitting", sitting):
        messages.error(
            request,
            _(
                "The members present and the votes are recorded from the day of a "
                "called sitting."
            ),
        )
        return redirect(sitting)
    members = selectors.members_in_office(
        unit=sitting.unit, day=sitting.held_on
    ).order_by("full_name", "pk")
    form = SittingCloseForm(
        request.POST or None, items=sitting.items.all(), members=members
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sitting_close(
                sitting=sitting,
                actor=request.user,
                present=form.present_ids(),
                votes=form.votes(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The minutes are published."))
            return redirect(sitting)
    return render(
        request,
        "community/sitting_close.html",
        {
            "unit": sitting.unit,
            "sitting": sitting,
            "title": printed.sitting_title(sitting),
            "form": form,
            "figures": selectors.sitting_figures(sitting=sitting),
        },
        status=400 if form.errors else 200,
    )


def sitting_minutes(request, kato_code: str, pk: int, language: str):
    sitting = selectors.sitting_get(kato_code=kato_code, pk=pk)
    if (
        sitting.status != SittingStatus.HELD
        or language not in printed.MINUTES_LANGUAGES
    ):
        raise Http404
    return pdf_response(
        printed.sitting_minutes_pdf(sitting, language=language),
        f"qatysu-{kato_code}-sitting-{sitting.pk}-minutes-{language}.pdf",
    )
