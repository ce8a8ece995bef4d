"""Participation on the transparency dashboard (portal.dashboard's registry): the
residents' gatherings of a unit held in the year its budget was prepared (how many, the
attendance as a share of the residents of age the register listed, how many reached
their quorum), and its residents whose residency the akimat has confirmed, by the
channel that confirmed it; the sittings of its community meeting in that year (how many,
how many had their quorum, the members present as a share of those in office); for a
district or a region, the same summed and each unit's gatherings and attendance in the
comparison.

Never a person: the figures are counts, and a count of fewer people than
QATYSU_DASHBOARD_SMALLEST_CELL is hidden (portal.dashboard.suppress). The counts of a
gathering's eligible and present are its own, frozen when its minutes were published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import Residency, VerificationChannel
from community.lifecycle import is_quorate
from community.models import Gathering, GatheringStatus, MeetingSitting, SittingStatus
from portal import dashboard
from portal.dashboard import COUNT, PERCENT, AreaFigures, Column
from portal.models import AdministrativeUnit


def _percent(part, whole) -> Decimal | dashboard.Suppressed | None:
    if not dashboard.is_shown(part) or not dashboard.is_shown(whole):
        return next(
            (
                dashboard.Suppressed(value.smallest, is_small=False)
                for value in (part, whole)
                if isinstance(value, dashboard.Suppressed)
            ),
            None,
        )
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Gatherings:
    """The gatherings held in a year: how many, with what attendance and quorum."""

    held: int = 0
    quorate: int = 0
    # Counts of people, summed over the gatherings (a resident at two is counted twice).
    present: int | dashboard.Suppressed = 0
    eligible: int | dashboard.Suppressed = 0

    @property
    def not_quorate(self) -> int:
        return self.held - self.quorate

    @property
    def attendance(self):
        return _percent(self.present, self.eligible)


@dataclass
class Sittings:
    """The community meeting's sittings held in a year. Its members are public by name,
    so their counts are never hidden."""

    held: int = 0
    quorate: int = 0
    present: int = 0
    in_office: int = 0

    @property
    def attendance(self):
        return _percent(self.present, self.in_office)


def _sitting_rows(unit_ids: Sequence[int], year: int):
    """Each held sitting of the units' meetings in the year, as (unit, members in
    office, present, quorum per cent): one query."""
    return (
        MeetingSitting.objects.filter(
            unit_id__in=unit_ids, status=SittingStatus.HELD, held_on__year=year
        )
        .order_by()
        .values_list(
            "unit_id", "members_total", "members_present", "meeting_quorum_percent"
        )
    )


def _sittings(rows) -> Sittings:
    figures = Sittings()
    for _unit, in_office, present, quorum in rows:
        figures.held += 1
        figures.present += present
        figures.in_office += in_office
        if is_quorate(present, in_office, quorum):
            figures.quorate += 1
    return figures


@dataclass
class ChannelRow:
    # A VerificationChannel, or "" for a residency confirmed before channels were kept.
    channel: str
    residents: int | dashboard.Suppressed

    @property
    def label(self) -> str:
        """In the language of the page (the figures are kept once for every one)."""
        if self.channel:
            return str(VerificationChannel(self.channel).label)
        return str(_("not recorded (confirmed before channels were kept)"))


@dataclass
class Participation:
    # The calendar year whose gatherings are counted: the year before the budget's.
    year: int
    gatherings: Gatherings = field(default_factory=Gatherings)
    sittings: Sittings = field(default_factory=Sittings)
    verified: int = 0
    by_channel: list[ChannelRow] = field(default_factory=list)
    units: int = 0


# The channels in the order the page lists them; "" is a residency confirmed before the
# channel was recorded.
CHANNELS = (*VerificationChannel.values, "")


def _gathering_rows(unit_ids: Sequence[int], year: int):
    """Each held gathering of the units in the year, as (unit, eligible, present,
    quorum per cent): one query."""
    return (
        Gathering.objects.filter(
            unit_id__in=unit_ids,
            status=GatheringStatus.HELD,
            held_on__year=year,
        )
        .order_by()
        .values_list("unit_id", "eligible", "present", "quorum_percent")
    )


def _gatherings(rows) -> Gatherings:
    figures = Gatherings()
    present = eligible = 0
    for _unit, of_age, came, quorum in rows:
        figures.held += 1
        present += came
        eligible += of_age
        if is_quorate(came, of_age, quorum):
            figures.quorate += 1
    figures.present, figures.eligible = dashboard.suppress([present, eligible])
    return figures


def _verified(unit_ids: Sequence[int]):
    """(unit, channel, residents) of the confirmed residencies: one query."""
    return (
        Residency.objects.verified()
        .filter(budget_unit_id__in=unit_ids)
        .order_by()
        .values_list("budget_unit_id", "channel")
        .annotate(residents=Count("pk"))
    )


def _channels(counts: dict[str, int]) -> list[ChannelRow]:
    shown = [channel for channel in CHANNELS if channel or counts.get(channel)]
    values = dashboard.suppress([counts.get(channel, 0) for channel in shown])
    return [
        ChannelRow(channel, value) for channel, value in zip(shown, values, strict=True)
    ]


def unit_participation(*, unit: AdministrativeUnit, fiscal_year: int) -> Participation:
    """Three queries."""
    figures = Participation(year=fiscal_year - 1, units=1)
    figures.gatherings = _gatherings(_gathering_rows([unit.pk], fiscal_year - 1))
    figures.sittings = _sittings(_sitting_rows([unit.pk], fiscal_year - 1))
    counts = {channel: residents for _unit, channel, residents in _verified([unit.pk])}
    figures.verified = sum(counts.values())
    figures.by_channel = _channels(counts)
    return figures


COLUMNS = (
    Column("gatherings_held", _("Gatherings held"), COUNT),
    Column("gathering_attendance", _("Attendance at gatherings"), PERCENT),
)


def area_participation(
    *, units: Sequence[AdministrativeUnit], fiscal_year: int
) -> AreaFigures:
    """The units' gatherings and confirmed residents summed, and each unit's gatherings
    held and attendance: three queries whatever the number of units. A unit's attendance
    over fewer people than the dashboard shows is hidden."""
    unit_ids = [unit.pk for unit in units]
    rows = list(_gathering_rows(unit_ids, fiscal_year - 1))
    by_unit: dict[int, list] = {}
    for row in rows:
        by_unit.setdefault(row[0], []).append(row)
    figures = Participation(year=fiscal_year - 1, units=len(units))
    figures.gatherings = _gatherings(rows)
    figures.sittings = _sittings(_sitting_rows(unit_ids, fiscal_year - 1))
    counts: dict[str, int] = {}
    for _unit, channel, residents in _verified(unit_ids):
        counts[channel] = counts.get(channel, 0) + residents
    figures.verified = sum(counts.values())
    figures.by_channel = _channels(counts)
    values = {}
    for unit_id in unit_ids:
        held = _gatherings(by_unit.get(unit_id, []))
        values[unit_id] = {
            "gatherings_held": held.held,
            "gathering_attendance": held.attendance
            if dashboard.is_shown(held.attendance)
            else None,
        }
    return AreaFigures(total=figures, by_unit=values)


dashboard.register(
    dashboard.Section(
        key="community",
        position=22,
        template="community/dashboard/participation.html",
        area_template="community/dashboard/participation_area.html",
        unit_figures=unit_participation,
        area_figures=area_participation,
        columns=COLUMNS,
    )
)
