"""Changes of a budget cycle: opening it with its phase dates, extending a phase, and
announcing what the clock and the acts decided (each change of phase and each overdue,
recorded once with its audit event, notices and signal); following a cycle."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleMembership, User
from budgets import lifecycle, locks, signals
from budgets.models import (
    CITIZEN_PHASES,
    DATED_PHASES,
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
                lambda cycle=cycle, old=old, new=state.phase: announce(
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
