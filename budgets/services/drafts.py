"""Changes of a draft budget: a new version, its lines, publishing it, the akim's submission
to the maslikhat and the maslikhat's approval or return (which the maslikhat app calls).
Every move of a draft's status is checked by budgets/lifecycle.py and recorded by
`_draft_move`, which announces the cycle's new phase."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from budgets import lifecycle, locks, signals
from budgets.codes import AuditVerb, DraftTransition, ErrorCode
from budgets.models import (
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    CyclePhase,
    DraftBudget,
    DraftStatus,
)
from budgets.money import amount_problem
from budgets.selectors import cycle_state, draft_totals
from budgets.services.cycles import announce, cycle_announce
from portal.errors import DomainError
from portal.formats import day_text
from portal.services import audit_event_record


def _latest_draft(cycle: BudgetCycle) -> DraftBudget | None:
    return cycle.drafts.order_by("-version").first()


@transaction.atomic
def draft_create(*, cycle: BudgetCycle, actor: User) -> DraftBudget:
    """The next version of the draft, copied from the last one (or empty for the first)."""
    locks.cycle_lock(cycle.pk)
    latest = _latest_draft(cycle)
    state = cycle_state(cycle, fresh=True)
    if state.phase not in lifecycle.DRAFTING_PHASES:
        raise DomainError(
            ErrorCode.PHASE_NOT_DRAFTING,
            _(
                "A draft can be written only from the end of the review until coordination."
            ),
        )
    if latest is not None and latest.status == DraftStatus.PREPARING:
        raise DomainError(
            ErrorCode.DRAFT_ALREADY_PREPARING,
            _("Version %(version)s is already being prepared.")
            % {"version": latest.version},
        )
    if latest is not None and latest.status == DraftStatus.COORDINATED:
        raise DomainError(
            ErrorCode.DRAFT_COORDINATED,
            _(
                "The coordinated draft waits for the akim's submission to the maslikhat."
            ),
        )
    draft = DraftBudget.objects.create(
        cycle=cycle,
        version=(latest.version + 1) if latest else 1,
        created_by=actor,
        cash_balance_used=latest.cash_balance_used if latest else ZERO,
        note=latest.note if latest else "",
    )
    if latest is not None:
        BudgetLine.objects.bulk_create(
            BudgetLine(
                draft=draft,
                classification_id=line.classification_id,
                amount=line.amount,
                explanation=line.explanation,
            )
            for line in latest.lines.all()
        )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.DRAFT_CREATED,
        target=draft,
        unit=cycle.unit,
        details={
            "version": draft.version,
            "copied_from": latest.version if latest else None,
        },
    )
    return draft


@dataclass(frozen=True)
class LineInput:
    classification: BudgetClassification
    amount: Decimal
    explanation: str = ""


@transaction.atomic
def draft_update(
    *,
    draft: DraftBudget,
    lines: Sequence[LineInput],
    cash_balance_used: Decimal,
    note: str,
    actor: User,
) -> DraftBudget:
    """Replace a draft's lines; only a version being prepared may change."""
    draft = locks.draft_lock(draft)
    if not draft.is_editable:
        raise DomainError(
            ErrorCode.DRAFT_NOT_EDITABLE,
            _(
                "Version %(version)s is %(status)s and can no longer change: make a new version."
            )
            % {"version": draft.version, "status": draft.get_status_display()},
        )
    for amount in [*(line.amount for line in lines), cash_balance_used]:
        if amount_problem(amount) is not None:
            raise DomainError(
                ErrorCode.AMOUNT_INVALID,
                _("An amount is whole tenge or tenge and tiyn, never negative."),
            )
    existing = {line.classification_id: line for line in draft.lines.all()}
    wanted = {line.classification.pk: line for line in lines}
    draft.lines.exclude(classification_id__in=wanted).delete()
    to_create, to_update = [], []
    for pk, line in wanted.items():
        current = existing.get(pk)
        if current is None:
            to_create.append(
                BudgetLine(
                    draft=draft,
                    classification=line.classification,
                    amount=line.amount,
                    explanation=line.explanation,
                )
            )
        elif (current.amount, current.explanation) != (line.amount, line.explanation):
            current.amount, current.explanation = line.amount, line.explanation
            to_update.append(current)
    BudgetLine.objects.bulk_create(to_create)
    BudgetLine.objects.bulk_update(to_update, ["amount", "explanation"])
    draft.cash_balance_used = cash_balance_used
    draft.note = note
    draft.save(update_fields=["cash_balance_used", "note"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.DRAFT_EDITED,
        target=draft,
        unit=draft.cycle.unit,
        details={"version": draft.version, "lines": len(wanted)},
    )
    return draft


def _check_balance(draft: DraftBudget) -> None:
    totals = draft_totals(draft)
    if totals.expenditure > totals.revenue + draft.cash_balance_used:
        raise DomainError(
            ErrorCode.BUDGET_UNBALANCED,
            _(
                "Expenditures (%(expenditure)s ₸) exceed revenues (%(revenue)s ₸) plus the "
                "cash balances used (%(cash)s ₸) by %(gap)s ₸."
            )
            % {
                "expenditure": totals.expenditure,
                "revenue": totals.revenue,
                "cash": draft.cash_balance_used,
                "gap": totals.expenditure - totals.revenue - draft.cash_balance_used,
            },
        )


@transaction.atomic
def draft_publish(*, draft: DraftBudget, actor: User) -> DraftBudget:
    draft = locks.draft_lock(draft)
    lifecycle.draft_transition_check(draft.status, DraftStatus.PUBLISHED)
    state = cycle_state(draft.cycle, fresh=True)
    if state.phase not in lifecycle.DRAFTING_PHASES:
        raise DomainError(
            ErrorCode.PHASE_NOT_DRAFTING,
            _(
                "A draft is published after the review of proposals and before coordination."
            ),
        )
    if draft.cycle.drafts.filter(status=DraftStatus.COORDINATED).exists():
        # A version prepared before the meeting would hide the coordinated one.
        raise DomainError(
            ErrorCode.DRAFT_COORDINATED,
            _(
                "The coordinated draft waits for the akim's submission to the maslikhat."
            ),
        )
    discussion = draft.cycle.phases.get(kind=CyclePhase.PUBLIC_DISCUSSION)
    if timezone.localdate() > discussion.ends_on:
        # Publishing now would skip the residents' discussion of this version.
        raise DomainError(
            ErrorCode.DISCUSSION_WOULD_BE_SKIPPED,
            _(
                "The public discussion ended on %(day)s. Extend it first, with a public "
                "reason, so that residents can comment on this version."
            )
            % {"day": day_text(discussion.ends_on)},
        )
    if not draft.lines.exists():
        raise DomainError(
            ErrorCode.DRAFT_EMPTY, _("A draft without lines cannot be published.")
        )
    _check_balance(draft)
    return _draft_move(
        draft,
        DraftStatus.PUBLISHED,
        actor=actor,
        verb=AuditVerb.DRAFT_PUBLISHED,
        stamp="published_at",
    )


@transaction.atomic
def draft_submit(*, draft: DraftBudget, actor: User) -> DraftBudget:
    """The akim submits the coordinated draft to the district maslikhat."""
    draft = locks.draft_lock(draft)
    lifecycle.draft_transition_check(draft.status, DraftStatus.UNDER_VOTE)
    if cycle_state(draft.cycle, fresh=True).phase != CyclePhase.COORDINATION:
        raise DomainError(
            ErrorCode.PHASE_NOT_COORDINATION,
            _(
                "The akim submits the draft during coordination, after the meeting's decision."
            ),
        )
    _check_balance(draft)
    return _draft_move(
        draft,
        DraftStatus.UNDER_VOTE,
        actor=actor,
        verb=AuditVerb.DRAFT_SUBMITTED,
        stamp="submitted_at",
    )


@transaction.atomic
def draft_approve(*, draft: DraftBudget, actor: User | None) -> DraftBudget:
    """The maslikhat approved the draft: the cycle is adopted; `draft_adopted` is sent."""
    draft = locks.draft_lock(draft)
    lifecycle.draft_transition_check(draft.status, DraftStatus.APPROVED)
    _draft_move(draft, DraftStatus.APPROVED, actor=actor, verb=AuditVerb.DRAFT_APPROVED)
    transaction.on_commit(
        lambda: announce(signals.draft_adopted, sender=DraftBudget, draft=draft)
    )
    return draft


@transaction.atomic
def draft_return(*, draft: DraftBudget, actor: User | None, reason: str) -> DraftBudget:
    """The maslikhat did not approve the draft: the cycle goes back to drafting."""
    draft = locks.draft_lock(draft)
    if draft.status == DraftStatus.PUBLISHED:
        # A published draft is returned by the community meeting (meeting_record); the
        # maslikhat returns only the draft submitted to it.
        raise DomainError(
            DraftTransition.PUBLISHED_TO_RETURNED,
            _("A draft that is %(current)s cannot become %(target)s.")
            % {
                "current": DraftStatus.PUBLISHED.label,
                "target": DraftStatus.RETURNED.label,
            },
        )
    lifecycle.draft_transition_check(draft.status, DraftStatus.RETURNED)
    return _draft_move(
        draft,
        DraftStatus.RETURNED,
        actor=actor,
        verb=AuditVerb.DRAFT_RETURNED,
        details={"reason": reason},
    )


def _draft_move(
    draft: DraftBudget,
    status: str,
    *,
    actor: User | None,
    verb: AuditVerb,
    stamp: str | None = None,
    details: dict | None = None,
) -> DraftBudget:
    """Record a checked transition of a locked draft: its status, the time of the act if
    the draft keeps one, the audit event, and the cycle's phase that the act moved."""
    draft.status = status
    fields = ["status"]
    if stamp:
        setattr(draft, stamp, timezone.now())
        fields.append(stamp)
    draft.save(update_fields=fields)
    audit_event_record(
        actor=actor,
        verb=verb,
        target=draft,
        unit=draft.cycle.unit,
        details={"version": draft.version, **(details or {})},
    )
    cycle_announce(cycle=draft.cycle, actor=actor)
    return draft
