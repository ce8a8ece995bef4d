"""Every change of state of budgets: cycles, their phases, drafts, comments, meetings.

Each service checks the domain's rules (the phase, the draft's status, the balance), locks
what it changes, writes, records the audit event and announces the cycle's new phase when an
act moved it. Who may call it is checked by the views with budgets/permissions.py.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleMembership, User
from budgets import lifecycle, locks, signals
from budgets.models import (
    CITIZEN_PHASES,
    DATED_PHASES,
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    CycleFollower,
    CyclePhase,
    DraftBudget,
    DraftComment,
    DraftStatus,
    MeetingDecision,
    Phase,
    PhaseCalendar,
)
from budgets.selectors import cycle_state_now, draft_totals
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.models import AdministrativeUnit, AuditEvent, Notification
from portal.services import audit_event_record, notifications_create

logger = logging.getLogger(__name__)


def calendar_for(unit: AdministrativeUnit) -> PhaseCalendar:
    """The calendar of the unit's region, or the national default."""
    region = unit.ancestors[0] if unit.ancestors else unit
    calendar_row = PhaseCalendar.objects.filter(region=region).first()
    if calendar_row is None:
        calendar_row, _created = PhaseCalendar.objects.get_or_create(region=None)
    return calendar_row


@transaction.atomic
def cycle_open(
    *,
    unit: AdministrativeUnit,
    fiscal_year: int,
    actor: User,
    dates: Mapping[str, tuple[datetime.date, datetime.date]],
) -> BudgetCycle:
    if not unit.has_own_budget(fiscal_year):
        raise DomainError(
            "unit_without_budget",
            _("%(unit)s does not hold its own budget in %(year)s.")
            % {"unit": unit.name, "year": fiscal_year},
        )
    if fiscal_year < current_fiscal_year():
        raise DomainError(
            "fiscal_year_past",
            _("A cycle cannot be opened for a year that has passed."),
        )
    error = lifecycle.phase_dates_error(dates)
    if error:
        raise DomainError("phase_dates_invalid", error)
    execution_starts, execution_ends = dates[CyclePhase.EXECUTION]
    if (execution_starts.year, execution_ends) != (
        fiscal_year,
        datetime.date(fiscal_year, 12, 31),
    ):
        raise DomainError(
            "phase_dates_not_in_year",
            _(
                "The execution is the fiscal year itself: it ends on 31 December %(year)s."
            )
            % {"year": fiscal_year},
        )
    if dates[CyclePhase.PROPOSALS_OPEN][1] < timezone.localdate():
        raise DomainError(
            "proposals_phase_past",
            _(
                "Residents must have time to send proposals: the proposals phase has ended."
            ),
        )
    try:
        with transaction.atomic():
            cycle = BudgetCycle.objects.create(
                unit=unit, fiscal_year=fiscal_year, created_by=actor
            )
    except IntegrityError:
        raise DomainError(
            "cycle_exists",
            _("%(unit)s already has a budget cycle for %(year)s.")
            % {"unit": unit.name, "year": fiscal_year},
        ) from None
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
        for kind, (starts_on, ends_on) in dates.items()
    )
    audit_event_record(
        actor=actor,
        verb="cycle.opened",
        target=cycle,
        unit=unit,
        details={
            "fiscal_year": fiscal_year,
            "phases": {
                k: [s.isoformat(), e.isoformat()] for k, (s, e) in dates.items()
            },
        },
    )
    cycle_announce(cycle=cycle, actor=actor)
    return cycle


@transaction.atomic
def phase_extend(
    *, cycle: BudgetCycle, kind: str, ends_on: datetime.date, reason: str, actor: User
) -> Phase:
    """Move a phase's end later, with a public reason; later phases move along if needed."""
    reason = reason.strip()
    if not reason:
        raise DomainError("extension_reason_required", _("Give the public a reason."))
    phases = locks.phases_lock(cycle)
    phase = phases[kind]
    if ends_on <= phase.ends_on:
        code = (
            "citizen_phase_shortened"
            if kind in CITIZEN_PHASES
            else "phase_not_extended"
        )
        raise DomainError(
            code,
            _(
                "A phase's end may only be moved later, never earlier: it ends on %(day)s."
            )
            % {"day": phase.ends_on.isoformat()},
        )
    if ends_on < timezone.localdate():
        raise DomainError(
            "phase_end_in_past",
            _("A phase's new end cannot be a day that has already passed."),
        )
    state = cycle_state_now(cycle)
    reopens_discussion = (
        kind == CyclePhase.PUBLIC_DISCUSSION
        and state.phase == CyclePhase.COORDINATION
        and not cycle.drafts.filter(
            status__in=(DraftStatus.COORDINATED, DraftStatus.UNDER_VOTE)
        ).exists()
    )
    if state.phase == CyclePhase.CLOSED or (
        PHASE_INDEX[kind] < PHASE_INDEX[state.phase] and not reopens_discussion
    ):
        raise DomainError("phase_already_over", _("This phase is already over."))
    moved = []
    previous_end = ends_on
    phase_was = (phase.starts_on, phase.ends_on)
    phase.ends_on = ends_on
    moved.append(phase)
    for later in DATED_PHASES[DATED_PHASES.index(kind) + 1 :]:
        following = phases[later]
        if following.starts_on > previous_end:
            break
        shift = datetime.timedelta(days=(previous_end - following.starts_on).days + 1)
        following.starts_on += shift
        if later in CITIZEN_PHASES:
            # A citizen phase pushed later keeps its whole length: never shortened.
            following.ends_on += shift
        elif later == CyclePhase.EXECUTION and following.starts_on > following.ends_on:
            raise DomainError(
                "extension_past_fiscal_year",
                _(
                    "This extension would push the vote past the end of the fiscal year."
                ),
            )
        else:
            following.ends_on = max(following.ends_on, following.starts_on)
        moved.append(following)
        previous_end = following.ends_on
    Phase.objects.bulk_update(moved, ["starts_on", "ends_on"])
    audit_event_record(
        actor=actor,
        verb="phase.extended",
        target=cycle,
        unit=cycle.unit,
        details={
            "phase": kind,
            "from": phase_was[1].isoformat(),
            "to": ends_on.isoformat(),
            "reason": reason,
            "moved": {
                p.kind: [p.starts_on.isoformat(), p.ends_on.isoformat()] for p in moved
            },
        },
    )
    cycle_announce(cycle=cycle, actor=actor)
    return phase


PHASE_INDEX = {phase: index for index, phase in enumerate(CyclePhase.values)}


def _latest_draft(cycle: BudgetCycle) -> DraftBudget | None:
    return cycle.drafts.order_by("-version").first()


@transaction.atomic
def draft_create(*, cycle: BudgetCycle, actor: User) -> DraftBudget:
    """The next version of the draft, copied from the last one (or empty for the first)."""
    locks.cycle_lock(cycle.pk)
    latest = _latest_draft(cycle)
    state = cycle_state_now(cycle)
    if state.phase not in (
        CyclePhase.DRAFTING,
        CyclePhase.PUBLIC_DISCUSSION,
        CyclePhase.COORDINATION,
    ):
        raise DomainError(
            "phase_not_drafting",
            _(
                "A draft can be written only from the end of the review until coordination."
            ),
        )
    if latest is not None and latest.status == DraftStatus.PREPARING:
        raise DomainError(
            "draft_already_preparing",
            _("Version %(version)s is already being prepared.")
            % {"version": latest.version},
        )
    if latest is not None and latest.status == DraftStatus.COORDINATED:
        raise DomainError(
            "draft_coordinated",
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
        verb="draft.created",
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
            "draft_not_editable",
            _(
                "Version %(version)s is %(status)s and can no longer change: make a new version."
            )
            % {"version": draft.version, "status": draft.get_status_display()},
        )
    for amount in [*(line.amount for line in lines), cash_balance_used]:
        if not _is_tenge_and_tiyn(amount):
            raise DomainError(
                "amount_invalid",
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
        verb="draft.edited",
        target=draft,
        unit=draft.cycle.unit,
        details={"version": draft.version, "lines": len(wanted)},
    )
    return draft


def _is_tenge_and_tiyn(amount) -> bool:
    """A Decimal (or whole int) of at most two decimal places, never negative; never a
    float, whose binary rounding would change the amount."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        return False
    amount = Decimal(amount)
    return (
        amount.is_finite()
        and amount >= 0
        and amount == amount.quantize(Decimal("0.01"))
    )


def _check_balance(draft: DraftBudget) -> None:
    totals = draft_totals(draft)
    if totals.expenditure > totals.revenue + draft.cash_balance_used:
        raise DomainError(
            "budget_unbalanced",
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
    state = cycle_state_now(draft.cycle)
    if state.phase not in (
        CyclePhase.DRAFTING,
        CyclePhase.PUBLIC_DISCUSSION,
        CyclePhase.COORDINATION,
    ):
        raise DomainError(
            "phase_not_drafting",
            _(
                "A draft is published after the review of proposals and before coordination."
            ),
        )
    if draft.cycle.drafts.filter(status=DraftStatus.COORDINATED).exists():
        # A version prepared before the meeting would hide the coordinated one.
        raise DomainError(
            "draft_coordinated",
            _(
                "The coordinated draft waits for the akim's submission to the maslikhat."
            ),
        )
    discussion = draft.cycle.phases.get(kind=CyclePhase.PUBLIC_DISCUSSION)
    if timezone.localdate() > discussion.ends_on:
        # Publishing now would skip the residents' discussion of this version.
        raise DomainError(
            "discussion_would_be_skipped",
            _(
                "The public discussion ended on %(day)s. Extend it first, with a public "
                "reason, so that residents can comment on this version."
            )
            % {"day": discussion.ends_on.isoformat()},
        )
    if not draft.lines.exists():
        raise DomainError(
            "draft_empty", _("A draft without lines cannot be published.")
        )
    _check_balance(draft)
    return _draft_move(
        draft,
        DraftStatus.PUBLISHED,
        actor=actor,
        verb="draft.published",
        stamp="published_at",
    )


@transaction.atomic
def comment_post(
    *,
    draft: DraftBudget,
    author: User,
    body: str,
    line: BudgetLine | None = None,
) -> DraftComment:
    body = body.strip()
    if not body:
        raise DomainError("comment_empty", _("Write a comment first."))
    if line is not None and line.draft_id != draft.pk:
        raise DomainError("line_not_in_draft", _("This line is not in this draft."))
    state = cycle_state_now(draft.cycle)
    if state.phase != CyclePhase.PUBLIC_DISCUSSION:
        raise DomainError(
            "discussion_closed",
            _("Comments are taken only during the public discussion of the draft."),
        )
    if draft.status != DraftStatus.PUBLISHED or draft.pk != _latest_published_pk(
        draft.cycle
    ):
        raise DomainError(
            "draft_not_under_discussion",
            _("Comment on the version under discussion, the latest published one."),
        )
    comment = DraftComment.objects.create(
        draft=draft, line=line, author=author, body=body
    )
    audit_event_record(
        actor=author,
        verb="draft.commented",
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
    body = body.strip()
    if not body:
        raise DomainError("comment_empty", _("Write a reply first."))
    if comment.reply_to_id is not None:
        raise DomainError("reply_to_reply", _("Answer the resident's comment itself."))
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
        verb="draft.replied",
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
    """The community meeting's decision: coordinated drafts go on, others return."""
    draft = locks.draft_lock(draft)
    state = cycle_state_now(draft.cycle)
    if state.phase != CyclePhase.COORDINATION or draft.status != DraftStatus.PUBLISHED:
        raise DomainError(
            "phase_not_coordination",
            _(
                "The meeting's decision is recorded on the published draft after its discussion."
            ),
        )
    if draft.pk != _latest_published_pk(draft.cycle):
        raise DomainError(
            "draft_not_under_discussion",
            _("Record the decision on the latest published version."),
        )
    discussion_end = draft.cycle.phases.get(kind=CyclePhase.PUBLIC_DISCUSSION).ends_on
    if held_on <= discussion_end:
        raise DomainError(
            "meeting_before_discussion_ended",
            _(
                "The meeting is held after the public discussion, which ended on %(day)s."
            )
            % {"day": discussion_end.isoformat()},
        )
    if held_on > timezone.localdate():
        raise DomainError(
            "meeting_in_future", _("The meeting cannot be held in the future.")
        )
    if not 5 <= members_total <= 25:
        raise DomainError(
            "meeting_members_out_of_range",
            _("A community meeting has from 5 to 25 members."),
        )
    if not 0 < members_present <= members_total:
        raise DomainError(
            "meeting_present_out_of_range",
            _("The members present are at least one and at most all the members."),
        )
    if decision != MeetingDecision.COORDINATED and not remarks.strip():
        raise DomainError(
            "meeting_remarks_required",
            _("Write down the meeting's remarks."),
        )
    minutes_error = minutes_problem(minutes)
    if minutes_error:
        raise minutes_error
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
    target = (
        DraftStatus.RETURNED
        if decision == MeetingDecision.NOT_COORDINATED
        else DraftStatus.COORDINATED
    )
    lifecycle.draft_transition_check(draft.status, target)
    draft.status = target
    draft.save(update_fields=["status"])
    audit_event_record(
        actor=actor,
        verb="meeting.recorded",
        target=meeting,
        unit=draft.cycle.unit,
        details={
            "version": draft.version,
            "decision": decision,
            "members_total": members_total,
            "members_present": members_present,
        },
    )
    cycle_announce(cycle=draft.cycle, actor=actor)
    return meeting


def minutes_problem(minutes) -> DomainError | None:
    """Why an upload is not acceptable minutes: only a PDF of at most 10 MB."""
    if minutes is None:
        return DomainError(
            "minutes_required", _("Attach the minutes of the meeting as a PDF.")
        )
    if minutes.size > MINUTES_MAX_BYTES:
        return DomainError("minutes_too_large", _("The minutes may be at most 10 MB."))
    head = minutes.read(5)
    minutes.seek(0)
    if head != b"%PDF-" or not minutes.name.lower().endswith(".pdf"):
        return DomainError("minutes_not_pdf", _("The minutes must be a PDF file."))
    return None


@transaction.atomic
def draft_submit(*, draft: DraftBudget, actor: User) -> DraftBudget:
    """The akim submits the coordinated draft to the district maslikhat."""
    draft = locks.draft_lock(draft)
    lifecycle.draft_transition_check(draft.status, DraftStatus.UNDER_VOTE)
    if cycle_state_now(draft.cycle).phase != CyclePhase.COORDINATION:
        raise DomainError(
            "phase_not_coordination",
            _(
                "The akim submits the draft during coordination, after the meeting's decision."
            ),
        )
    _check_balance(draft)
    return _draft_move(
        draft,
        DraftStatus.UNDER_VOTE,
        actor=actor,
        verb="draft.submitted",
        stamp="submitted_at",
    )


@transaction.atomic
def draft_approve(*, draft: DraftBudget, actor: User | None) -> DraftBudget:
    """The maslikhat approved the draft: the cycle is adopted; `draft_adopted` is sent."""
    draft = locks.draft_lock(draft)
    lifecycle.draft_transition_check(draft.status, DraftStatus.APPROVED)
    _draft_move(draft, DraftStatus.APPROVED, actor=actor, verb="draft.approved")
    transaction.on_commit(
        lambda: _announce(signals.draft_adopted, sender=DraftBudget, draft=draft)
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
            "draft_published_to_returned",
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
        verb="draft.returned",
        details={"reason": reason},
    )


def _announce(signal, **kwargs) -> None:
    """Tell the apps that build on budgets, after the commit. A receiver that fails is
    logged and never undoes nor breaks the act already committed: each listener has a
    periodic job that catches up (proposals.tasks)."""
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            logger.error(
                "Receiver %r of a budgets signal failed",
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


def _draft_move(
    draft: DraftBudget,
    status: str,
    *,
    actor: User | None,
    verb: str,
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


# Announcing phases: what the clock and the acts decided, recorded once with its notices.


def cycle_announce(*, cycle: BudgetCycle, actor: User | None = None) -> bool:
    """Record the cycle's current phase if it changed; used after every act."""
    return bool(cycles_announce(cycles=[cycle], actor=actor))


def cycles_announce(
    *, cycles: Sequence[BudgetCycle] | None = None, actor: User | None = None
) -> list[BudgetCycle]:
    """Record every due change of phase, and every new overdue, in a fixed number of queries.

    Without `cycles`, all cycles not yet closed (the clock job). Rows are locked in primary
    key order, so that two runs at once wait for each other and the second finds nothing to do.
    """
    from budgets.selectors import cycles_with_state

    now = timezone.now()
    with transaction.atomic():
        queryset = locks.cycles_lock(BudgetCycle.objects.all())
        if cycles is None:
            queryset = queryset.exclude(announced_phase=CyclePhase.CLOSED)
        else:
            queryset = queryset.filter(pk__in=[cycle.pk for cycle in cycles])
        states = cycles_with_state(
            queryset.select_related("unit"), on=timezone.localdate()
        )
        moved, overdue, changed = [], [], []
        for cycle, state in states:
            touched = False
            if state.phase != cycle.announced_phase:
                moved.append((cycle, cycle.announced_phase, state))
                cycle.announced_phase, cycle.announced_at = state.phase, now
                # A phase entered again (drafting after a return) may be overdue again.
                cycle.overdue_notified_phase = ""
                touched = True
            if state.is_overdue and cycle.overdue_notified_phase != state.phase:
                overdue.append((cycle, state))
                cycle.overdue_notified_phase = state.phase
                touched = True
            if touched:
                changed.append(cycle)
        if not changed:
            return []
        BudgetCycle.objects.bulk_update(
            changed, ["announced_phase", "announced_at", "overdue_notified_phase"]
        )
        events = [
            AuditEvent(
                actor=actor,
                verb="cycle.phase_changed",
                target_type=_cycle_type(),
                target_id=str(cycle.pk),
                unit=cycle.unit,
                details={
                    "from": old,
                    "to": state.phase,
                    "since": state.since.isoformat() if state.since else None,
                },
                created_at=now,
            )
            for cycle, old, state in moved
        ] + [
            AuditEvent(
                actor=None,
                verb="cycle.overdue",
                target_type=_cycle_type(),
                target_id=str(cycle.pk),
                unit=cycle.unit,
                details={"phase": state.phase},
                created_at=now,
            )
            for cycle, state in overdue
        ]
        AuditEvent.objects.bulk_create(events)
        _notify_phase_changes(moved=moved, overdue=overdue)
        for cycle, old, state in moved:
            transaction.on_commit(
                lambda cycle=cycle, old=old, new=state.phase: _announce(
                    signals.cycle_phase_changed,
                    sender=BudgetCycle,
                    cycle=cycle,
                    old_phase=old,
                    new_phase=new,
                )
            )
    return [cycle for cycle, _old, _state in moved]


def _cycle_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(BudgetCycle)


def _notify_phase_changes(*, moved, overdue) -> None:
    units = {cycle.unit_id for cycle, *_ in moved} | {
        cycle.unit_id for cycle, _s in overdue
    }
    members: dict[int, list[tuple[int, str]]] = {}
    for user_id, unit_id, role in (
        RoleMembership.objects.current()
        .filter(
            unit_id__in=units,
            role__in=(Role.AKIMAT_STAFF, Role.AKIM),
            user__is_active=True,
        )
        .values_list("user_id", "unit_id", "role")
    ):
        members.setdefault(unit_id, []).append((user_id, role))

    def url(cycle):
        return {"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year}

    notices = [
        Notification(
            recipient_id=user_id,
            kind="cycle_phase_changed",
            unit=cycle.unit,
            context={"year": cycle.fiscal_year, "phase": state.phase},
            url_name="budgets:cycle_detail",
            url_kwargs=url(cycle),
        )
        for cycle, _old, state in moved
        for user_id, _role in members.get(cycle.unit_id, [])
    ] + [
        Notification(
            recipient_id=user_id,
            kind="cycle_overdue",
            unit=cycle.unit,
            context={"year": cycle.fiscal_year, "phase": state.phase},
            url_name="budgets:cycle_detail",
            url_kwargs=url(cycle),
        )
        for cycle, state in overdue
        for user_id, role in members.get(cycle.unit_id, [])
        if role == Role.AKIM
    ]
    notifications_create(notices)


def cycle_follow(*, cycle: BudgetCycle, user: User) -> bool:
    """Follow a cycle; True when this call started following it."""
    _follower, created = CycleFollower.objects.get_or_create(cycle=cycle, user=user)
    return created


def cycle_unfollow(*, cycle: BudgetCycle, user: User) -> bool:
    deleted, _by_model = CycleFollower.objects.filter(cycle=cycle, user=user).delete()
    return bool(deleted)
