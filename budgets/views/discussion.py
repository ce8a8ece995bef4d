"""Pages of the public discussion of a draft and of the community meeting: the official
reply to a comment, recording the meeting's decision, and its minutes. Commenting is done
on the draft's page (budgets/views/drafts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from budgets import selectors, services
from budgets.codes import ErrorCode
from budgets.forms import MeetingForm, ReplyForm, SittingDecisionForm
from budgets.models import DraftBudget
from budgets.views._pages import cycle_of, draft_acted_on, draft_of
from portal.errors import DomainError
from portal.permissions import is_due, require


@login_required
@require_POST
def comment_reply(request, kato_code: str, fiscal_year: int, pk: int):
    cycle = cycle_of(kato_code, fiscal_year)
    require(request.user, "budgets.reply_officially", cycle)
    comment = selectors.comment_get(cycle=cycle, pk=pk)
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


MINUTES_CODES = frozenset(
    {ErrorCode.MINUTES_REQUIRED, ErrorCode.MINUTES_NOT_PDF, ErrorCode.MINUTES_TOO_LARGE}
)


def _refusal_field(code: str) -> str | None:
    """The field of the meeting's form a refusal of the service belongs to."""
    if code == ErrorCode.MEETING_REMARKS_REQUIRED:
        return "remarks"
    return "minutes" if code in MINUTES_CODES else None


def _meeting_record(request, draft: DraftBudget, form: MeetingForm) -> bool:
    """Record the meeting of a valid form: False, with the refusal on the form, when
    refused."""
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
        form.add_error(_refusal_field(error.code), error.message)
        return False
    return True


def _sitting_decision_record(request, draft, form: SittingDecisionForm) -> bool:
    data = form.cleaned_data
    try:
        services.meeting_record_from_sitting(
            draft=draft,
            actor=request.user,
            item=data["item"],
            remarks=data["sitting_remarks"],
        )
    except DomainError as error:
        field = (
            "sitting_remarks"
            if error.code == ErrorCode.MEETING_REMARKS_REQUIRED
            else None
        )
        form.add_error(field, error.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request, kato_code: str, fiscal_year: int, version: int):
    """The meeting's decision on the draft: from the vote of a sitting recorded on the
    portal, or as counts with the minutes uploaded."""
    cycle = cycle_of(kato_code, fiscal_year)
    draft = draft_acted_on(cycle, version, request.user, "budgets.record_meeting")
    if request.method == "GET" and not is_due("budgets.record_meeting", draft):
        messages.error(
            request,
            _(
                "The meeting's decision is recorded on the published draft after its "
                "discussion."
            ),
        )
        return redirect(cycle)
    items = selectors.sitting_items_for_decision(cycle)
    from_sitting = request.method == "POST" and request.POST.get("source") == "sitting"
    sitting_form = SittingDecisionForm(
        request.POST if from_sitting else None, items=items
    )
    form = MeetingForm(
        request.POST if request.method == "POST" and not from_sitting else None,
        request.FILES if request.method == "POST" and not from_sitting else None,
    )
    if request.method == "POST":
        recorded = (
            sitting_form.is_valid()
            and _sitting_decision_record(request, draft, sitting_form)
            if from_sitting
            else form.is_valid() and _meeting_record(request, draft, form)
        )
        if recorded:
            messages.success(
                request, _("The community meeting's decision is recorded.")
            )
            return redirect(cycle)
    return render(
        request,
        "budgets/meeting_form.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "form": form,
            "sitting_form": sitting_form,
            "has_items": items.exists(),
        },
        status=400 if form.errors or sitting_form.errors else 200,
    )


def meeting_minutes(request, kato_code: str, fiscal_year: int, version: int):
    """The minutes of the community meeting, public like its decision."""
    cycle = cycle_of(kato_code, fiscal_year)
    draft = draft_of(cycle, version, request.user)
    meeting = getattr(draft, "meeting", None)
    if meeting is None:
        raise Http404
    if meeting.item_id is not None:
        # The sitting's own minutes, in Kazakh where the page is read in Kazakh.
        return redirect(
            "community:sitting_minutes",
            kato_code=kato_code,
            pk=meeting.item.sitting_id,
            language="kk" if get_language() == "kk" else "ru",
        )
    try:
        minutes = meeting.minutes.open("rb")
    except FileNotFoundError:
        # The record without its file (a storage restored without the media): not found,
        # never a server error.
        raise Http404 from None
    return FileResponse(
        minutes,
        content_type="application/pdf",
        filename=f"minutes-{kato_code}-{fiscal_year}-v{version}.pdf",
    )
