"""The two state machines of budgets: the cycle's phase and the draft's status.

A cycle's phase is derived from its phase dates and the acts recorded on its drafts, never
read from a flag, so that a deadline holds even when the clock job is late: the job and the
services only announce what `cycle_state` already says.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from budgets.models import (
    DATED_PHASES,
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
            f"draft_{current}_to_{target}",
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
    proposals, review = phases[CyclePhase.PROPOSALS_OPEN], phases[CyclePhase.REVIEW]
    if on < proposals.starts_on:
        return CycleState(CyclePhase.PLANNED, False, None)
    if on <= proposals.ends_on:
        return CycleState(CyclePhase.PROPOSALS_OPEN, False, proposals.starts_on)
    if on <= review.ends_on:
        return CycleState(CyclePhase.REVIEW, False, _after(proposals.ends_on))

    def act_ended(phase: str, since: datetime.date | None) -> CycleState:
        return CycleState(phase, on > phases[phase].ends_on, since)

    if decisive_status == DraftStatus.APPROVED:
        execution = phases[CyclePhase.EXECUTION]
        if on < execution.starts_on:
            return CycleState(CyclePhase.ADOPTED, False, None)
        if on <= execution.ends_on:
            return CycleState(CyclePhase.EXECUTION, False, execution.starts_on)
        return CycleState(CyclePhase.CLOSED, False, _after(execution.ends_on))
    if decisive_status == DraftStatus.UNDER_VOTE:
        return act_ended(CyclePhase.MASLIKHAT_VOTE, None)
    if decisive_status == DraftStatus.COORDINATED:
        return act_ended(CyclePhase.COORDINATION, None)
    if decisive_status == DraftStatus.PUBLISHED:
        discussion = phases[CyclePhase.PUBLIC_DISCUSSION]
        if on <= discussion.ends_on:
            return CycleState(CyclePhase.PUBLIC_DISCUSSION, False, None)
        return act_ended(CyclePhase.COORDINATION, _after(discussion.ends_on))
    # No draft yet, one in preparation only, or the last one returned.
    return act_ended(
        CyclePhase.DRAFTING, _after(review.ends_on) if decisive_status is None else None
    )


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


def phase_dates_error(
    dates: Mapping[str, tuple[datetime.date, datetime.date]],
) -> str | None:
    """Why a set of phase dates is not a valid timeline, or None."""
    previous_end = None
    for phase in DATED_PHASES:
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
