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
from community import lifecycle as community_lifecycle
from community import selectors as community_selectors
from community.models import (
    MEETING_MEMBERS_MAX,
    MEETING_MEMBERS_MIN,
    SittingItem,
    SittingStatus,
)
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
    """The community meeting's decision as counts with its minutes uploaded, where its
    sitting is not recorded on the portal: coordinated drafts go on, others return."""
    draft = locks.draft_lock(draft)
    refusal = _meeting_refusal(
        draft,
        held_on=held_on,
        members_total=members_total,
        members_present=members_present,
        decision=decision,
        remarks=remarks,
    ) or minutes_problem(minutes)
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
    _meeting_apply(meeting, actor=actor)
    return meeting


def sitting_decision(item: SittingItem, *, remarks: str) -> str:
    """The decision on the draft a sitting's vote on its question makes: not adopted,
    not coordinated; adopted, coordinated (with the remarks, if any)."""
    sitting = item.sitting
    figures = community_selectors.sitting_figures(sitting=sitting)
    outcome = community_lifecycle.item_outcome(
        item,
        present=figures["present"],
        percent=sitting.meeting_majority_percent,
        quorate=figures["quorate"],
    )
    if not outcome.adopted:
        return MeetingDecision.NOT_COORDINATED
    if remarks.strip():
        return MeetingDecision.COORDINATED_WITH_REMARKS
    return MeetingDecision.COORDINATED


@transaction.atomic
def meeting_record_from_sitting(
    *, draft: DraftBudget, actor: User, item: SittingItem, remarks: str
) -> CommunityMeeting:
    """The community meeting's decision from the vote of its sitting on the draft: the
    members in office and present come from the sitting, its minutes are the sitting's."""
    draft = locks.draft_lock(draft)
    item = (
        SittingItem.objects.select_for_update(of=("self",))
        .select_related("sitting__unit")
        .get(pk=item.pk)
    )
    sitting = item.sitting
    if (
        sitting.unit_id != draft.cycle.unit_id
        or sitting.status != SittingStatus.HELD
        or CommunityMeeting.objects.filter(item=item).exists()
    ):
        raise DomainError(
            ErrorCode.MEETING_ITEM_INVALID,
            _(
                "Choose a question of a held sitting of this unit's meeting that no "
                "other decision on a draft comes from."
            ),
        )
    figures = community_selectors.sitting_figures(sitting=sitting)
    if not figures["quorate"]:
        raise DomainError(
            ErrorCode.MEETING_NO_QUORUM,
            _("That sitting had no quorum: it decided nothing on the draft."),
        )
    decision = sitting_decision(item, remarks=remarks)
    refusal = _meeting_refusal(
        draft,
        held_on=sitting.held_on,
        members_total=figures["total"],
        members_present=figures["present"],
        decision=decision,
        remarks=remarks,
    )
    if refusal is not None:
        raise refusal
    meeting = CommunityMeeting.objects.create(
        draft=draft,
        held_on=sitting.held_on,
        members_total=figures["total"],
        members_present=figures["present"],
        decision=decision,
        remarks=remarks.strip(),
        item=item,
        recorded_by=actor,
    )
    _meeting_apply(meeting, actor=actor)
    return meeting


def _meeting_apply(meeting: CommunityMeeting, *, actor: User) -> None:
    """The draft coordinated or returned by the meeting's decision, audited, and the
    cycle's followers told."""
    draft = meeting.draft
    target = (
        DraftStatus.RETURNED
        if meeting.decision == MeetingDecision.NOT_COORDINATED
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
            "decision": meeting.decision,
            "members_total": meeting.members_total,
            "members_present": meeting.members_present,
            **({"sitting_item": meeting.item_id} if meeting.item_id else {}),
        },
    )
    cycle_announce(cycle=draft.cycle, actor=actor)


def _meeting_refusal(
    draft: DraftBudget,
    *,
    held_on: datetime.date,
    members_total: int,
    members_present: int,
    decision: str,
    remarks: str,
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
    return None


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
