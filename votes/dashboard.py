"""The residents' vote on the transparency dashboard: the turnout of a unit's vote, by
channel, by place of the unit and by age band, and each unit's ballots and turnout in the
comparisons of a district or a region (portal.dashboard's registry). A place's or an age
band's count of fewer people than QATYSU_DASHBOARD_SMALLEST_CELL is not shown.

Who is counted as eligible: the residents of the unit whose residency the akimat has
confirmed and whose date of birth makes them old enough on the vote's last day, and the
people who voted on paper showing a document of residence (not confirmed on the portal).
The turnout is the ballots over them. A resident registered on the portal whose date of
birth is not known (an account older than the vote) is not counted as eligible until they
give it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.iin import age_on, born_by
from accounts.models import Residency
from portal import dashboard
from portal.dashboard import COUNT, PERCENT, AreaFigures, Column
from portal.models import AdministrativeUnit
from votes import selectors
from votes.models import Ballot, Vote

# The lower bounds of the age bands, above the vote's minimum age.
BAND_STARTS = (30, 45, 60)


def bands(min_age: int) -> list[tuple[int, int | None]]:
    """The age bands from the vote's minimum age: (from, to included; None: and over)."""
    starts = [min_age, *(start for start in BAND_STARTS if start > min_age)]
    return [
        (start, (starts[index + 1] - 1) if index + 1 < len(starts) else None)
        for index, start in enumerate(starts)
    ]


def _band_of(age: int, ranges) -> tuple[int, int | None]:
    for start, end in ranges:
        if age >= start and (end is None or age <= end):
            return (start, end)
    return ranges[0]


@dataclass
class Row:
    label: str
    ballots: int = 0
    eligible: int = 0

    @property
    def turnout(self) -> Decimal | dashboard.Suppressed | None:
        hidden = [
            value
            for value in (self.ballots, self.eligible)
            if isinstance(value, dashboard.Suppressed)
        ]
        if hidden:
            # A share of a handful of people would tell what they did.
            return dashboard.Suppressed(hidden[0].smallest, is_small=False)
        return _percent(self.ballots, self.eligible)


def _suppressed(rows: list[Row]) -> list[Row]:
    """The rows with every count of fewer people than the dashboard shows hidden, by
    column (portal.dashboard.suppress)."""
    for column in ("ballots", "eligible"):
        values = dashboard.suppress([getattr(row, column) for row in rows])
        for row, value in zip(rows, values, strict=True):
            setattr(row, column, value)
    return rows


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Turnout:
    vote: Vote | None = None
    ballots: int = 0
    online: int = 0
    paper: int = 0
    eligible: int = 0
    by_place: list[Row] = field(default_factory=list)
    by_age: list[Row] = field(default_factory=list)
    units_with_a_vote: int = 0

    @property
    def has_vote(self) -> bool:
        return self.vote is not None or self.units_with_a_vote > 0

    @property
    def turnout(self) -> Decimal | None:
        return _percent(self.ballots, self.eligible)


def unit_turnout(*, unit: AdministrativeUnit, fiscal_year: int) -> Turnout:
    """The turnout of the unit's vote of the year: three queries (none more without a
    vote)."""
    vote = (
        selectors.with_days(Vote.objects.select_related("cycle__unit"))
        .filter(cycle__unit=unit, cycle__fiscal_year=fiscal_year)
        .first()
    )
    if vote is None:
        return Turnout()
    ranges = bands(vote.min_age)
    oldest_birth = born_by(vote.ends_on, vote.min_age)
    places: dict[int | None, Row] = {}
    ages = {band: Row(_band_label(band)) for band in ranges}
    turnout = Turnout(vote=vote)
    for place_id, place_kk, place_ru, channel, age, count in (
        Ballot.objects.filter(vote=vote)
        .values_list(
            "voter_place_id",
            "voter_place__name_kk",
            "voter_place__name_ru",
            "channel",
            "voter_age",
        )
        .annotate(count=Count("pk"))
        .order_by()
    ):
        turnout.ballots += count
        setattr(turnout, channel, getattr(turnout, channel) + count)
        row = places.setdefault(place_id, Row(_place_label(place_kk, place_ru)))
        row.ballots += count
        band = ages[_band_of(age, ranges)]
        band.ballots += count
        if place_id is None:
            # Paper ballots of people not confirmed on the portal: eligible by document.
            row.eligible += count
            band.eligible += count
    eligible = (
        Residency.objects.verified()
        .filter(budget_unit=unit, user__birth_date__lte=oldest_birth)
        .values_list("place_id", "place__name_kk", "place__name_ru", "user__birth_date")
    )
    births: Counter = Counter()
    for place_id, place_kk, place_ru, born in eligible:
        places.setdefault(place_id, Row(_place_label(place_kk, place_ru))).eligible += 1
        births[born] += 1
    for born, count in births.items():
        age = age_on(born, vote.ends_on)
        ages[_band_of(age, ranges)].eligible += count
    turnout.eligible = sum(row.eligible for row in places.values())
    turnout.by_place = _suppressed(
        sorted(places.values(), key=lambda row: (row.label == NOT_CONFIRMED, row.label))
    )
    turnout.by_age = _suppressed(list(ages.values()))
    return turnout


NOT_CONFIRMED = _("Residency shown on a document (paper)")


def _place_label(kk, ru) -> str:
    if kk is None:
        return NOT_CONFIRMED
    return ru if get_language() == "ru" else kk


def _band_label(band: tuple[int, int | None]) -> str:
    start, end = band
    if end is None:
        return _("%(start)s and over") % {"start": start}
    return _("%(start)s to %(end)s") % {"start": start, "end": end}


COLUMNS = (
    Column("vote_ballots", _("Ballots in the residents' vote"), COUNT),
    Column("vote_turnout", _("Turnout of the residents' vote"), PERCENT),
)


def area_turnout(
    *, units: Sequence[AdministrativeUnit], fiscal_year: int
) -> AreaFigures:
    """Each unit's ballots and turnout, and their sums: three queries whatever the
    number of units."""
    unit_ids = [unit.pk for unit in units]
    votes = {
        vote.cycle.unit_id: vote
        for vote in selectors.with_days(
            Vote.objects.filter(
                cycle__unit_id__in=unit_ids, cycle__fiscal_year=fiscal_year
            ).select_related("cycle")
        )
    }
    ballots = dict(
        Ballot.objects.filter(vote__in=list(votes.values()))
        .values_list("vote__cycle__unit_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    unconfirmed = dict(
        Ballot.objects.filter(vote__in=list(votes.values()), voter_place__isnull=True)
        .values_list("vote__cycle__unit_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    eligible_condition = Q()
    for unit_id, vote in votes.items():
        eligible_condition |= Q(
            budget_unit_id=unit_id,
            user__birth_date__lte=born_by(vote.ends_on, vote.min_age),
        )
    eligible = (
        dict(
            Residency.objects.verified()
            .filter(eligible_condition)
            .values_list("budget_unit_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        if votes
        else {}
    )
    total = Turnout(units_with_a_vote=len(votes))
    values = {}
    for unit in units:
        if unit.pk not in votes:
            values[unit.pk] = {"vote_ballots": None, "vote_turnout": None}
            continue
        cast = ballots.get(unit.pk, 0)
        of = eligible.get(unit.pk, 0) + unconfirmed.get(unit.pk, 0)
        total.ballots += cast
        total.eligible += of
        values[unit.pk] = {"vote_ballots": cast, "vote_turnout": _percent(cast, of)}
    return AreaFigures(total=total, by_unit=values)


dashboard.register(
    dashboard.Section(
        key="residents_vote",
        position=25,
        template="votes/dashboard/turnout.html",
        area_template="votes/dashboard/turnout_area.html",
        unit_figures=unit_turnout,
        area_figures=area_turnout,
        columns=COLUMNS,
    )
)
