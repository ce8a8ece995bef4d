"""The maslikhat's section of the transparency dashboard (portal.dashboard): the sessions
on a unit's drafts of a year with their counts, or, over several units, the sessions by
result and the votes cast in the closed ones. Counted by `VotingSession.objects
.with_counts()`, as everywhere else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from maslikhat.models import SessionOutcome, VotingSession
from portal import dashboard
from portal.dashboard import AreaFigures
from portal.models import AdministrativeUnit


@dataclass
class VoteFigures:
    """The maslikhat's sessions on a unit's drafts (one unit), or their count by result
    and the ballots of the closed ones (an area)."""

    sessions: list[VotingSession] = field(default_factory=list)
    held: int = 0
    passed: int = 0
    rejected: int = 0
    no_quorum: int = 0
    open: int = 0
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


def _sessions(unit_ids: Sequence[int], fiscal_year: int):
    return VotingSession.objects.filter(
        draft__cycle__unit_id__in=unit_ids, draft__cycle__fiscal_year=fiscal_year
    )


def unit_votes(*, unit: AdministrativeUnit, fiscal_year: int) -> VoteFigures:
    """The sessions on the unit's drafts of the year, oldest first, each with the number
    of deputies present and of each vote: one query, whatever the number of deputies."""
    sessions = list(
        _sessions([unit.pk], fiscal_year)
        .with_counts()
        .select_related("draft")
        .order_by("opens_at", "pk")
    )
    figures = VoteFigures(sessions=sessions)
    for session in sessions:
        _tally(figures, session.outcome, session.is_closed)
        if session.is_closed:
            figures.votes_for += session.votes_for
            figures.votes_against += session.votes_against
            figures.votes_abstain += session.votes_abstain
    return figures


def _tally(figures: VoteFigures, outcome: str, is_closed: bool) -> None:
    figures.held += 1
    if not is_closed:
        figures.open += 1
    elif outcome == SessionOutcome.PASSED:
        figures.passed += 1
    elif outcome == SessionOutcome.REJECTED:
        figures.rejected += 1
    elif outcome == SessionOutcome.NO_QUORUM:
        figures.no_quorum += 1


def area_votes(*, units: Sequence[AdministrativeUnit], fiscal_year: int) -> AreaFigures:
    """The sessions on the units' drafts counted by result, and the ballots cast in the
    closed ones: two queries whatever the number of units and sessions."""
    unit_ids = [unit.pk for unit in units]
    closed = Q(closed_at__isnull=False)
    figures = VoteFigures(
        **_sessions(unit_ids, fiscal_year).aggregate(
            held=Count("pk"),
            open=Count("pk", filter=Q(closed_at__isnull=True)),
            passed=Count("pk", filter=closed & Q(outcome=SessionOutcome.PASSED)),
            rejected=Count("pk", filter=closed & Q(outcome=SessionOutcome.REJECTED)),
            no_quorum=Count("pk", filter=closed & Q(outcome=SessionOutcome.NO_QUORUM)),
        )
    )
    ballots = (
        _sessions(unit_ids, fiscal_year)
        .filter(closed)
        .with_counts()
        .aggregate(
            total_for=Sum("votes_for"),
            total_against=Sum("votes_against"),
            total_abstain=Sum("votes_abstain"),
        )
    )
    figures.votes_for = ballots["total_for"] or 0
    figures.votes_against = ballots["total_against"] or 0
    figures.votes_abstain = ballots["total_abstain"] or 0
    return AreaFigures(total=figures)


dashboard.register(
    dashboard.Section(
        key="votes",
        position=30,
        template="maslikhat/dashboard/votes.html",
        area_template="maslikhat/dashboard/votes_area.html",
        unit_figures=unit_votes,
        area_figures=area_votes,
    )
)
