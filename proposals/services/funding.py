"""Into the budget and done: inclusion in a line of the draft, funding when the draft is
adopted, the work started and its implementation reported."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from budgets.models import BudgetLine, ClassificationKind, DraftBudget, DraftStatus
from portal.errors import DomainError
from portal.services import Act, audit_events_record
from proposals import lifecycle, locks
from proposals.codes import AuditVerb, ErrorCode
from proposals.models import (
    ImplementationReport,
    PhotoKind,
    Proposal,
    ProposalStatus,
    VoteOutcome,
)
from proposals.services._input import add_photos, clean_money, clean_text
from proposals.services._moves import move, notify_statuses

S = ProposalStatus


@transaction.atomic
def proposal_include(*, proposal: Proposal, actor: User, line: BudgetLine) -> Proposal:
    """Staff include an approved proposal in an expenditure line of the cycle's draft."""
    proposal = locks.proposal_lock(proposal)
    lifecycle.transition_check(proposal.status, S.INCLUDED)
    if proposal.vote_outcome == VoteOutcome.ON_BALLOT:
        raise DomainError(
            ErrorCode.VOTE_NOT_COUNTED,
            _(
                "This proposal is on the ballot of the residents' vote: it goes into "
                "the draft once the residents select it."
            ),
        )
    if proposal.vote_outcome == VoteOutcome.NOT_SELECTED:
        raise DomainError(
            ErrorCode.NOT_SELECTED_BY_VOTE,
            _("The residents did not select this proposal in their vote."),
        )
    line = BudgetLine.objects.select_related("draft", "classification").get(pk=line.pk)
    if line.draft.cycle_id != proposal.cycle_id:
        raise DomainError(
            ErrorCode.LINE_OF_OTHER_CYCLE,
            _("Choose a line of this budget's draft."),
        )
    if line.classification.kind != ClassificationKind.EXPENDITURE:
        raise DomainError(
            ErrorCode.LINE_NOT_EXPENDITURE,
            _("A proposal can be included only in an expenditure line."),
        )
    if line.draft.status not in lifecycle.INCLUDABLE_DRAFT_STATUSES:
        raise DomainError(
            ErrorCode.DRAFT_NOT_OPEN,
            _("This version of the draft is no longer current; choose the latest one."),
        )
    proposal.included_line = line
    return move(
        proposal,
        S.INCLUDED,
        actor=actor,
        details={
            "version": line.draft.version,
            "line": line.classification.code,
        },
        stamp_fields=["included_line"],
    )


def proposals_put_to_vote(*, proposal_ids: Sequence[int]) -> int:
    """The residents' vote opened with these proposals on its ballot: they wait for its
    result before going into the draft."""
    return Proposal.objects.filter(pk__in=proposal_ids).update(
        vote_outcome=VoteOutcome.ON_BALLOT
    )


def proposals_voted(
    *, selected_ids: Sequence[int], not_selected_ids: Sequence[int]
) -> None:
    """The residents' vote is counted: the proposals it selected go into the draft as
    approved proposals do; the others stay out of it."""
    Proposal.objects.filter(pk__in=selected_ids).update(
        vote_outcome=VoteOutcome.SELECTED
    )
    Proposal.objects.filter(pk__in=not_selected_ids).update(
        vote_outcome=VoteOutcome.NOT_SELECTED
    )


def proposals_fund(*, draft: DraftBudget) -> int:
    """The draft is adopted: the proposals included in its lines are funded. Idempotent."""
    with transaction.atomic():
        lines = {
            line.classification_id: line
            for line in BudgetLine.objects.filter(draft=draft).select_related(
                "classification"
            )
        }
        proposals = locks.proposals_lock(
            cycle_ids=[draft.cycle_id],
            status=S.INCLUDED,
            related=["unit", "included_line"],
        )
        funded = []
        now = timezone.now()
        for proposal in proposals:
            line = lines.get(proposal.included_line.classification_id)
            if line is None:
                # The adopted version dropped this line: the proposal is not funded.
                continue
            proposal.status, proposal.funding_line = S.FUNDED, line
            funded.append(proposal)
        Proposal.objects.bulk_update(funded, ["status", "funding_line"])
        audit_events_record(
            [
                Act(
                    verb=AuditVerb.PROPOSAL_FUNDED,
                    target=proposal,
                    unit=proposal.unit,
                    details={
                        "from": S.INCLUDED,
                        "status": S.FUNDED,
                        "version": draft.version,
                        "line": proposal.funding_line.classification.code,
                    },
                )
                for proposal in funded
            ],
            at=now,
        )
        notify_statuses(funded, actor=None)
    return len(funded)


def funding_catch_up() -> int:
    """Fund the included proposals of every adopted draft: what `draft_adopted` does, for
    the case its receiver failed. Idempotent; two queries when there is nothing to do."""
    drafts = DraftBudget.objects.filter(
        status=DraftStatus.APPROVED,
        cycle__proposals__status=S.INCLUDED,
    ).distinct()
    return sum(proposals_fund(draft=draft) for draft in drafts)


@transaction.atomic
def proposal_start(*, proposal: Proposal, actor: User) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    return move(proposal, S.IN_PROGRESS, actor=actor)


@transaction.atomic
def proposal_implement(
    *,
    proposal: Proposal,
    actor: User,
    text: str,
    amount_spent: Decimal | str,
    photos: Sequence[UploadedFile] = (),
    captions: Sequence[str] = (),
) -> Proposal:
    """Staff report the work done: what, at what cost, with photos; followers are told."""
    proposal = locks.proposal_lock(proposal)
    lifecycle.transition_check(proposal.status, S.IMPLEMENTED)
    text = clean_text(
        text,
        code=ErrorCode.REPORT_EMPTY,
        message=_("Describe the work that was done."),
        max_length=5000,
    )
    amount = clean_money(amount_spent, code=ErrorCode.AMOUNT_INVALID)
    if amount is None:
        raise DomainError(
            ErrorCode.AMOUNT_INVALID, _("Give the amount spent, in tenge.")
        )
    ImplementationReport.objects.create(
        proposal=proposal, text=text, amount_spent=amount, reported_by=actor
    )
    add_photos(proposal, photos, kind=PhotoKind.IMPLEMENTATION, captions=captions)
    return move(
        proposal, S.IMPLEMENTED, actor=actor, details={"amount_spent": str(amount)}
    )
