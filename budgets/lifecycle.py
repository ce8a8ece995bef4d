"""The two state machines of budgets: the cycle's phase and the draft's status.

A cycle's phase is derived from its phase dates and the acts recorded on its drafts, never
read from a flag, so that a deadline holds even when the clock job is late: the job and the
services only announce what `cycle_state` already says.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from budgets.codes import DraftTransition
from budgets.models import (
    DATED_PHASES,
    OPTIONAL_PHASES,
    TIMELINE_PHASES,
    CyclePhase,
    DraftStatus,
    Phase,
    PhaseCalendar,
)
from portal.errors import DomainError

# The draft's lifecycle, written down once.
DRAFT_TRANSITIONS: dict[str, frozenset[str]] = {
    DraftStatus.PREPARING: frozenset({DraftStatus.PUBLISHED}),
    DraftStatus.PUBLISHED: frozenset({DraftStatus.COORDINATED, DraftStatus.RETURNED}),
    DraftStatus.COORDINATED: frozenset({DraftStatus.UNDER_VOTE}),
    DraftStatus.UNDER_VOTE: frozenset({DraftStatus.APPROVED, DraftStatus.RETURNED}),
    DraftStatus.APPROVED: frozenset(),
    DraftStatus.RETURNED: frozenset(),
}


def draft_transition_check(current: str, target: str) -> None:
    if target not in DRAFT_TRANSITIONS[current]:
        raise DomainError(
            DraftTransition(f"draft_{current}_to_{target}"),
            _("A draft that is %(current)s cannot become %(target)s.")
            % {
                "current": DraftStatus(current).label,
                "target": DraftStatus(target).label,
            },
        )


@dataclass(frozen=True)
class CycleState:
    phase: str
    is_overdue: bool
    # The day from which the phase holds (the boundary the clock crossed), when dated.
    since: datetime.date | None

    @property
    def label(self) -> str:
        return CyclePhase(self.phase).label


def _after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=1)


# A cycle's phase, declared once: the first rule that holds on a day gives the phase. A
# rule asks for the status of the latest version that is not being prepared (`status`;
# NO_DRAFT when there is none) and compares the day with a phase's date (`before`: the day
# is before it; `until`: the day is not after it). `since` is the day from which the phase
# holds, when the clock decided it (a date, or the day after one; `since_else` when a
# cycle does not hold the phase `since` names); a phase that an act ends is overdue once
# its own end has passed. A phase a cycle does not hold (the residents' vote) has no
# dates: a rule that compares the day with them does not hold, as NULL in SQL. `cycle_state` reads the rules in Python for one
# cycle, `phase_case` turns them into SQL for filtering many: they cannot drift.

ANY = "*"
NO_DRAFT = None


@dataclass(frozen=True)
class Day:
    """One date of a cycle's phases: the start or the end of a phase."""

    kind: str
    field: str  # "starts_on" or "ends_on"

    @property
    def alias(self) -> str:
        return f"{self.kind}_{self.field}"


def _starts(kind: str) -> Day:
    return Day(kind, "starts_on")


def _ends(kind: str) -> Day:
    return Day(kind, "ends_on")


@dataclass(frozen=True)
class PhaseRule:
    phase: str
    status: str | None = ANY
    before: Day | None = None
    until: Day | None = None
    since: Day | None = None
    since_day_after: bool = False
    since_else: Day | None = None

    def holds(self, days: Mapping[str, datetime.date | None], status, on) -> bool:
        before = days[self.before.alias] if self.before else None
        until = days[self.until.alias] if self.until else None
        return (
            (self.status == ANY or self.status == status)
            and (self.before is None or (before is not None and on < before))
            and (self.until is None or (until is not None and on <= until))
        )

    def since_on(
        self, days: Mapping[str, datetime.date | None]
    ) -> datetime.date | None:
        if self.since is None:
            return None
        day = days[self.since.alias]
        if day is None and self.since_else is not None:
            day = days[self.since_else.alias]
        return day + datetime.timedelta(days=1) if self.since_day_after else day


P = CyclePhase
PHASE_RULES: tuple[PhaseRule, ...] = (
    PhaseRule(P.PLANNED, before=_starts(P.PROPOSALS_OPEN)),
    PhaseRule(
        P.PROPOSALS_OPEN,
        until=_ends(P.PROPOSALS_OPEN),
        since=_starts(P.PROPOSALS_OPEN),
    ),
    PhaseRule(
        P.REVIEW,
        until=_ends(P.REVIEW),
        since=_ends(P.PROPOSALS_OPEN),
        since_day_after=True,
    ),
    # Where the akimat holds a residents' vote: from the review's end (the vote being
    # prepared, then open) until the vote's last day.
    PhaseRule(
        P.RESIDENTS_VOTE,
        status=NO_DRAFT,
        until=_ends(P.RESIDENTS_VOTE),
        since=_ends(P.REVIEW),
        since_day_after=True,
    ),
    PhaseRule(P.ADOPTED, status=DraftStatus.APPROVED, before=_starts(P.EXECUTION)),
    PhaseRule(
        P.EXECUTION,
        status=DraftStatus.APPROVED,
        until=_ends(P.EXECUTION),
        since=_starts(P.EXECUTION),
    ),
    PhaseRule(
        P.CLOSED,
        status=DraftStatus.APPROVED,
        since=_ends(P.EXECUTION),
        since_day_after=True,
    ),
    PhaseRule(P.MASLIKHAT_VOTE, status=DraftStatus.UNDER_VOTE),
    PhaseRule(P.COORDINATION, status=DraftStatus.COORDINATED),
    PhaseRule(
        P.PUBLIC_DISCUSSION,
        status=DraftStatus.PUBLISHED,
        until=_ends(P.PUBLIC_DISCUSSION),
    ),
    PhaseRule(
        P.COORDINATION,
        status=DraftStatus.PUBLISHED,
        since=_ends(P.PUBLIC_DISCUSSION),
        since_day_after=True,
    ),
    # No draft yet: drafting since the residents' vote ended, or the review where there
    # was none. One in preparation only, or the last one returned: drafting again, since
    # the act, not a date.
    PhaseRule(
        P.DRAFTING,
        status=NO_DRAFT,
        since=_ends(P.RESIDENTS_VOTE),
        since_else=_ends(P.REVIEW),
        since_day_after=True,
    ),
    PhaseRule(P.DRAFTING),
)
# The phases in which the akimat writes a version of the draft.
DRAFTING_PHASES = frozenset({P.DRAFTING, P.PUBLIC_DISCUSSION, P.COORDINATION})
# The phases an act ends rather than a date: overdue once their own end has passed.
ACT_ENDED_RULES = frozenset({P.DRAFTING, P.COORDINATION, P.MASLIKHAT_VOTE})
# Every date the rules read.
STATE_DAYS: tuple[Day, ...] = tuple(
    dict.fromkeys(
        [
            day
            for rule in PHASE_RULES
            for day in (rule.before, rule.until, rule.since, rule.since_else)
            if day is not None
        ]
        + [_ends(phase) for phase in sorted(ACT_ENDED_RULES)]
    )
)


def state_from_days(
    *, days: Mapping[str, datetime.date], decisive_status: str | None, on: datetime.date
) -> CycleState:
    """The phase on a day from the dates the rules read (by `Day.alias`) and the status
    of the latest version not being prepared."""
    for rule in PHASE_RULES:
        if rule.holds(days, decisive_status, on):
            is_overdue = (
                rule.phase in ACT_ENDED_RULES and on > days[_ends(rule.phase).alias]
            )
            return CycleState(rule.phase, is_overdue, rule.since_on(days))
    raise AssertionError("the last rule always holds")  # pragma: no cover


def cycle_state(
    *,
    phases: Mapping[str, Phase],
    decisive_status: str | None,
    on: datetime.date,
) -> CycleState:
    """The phase of a cycle on a day, from its phase dates and its drafts' acts.

    `decisive_status` is the status of the latest draft version that is not being
    prepared (None when there is none): a version in preparation changes nothing public.
    """
    return state_from_days(
        days={
            day.alias: getattr(phases[day.kind], day.field)
            if day.kind in phases
            else None
            for day in STATE_DAYS
        },
        decisive_status=decisive_status,
        on=on,
    )


def phase_case(on: datetime.date) -> Case:
    """The same rules as `cycle_state`, as a SQL CASE over the aliases of STATE_DAYS and
    `decisive_status` (budgets.selectors.with_state_days adds them)."""

    def condition(rule: PhaseRule) -> Q:
        condition = Q()
        if rule.status is NO_DRAFT:
            condition &= Q(decisive_status__isnull=True)
        elif rule.status != ANY:
            condition &= Q(decisive_status=rule.status)
        if rule.before is not None:
            condition &= Q(**{f"{rule.before.alias}__gt": on})
        if rule.until is not None:
            condition &= Q(**{f"{rule.until.alias}__gte": on})
        return condition

    *ruled, last = PHASE_RULES
    return Case(
        *(When(condition(rule), then=Value(rule.phase)) for rule in ruled),
        default=Value(last.phase),
        output_field=CharField(),
    )


def is_superseded(*, status: str, has_later_public_version: bool) -> bool:
    """A published version that a later public version replaced: the public reads it as
    replaced, not as published."""
    return status == DraftStatus.PUBLISHED and has_later_public_version


def decisive_status(statuses_newest_first: Iterable[str]) -> str | None:
    for status in statuses_newest_first:
        if status != DraftStatus.PREPARING:
            return status
    return None


def _month_day(year: int, month_day: str) -> datetime.date:
    month, day = (int(part) for part in month_day.split("-"))
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def default_phase_dates(
    *, fiscal_year: int, calendar_row: PhaseCalendar
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The dates of each dated phase from a region's calendar: the year before the fiscal
    year for preparation, the fiscal year itself for execution."""
    year = fiscal_year - 1
    ends = [
        calendar_row.proposals_open_end,
        calendar_row.review_end,
        calendar_row.drafting_end,
        calendar_row.public_discussion_end,
        calendar_row.coordination_end,
        calendar_row.maslikhat_vote_end,
    ]
    dates: dict[str, tuple[datetime.date, datetime.date]] = {}
    start = _month_day(year, calendar_row.proposals_open_start)
    for phase, end in zip(DATED_PHASES[:-1], ends, strict=True):
        dates[phase] = (start, _month_day(year, end))
        start = _after(dates[phase][1])
    dates[CyclePhase.EXECUTION] = (
        datetime.date(fiscal_year, 1, 1),
        datetime.date(fiscal_year, 12, 31),
    )
    return dates


def open_defaults(
    *,
    calendar_row: PhaseCalendar,
    years_with_cycle: Collection[int],
    today: datetime.date,
) -> tuple[int, dict[str, tuple[datetime.date, datetime.date]]]:
    """The fiscal year a unit opens next and its phases' dates by the calendar: the first
    year after this one without a cycle whose proposals phase has not ended, since
    residents must still have time to propose; every phase starts after today, the
    proposals phase tomorrow at the earliest."""
    tomorrow = today + datetime.timedelta(days=1)
    fiscal_year = today.year + 1
    while True:
        if fiscal_year not in years_with_cycle:
            dates = default_phase_dates(
                fiscal_year=fiscal_year, calendar_row=calendar_row
            )
            starts_on, ends_on = dates[CyclePhase.PROPOSALS_OPEN]
            if ends_on >= tomorrow:
                dates[CyclePhase.PROPOSALS_OPEN] = (max(starts_on, tomorrow), ends_on)
                return fiscal_year, dates
        fiscal_year += 1


def phase_dates_error(
    dates: Mapping[str, tuple[datetime.date, datetime.date]],
) -> str | None:
    """Why a set of phase dates is not a valid timeline, or None. Every dated phase has
    its dates; an optional one (the residents' vote) only where the cycle holds it."""
    previous_end = None
    for phase in TIMELINE_PHASES:
        if phase in OPTIONAL_PHASES and phase not in dates:
            continue
        starts_on, ends_on = dates[phase]
        if ends_on < starts_on:
            return _("%(phase)s ends before it starts.") % {
                "phase": CyclePhase(phase).label
            }
        if previous_end is not None and starts_on <= previous_end:
            return _("%(phase)s starts before the phase before it ends.") % {
                "phase": CyclePhase(phase).label
            }
        previous_end = ends_on
    return None
