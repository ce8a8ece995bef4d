"""Every change of state of proposals, one service per act.

Each service checks the domain's rules (the cycle's phase, the proposal's status, the
deadline, who the person is to the unit), locks what it changes, writes, records the audit
event and tells the author and the followers once the transaction commits. Who may call it
is checked by the views with proposals/permissions.py; the invariants that no interface may
skip (a resident of the unit, once, in the phase) are checked here as well.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from accounts.iin import iin_digest, normalize_iin, validate_iin
from accounts.models import Residency, Role, RoleMembership, User
from accounts.permissions import is_unit_staff, is_verified_resident_of
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    CyclePhase,
    DraftBudget,
    DraftStatus,
    Phase,
)
from budgets.selectors import cycle_state_now
from portal import search, workdays
from portal.errors import DomainError
from portal.models import AdministrativeUnit, AuditEvent, Notification
from portal.services import audit_event_record, notifications_create
from proposals import lifecycle, locks
from proposals.models import (
    COMMENT_EDIT_MINUTES,
    PHOTO_MAX_BYTES,
    PHOTOS_MAX,
    AkimDecision,
    Assessment,
    ContentReport,
    Decision,
    ImplementationReport,
    PhotoKind,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalPhoto,
    ProposalStatus,
    ReportStatus,
    Review,
    Support,
)

S = ProposalStatus


def proposals_per_person() -> int:
    return settings.QATYSU_PROPOSALS_PER_PERSON


def review_working_days() -> int:
    return settings.QATYSU_REVIEW_WORKING_DAYS


# Checks shared by the services.


def _phase(cycle: BudgetCycle) -> str:
    return cycle_state_now(cycle).phase


def _require_proposals_open(cycle: BudgetCycle, code: str, message) -> None:
    if _phase(cycle) != CyclePhase.PROPOSALS_OPEN:
        raise DomainError(code, message)


def _clean_text(value: str, *, code: str, message, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(code, message)
    if len(value) > max_length:
        raise DomainError(
            f"{code.removesuffix('_empty')}_too_long",
            _("Write at most %(count)d characters.") % {"count": max_length},
        )
    return value


def _clean_money(value, *, code: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(code, _("Write the amount in tenge, a number.")) from None
    if not amount.is_finite():
        raise DomainError(code, _("Write the amount in tenge, a number."))
    if amount < 0:
        raise DomainError(code, _("The amount cannot be negative."))
    # The bound first: quantizing a huge number raises instead of answering.
    if amount >= Decimal(10) ** 14 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(
            code, _("Write the amount in tenge with at most two decimal places.")
        )
    return amount


IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def photo_problem(photo: UploadedFile) -> DomainError | None:
    """Why a file is not an acceptable photo: too big, or not a JPEG, PNG or WebP image."""
    from PIL import Image, UnidentifiedImageError

    if photo.size > PHOTO_MAX_BYTES:
        return DomainError(
            "photo_too_large",
            _("A photo may be at most %(megabytes)d MB; this one is larger.")
            % {"megabytes": PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        photo.seek(0)
    if image_format not in IMAGE_FORMATS:
        return DomainError(
            "photo_not_an_image",
            _("A photo must be a JPEG, PNG or WebP image."),
        )
    return None


def _add_photos(
    proposal: Proposal,
    photos: Sequence[UploadedFile],
    *,
    kind: str,
    captions: Sequence[str] = (),
) -> None:
    existing = proposal.photos.filter(kind=kind).count()
    if existing + len(photos) > PHOTOS_MAX:
        raise DomainError(
            "too_many_photos",
            _("At most %(count)d photos; remove one before adding another.")
            % {"count": PHOTOS_MAX},
        )
    for photo in photos:
        problem = photo_problem(photo)
        if problem is not None:
            raise problem
    for index, photo in enumerate(photos):
        caption = captions[index].strip()[:200] if index < len(captions) else ""
        ProposalPhoto.objects.create(
            proposal=proposal, kind=kind, image=photo, caption=caption
        )


def _place_check(unit: AdministrativeUnit, place: AdministrativeUnit) -> None:
    if place.pk != unit.pk and place.parent_id != unit.pk:
        raise DomainError(
            "place_outside_unit",
            _("Choose a place within %(unit)s.") % {"unit": unit.name},
        )


def _function_check(function: BudgetClassification) -> None:
    if function.kind != ClassificationKind.EXPENDITURE or not function.is_active:
        raise DomainError(
            "function_not_expenditure",
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
    proposal.title = _clean_text(
        data.title,
        code="title_empty",
        message=_("Give the proposal a title."),
        max_length=150,
    )
    proposal.description = _clean_text(
        data.description,
        code="description_empty",
        message=_("Describe what should be done and why."),
        max_length=5000,
    )
    _function_check(data.function)
    _place_check(proposal.unit, data.place)
    proposal.function = data.function
    proposal.place = data.place
    proposal.address = (data.address or "").strip()[:200]
    proposal.cost_estimate = _clean_money(data.cost_estimate, code="cost_invalid")
    proposal.search_text = search.index_text(proposal.title, proposal.description)
    proposal.updated_at = timezone.now()


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
            "not_a_resident",
            _("Only verified residents of %(unit)s make proposals for its budget.")
            % {"unit": cycle.unit.name},
        )
    if _phase(cycle) not in (CyclePhase.PLANNED, CyclePhase.PROPOSALS_OPEN):
        raise DomainError(
            "proposals_closed",
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
    _add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=author, verb="proposal.created", target=proposal, unit=proposal.unit
    )
    return proposal


def _check_still_editable(proposal: Proposal) -> None:
    if proposal.status not in (S.DRAFT, S.SUBMITTED):
        raise DomainError(
            "proposal_not_editable",
            _("A proposal can be changed only before its review starts."),
        )
    if _phase(proposal.cycle) not in (CyclePhase.PLANNED, CyclePhase.PROPOSALS_OPEN):
        raise DomainError(
            "review_started",
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
    _add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=actor, verb="proposal.edited", target=proposal, unit=proposal.unit
    )
    return proposal


def _check_author(proposal: Proposal, actor: User) -> None:
    if proposal.author_id != actor.pk:
        raise DomainError(
            "not_the_author", _("Only the author changes, submits or withdraws it.")
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
            "proposal_limit_reached",
            _(
                "One person may submit at most %(limit)d proposals for one budget; you "
                "have submitted %(count)d. Withdraw one to submit another."
            )
            % {"limit": limit, "count": count},
        )


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: User) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _check_author(proposal, actor)
    lifecycle.transition_check(proposal.status, S.SUBMITTED)
    _require_proposals_open(
        proposal.cycle,
        "proposals_closed",
        _("Proposals are taken only while the budget is open for proposals."),
    )
    if not is_verified_resident_of(actor, proposal.unit):
        raise DomainError(
            "not_a_resident",
            _("Only verified residents of %(unit)s make proposals for its budget.")
            % {"unit": proposal.unit.name},
        )
    locks.submissions_lock(proposal.cycle)
    _limit_check(proposal.cycle, proposal.author_iin_digest)
    proposal.submitted_at = timezone.now()
    return _move(proposal, S.SUBMITTED, actor=actor, stamp_fields=["submitted_at"])


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: User) -> Proposal:
    proposal = locks.proposal_lock(proposal)
    _check_author(proposal, actor)
    lifecycle.transition_check(proposal.status, S.WITHDRAWN)
    _check_still_editable(proposal)
    return _move(proposal, S.WITHDRAWN, actor=actor)


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
        raise DomainError(error.code, error.messages[0]) from None
    digest = iin_digest(iin)
    _require_proposals_open(
        cycle,
        "proposals_closed",
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
            "resident_of_other_unit",
            _(
                "This resident's confirmed place of residence is in another unit: they "
                "propose for that unit's budget."
            ),
        )
    name = _clean_text(
        author_name,
        code="author_name_empty",
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
    _add_photos(proposal, photos, kind=PhotoKind.PROPOSAL, captions=captions)
    audit_event_record(
        actor=actor,
        verb="proposal.registered",
        target=proposal,
        unit=proposal.unit,
        details={"status": S.SUBMITTED, "registered_by": actor.pk},
    )
    _notify_status(proposal, actor=actor)
    return proposal


# Moving along the lifecycle.


def _move(
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
    proposal.updated_at = timezone.now()
    proposal.save(update_fields=["status", "updated_at", *stamp_fields])
    audit_event_record(
        actor=actor,
        verb=f"proposal.{status}",
        target=proposal,
        unit=proposal.unit,
        details={"from": previous, "status": status, **(details or {})},
    )
    if status != S.SUBMITTED or proposal.registered_by_id is None:
        _notify_status(proposal, actor=actor)
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


def _notify_status(proposal: Proposal, *, actor: User | None) -> None:
    _notify_statuses([proposal], actor=actor)


def _notify_statuses(proposals: Sequence[Proposal], *, actor: User | None) -> None:
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


# The review.


def review_deadline(proposals_end: datetime.date) -> datetime.date:
    """The statutory deadline: so many working days after the proposals closed."""
    return workdays.add_working_days(proposals_end, review_working_days())


def reviews_start(*, cycles: Sequence[BudgetCycle] | None = None) -> int:
    """Put every submitted proposal under review once its cycle's proposals have closed.

    Called when a cycle moves on and by the clock job: idempotent, a fixed number of queries
    per cycle, the deadline counted from the day the proposals closed (never from when the
    job ran).
    """
    today = timezone.localdate()
    phases = Phase.objects.filter(
        kind=CyclePhase.PROPOSALS_OPEN,
        ends_on__lt=today,
        cycle__proposals__status=S.SUBMITTED,
    ).distinct()
    if cycles is not None:
        phases = phases.filter(cycle__in=[cycle.pk for cycle in cycles])
    started = 0
    for phase in phases:
        started += _reviews_start_for(phase.cycle_id, proposals_end=phase.ends_on)
    return started


@transaction.atomic
def _reviews_start_for(cycle_id: int, *, proposals_end: datetime.date) -> int:
    proposals = locks.proposals_lock(
        cycle_id=cycle_id, status=S.SUBMITTED, related=["unit"]
    )
    if not proposals:
        return 0
    started_on = proposals_end + datetime.timedelta(days=1)
    deadline = max(review_deadline(proposals_end), started_on)
    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(proposal=proposal, started_on=started_on, deadline=deadline)
            for proposal in proposals
        ]
    )
    for proposal in proposals:
        proposal.status, proposal.updated_at = S.UNDER_REVIEW, now
    Proposal.objects.bulk_update(proposals, ["status", "updated_at"])
    proposal_type = ContentType.objects.get_for_model(Proposal)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=None,
                verb="proposal.under_review",
                target_type=proposal_type,
                target_id=str(proposal.pk),
                unit=proposal.unit,
                details={
                    "from": S.SUBMITTED,
                    "status": S.UNDER_REVIEW,
                    "deadline": deadline.isoformat(),
                },
                created_at=now,
            )
            for proposal in proposals
        ]
    )
    _notify_statuses(proposals, actor=None)
    return len(proposals)


def _open_review(proposal: Proposal, review: Review | None) -> Review:
    if review is None or proposal.status != S.UNDER_REVIEW:
        raise DomainError(
            "not_under_review",
            _("This proposal is not under review."),
        )
    return review


@transaction.atomic
def review_assign(*, proposal: Proposal, actor: User, reviewer: User) -> Review:
    proposal, review = locks.proposal_and_review_lock(proposal)
    review = _open_review(proposal, review)
    if not is_unit_staff(reviewer, proposal.unit):
        raise DomainError(
            "reviewer_not_staff",
            _("The reviewer must be one of the akimat staff of this unit."),
        )
    review.reviewer = reviewer
    review.save(update_fields=["reviewer"])
    audit_event_record(
        actor=actor,
        verb="review.assigned",
        target=proposal,
        unit=proposal.unit,
        details={"reviewer": reviewer.pk},
    )
    if reviewer.pk != actor.pk:
        notifications_create(
            [
                Notification(
                    recipient=reviewer,
                    kind="review_assigned",
                    unit=proposal.unit,
                    context={
                        "title": proposal.title,
                        "deadline": review.deadline.isoformat(),
                    },
                    url_name="proposals:detail",
                    url_kwargs={"pk": proposal.pk},
                )
            ]
        )
    return review


@dataclass(frozen=True)
class AssessmentInput:
    assessment: str
    is_within_competence: bool
    reasons: str
    feasibility: str = ""
    assessed_cost: Decimal | str | None = None


@transaction.atomic
def review_complete(
    *, proposal: Proposal, actor: User, data: AssessmentInput
) -> Proposal:
    """The akimat's assessment: recommended or not, with its reasons."""
    proposal, review = locks.proposal_and_review_lock(proposal)
    review = _open_review(proposal, review)
    if data.assessment not in Assessment.values:
        raise DomainError(
            "assessment_invalid", _("Choose recommended or not recommended.")
        )
    review.reasons = _clean_text(
        data.reasons,
        code="reasons_empty",
        message=_("Give the reasons for the assessment; residents read them."),
        max_length=4000,
    )
    if data.assessment == Assessment.RECOMMENDED and not data.is_within_competence:
        raise DomainError(
            "recommended_outside_competence",
            _(
                "A proposal outside the competence of the unit's akim cannot be "
                "recommended for its budget."
            ),
        )
    review.assessment = data.assessment
    review.is_within_competence = data.is_within_competence
    review.feasibility = (data.feasibility or "").strip()[:4000]
    review.assessed_cost = _clean_money(data.assessed_cost, code="cost_invalid")
    review.completed_at = timezone.now()
    review.completed_by = actor
    review.save()
    return _move(
        proposal,
        data.assessment,
        actor=actor,
        details={
            "assessment": data.assessment,
            "on_time": not review.is_overdue_on(timezone.localdate()),
        },
    )


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, actor: User, decision: str, reason: str
) -> Proposal:
    """The akim approves or rejects an assessed proposal, always with a public reason."""
    proposal = locks.proposal_lock(proposal)
    if decision not in Decision.values:
        raise DomainError("decision_invalid", _("Choose approved or rejected."))
    lifecycle.transition_check(proposal.status, decision)
    reason = _clean_text(
        reason,
        code="reason_empty",
        message=_("Give the reason for the decision; it is published."),
        max_length=4000,
    )
    AkimDecision.objects.create(
        proposal=proposal, decision=decision, reason=reason, decided_by=actor
    )
    return _move(proposal, decision, actor=actor, details={"reason": reason})


# Into the budget, and done.

INCLUDABLE_DRAFT_STATUSES = (
    DraftStatus.PREPARING,
    DraftStatus.PUBLISHED,
    DraftStatus.COORDINATED,
    DraftStatus.UNDER_VOTE,
)


@transaction.atomic
def proposal_include(*, proposal: Proposal, actor: User, line: BudgetLine) -> Proposal:
    """Staff include an approved proposal in an expenditure line of the cycle's draft."""
    proposal = locks.proposal_lock(proposal)
    lifecycle.transition_check(proposal.status, S.INCLUDED)
    line = BudgetLine.objects.select_related("draft", "classification").get(pk=line.pk)
    if line.draft.cycle_id != proposal.cycle_id:
        raise DomainError(
            "line_of_other_cycle",
            _("Choose a line of this budget's draft."),
        )
    if line.classification.kind != ClassificationKind.EXPENDITURE:
        raise DomainError(
            "line_not_expenditure",
            _("A proposal can be included only in an expenditure line."),
        )
    if line.draft.status not in INCLUDABLE_DRAFT_STATUSES:
        raise DomainError(
            "draft_not_open",
            _("This version of the draft is no longer current; choose the latest one."),
        )
    proposal.included_line = line
    return _move(
        proposal,
        S.INCLUDED,
        actor=actor,
        details={
            "version": line.draft.version,
            "line": line.classification.code,
        },
        stamp_fields=["included_line"],
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
            cycle_id=draft.cycle_id,
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
            proposal.status, proposal.funding_line, proposal.updated_at = (
                S.FUNDED,
                line,
                now,
            )
            funded.append(proposal)
        Proposal.objects.bulk_update(funded, ["status", "funding_line", "updated_at"])
        proposal_type = ContentType.objects.get_for_model(Proposal)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=None,
                    verb="proposal.funded",
                    target_type=proposal_type,
                    target_id=str(proposal.pk),
                    unit=proposal.unit,
                    details={
                        "from": S.INCLUDED,
                        "status": S.FUNDED,
                        "version": draft.version,
                        "line": proposal.funding_line.classification.code,
                    },
                    created_at=now,
                )
                for proposal in funded
            ]
        )
        _notify_statuses(funded, actor=None)
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
    return _move(proposal, S.IN_PROGRESS, actor=actor)


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
    text = _clean_text(
        text,
        code="report_empty",
        message=_("Describe the work that was done."),
        max_length=5000,
    )
    amount = _clean_money(amount_spent, code="amount_invalid")
    if amount is None:
        raise DomainError("amount_invalid", _("Give the amount spent, in tenge."))
    ImplementationReport.objects.create(
        proposal=proposal, text=text, amount_spent=amount, reported_by=actor
    )
    _add_photos(proposal, photos, kind=PhotoKind.IMPLEMENTATION, captions=captions)
    return _move(
        proposal, S.IMPLEMENTED, actor=actor, details={"amount_spent": str(amount)}
    )


# Supports, comments, following.


def _check_supportable(proposal: Proposal, user: User) -> None:
    if not is_verified_resident_of(user, proposal.unit):
        raise DomainError(
            "not_a_resident",
            _("Only verified residents of %(unit)s support its proposals.")
            % {"unit": proposal.unit.name},
        )
    _require_proposals_open(
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
    _require_proposals_open(
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
    body = _clean_text(
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
    comment.body = _clean_text(
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


# Reports and moderation.


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
            "comment_of_other_proposal", _("This comment is not on this proposal.")
        )
    if not proposal.is_public:
        raise DomainError("proposal_not_public", _("This proposal is not public."))
    reason = _clean_text(
        reason,
        code="report_reason_empty",
        message=_("Say what is abusive in it."),
        max_length=1000,
    )
    try:
        with transaction.atomic():
            report = ContentReport.objects.create(
                proposal=proposal, comment=comment, reporter=reporter, reason=reason
            )
    except IntegrityError:
        raise DomainError(
            "already_reported",
            _("You have already reported this; a moderator will look at it."),
        ) from None
    audit_event_record(
        actor=reporter,
        verb="content.reported",
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
    reason = _clean_text(
        reason,
        code="moderation_reason_empty",
        message=_("Give the reason; it is shown in place of the content."),
        max_length=500,
    )
    if target.is_hidden == hide:
        raise DomainError(
            "already_hidden" if hide else "not_hidden",
            _("This is already hidden.") if hide else _("This is not hidden."),
        )
    target.is_hidden = hide
    target.hidden_reason = reason if hide else ""
    target.save(update_fields=["is_hidden", "hidden_reason"])
    kind = "comment" if isinstance(target, ProposalComment) else "proposal"
    audit_event_record(
        actor=actor,
        verb=f"{kind}.{'hidden' if hide else 'restored'}",
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
        raise DomainError("report_handled", _("This report has already been handled."))
    report.status = ReportStatus.DISMISSED
    report.handled_by, report.handled_at = actor, timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    audit_event_record(
        actor=actor,
        verb="content.report_dismissed",
        target=report,
        unit=Proposal.objects.get(pk=report.proposal_id).unit,
    )
    return report


# The clock: reminders before the deadline, escalation after it.

REMIND_WORKING_DAYS_BEFORE = 3


def reviews_remind_due() -> int:
    """Remind the reviewer (or every staff member while none is assigned) three working
    days before the deadline; once per review, in a fixed number of queries."""
    today = timezone.localdate()
    # Every deadline within three working days from today: the third working day from
    # today is the last such deadline.
    horizon = workdays.add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    with transaction.atomic():
        reviews = locks.reviews_lock(
            completed_at__isnull=True,
            reminded_at__isnull=True,
            deadline__gte=today,
            deadline__lte=horizon,
        )
        if not reviews:
            return 0
        staff = _staff_by_unit({review.proposal.unit_id for review in reviews})
        now = timezone.now()
        notices = []
        for review in reviews:
            review.reminded_at = now
            recipients = (
                [review.reviewer_id]
                if review.reviewer_id
                else staff.get(review.proposal.unit_id, {}).get("staff", [])
            )
            notices += [
                _review_notice(review, "review_due_soon", user_id)
                for user_id in recipients
            ]
        Review.objects.bulk_update(reviews, ["reminded_at"])
        notifications_create(notices)
    return len(reviews)


def reviews_escalate_due() -> int:
    """Tell the akim of every review past its deadline; once per review."""
    today = timezone.localdate()
    with transaction.atomic():
        reviews = locks.reviews_lock(
            completed_at__isnull=True, escalated_at__isnull=True, deadline__lt=today
        )
        if not reviews:
            return 0
        staff = _staff_by_unit({review.proposal.unit_id for review in reviews})
        now = timezone.now()
        notices = []
        for review in reviews:
            review.escalated_at = now
            notices += [
                _review_notice(review, "review_overdue", user_id)
                for user_id in staff.get(review.proposal.unit_id, {}).get("akim", [])
            ]
        Review.objects.bulk_update(reviews, ["escalated_at"])
        proposal_type = ContentType.objects.get_for_model(Proposal)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=None,
                    verb="review.overdue",
                    target_type=proposal_type,
                    target_id=str(review.proposal_id),
                    unit=review.proposal.unit,
                    details={"deadline": review.deadline.isoformat()},
                    created_at=now,
                )
                for review in reviews
            ]
        )
        notifications_create(notices)
    return len(reviews)


def _staff_by_unit(unit_ids: set[int]) -> dict[int, dict[str, list[int]]]:
    staff: dict[int, dict[str, list[int]]] = {}
    for user_id, unit_id, role in (
        RoleMembership.objects.current()
        .filter(
            unit_id__in=unit_ids,
            role__in=(Role.AKIMAT_STAFF, Role.AKIM),
            user__is_active=True,
        )
        .order_by("user_id")
        .values_list("user_id", "unit_id", "role")
    ):
        groups = staff.setdefault(unit_id, {"staff": [], "akim": []})
        groups["staff"].append(user_id)
        if role == Role.AKIM:
            groups["akim"].append(user_id)
    return staff


def _review_notice(review: Review, kind: str, user_id: int) -> Notification:
    return Notification(
        recipient_id=user_id,
        kind=kind,
        unit=review.proposal.unit,
        context={
            "title": review.proposal.title,
            "deadline": review.deadline.isoformat(),
        },
        url_name="proposals:detail",
        url_kwargs={"pk": review.proposal_id},
    )
