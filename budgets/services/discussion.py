"""The public discussion of a published draft and the community meeting's decision on it:
residents' comments, the akimat's official replies, the meeting's record with its minutes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from budgets import lifecycle, locks
from budgets.codes import AuditVerb, ErrorCode
from budgets.models import (
    COMMENT_MAX_LENGTH,
    MEETING_MEMBERS_MAX,
    MEETING_MEMBERS_MIN,
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    CyclePhase,
    DraftBudget,
    DraftComment,
    DraftStatus,
    MeetingDecision,
)
from budgets.selectors import cycle_state
from budgets.services.cycles import cycle_announce
from portal.errors import DomainError
from portal.formats import day_text
from portal.models import Notification
from portal.services import audit_event_record, notifications_create


def _comment_body(body: str, *, empty) -> str:
    body = body.strip()
    if not body:
        raise DomainError(ErrorCode.COMMENT_EMPTY, empty)
    if len(body) > COMMENT_MAX_LENGTH:
        raise DomainError(
            ErrorCode.COMMENT_TOO_LONG,
            _("Write at most %(count)d characters.") % {"count": COMMENT_MAX_LENGTH},
        )
    return body


@transaction.atomic
def comment_post(
    *,
    draft: DraftBudget,
    author: User,
    body: str,
    line: BudgetLine | None = None,
) -> DraftComment:
    body = _comment_body(body, empty=_("Write a comment first."))
    if line is not None and line.draft_id != draft.pk:
        raise DomainError(
            ErrorCode.LINE_NOT_IN_DRAFT, _("This line is not in this draft.")
        )
    state = cycle_state(draft.cycle, fresh=True)
    if state.phase != CyclePhase.PUBLIC_DISCUSSION:
        raise DomainError(
            ErrorCode.DISCUSSION_CLOSED,
            _("Comments are taken only during the public discussion of the draft."),
        )
    if draft.status != DraftStatus.PUBLISHED or draft.pk != _latest_published_pk(
        draft.cycle
    ):
        raise DomainError(
            ErrorCode.DRAFT_NOT_UNDER_DISCUSSION,
            _("Comment on the version under discussion, the latest published one."),
        )
    comment = DraftComment.objects.create(
        draft=draft, line=line, author=author, body=body
    )
    audit_event_record(
        actor=author,
        verb=AuditVerb.DRAFT_COMMENTED,
        target=comment,
        unit=draft.cycle.unit,
        details={
            "version": draft.version,
            "line": line.classification.code if line else None,
        },
    )
    return comment


def _latest_published_pk(cycle: BudgetCycle) -> int | None:
    return (
        cycle.drafts.filter(status=DraftStatus.PUBLISHED)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


@transaction.atomic
def comment_reply(*, comment: DraftComment, author: User, body: str) -> DraftComment:
    """The akimat's official answer to a resident's comment."""
    body = _comment_body(body, empty=_("Write a reply first."))
    if comment.reply_to_id is not None:
        raise DomainError(
            ErrorCode.REPLY_TO_REPLY, _("Answer the resident's comment itself.")
        )
    reply = DraftComment.objects.create(
        draft=comment.draft,
        line=comment.line,
        reply_to=comment,
        author=author,
        body=body,
        is_official=True,
    )
    audit_event_record(
        actor=author,
        verb=AuditVerb.DRAFT_REPLIED,
        target=reply,
        unit=comment.draft.cycle.unit,
        details={"comment": comment.pk},
    )
    notifications_create(
        [
            Notification(
                recipient=comment.author,
                kind="draft_comment_answered",
                unit=comment.draft.cycle.unit,
                url_name="budgets:draft_detail",
                url_kwargs={
                    "kato_code": comment.draft.cycle.unit.kato_code,
                    "fiscal_year": comment.draft.cycle.fiscal_year,
                    "version": comment.draft.version,
                },
            )
        ]
    )
    return reply


MINUTES_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def meeting_record(
    *,
    draft: DraftBudget,
    actor: User,
    held_on: datetime.date,
    members_total: int,
    members_present: int,
    decision: str,
    remarks: str,
    minutes,
) -> CommunityMeeting:
    """The community meeting's decision: coordinated drafts go on, others return."""
    draft = locks.draft_lock(draft)
    refusal = _meeting_refusal(
        draft,
        held_on=held_on,
        members_total=members_total,
        members_present=members_present,
        decision=decision,
        remarks=remarks,
        minutes=minutes,
    )
    if refusal is not None:
        raise refusal
    meeting = CommunityMeeting.objects.create(
        draft=draft,
        held_on=held_on,
        members_total=members_total,
        members_present=members_present,
        decision=decision,
        remarks=remarks.strip(),
        minutes=minutes,
        recorded_by=actor,
    )
    target = (
        DraftStatus.RETURNED
        if decision == MeetingDecision.NOT_COORDINATED
        else DraftStatus.COORDINATED
    )
    lifecycle.draft_transition_check(draft.status, target)
    draft.status = target
    draft.save(update_fields=["status"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.MEETING_RECORDED,
        target=meeting,
        unit=draft.cycle.unit,
        details={
            "version": draft.version,
            "decision": decision,
            "members_total": members_total,
            "members_present": members_present,
        },
    )
    cycle_announce(cycle=draft.cycle, actor=actor)
    return meeting


def _meeting_refusal(
    draft: DraftBudget,
    *,
    held_on: datetime.date,
    members_total: int,
    members_present: int,
    decision: str,
    remarks: str,
    minutes,
) -> DomainError | None:
    """Why the meeting's decision cannot be recorded so on the locked draft, or None."""
    state = cycle_state(draft.cycle, fresh=True)
    if state.phase != CyclePhase.COORDINATION or draft.status != DraftStatus.PUBLISHED:
        return DomainError(
            ErrorCode.PHASE_NOT_COORDINATION,
            _(
                "The meeting's decision is recorded on the published draft after its discussion."
            ),
        )
    if draft.pk != _latest_published_pk(draft.cycle):
        return DomainError(
            ErrorCode.DRAFT_NOT_UNDER_DISCUSSION,
            _("Record the decision on the latest published version."),
        )
    discussion_end = draft.cycle.phases.get(kind=CyclePhase.PUBLIC_DISCUSSION).ends_on
    if held_on <= discussion_end:
        return DomainError(
            ErrorCode.MEETING_BEFORE_DISCUSSION_ENDED,
            _(
                "The meeting is held after the public discussion, which ended on %(day)s."
            )
            % {"day": day_text(discussion_end)},
        )
    if held_on > timezone.localdate():
        return DomainError(
            ErrorCode.MEETING_IN_FUTURE, _("The meeting cannot be held in the future.")
        )
    if not MEETING_MEMBERS_MIN <= members_total <= MEETING_MEMBERS_MAX:
        return DomainError(
            ErrorCode.MEETING_MEMBERS_OUT_OF_RANGE,
            _("A community meeting has from 5 to 25 members."),
        )
    if not 0 < members_present <= members_total:
        return DomainError(
            ErrorCode.MEETING_PRESENT_OUT_OF_RANGE,
            _("The members present are at least one and at most all the members."),
        )
    if decision != MeetingDecision.COORDINATED and not remarks.strip():
        return DomainError(
            ErrorCode.MEETING_REMARKS_REQUIRED,
            _("Write down the meeting's remarks."),
        )
    return minutes_problem(minutes)


def minutes_problem(minutes) -> DomainError | None:
    """Why an upload is not acceptable minutes: only a PDF of at most 10 MB."""
    if minutes is None:
        return DomainError(
            ErrorCode.MINUTES_REQUIRED, _("Attach the minutes of the meeting as a PDF.")
        )
    if minutes.size > MINUTES_MAX_BYTES:
        return DomainError(
            ErrorCode.MINUTES_TOO_LARGE, _("The minutes may be at most 10 MB.")
        )
    head = minutes.read(5)
    minutes.seek(0)
    if head != b"%PDF-" or not minutes.name.lower().endswith(".pdf"):
        return DomainError(
            ErrorCode.MINUTES_NOT_PDF, _("The minutes must be a PDF file.")
        )
    return None
