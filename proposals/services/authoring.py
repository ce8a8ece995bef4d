"""Writing a proposal: the resident's draft, its changes, submitting and withdrawing it, and
staff registering one brought on paper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accounts.codes import ErrorCode as AccountsErrorCode
from accounts.iin import iin_digest, normalize_iin, validate_iin
from accounts.models import Residency, User
from accounts.permissions import is_verified_resident_of
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    ClassificationKind,
)
from portal import search
from portal.errors import DomainError
from portal.models import AdministrativeUnit
from portal.services import audit_event_record
from proposals import lifecycle, locks
from proposals.codes import AuditVerb, ErrorCode
from proposals.models import PhotoKind, Proposal, ProposalStatus
from proposals.permissions import PROPOSING_PHASES
from proposals.services._input import add_photos, clean_money, clean_text
from proposals.services._moves import move, notify_status
from proposals.services._phase import cycle_phase, require_proposals_open

S = ProposalStatus


def proposals_per_person() -> int:
    return settings.QATYSU_PROPOSALS_PER_PERSON


def _place_check(unit: AdministrativeUnit, place: AdministrativeUnit) -> None:
    if place.pk != unit.pk and place.parent_id != unit.pk:
        raise DomainError(
            ErrorCode.PLACE_OUTSIDE_UNIT,
            _("Choose a place within %(unit)s.") % {"unit": unit.name},
        )


def _function_check(function: BudgetClassification) -> None:
    if function.kind != ClassificationKind.EXPENDITURE or not function.is_active:
        raise DomainError(
            ErrorCode.FUNCTION_NOT_EXPENDITURE,
            _("Choose one of the expenditure functions in the list."),
        )


@dataclass(frozen=True)
class ProposalInput:
    title: str
    description: str
    function: BudgetClassification
    place: AdministrativeUnit
    address: str = ""
    cost_estimate: Decimal | str | None = None


def _apply(proposal: Proposal, data: ProposalInput) -> None:
    proposal.title = clean_text(
        data.title,
        code=ErrorCode.TITLE_EMPTY,
        message=_("Give the proposal a title."),
        max_length=150,
    )
    proposal.description = clean_text(
        data.description,
        code=ErrorCode.DESCRIPTION_EMPTY,
        message=_("Describe what should be done and why."),
        max_length=5000,
    )
    _function_check(data.function)
    _place_check(proposal.unit, data.place)
    proposal.function = data.function
    proposal.place = data.place
    proposal.address = (data.address or "").strip()[:200]
    proposal.cost_estimate = clean_money(
        data.cost_estimate, code=ErrorCode.COST_INVALID
    )
    proposal.search_text = search.index_text(proposal.title, proposal.description)


# Writing, submitting, withdrawing.


@transaction.atomic
def proposal_create(
    *,
    cycle: BudgetCycle,
    author: User,
    data: ProposalInput,
    photos: Sequence[UploadedFile] = (),
    captions: Sequence[str] = (),
) -> Proposal:
    """A private draft of a verified resident, for the cycle of the unit they belong to."""
    if not is_verified_resident_of(author, cycle.unit):
        raise DomainError(
            ErrorCode.NOT_A_RESIDENT,
            _("Only verified residents of %(unit)s make proposals for its budget.")
            % {"unit": cycle.unit.name},
        )
    if cycle_phase(cycle) not in PROPOSING_PHASES:
        raise DomainError(
            ErrorCode.PROPOSALS_CLOSED,
            _("Proposals for this budget are no longer taken."),
        )
    proposal = Proposal(
        cycle=cycle,
        unit=cycle.unit,
        author=author,
        author_iin_digest=author.iin_digest or "",
        author_name=author.public_name,
    )
    _apply(proposal, data)
    proposal.save()
    add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=author,
        verb=AuditVerb.PROPOSAL_CREATED,
        target=proposal,
        unit=proposal.unit,
    )
    return proposal


def _check_still_editable(proposal: Proposal) -> None:
    if proposal.status not in (S.DRAFT, S.SUBMITTED):
        raise DomainError(
            ErrorCode.PROPOSAL_NOT_EDITABLE,
            _("A proposal can be changed only before its review starts."),
        )
    if cycle_phase(proposal.cycle) not in PROPOSING_PHASES:
        raise DomainError(
            ErrorCode.REVIEW_STARTED,
            _(
                "Proposals are closed and the review has started: it can no longer change."
            ),
        )


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    actor: User,
    data: ProposalInput,
    photos: Sequence[UploadedFile] = (),
    captions: Sequence[str] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _check_author(proposal, actor)
    _check_still_editable(proposal)
    _apply(proposal, data)
    proposal.save()
    removed = list(
        proposal.photos.filter(kind=PhotoKind.PROPOSAL, pk__in=list(remove_photo_ids))
    )
    for photo in removed:
        photo.image.delete(save=False)
        photo.delete()
    add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=actor, verb=AuditVerb.PROPOSAL_EDITED, target=proposal, unit=proposal.unit
    )
    return proposal


def _check_author(proposal: Proposal, actor: User) -> None:
    if proposal.author_id != actor.pk:
        raise DomainError(
            ErrorCode.NOT_THE_AUTHOR,
            _("Only the author changes, submits or withdraws it."),
        )


def _limit_check(cycle: BudgetCycle, digest: str) -> None:
    limit = proposals_per_person()
    count = (
        Proposal.objects.filter(cycle=cycle, author_iin_digest=digest)
        .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
        .count()
    )
    if count >= limit:
        raise DomainError(
            ErrorCode.PROPOSAL_LIMIT_REACHED,
            ngettext(
                "One person may submit at most %(limit)d proposal for one budget; you "
                "have submitted %(count)d. Withdraw it to submit another.",
                "One person may submit at most %(limit)d proposals for one budget; you "
                "have submitted %(count)d. Withdraw one to submit another.",
                limit,
            )
            % {"limit": limit, "count": count},
        )


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _check_author(proposal, actor)
    lifecycle.transition_check(proposal.status, S.SUBMITTED)
    require_proposals_open(
        proposal.cycle,
        ErrorCode.PROPOSALS_CLOSED,
        _("Proposals are taken only while the budget is open for proposals."),
    )
    if not is_verified_resident_of(actor, proposal.unit):
        raise DomainError(
            ErrorCode.NOT_A_RESIDENT,
            _("Only verified residents of %(unit)s make proposals for its budget.")
            % {"unit": proposal.unit.name},
        )
    locks.submissions_lock(proposal.cycle)
    _limit_check(proposal.cycle, proposal.author_iin_digest)
    proposal.submitted_at = timezone.now()
    return move(proposal, S.SUBMITTED, actor=actor, stamp_fields=["submitted_at"])


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _check_author(proposal, actor)
    lifecycle.transition_check(proposal.status, S.WITHDRAWN)
    _check_still_editable(proposal)
    return move(proposal, S.WITHDRAWN, actor=actor)


@sensitive_variables("iin")
@transaction.atomic
def proposal_register(
    *,
    cycle: BudgetCycle,
    actor: User,
    iin: str,
    author_name: str,
    data: ProposalInput,
    photos: Sequence[UploadedFile] = (),
    captions: Sequence[str] = (),
) -> Proposal:
    """Staff register a proposal a resident brought on paper or in person, submitted at once.

    The resident is identified by IIN: their account when they have one, otherwise the IIN's
    keyed hash, so the proposal is theirs when they sign up.
    """
    from django.core.exceptions import ValidationError

    iin = normalize_iin(iin)
    try:
        validate_iin(iin)
    except ValidationError as error:
        raise DomainError(AccountsErrorCode(error.code), error.messages[0]) from None
    digest = iin_digest(iin)
    require_proposals_open(
        cycle,
        ErrorCode.PROPOSALS_CLOSED,
        _("Proposals are taken only while the budget is open for proposals."),
    )
    resident = User.objects.filter(iin_digest=digest).first()
    if resident is not None and (
        Residency.objects.verified()
        .filter(user=resident)
        .exclude(budget_unit=cycle.unit)
        .exists()
    ):
        raise DomainError(
            ErrorCode.RESIDENT_OF_OTHER_UNIT,
            _(
                "This resident's confirmed place of residence is in another unit: they "
                "propose for that unit's budget."
            ),
        )
    name = clean_text(
        author_name,
        code=ErrorCode.AUTHOR_NAME_EMPTY,
        message=_("Write the resident's name as it should be shown."),
        max_length=150,
    )
    locks.submissions_lock(cycle)
    _limit_check(cycle, digest)
    now = timezone.now()
    proposal = Proposal(
        cycle=cycle,
        unit=cycle.unit,
        author=resident,
        author_iin_digest=digest,
        author_name=name,
        registered_by=actor,
        status=S.SUBMITTED,
        submitted_at=now,
    )
    _apply(proposal, data)
    proposal.save()
    add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=actor,
        verb=AuditVerb.PROPOSAL_REGISTERED,
        target=proposal,
        unit=proposal.unit,
        details={"status": S.SUBMITTED, "registered_by": actor.pk},
    )
    notify_status(proposal, actor=actor)
    return proposal
