"""Reads of the residents' vote: a vote with its days and status, the ballot as it stands
(before the opening, what the freeze will put on it), a voter's own ballot, the ballots as
a pabulib election for the count and the open data, the results and the turnout.

Not found: `vote_get` raises Http404 (a page's vote); `vote_of_cycle` returns None (a
cycle without a vote)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Residency, ResidencyStatus
from budgets.models import BudgetCycle, CyclePhase, Phase
from proposals.models import Proposal, ProposalStatus
from votes.counting.pabulib import Election, Project
from votes.lifecycle import VoteTimes, vote_times
from votes.models import (
    Ballot,
    BallotChoice,
    BallotKind,
    BallotPaper,
    Channel,
    Vote,
    VoteProject,
)


def with_days(votes: QuerySet[Vote]) -> QuerySet[Vote]:
    """The votes with their days (`starts_on`, `ends_on`) in the same query: the
    cycle's vote phase joined (one a cycle: `phase_one_per_kind`), which PostgreSQL
    plans and Django compiles faster than a subquery a day (a ballot's page reads it)."""
    return votes.annotate(
        vote_phase=FilteredRelation(
            "cycle__phases",
            condition=Q(cycle__phases__kind=CyclePhase.RESIDENTS_VOTE),
        ),
        starts_on=F("vote_phase__starts_on"),
        ends_on=F("vote_phase__ends_on"),
    )


def vote_get(*, kato_code: str, fiscal_year: int) -> Vote:
    """The vote of a cycle with its days, its cycle and unit; 404 when there is none."""
    return get_object_or_404(
        with_days(Vote.objects.select_related("cycle__unit__parent")),
        cycle__unit__kato_code=kato_code,
        cycle__fiscal_year=fiscal_year,
    )


def vote_of_cycle(cycle: BudgetCycle) -> Vote | None:
    return with_days(Vote.objects.filter(cycle=cycle)).first()


def times(vote: Vote) -> VoteTimes:
    """When the vote opens and closes: from its days when read with them, else one query."""
    if getattr(vote, "starts_on", None) is None:
        phase = Phase.objects.get(
            cycle_id=vote.cycle_id, kind=CyclePhase.RESIDENTS_VOTE
        )
        vote.starts_on, vote.ends_on = phase.starts_on, phase.ends_on
    return vote_times(vote.starts_on, vote.ends_on)


def vote_status(vote: Vote, *, now: datetime.datetime | None = None) -> str:
    return times(vote).status(now or timezone.now())


def whole_tenge(amount: Decimal) -> int:
    """A proposal's assessed cost on the ballot: whole tenge, rounded up."""
    return math.ceil(amount)


def ballot_proposals(vote: Vote) -> list[tuple[Proposal, int]]:
    """The cycle's approved proposals with their cost on the ballot (the assessed cost,
    else the author's estimate, in whole tenge rounded up), cheapest first; a proposal
    with neither has no cost to be voted on and is left out."""
    proposals = (
        Proposal.objects.filter(
            cycle_id=vote.cycle_id, status=ProposalStatus.APPROVED, is_hidden=False
        )
        .select_related("review", "place")
        .order_by("pk")
    )
    costed = []
    for proposal in proposals:
        review = getattr(proposal, "review", None)
        amount = (
            review.assessed_cost
            if review is not None and review.assessed_cost is not None
            else proposal.cost_estimate
        )
        if amount is not None and amount > 0:
            costed.append((proposal, whole_tenge(amount)))
    return sorted(costed, key=lambda entry: (entry[1], entry[0].pk))


def added_projects(vote: Vote) -> QuerySet[VoteProject]:
    return vote.projects.filter(proposal__isnull=True).order_by("cost", "pk")


def ballot_preview(vote: Vote) -> dict:
    """Before the opening: what the freeze will put on the ballot (approved proposals
    within the cap, and the akimat's projects) and the proposals the cap leaves out."""
    proposals = ballot_proposals(vote)
    cap = vote.cost_cap
    return {
        "proposals": [(p, cost) for p, cost in proposals if cap is None or cost <= cap],
        "over_cap": [
            (p, cost) for p, cost in proposals if cap is not None and cost > cap
        ],
        "added": list(added_projects(vote)),
    }


def ballot_projects(vote: Vote) -> list[VoteProject]:
    """The projects on the frozen ballot, cheapest first (the order ties fall in)."""
    return list(
        vote.projects.select_related("place", "proposal").order_by("cost", "pk")
    )


def ballot_of(*, vote: Vote, user) -> Ballot | None:
    """The user's own ballot in the vote, with its choices; None for none."""
    if not user.is_authenticated or not user.iin_digest:
        return None
    return (
        Ballot.objects.filter(vote=vote, voter_iin_digest=user.iin_digest)
        .prefetch_related("choices__project")
        .first()
    )


def residency_in(*, user, unit) -> Residency | None:
    """The user's verified residency in the unit, None when they have none there."""
    return (
        Residency.objects.verified()
        .filter(user=user, budget_unit=unit)
        .select_related("place")
        .first()
    )


# The hot path of a vote: SQL written once rather than compiled by the ORM per ballot.
RESIDENCY_PLACE = (
    "SELECT place_id FROM accounts_residency WHERE user_id = %s"
    " AND budget_unit_id = %s AND status = %s"
)


def residency_place(*, user, unit) -> int | None:
    """The place (its id) of the user's verified residency in the unit (a person has
    one active residency at most: `residency_one_active_per_user`); None when they
    have none there. One query, no model built: a ballot is cast on the hot path."""
    with connection.cursor() as cursor:
        cursor.execute(
            RESIDENCY_PLACE, [user.pk, unit.pk, ResidencyStatus.VERIFIED.value]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def verified_elsewhere(*, user, unit) -> bool:
    return (
        Residency.objects.verified()
        .filter(user=user)
        .exclude(budget_unit=unit)
        .exists()
    )


def _ballot_rows(vote: Vote) -> Iterator[tuple[int, str, int, int]]:
    """Each choice as (ballot, receipt, project, points), ballot by ballot."""
    return (
        BallotChoice.objects.filter(ballot__vote=vote)
        .order_by("ballot_id", "project__cost", "project_id")
        .values_list("ballot_id", "ballot__receipt", "project_id", "points")
        .iterator(chunk_size=5000)
    )


def election(vote: Vote, projects: list[VoteProject] | None = None) -> Election:
    """The vote as a pabulib election: its projects cheapest first (the order ties fall
    in), each ballot the projects it marks (by position) with their points, and the
    receipts as the voters' ids; META with the frozen rules."""
    projects = ballot_projects(vote) if projects is None else projects
    position = {project.pk: index for index, project in enumerate(projects)}
    ballots: list[tuple[int, ...]] = []
    points: list[tuple[int, ...]] = []
    voters: list[str] = []
    current = None
    marks: list[int] = []
    weights: list[int] = []
    for ballot_id, receipt, project_id, weight in _ballot_rows(vote):
        if ballot_id != current:
            if current is not None:
                ballots.append(tuple(marks))
                points.append(tuple(weights))
            current, marks, weights = ballot_id, [], []
            voters.append(receipt)
        marks.append(position[project_id])
        weights.append(weight)
    if current is not None:
        ballots.append(tuple(marks))
        points.append(tuple(weights))
    cumulative = vote.ballot_kind == BallotKind.CUMULATIVE
    return Election(
        budget=Fraction(vote.amount),
        vote_type=vote.ballot_kind,
        projects=tuple(
            Project(id=str(project.pk), cost=Fraction(project.cost), name=project.title)
            for project in projects
        ),
        ballots=tuple(ballots),
        points=tuple(points) if cumulative else None,
        meta=meta(vote, ballots=len(ballots)),
        voter_ids=tuple(voters),
    )


def threshold(vote: Vote, *, ballots: int) -> int | None:
    """The least votes a project needs under greedy with a threshold: as set, or the
    share of voters set, rounded up."""
    if vote.threshold_votes is not None:
        return vote.threshold_votes
    if vote.threshold_percent is not None:
        return -(-int(vote.threshold_percent * 100) * ballots // 10000)
    return None


def meta(vote: Vote, *, ballots: int) -> dict[str, str]:
    """The META of the vote's pabulib file (the section's keys as pabulib names them)."""
    cycle = vote.cycle
    opening = times(vote).opens_at
    values = {
        "description": f"Residents' vote, {cycle.unit.name_ru}, "
        f"budget {cycle.fiscal_year}",
        "country": "Kazakhstan",
        "unit": cycle.unit.name_ru,
        "subunit": cycle.unit.kato_code,
        "instance": str(cycle.fiscal_year),
        "currency": "KZT",
        "rule": vote.rule,
        "date_begin": timezone.localtime(opening).strftime("%d.%m.%Y"),
        "date_end": vote.ends_on.strftime("%d.%m.%Y"),
        "language": "kk",
        "edition": "1",
    }
    if vote.ballot_kind == BallotKind.APPROVAL:
        values["min_length"] = str(vote.min_choices)
        values["max_length"] = str(vote.max_choices)
    elif vote.ballot_kind == BallotKind.CUMULATIVE:
        values["max_sum_points"] = str(vote.points_total)
        values["max_points"] = str(vote.points_max)
    minimum = threshold(vote, ballots=ballots)
    if minimum is not None:
        values["min_project_score_threshold"] = str(minimum)
    return values


# Results.


@dataclass
class ProjectResult:
    project: VoteProject
    rank: int
    # Under a greedy rule: the money spent once this project is decided, and whether it
    # is the first project the money did not reach (the line on the results page).
    spent: int | None = None
    left: int | None = None
    money_ran_out: bool = False
    below_threshold: bool = False

    @property
    def price_tenge(self) -> Decimal | None:
        """The most a supporter paid, in tenge to the tiyn (the exact price is kept)."""
        if not self.project.price:
            return None
        price = Fraction(self.project.price)
        return (Decimal(price.numerator) / Decimal(price.denominator)).quantize(
            Decimal("0.01")
        )


@dataclass
class Results:
    vote: Vote
    ranked: list[ProjectResult]
    ballots: int
    online: int
    paper: int
    spent: int
    is_greedy: bool
    greedy_choice: list[VoteProject] = field(default_factory=list)

    @property
    def selected(self) -> list[ProjectResult]:
        return [row for row in self.ranked if row.project.outcome == "selected"]

    @property
    def winners_by_round(self) -> list[ProjectResult]:
        return sorted(self.selected, key=lambda row: row.project.round or 0)

    @property
    def greedy_differs(self) -> bool:
        return {p.pk for p in self.greedy_choice} != {
            row.project.pk for row in self.selected
        }

    @property
    def share_tenge(self) -> Decimal | None:
        if not self.vote.share:
            return None
        share = Fraction(self.vote.share)
        return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(
            Decimal("0.01")
        )


GREEDY_RULES = frozenset({"greedy", "greedy-no-skip", "greedy-threshold"})


def ballot_counts(vote: Vote) -> dict[str, int]:
    """The ballots cast, by channel: one query."""
    counts = dict(
        Ballot.objects.filter(vote=vote)
        .values("channel")
        .annotate(count=Count("pk"))
        .values_list("channel", "count")
    )
    return {"online": counts.get("online", 0), "paper": counts.get("paper", 0)}


def results(vote: Vote) -> Results:
    """A counted vote's result: every project ranked by votes (ties in the ballot's
    order), the line where the money ran out under greedy, the winners by round under
    equal shares, and what greedy would have chosen. Two queries."""
    projects = ballot_projects(vote)
    order = {project.pk: index for index, project in enumerate(projects)}
    ranked_projects = sorted(projects, key=lambda p: (-(p.votes or 0), order[p.pk]))
    counts = ballot_counts(vote)
    is_greedy = vote.rule in GREEDY_RULES
    rows, spent, ran_out = [], 0, False
    for rank, project in enumerate(ranked_projects, start=1):
        row = ProjectResult(project=project, rank=rank)
        below = (
            vote.threshold_applied is not None
            and (project.votes or 0) < vote.threshold_applied
        )
        if project.outcome == "selected":
            spent += project.cost
        if is_greedy:
            row.below_threshold = below
            row.spent = spent
            row.left = vote.amount - spent
            if project.outcome != "selected" and not below and not ran_out:
                row.money_ran_out = ran_out = True
        rows.append(row)
    return Results(
        vote=vote,
        ranked=rows,
        ballots=counts["online"] + counts["paper"],
        online=counts["online"],
        paper=counts["paper"],
        spent=spent,
        is_greedy=is_greedy,
        greedy_choice=[p for p in ranked_projects if p.greedy_selected],
    )


def added_project_get(*, vote: Vote, pk: int) -> VoteProject:
    """A project the akimat added to the vote's ballot; 404 for any other."""
    return get_object_or_404(VoteProject, vote=vote, pk=pk, proposal__isnull=True)


# The API.


def vote_api_list() -> QuerySet[Vote]:
    return with_days(Vote.objects.select_related("cycle__unit")).order_by(
        "-cycle__fiscal_year", "cycle__unit__kato_code"
    )


def anonymised_ballots(vote: Vote) -> QuerySet[Ballot]:
    """A counted vote's ballots by receipt, each with its choices in the ballot's order
    (cheapest first): no voter, age, place or channel."""
    return (
        Ballot.objects.filter(vote=vote)
        .select_related("vote")
        .only("receipt", "vote__ballot_kind")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=BallotChoice.objects.order_by("project__cost", "project_id"),
            )
        )
        .order_by("receipt")
    )


@dataclass(frozen=True)
class PaperRange:
    """Ballot papers issued at once: their numbers from `first` to `last`."""

    first: int
    last: int
    count: int
    issued_at: datetime.datetime


def paper_ranges(vote: Vote) -> list[PaperRange]:
    """The vote's ballot papers as they were issued (by whom and when: one batch),
    lowest numbers first: one query."""
    return [
        PaperRange(first=first, last=last, count=count, issued_at=issued_at)
        for issued_at, _clerk, first, last, count in BallotPaper.objects.filter(
            vote=vote
        )
        .values_list("issued_at", "issued_by")
        .annotate(first=Min("number"), last=Max("number"), count=Count("pk"))
        .order_by("first")
    ]


def papers_issued(vote: Vote, *, first: int, last: int) -> bool:
    """Whether every paper from `first` to `last` was issued for the vote: one query."""
    return (
        BallotPaper.objects.filter(
            vote=vote, number__gte=first, number__lte=last
        ).count()
        == last - first + 1
    )


@dataclass(frozen=True)
class PaperCounts:
    """The vote's ballot papers set against its paper ballots, for the protocol."""

    issued: int
    entered: int
    # Paper ballots entered before the papers' numbers were recorded.
    unnumbered: int

    @property
    def not_entered(self) -> int:
        """Papers issued and never entered: unused, spoiled or not handed in."""
        return self.issued - self.entered


def paper_counts(vote: Vote) -> PaperCounts:
    """Two queries."""
    entered = Ballot.objects.filter(vote=vote, channel=Channel.PAPER).aggregate(
        numbered=Count("pk", filter=Q(paper__isnull=False)),
        unnumbered=Count("pk", filter=Q(paper__isnull=True)),
    )
    return PaperCounts(
        issued=BallotPaper.objects.filter(vote=vote).count(),
        entered=entered["numbered"],
        unnumbered=entered["unnumbered"],
    )


PAPER_ENTRIES_SHOWN = 50


def paper_entries(vote: Vote) -> list[Ballot]:
    """The latest paper ballots entered in the vote, for its staff: the paper's number,
    the receipt, who entered it and when (never the voter). One query."""
    return list(
        Ballot.objects.filter(vote=vote, channel=Channel.PAPER)
        .select_related("paper", "entered_by")
        .only(
            "receipt",
            "cast_at",
            "predates_paper_numbers",
            "paper__number",
            "entered_by__first_name",
            "entered_by__last_name",
            "entered_by__email",
        )
        .order_by("-cast_at", "-pk")[:PAPER_ENTRIES_SHOWN]
    )
