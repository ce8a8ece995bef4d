"""What residents do on a public proposal: support it, comment on it, follow it."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_unit_staff, is_verified_resident_of
from portal.errors import DomainError
from portal.services import audit_event_record
from proposals import locks
from proposals.models import (
    COMMENT_EDIT_MINUTES,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalStatus,
    Support,
)
from proposals.services._input import clean_text
from proposals.services._phase import require_proposals_open

S = ProposalStatus


def _check_supportable(proposal: Proposal, user: User) -> None:
    if not is_verified_resident_of(user, proposal.unit):
        raise DomainError(
            "not_a_resident",
            _("Only verified residents of %(unit)s support its proposals.")
            % {"unit": proposal.unit.name},
        )
    require_proposals_open(
        proposal.cycle,
        "support_closed",
        _("Proposals are supported only while the budget is open for proposals."),
    )


@transaction.atomic
def support_add(*, proposal: Proposal, user: User) -> Support:
    proposal = Proposal.objects.select_related("cycle", "unit").get(pk=proposal.pk)
    if proposal.status != S.SUBMITTED or proposal.is_hidden:
        raise DomainError(
            "proposal_not_supportable",
            _("Only submitted proposals are supported."),
        )
    _check_supportable(proposal, user)
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise DomainError(
            "support_already_given", _("You already support this proposal.")
        ) from None
    audit_event_record(
        actor=user, verb="proposal.supported", target=proposal, unit=proposal.unit
    )
    return support


@transaction.atomic
def support_withdraw(*, proposal: Proposal, user: User) -> None:
    proposal = Proposal.objects.select_related("cycle", "unit").get(pk=proposal.pk)
    require_proposals_open(
        proposal.cycle,
        "support_closed",
        _("A support can be taken back only while the budget is open for proposals."),
    )
    deleted, _detail = Support.objects.filter(proposal=proposal, user=user).delete()
    if not deleted:
        raise DomainError("support_not_given", _("You do not support this proposal."))
    audit_event_record(
        actor=user,
        verb="proposal.support_withdrawn",
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
            "proposal_not_commentable",
            _("Comments are taken on submitted proposals that are not hidden."),
        )
    is_official = is_unit_staff(author, proposal.unit)
    if not is_official and not is_verified_resident_of(author, proposal.unit):
        raise DomainError(
            "not_a_resident",
            _("Only verified residents of %(unit)s comment on its proposals.")
            % {"unit": proposal.unit.name},
        )
    body = clean_text(
        body, code="comment_empty", message=_("Write a comment first."), max_length=4000
    )
    if reply_to is not None:
        if reply_to.proposal_id != proposal.pk:
            raise DomainError(
                "reply_to_other_proposal", _("Reply to a comment on this proposal.")
            )
        if reply_to.reply_to_id is not None:
            raise DomainError(
                "reply_to_reply", _("Reply to the comment itself, not to a reply.")
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
        verb="proposal.commented",
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
        raise DomainError("not_the_author", _("Only the author edits a comment."))
    if comment.is_hidden:
        raise DomainError("comment_hidden", _("A hidden comment cannot be edited."))
    if timezone.now() > comment_editable_until(comment):
        raise DomainError(
            "comment_edit_expired",
            _("A comment can be edited for %(minutes)d minutes after it is written.")
            % {"minutes": COMMENT_EDIT_MINUTES},
        )
    comment.body = clean_text(
        body, code="comment_empty", message=_("Write a comment first."), max_length=4000
    )
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def proposal_follow(*, proposal: Proposal, user: User) -> bool:
    if not proposal.is_public:
        raise DomainError("proposal_not_public", _("This proposal is not public."))
    _follower, created = ProposalFollower.objects.get_or_create(
        proposal=proposal, user=user
    )
    return created


def proposal_unfollow(*, proposal: Proposal, user: User) -> bool:
    deleted, _detail = ProposalFollower.objects.filter(
        proposal=proposal, user=user
    ).delete()
    return bool(deleted)
