"""What residents do on a public proposal: support it, comment on it, follow it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_unit_staff, is_verified_resident_of
from portal.errors import DomainError
from portal.services import audit_event_record, create_or_refuse, follow, unfollow
from proposals import locks
from proposals.codes import AuditVerb, ErrorCode
from proposals.models import (
    COMMENT_EDIT_MINUTES,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalStatus,
    Support,
)
from proposals.selectors import support_count_differences, support_counts_counted
from proposals.services._input import clean_text
from proposals.services._phase import require_proposals_open

S = ProposalStatus


def _check_supportable(proposal: Proposal, user: User) -> None:
    if not is_verified_resident_of(user, proposal.unit):
        raise DomainError(
            ErrorCode.NOT_A_RESIDENT,
            _("Only verified residents of %(unit)s support its proposals.")
            % {"unit": proposal.unit.name},
        )
    require_proposals_open(
        proposal.cycle,
        ErrorCode.SUPPORT_CLOSED,
        _("Proposals are supported only while the budget is open for proposals."),
        fresh=False,
    )


@transaction.atomic
def support_add(*, proposal: Proposal, user: User) -> Support:
    not_supportable = DomainError(
        ErrorCode.PROPOSAL_NOT_SUPPORTABLE, _("Only submitted proposals are supported.")
    )
    if proposal.status != S.SUBMITTED or proposal.is_hidden:
        raise not_supportable
    _check_supportable(proposal, user)
    support = create_or_refuse(
        Support,
        DomainError(
            ErrorCode.SUPPORT_ALREADY_GIVEN, _("You already support this proposal.")
        ),
        proposal=proposal,
        user=user,
    )
    # The count is kept on the condition the proposal was read with: a proposal hidden
    # or moved on since (the caller's copy is not read again) refuses, and the support
    # is undone with the transaction.
    counted = Proposal.objects.filter(
        pk=proposal.pk, status=S.SUBMITTED, is_hidden=False
    ).update(support_count=F("support_count") + 1)
    if not counted:
        raise not_supportable
    audit_event_record(
        actor=user,
        verb=AuditVerb.PROPOSAL_SUPPORTED,
        target=proposal,
        unit=proposal.unit,
    )
    return support


def support_counts_repair() -> int:
    """Set every kept support count that differs from the supports to their number (what
    `manage.py check_aggregates --repair` does); returns how many were wrong."""
    with transaction.atomic():
        wrong = [pk for pk, _kept, _counted in support_count_differences()]
        Proposal.objects.filter(pk__in=wrong).update(
            support_count=support_counts_counted()
        )
    return len(wrong)


@transaction.atomic
def support_withdraw(*, proposal: Proposal, user: User) -> None:
    require_proposals_open(
        proposal.cycle,
        ErrorCode.SUPPORT_CLOSED,
        _("A support can be taken back only while the budget is open for proposals."),
        fresh=False,
    )
    deleted, _detail = Support.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise DomainError(
            ErrorCode.SUPPORT_NOT_GIVEN, _("You do not support this proposal.")
        )
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    audit_event_record(
        actor=user,
        verb=AuditVerb.PROPOSAL_SUPPORT_WITHDRAWN,
        target=proposal,
        unit=proposal.unit,
    )


@transaction.atomic
def comment_post(
    *,
    proposal: Proposal,
    author: User,
    body: str,
    reply_to: ProposalComment | None = None,
) -> ProposalComment:
    proposal = Proposal.objects.select_related("unit").get(pk=proposal.pk)
    if not proposal.is_public or proposal.is_hidden:
        raise DomainError(
            ErrorCode.PROPOSAL_NOT_COMMENTABLE,
            _("Comments are taken on submitted proposals that are not hidden."),
        )
    is_official = is_unit_staff(author, proposal.unit)
    if not is_official and not is_verified_resident_of(author, proposal.unit):
        raise DomainError(
            ErrorCode.NOT_A_RESIDENT,
            _("Only verified residents of %(unit)s comment on its proposals.")
            % {"unit": proposal.unit.name},
        )
    body = clean_text(
        body,
        code=ErrorCode.COMMENT_EMPTY,
        message=_("Write a comment first."),
        max_length=4000,
    )
    if reply_to is not None:
        if reply_to.proposal_id != proposal.pk:
            raise DomainError(
                ErrorCode.REPLY_TO_OTHER_PROPOSAL,
                _("Reply to a comment on this proposal."),
            )
        if reply_to.reply_to_id is not None:
            raise DomainError(
                ErrorCode.REPLY_TO_REPLY,
                _("Reply to the comment itself, not to a reply."),
            )
    comment = ProposalComment.objects.create(
        proposal=proposal,
        reply_to=reply_to,
        author=author,
        body=body,
        is_official=is_official,
    )
    audit_event_record(
        actor=author,
        verb=AuditVerb.PROPOSAL_COMMENTED,
        target=comment,
        unit=proposal.unit,
        details={
            "proposal": proposal.pk,
            "reply_to": reply_to.pk if reply_to else None,
        },
    )
    return comment


def comment_editable_until(comment: ProposalComment) -> datetime.datetime:
    return comment.created_at + datetime.timedelta(minutes=COMMENT_EDIT_MINUTES)


@transaction.atomic
def comment_edit(
    *, comment: ProposalComment, actor: User, body: str
) -> ProposalComment:
    comment = locks.comment_lock(comment)
    if comment.author_id != actor.pk:
        raise DomainError(
            ErrorCode.NOT_THE_AUTHOR, _("Only the author edits a comment.")
        )
    if comment.is_hidden:
        raise DomainError(
            ErrorCode.COMMENT_HIDDEN, _("A hidden comment cannot be edited.")
        )
    if timezone.now() > comment_editable_until(comment):
        raise DomainError(
            ErrorCode.COMMENT_EDIT_EXPIRED,
            _("A comment can be edited for %(minutes)d minutes after it is written.")
            % {"minutes": COMMENT_EDIT_MINUTES},
        )
    comment.body = clean_text(
        body,
        code=ErrorCode.COMMENT_EMPTY,
        message=_("Write a comment first."),
        max_length=4000,
    )
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def proposal_follow(*, proposal: Proposal, user: User) -> bool:
    if not proposal.is_public:
        raise DomainError(
            ErrorCode.PROPOSAL_NOT_PUBLIC, _("This proposal is not public.")
        )
    return follow(ProposalFollower, proposal=proposal, user=user)


def proposal_unfollow(*, proposal: Proposal, user: User) -> bool:
    return unfollow(ProposalFollower, proposal=proposal, user=user)
