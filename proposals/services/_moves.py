"""A checked move of a proposal along its lifecycle, with its audit event, and the notices
of a change of status to the author and the followers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import F, QuerySet, Value
from django.db.models.functions import JSONObject

from accounts.models import User
from portal.models import Notification
from portal.services import (
    audit_event_record,
    notifications_create,
    notifications_create_select,
)
from proposals import lifecycle
from proposals.codes import AuditVerb
from proposals.models import Proposal, ProposalFollower, ProposalStatus

S = ProposalStatus


def move(
    proposal: Proposal,
    status: str,
    *,
    actor: User | None,
    details: dict | None = None,
    stamp_fields: Sequence[str] = (),
) -> Proposal:
    """Record a checked transition of a locked proposal: status, audit event, notices."""
    lifecycle.transition_check(proposal.status, status)
    previous = proposal.status
    proposal.status = status
    proposal.save(update_fields=["status", *stamp_fields])
    audit_event_record(
        actor=actor,
        verb=AuditVerb(f"proposal.{status}"),
        target=proposal,
        unit=proposal.unit,
        details={"from": previous, "status": status, **(details or {})},
    )
    if status != S.SUBMITTED or proposal.registered_by_id is None:
        notify_status(proposal, actor=actor)
    return proposal


def _recipients(proposals: Iterable[Proposal], *, actor: User | None) -> dict[int, set]:
    """The author and the followers of each proposal, but never the one who acted."""
    proposals = list(proposals)
    recipients: dict[int, set] = {
        proposal.pk: {proposal.author_id} - {None} for proposal in proposals
    }
    for proposal_id, user_id in ProposalFollower.objects.filter(
        proposal_id__in=list(recipients), user__is_active=True
    ).values_list("proposal_id", "user_id"):
        recipients[proposal_id].add(user_id)
    if actor is not None:
        for users in recipients.values():
            users.discard(actor.pk)
    return recipients


def notify_status(proposal: Proposal, *, actor: User | None) -> None:
    notify_statuses([proposal], actor=actor)


def notify_statuses(proposals: Sequence[Proposal], *, actor: User | None) -> None:
    if not proposals:
        return
    recipients = _recipients(proposals, actor=actor)
    notifications_create(
        [
            Notification(
                recipient_id=user_id,
                kind="proposal_status_changed",
                unit=proposal.unit,
                context={"title": proposal.title, "status": proposal.status},
                url_name="proposals:detail",
                url_kwargs={"pk": proposal.pk},
            )
            for proposal in proposals
            for user_id in sorted(recipients[proposal.pk])
        ]
    )


def notify_statuses_select(proposals: QuerySet[Proposal], *, status: str) -> int:
    """`notify_statuses` for a whole country at once, by no one: the author and the
    followers of each of `proposals` told it is now `status`, in two INSERT … SELECT
    (the authors', then the followers' who are not the author). Returns how many."""
    common = {"kind": "proposal_status_changed", "url_name": "proposals:detail"}
    told = notifications_create_select(
        proposals.filter(author__isnull=False),
        recipient_id=F("author_id"),
        unit_id=F("unit_id"),
        context=JSONObject(title=F("title"), status=Value(str(status))),
        url_kwargs=JSONObject(pk=F("pk")),
        **common,
    )
    followers = (
        ProposalFollower.objects.filter(
            proposal__in=proposals.order_by().values("pk"), user__is_active=True
        )
        .exclude(user_id=F("proposal__author_id"))
        .order_by("proposal_id", "user_id")
    )
    return told + notifications_create_select(
        followers,
        recipient_id=F("user_id"),
        unit_id=F("proposal__unit_id"),
        context=JSONObject(title=F("proposal__title"), status=Value(str(status))),
        url_kwargs=JSONObject(pk=F("proposal_id")),
        **common,
    )
