"""Changes of a budget cycle: opening it with its phase dates, extending a phase, and
announcing what the clock and the acts decided (each change of phase and each overdue,
recorded once with its audit event, notices and signal); following a cycle."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleMembership, User
from budgets import lifecycle, locks, selectors, signals
from budgets.codes import AuditVerb, ErrorCode
from budgets.models import (
    CITIZEN_PHASES,
    TIMELINE_PHASES,
    BudgetCycle,
    CycleFollower,
    CyclePhase,
    DraftStatus,
    Phase,
    PhaseCalendar,
)
from budgets.selectors import cycle_state
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.formats import day_text
from portal.models import AdministrativeUnit, Notification
from portal.services import (
    Act,
    audit_event_record,
    audit_events_record,
    create_or_refuse,
    follow,
    notifications_create,
    rows_update,
    unfollow,
)

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
            ErrorCode.UNIT_WITHOUT_BUDGET,
            _("%(unit)s does not hold its own budget in %(year)s.")
            % {"unit": unit.name, "year": fiscal_year},
        )
    if fiscal_year < current_fiscal_year():
        raise DomainError(
            ErrorCode.FISCAL_YEAR_PAST,
            _("A cycle cannot be opened for a year that has passed."),
        )
    error = lifecycle.phase_dates_error(dates)
    if error:
        raise DomainError(ErrorCode.PHASE_DATES_INVALID, error)
    execution_starts, execution_ends = dates[CyclePhase.EXECUTION]
    if (execution_starts.year, execution_ends) != (
        fiscal_year,
        datetime.date(fiscal_year, 12, 31),
    ):
        raise DomainError(
            ErrorCode.PHASE_DATES_NOT_IN_YEAR,
            _(
                "The execution is the fiscal year itself: it ends on 31 December %(year)s."
            )
            % {"year": fiscal_year},
        )
    if dates[CyclePhase.PROPOSALS_OPEN][1] < timezone.localdate():
        raise DomainError(
            ErrorCode.PROPOSALS_PHASE_PAST,
            _(
                "Residents must have time to send proposals: the proposals phase has ended."
            ),
        )
    cycle = create_or_refuse(
        BudgetCycle,
        DomainError(
            ErrorCode.CYCLE_EXISTS,
            _("%(unit)s already has a budget cycle for %(year)s.")
            % {"unit": unit.name, "year": fiscal_year},
        ),
        unit=unit,
        fiscal_year=fiscal_year,
        created_by=actor,
    )
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
        for kind, (starts_on, ends_on) in dates.items()
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.CYCLE_OPENED,
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
        raise DomainError(
            ErrorCode.EXTENSION_REASON_REQUIRED, _("Give the public a reason.")
        )
    phases = locks.phases_lock(cycle)
    phase = phases.get(kind)
    if phase is None:
        raise DomainError(
            ErrorCode.PHASE_NOT_HELD,
            _("This cycle does not hold this phase."),
        )
    _check_extension(cycle, phase, ends_on)
    ended_on = phase.ends_on
    moved = _phases_moved(phases, kind, ends_on)
    Phase.objects.bulk_update(moved, ["starts_on", "ends_on"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.PHASE_EXTENDED,
        target=cycle,
        unit=cycle.unit,
        details={
            "phase": kind,
            "from": ended_on.isoformat(),
            "to": ends_on.isoformat(),
            "reason": reason,
            "moved": {
                p.kind: [p.starts_on.isoformat(), p.ends_on.isoformat()] for p in moved
            },
        },
    )
    cycle_announce(cycle=cycle, actor=actor)
    return phase


def _check_extension(cycle: BudgetCycle, phase: Phase, ends_on: datetime.date) -> None:
    """A phase is extended to a later day that has not passed, and only while it holds
    (or, for the discussion, while no meeting has coordinated the draft)."""
    kind = phase.kind
    if ends_on <= phase.ends_on:
        code = (
            ErrorCode.CITIZEN_PHASE_SHORTENED
            if kind in CITIZEN_PHASES
            else ErrorCode.PHASE_NOT_EXTENDED
        )
        raise DomainError(
            code,
            _(
                "A phase's end may only be moved later, never earlier: it ends on %(day)s."
            )
            % {"day": day_text(phase.ends_on)},
        )
    if ends_on < timezone.localdate():
        raise DomainError(
            ErrorCode.PHASE_END_IN_PAST,
            _("A phase's new end cannot be a day that has already passed."),
        )
    state = cycle_state(cycle, fresh=True)
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
        raise DomainError(
            ErrorCode.PHASE_ALREADY_OVER, _("This phase is already over.")
        )


def _phases_moved(
    phases: dict[str, Phase], kind: str, ends_on: datetime.date
) -> list[Phase]:
    """The phase with its new end, and each later phase it now overlaps pushed after it:
    a citizen phase keeps its whole length, the others end no earlier than they start,
    and the execution never starts past the fiscal year's end."""
    phase = phases[kind]
    phase.ends_on = ends_on
    moved, previous_end = [phase], ends_on
    for later in TIMELINE_PHASES[TIMELINE_PHASES.index(kind) + 1 :]:
        following = phases.get(later)
        if following is None:
            continue
        if following.starts_on > previous_end:
            break
        shift = datetime.timedelta(days=(previous_end - following.starts_on).days + 1)
        following.starts_on += shift
        if later in CITIZEN_PHASES:
            following.ends_on += shift
        elif later == CyclePhase.EXECUTION and following.starts_on > following.ends_on:
            raise DomainError(
                ErrorCode.EXTENSION_PAST_FISCAL_YEAR,
                _(
                    "This extension would push the vote past the end of the fiscal year."
                ),
            )
        else:
            following.ends_on = max(following.ends_on, following.starts_on)
        moved.append(following)
        previous_end = following.ends_on
    return moved


PHASE_INDEX = {phase: index for index, phase in enumerate(CyclePhase.values)}
# The phases in which a residents' vote may still be set up or moved.
BEFORE_THE_VOTE = frozenset(
    {
        CyclePhase.PLANNED,
        CyclePhase.PROPOSALS_OPEN,
        CyclePhase.REVIEW,
        CyclePhase.RESIDENTS_VOTE,
    }
)


def _vote_phase_check(cycle: BudgetCycle, phases: dict[str, Phase]) -> None:
    """The residents' vote is set up, moved or dropped only before it begins, and only
    while the cycle has not moved past the review."""
    today = timezone.localdate()
    held = phases.get(CyclePhase.RESIDENTS_VOTE)
    if held is not None and held.starts_on <= today:
        raise DomainError(
            ErrorCode.VOTE_PHASE_BEGUN,
            _(
                "The residents' vote has begun: its days can no longer be moved, only "
                "its end extended."
            ),
        )
    if cycle_state(cycle, fresh=True).phase not in BEFORE_THE_VOTE:
        raise DomainError(
            ErrorCode.VOTE_PHASE_TOO_LATE,
            _(
                "A residents' vote is held between the review of proposals and the "
                "drafting: this cycle is past that point."
            ),
        )


@transaction.atomic
def vote_phase_set(
    *, cycle: BudgetCycle, starts_on: datetime.date, ends_on: datetime.date, actor: User
) -> Phase:
    """Hold a residents' vote on these days, or move them while it has not begun: after
    the review ends, on a day still ahead, ending before the drafting does; the drafting
    now starts the day after the vote ends."""
    phases = locks.phases_lock(cycle)
    _vote_phase_check(cycle, phases)
    review, drafting = phases[CyclePhase.REVIEW], phases[CyclePhase.DRAFTING]
    if starts_on <= timezone.localdate():
        raise DomainError(
            ErrorCode.VOTE_PHASE_START_NOT_AHEAD,
            _(
                "The vote opens on a day still ahead, so that residents learn of it "
                "before it opens."
            ),
        )
    if starts_on <= review.ends_on:
        raise DomainError(
            ErrorCode.VOTE_PHASE_BEFORE_REVIEW_END,
            _("The vote opens after the review of proposals ends (%(day)s).")
            % {"day": day_text(review.ends_on)},
        )
    if ends_on < starts_on:
        raise DomainError(
            ErrorCode.PHASE_DATES_INVALID,
            _("%(phase)s ends before it starts.")
            % {"phase": CyclePhase.RESIDENTS_VOTE.label},
        )
    if ends_on >= drafting.ends_on:
        raise DomainError(
            ErrorCode.VOTE_PHASE_LEAVES_NO_DRAFTING,
            _(
                "The vote ends before the drafting does (%(day)s), so that there are "
                "days left to draft the budget."
            )
            % {"day": day_text(drafting.ends_on)},
        )
    vote, _created = Phase.objects.update_or_create(
        cycle=cycle,
        kind=CyclePhase.RESIDENTS_VOTE,
        defaults={"starts_on": starts_on, "ends_on": ends_on},
    )
    drafting.starts_on = ends_on + datetime.timedelta(days=1)
    drafting.save(update_fields=["starts_on"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.PHASE_SET,
        target=cycle,
        unit=cycle.unit,
        details={
            "phase": CyclePhase.RESIDENTS_VOTE,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    cycle_announce(cycle=cycle, actor=actor)
    return vote


@transaction.atomic
def vote_phase_remove(*, cycle: BudgetCycle, actor: User) -> None:
    """Hold no residents' vote after all, while it has not begun: the drafting starts
    again the day after the review ends."""
    phases = locks.phases_lock(cycle)
    held = phases.get(CyclePhase.RESIDENTS_VOTE)
    if held is None:
        return
    _vote_phase_check(cycle, phases)
    held.delete()
    drafting = phases[CyclePhase.DRAFTING]
    drafting.starts_on = phases[CyclePhase.REVIEW].ends_on + datetime.timedelta(days=1)
    drafting.save(update_fields=["starts_on"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.PHASE_REMOVED,
        target=cycle,
        unit=cycle.unit,
        details={"phase": CyclePhase.RESIDENTS_VOTE},
    )
    cycle_announce(cycle=cycle, actor=actor)


def announce(signal, **kwargs) -> None:
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
    now = timezone.now()
    with transaction.atomic():
        queryset = locks.cycles_lock(BudgetCycle.objects.all())
        if cycles is None:
            queryset = queryset.exclude(announced_phase=CyclePhase.CLOSED)
        else:
            queryset = queryset.filter(pk__in=[cycle.pk for cycle in cycles])
        states = selectors.cycles_with_state(
            queryset.select_related("unit"), on=timezone.localdate()
        )
        moved, overdue, changed = _mark_changes(states, now)
        if not changed:
            return []
        _announcements_save(changed)
        _record_changes(moved, overdue, actor=actor, now=now)
        if moved:
            changes = [
                signals.PhaseChange(cycle, old, state.phase)
                for cycle, old, state in moved
            ]
            transaction.on_commit(
                lambda: announce(
                    signals.cycle_phase_changed, sender=BudgetCycle, changes=changes
                )
            )
    return [cycle for cycle, _old, _state in moved]


def _mark_changes(states, now) -> tuple[list, list, list[BudgetCycle]]:
    """Each cycle whose phase moved since it was announced (with the phase it left), each
    newly overdue, and every cycle so marked, with its announcement fields set."""
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
    return moved, overdue, changed


def _announcements_save(changed: list[BudgetCycle]) -> None:
    """One UPDATE for each set of values the changed cycles share (the phase they
    entered, when, and the overdue told): a few on the national day, however many the
    cycles. bulk_update's CASE of a branch per cycle took 3 s to build for 2,363."""
    fields = ("announced_phase", "announced_at", "overdue_notified_phase")
    groups: dict[tuple, list[int]] = defaultdict(list)
    for cycle in changed:
        groups[tuple(getattr(cycle, field) for field in fields)].append(cycle.pk)
    for values, keys in groups.items():
        rows_update(BudgetCycle, keys, **dict(zip(fields, values, strict=True)))


def _record_changes(moved, overdue, *, actor: User | None, now) -> None:
    """Each change of phase and each overdue as an audit event, and their notices."""
    audit_events_record(
        [
            Act(
                actor=actor,
                verb=AuditVerb.CYCLE_PHASE_CHANGED,
                target=cycle,
                unit=cycle.unit,
                details={
                    "from": old,
                    "to": state.phase,
                    "since": state.since.isoformat() if state.since else None,
                },
            )
            for cycle, old, state in moved
        ]
        + [
            Act(
                verb=AuditVerb.CYCLE_OVERDUE,
                target=cycle,
                unit=cycle.unit,
                details={"phase": state.phase},
            )
            for cycle, state in overdue
        ],
        at=now,
    )
    _notify_phase_changes(moved=moved, overdue=overdue)


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
    return follow(CycleFollower, cycle=cycle, user=user)


def cycle_unfollow(*, cycle: BudgetCycle, user: User) -> bool:
    return unfollow(CycleFollower, cycle=cycle, user=user)
