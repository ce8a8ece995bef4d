"""Reports of abuse and the moderators' acts on them: hiding and restoring a proposal or a
comment, dismissing a report."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.errors import DomainError
from portal.models import Notification
from portal.services import audit_event_record, create_or_refuse, notifications_create
from proposals import locks
from proposals.codes import AuditVerb, ErrorCode
from proposals.models import ContentReport, Proposal, ProposalComment, ReportStatus
from proposals.services._input import clean_text


@transaction.atomic
def content_report(
    *,
    proposal: Proposal,
    reporter: User,
    reason: str,
    comment: ProposalComment | None = None,
) -> ContentReport:
    if comment is not None and comment.proposal_id != proposal.pk:
        raise DomainError(
            ErrorCode.COMMENT_OF_OTHER_PROPOSAL,
            _("This comment is not on this proposal."),
        )
    if not proposal.is_public:
        raise DomainError(
            ErrorCode.PROPOSAL_NOT_PUBLIC, _("This proposal is not public.")
        )
    reason = clean_text(
        reason,
        code=ErrorCode.REPORT_REASON_EMPTY,
        message=_("Say what is abusive in it."),
        max_length=1000,
    )
    report = create_or_refuse(
        ContentReport,
        DomainError(
            ErrorCode.ALREADY_REPORTED,
            _("You have already reported this; a moderator will look at it."),
        ),
        proposal=proposal,
        comment=comment,
        reporter=reporter,
        reason=reason,
    )
    audit_event_record(
        actor=reporter,
        verb=AuditVerb.CONTENT_REPORTED,
        target=report,
        unit=proposal.unit,
        details={"proposal": proposal.pk, "comment": comment.pk if comment else None},
    )
    return report


def _moderate(
    *,
    target: Proposal | ProposalComment,
    proposal: Proposal,
    actor: User,
    hide: bool,
    reason: str,
) -> None:
    reason = clean_text(
        reason,
        code=ErrorCode.MODERATION_REASON_EMPTY,
        message=_("Give the reason; it is shown in place of the content."),
        max_length=500,
    )
    if target.is_hidden == hide:
        raise DomainError(
            ErrorCode.ALREADY_HIDDEN if hide else "not_hidden",
            _("This is already hidden.") if hide else _("This is not hidden."),
        )
    target.is_hidden = hide
    target.hidden_reason = reason if hide else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    kind = "comment" if isinstance(target, ProposalComment) else "proposal"
    audit_event_record(
        actor=actor,
        verb=AuditVerb(f"{kind}.{'hidden' if hide else 'restored'}"),
        target=target,
        unit=proposal.unit,
        details={"reason": reason, "proposal": proposal.pk},
    )
    if hide:
        reports = ContentReport.objects.filter(
            proposal=proposal, status=ReportStatus.OPEN
        )
        reports = (
            reports.filter(comment=target)
            if kind == "comment"
            else reports.filter(comment__isnull=True)
        )
        reports.update(
            status=ReportStatus.ACTED_ON, handled_by=actor, handled_at=timezone.now()
        )
    author_id = target.author_id
    if author_id is not None and author_id != actor.pk:
        notifications_create(
            [
                Notification(
                    recipient_id=author_id,
                    kind=f"{kind}_{'hidden' if hide else 'restored'}",
                    unit=proposal.unit,
                    context={"title": proposal.title, "reason": reason},
                    url_name="proposals:detail",
                    url_kwargs={"pk": proposal.pk},
                )
            ]
        )


@transaction.atomic
def proposal_hide(*, proposal: Proposal, actor: User, reason: str) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _moderate(target=proposal, proposal=proposal, actor=actor, hide=True, reason=reason)
    return proposal


@transaction.atomic
def proposal_restore(*, proposal: Proposal, actor: User, reason: str) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _moderate(
        target=proposal, proposal=proposal, actor=actor, hide=False, reason=reason
    )
    return proposal


@transaction.atomic
def comment_hide(
    *, comment: ProposalComment, actor: User, reason: str
) -> ProposalComment:
    comment = locks.comment_lock(comment)
    proposal = Proposal.objects.select_related("unit").get(pk=comment.proposal_id)
    _moderate(target=comment, proposal=proposal, actor=actor, hide=True, reason=reason)
    return comment


@transaction.atomic
def comment_restore(
    *, comment: ProposalComment, actor: User, reason: str
) -> ProposalComment:
    comment = locks.comment_lock(comment)
    proposal = Proposal.objects.select_related("unit").get(pk=comment.proposal_id)
    _moderate(target=comment, proposal=proposal, actor=actor, hide=False, reason=reason)
    return comment


@transaction.atomic
def report_dismiss(*, report: ContentReport, actor: User) -> ContentReport:
    report = locks.report_lock(report)
    if report.status != ReportStatus.OPEN:
        raise DomainError(
            ErrorCode.REPORT_HANDLED, _("This report has already been handled.")
        )
    report.status = ReportStatus.DISMISSED
    report.handled_by, report.handled_at = actor, timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.CONTENT_REPORT_DISMISSED,
        target=report,
        unit=Proposal.objects.get(pk=report.proposal_id).unit,
    )
    return report
