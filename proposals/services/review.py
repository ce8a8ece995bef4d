"""The akimat's review: started when the proposals close, assigned, completed against its
statutory deadline; the clock's reminders before the deadline and escalation after it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, F, Q
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleMembership, User
from budgets.models import BudgetCycle, CyclePhase, Phase
from portal import workdays
from portal.errors import DomainError
from portal.models import Notification
from portal.services import (
    Act,
    audit_event_record,
    audit_events_record,
    audit_events_record_select,
    notifications_create,
    notifications_create_select,
    rows_insert_select,
    rows_update,
)
from proposals import locks
from proposals.codes import AuditVerb, ErrorCode
from proposals.models import Assessment, Proposal, ProposalStatus, Review
from proposals.permissions import REVIEWER_REFUSAL, is_reviewer_for
from proposals.services._input import clean_money, clean_text
from proposals.services._moves import move, notify_statuses_select

S = ProposalStatus


def review_working_days() -> int:
    return settings.QATYSU_REVIEW_WORKING_DAYS


def review_deadline(proposals_end: datetime.date) -> datetime.date:
    """The statutory deadline: so many working days after the proposals closed."""
    return workdays.add_working_days(proposals_end, review_working_days())


def reviews_start(*, cycles: Sequence[BudgetCycle] | None = None) -> int:
    """Put every submitted proposal under review once its cycle's proposals have closed.

    Called when cycles move on (every cycle of the country on the national day) and by
    the clock job: idempotent, the same statements for one cycle or thousands (batched
    by rows, never one per cycle or per proposal), the deadline counted from the day the
    proposals closed (never from when the job ran).
    """
    today = timezone.localdate()
    phases = Phase.objects.filter(
        kind=CyclePhase.PROPOSALS_OPEN,
        ends_on__lt=today,
        cycle__proposals__status=S.SUBMITTED,
    )
    if cycles is not None:
        phases = phases.filter(cycle__in=[cycle.pk for cycle in cycles])
    ends = dict(phases.order_by().distinct().values_list("cycle_id", "ends_on"))
    return _reviews_start_for(ends) if ends else 0


@transaction.atomic
def _reviews_start_for(ends: dict[int, datetime.date]) -> int:
    """Start the reviews of the submitted proposals of these cycles, each cycle's
    proposals having closed on the day given: the same statements for one proposal or
    the 176,000 of the national day, each an INSERT … SELECT or an UPDATE over them all
    (per day the proposals closed on: one on the national day)."""
    started = len(locks.proposal_keys_lock(cycle_ids=list(ends), status=S.SUBMITTED))
    if not started:
        return 0
    now = timezone.now()
    closed_on: dict[datetime.date, list[int]] = {}
    for cycle_id, end in ends.items():
        closed_on.setdefault(end, []).append(cycle_id)
    for end, cycle_ids in closed_on.items():
        started_on = end + datetime.timedelta(days=1)
        deadline = max(review_deadline(end), started_on)
        submitted = Proposal.objects.filter(
            cycle_id__in=cycle_ids, status=S.SUBMITTED
        ).order_by("pk")
        rows_insert_select(
            Review,
            submitted,
            {"proposal": F("pk"), "started_on": started_on, "deadline": deadline},
        )
        audit_events_record_select(
            submitted,
            verb=AuditVerb.PROPOSAL_UNDER_REVIEW,
            target_id=Cast("pk", output_field=CharField()),
            unit_id=F("unit_id"),
            details={
                "from": S.SUBMITTED,
                "status": S.UNDER_REVIEW,
                "deadline": deadline.isoformat(),
            },
            at=now,
        )
        notify_statuses_select(submitted, status=S.UNDER_REVIEW)
    # The rows locked above, by the same condition rather than by their keys: no
    # proposal of these cycles is submitted once they have closed.
    Proposal.objects.filter(cycle_id__in=list(ends), status=S.SUBMITTED).update(
        status=S.UNDER_REVIEW
    )
    return started


def _open_review(proposal: Proposal, review: Review | None) -> Review:
    if review is None or proposal.status != S.UNDER_REVIEW:
        raise DomainError(
            ErrorCode.NOT_UNDER_REVIEW,
            _("This proposal is not under review."),
        )
    return review


@transaction.atomic
def review_assign(*, proposal: Proposal, actor: User, reviewer: User) -> Review:
    proposal, review = locks.proposal_and_review_lock(proposal)
    review = _open_review(proposal, review)
    if not is_reviewer_for(reviewer, proposal.unit):
        raise DomainError(ErrorCode.REVIEWER_NOT_STAFF, REVIEWER_REFUSAL)
    review.reviewer = reviewer
    review.save(update_fields=["reviewer"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.REVIEW_ASSIGNED,
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
            ErrorCode.ASSESSMENT_INVALID, _("Choose recommended or not recommended.")
        )
    review.reasons = clean_text(
        data.reasons,
        code=ErrorCode.REASONS_EMPTY,
        message=_("Give the reasons for the assessment; residents read them."),
        max_length=4000,
    )
    if data.assessment == Assessment.RECOMMENDED and not data.is_within_competence:
        raise DomainError(
            ErrorCode.RECOMMENDED_OUTSIDE_COMPETENCE,
            _(
                "A proposal outside the competence of the unit's akim cannot be "
                "recommended for its budget."
            ),
        )
    review.assessment = data.assessment
    review.is_within_competence = data.is_within_competence
    review.feasibility = (data.feasibility or "").strip()[:4000]
    review.assessed_cost = clean_money(data.assessed_cost, code=ErrorCode.COST_INVALID)
    review.completed_at = timezone.now()
    review.completed_by = actor
    review.save()
    return move(
        proposal,
        data.assessment,
        actor=actor,
        details={
            "assessment": data.assessment,
            "on_time": not review.is_overdue_on(timezone.localdate()),
        },
    )


# The clock: reminders before the deadline, escalation after it.

REMIND_WORKING_DAYS_BEFORE = 3


def reviews_remind_due() -> int:
    """Remind the reviewer (or every staff member while none is assigned) three working
    days before the deadline, once per review: one notice for each person, unit and
    deadline, with the number of its reviews not complete (a unit's staff with 5,000
    proposals due is told once, not 5,000 times). In the same statements for one review
    or the 176,000 of the national reminder day; returns how many were reminded."""
    today = timezone.localdate()
    # Every deadline within three working days from today: the third working day from
    # today is the last such deadline.
    horizon = workdays.add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    now = timezone.now()
    with transaction.atomic():
        # Marked first: the UPDATE locks the rows it marks, and the reviews marked at
        # this moment are those whose reminders are written below, whatever else runs.
        reminded = Review.objects.filter(
            completed_at__isnull=True,
            reminded_at__isnull=True,
            deadline__gte=today,
            deadline__lte=horizon,
        ).update(reminded_at=now)
        if not reminded:
            return 0
        marked = Review.objects.filter(reminded_at=now)
        _reminders_select(marked.filter(reviewer__isnull=False), "reviewer_id")
        _reminders_select(
            _with_unit_staff(marked.filter(reviewer__isnull=True), REVIEW_STAFF),
            "proposal__unit__memberships__user_id",
        )
    return reminded


def _reminders_select(reviews, recipient: str) -> int:
    """A notice for each recipient, unit and deadline of the reviews, with their number
    and a link to the unit's review queue."""
    groups = (
        reviews.values(recipient, "proposal__unit_id", "deadline")
        .annotate(reviews=Count("pk", distinct=True))
        .order_by(recipient, "proposal__unit_id", "deadline")
    )
    return notifications_create_select(
        groups,
        recipient_id=F(recipient),
        kind="review_due_soon",
        unit_id=F("proposal__unit_id"),
        context=JSONObject(
            count=F("reviews"), deadline=Cast("deadline", output_field=CharField())
        ),
        url_name="proposals:review_queue",
        url_kwargs=JSONObject(kato_code=F("proposal__unit__kato_code")),
    )


# Who is told of a review: every staff member of the unit (while no reviewer is
# assigned), or its akim (once it is overdue).
REVIEW_STAFF = (Role.AKIMAT_STAFF, Role.AKIM)


def _with_unit_staff(reviews, roles):
    """A row per review and current, active member of its unit in one of `roles`."""
    today = timezone.localdate()
    return reviews.filter(
        Q(proposal__unit__memberships__ends_on__isnull=True)
        | Q(proposal__unit__memberships__ends_on__gt=today),
        proposal__unit__memberships__starts_on__lte=today,
        proposal__unit__memberships__role__in=roles,
        proposal__unit__memberships__user__is_active=True,
    ).order_by("pk", "proposal__unit__memberships__user_id")


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
        rows_update(Review, [review.pk for review in reviews], escalated_at=now)
        audit_events_record(
            [
                Act(
                    verb=AuditVerb.REVIEW_OVERDUE,
                    target=review.proposal,
                    unit=review.proposal.unit,
                    details={"deadline": review.deadline.isoformat()},
                )
                for review in reviews
            ],
            at=now,
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
