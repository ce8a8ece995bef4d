"""Participation on the transparency dashboard: the gatherings held in the year a budget
was prepared (attendance, quorum) and the residents confirmed by channel, for a unit and
summed and compared for its district; small counts of people hidden; no person named;
a fixed number of queries; the page in Kazakh, Russian and English."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import ResidencyStatus
from community import dashboard
from community.models import Gathering, MeetingSitting
from portal.dashboard import Suppressed, area_figures
from tests.accounts.factories import ResidencyFactory, UserFactory

YEAR = 2027
FEWER, HIDDEN = Suppressed(5), Suppressed(5, is_small=False)


def _gathering(unit, staff, held_on, *, eligible, present, status="held", quorum=10):
    return Gathering.objects.create(
        unit=unit,
        subject="The budget's priorities",
        held_on=held_on,
        starts_at=datetime.time(18),
        venue="The club",
        convener="akim",
        status=status,
        eligible=eligible if status == "held" else None,
        present=present if status == "held" else None,
        quorum_percent=quorum,
        created_by=staff,
    )


def _residents(unit, place, channel: str, count: int, **names):
    for _index in range(count):
        ResidencyFactory(
            place=place,
            budget_unit=unit,
            channel=channel,
            user=UserFactory(with_iin=True, **names),
        )


@pytest.fixture
def world(territory, staff):
    """The rural district: three gatherings held in 2026 (one without its quorum), one
    in 2025 and one announced, not held; 23 confirmed residents (12 in person, 8 by the
    register, 3 by SMS) and two waiting. The other rural district: one gathering of
    three present, and four residents confirmed in person."""
    unit, other = territory["rural_district"], territory["other_rural_district"]
    # 40 of 200 (quorum 20), 5 of 100 (quorum 10: not reached), 30 of 60
    _gathering(unit, staff, datetime.date(2026, 3, 1), eligible=200, present=40)
    _gathering(unit, staff, datetime.date(2026, 6, 1), eligible=100, present=5)
    _gathering(unit, staff, datetime.date(2026, 9, 1), eligible=60, present=30)
    _gathering(unit, staff, datetime.date(2025, 9, 1), eligible=70, present=35)
    _gathering(
        unit,
        staff,
        datetime.date(2026, 12, 1),
        eligible=0,
        present=0,
        status="announced",
    )
    _gathering(other, staff, datetime.date(2026, 5, 5), eligible=20, present=3)
    village = territory["village"]
    _residents(unit, village, "in_person", 12, first_name="Айгүл", last_name="Сәрсен")
    _residents(unit, village, "register", 8)
    _residents(unit, village, "sms", 3)
    for _index in range(2):
        ResidencyFactory(
            place=village, budget_unit=unit, status=ResidencyStatus.PENDING
        )
    _residents(other, other, "in_person", 4)
    # The meeting: 4 of 7 (quorum 50: reached), 2 of 7 (not), one in 2025, one called.
    _sitting(unit, staff, datetime.date(2026, 11, 5), total=7, present=4)
    _sitting(unit, staff, datetime.date(2026, 11, 20), total=7, present=2)
    _sitting(unit, staff, datetime.date(2025, 11, 20), total=7, present=7)
    _sitting(unit, staff, datetime.date(2026, 12, 20), status="called")
    return territory


def _sitting(unit, staff, held_on, *, total=None, present=None, status="held"):
    return MeetingSitting.objects.create(
        unit=unit,
        held_on=held_on,
        starts_at=datetime.time(17),
        venue="Akimat",
        status=status,
        members_total=total,
        members_present=present,
        created_by=staff,
    )


def test_the_meetings_sittings_are_counted_and_never_hidden(world):
    sittings = dashboard.unit_participation(
        unit=world["rural_district"], fiscal_year=YEAR
    ).sittings
    other = dashboard.unit_participation(
        unit=world["other_rural_district"], fiscal_year=YEAR
    ).sittings

    assert (sittings.held, sittings.quorate, sittings.present, sittings.in_office) == (
        2,
        1,
        6,
        14,
    )
    assert sittings.attendance == Decimal("42.9")
    assert (other.held, other.attendance) == (0, None)


def test_the_units_gatherings_and_confirmed_residents(world):
    figures = dashboard.unit_participation(
        unit=world["rural_district"], fiscal_year=YEAR
    )
    assert figures.year == 2026
    gatherings = figures.gatherings
    assert (gatherings.held, gatherings.quorate, gatherings.not_quorate) == (3, 2, 1)
    assert (gatherings.present, gatherings.eligible) == (75, 360)
    assert gatherings.attendance == Decimal("20.8")
    assert figures.verified == 23
    # Three by SMS are fewer than five; hidden alone, they would be the total less the
    # others, so the smallest other count is hidden too
    assert [(row.label, row.residents) for row in figures.by_channel] == [
        ("in person at the akimat", 12),
        ("household register", HIDDEN),
        ("SMS code", FEWER),
    ]


def test_small_counts_of_people_at_gatherings_are_hidden(world):
    figures = dashboard.unit_participation(
        unit=world["other_rural_district"], fiscal_year=YEAR
    )
    gatherings = figures.gatherings
    assert (gatherings.held, gatherings.quorate) == (1, 1)
    assert (gatherings.present, gatherings.eligible) == (FEWER, HIDDEN)
    assert gatherings.attendance == HIDDEN
    # Four residents, all in one cell: hidden, and nothing else to hide
    assert [row.residents for row in figures.by_channel] == [FEWER, 0, 0]


def test_the_smallest_cell_is_a_setting(world, settings):
    settings.QATYSU_DASHBOARD_SMALLEST_CELL = 3
    figures = dashboard.unit_participation(
        unit=world["other_rural_district"], fiscal_year=YEAR
    )
    assert (figures.gatherings.present, figures.gatherings.eligible) == (3, 20)
    assert figures.gatherings.attendance == Decimal("15.0")
    assert [row.residents for row in figures.by_channel] == [4, 0, 0]


def test_the_district_sums_and_compares_its_units(world):
    figures = dashboard.area_participation(
        units=[world["rural_district"], world["other_rural_district"]],
        fiscal_year=YEAR,
    )
    total = figures.total
    assert (total.gatherings.held, total.gatherings.quorate) == (4, 3)
    assert (total.gatherings.present, total.gatherings.eligible) == (78, 380)
    assert total.gatherings.attendance == Decimal("20.5")
    assert total.verified == 27
    assert [row.residents for row in total.by_channel] == [16, HIDDEN, FEWER]
    assert figures.by_unit == {
        world["rural_district"].pk: {
            "gatherings_held": 3,
            "gathering_attendance": Decimal("20.8"),
        },
        # three present of twenty: too few people to give a share of
        world["other_rural_district"].pk: {
            "gatherings_held": 1,
            "gathering_attendance": None,
        },
    }


@pytest.mark.parametrize("extra_units", [0, 6])
def test_the_figures_cost_the_same_queries_whatever_the_units(
    world, staff, extra_units, django_assert_max_num_queries
):
    from tests.portal.factories import UnitFactory

    units = [world["rural_district"], world["other_rural_district"]]
    for index in range(extra_units):
        unit = UnitFactory(
            kato_code=f"1156{50 + index}000",
            level="rural_district",
            parent=world["district"],
        )
        _gathering(unit, staff, datetime.date(2026, 4, 4), eligible=50, present=25)
        _residents(unit, unit, "register", 6)
        units.append(unit)
    with django_assert_max_num_queries(3):
        area = dashboard.area_participation(units=units, fiscal_year=YEAR)
    with django_assert_max_num_queries(3):
        dashboard.unit_participation(unit=world["rural_district"], fiscal_year=YEAR)
    assert area.total.gatherings.held == 4 + extra_units


def test_the_comparison_sorts_by_attendance(world):
    figures = area_figures(area=world["district"], fiscal_year=YEAR)
    values = figures["values"]
    assert values[world["rural_district"].pk]["gatherings_held"] == 3
    assert values[world["rural_district"].pk]["gathering_attendance"] == Decimal("20.8")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_dashboards_show_participation_in_every_language(client, world, language):
    with translation.override(language):
        pages = {
            unit: client.get(
                reverse("portal:dashboard", args=[world[unit].kato_code, YEAR])
            )
            for unit in ("rural_district", "district")
        }
    for unit, response in pages.items():
        assert response.status_code == 200, unit
        body = response.content.decode()
        assert 'id="dashboard-community"' in body
        assert 'id="dashboard-verification"' in body
        assert 'data-testid="small-cells"' in body
        # No person is named: not the residents' names, nor any account's e-mail
        assert "Айгүл" not in body and "Сәрсен" not in body
        assert "@" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    unit_page = pages["rural_district"].content.decode()
    assert 'data-testid="gatherings-held">3<' in unit_page
    assert 'data-testid="gatherings-quorate">2<' in unit_page
    assert 'data-testid="gatherings-eligible">360<' in unit_page
    assert 'data-testid="gatherings-present">75<' in unit_page
    area_page = pages["district"].content.decode()
    assert 'data-testid="gatherings-held">4<' in area_page
    if language == "en":
        assert "fewer than 5" in unit_page
        assert "Gatherings held" in area_page  # the comparison's column


def test_no_gathering_is_said_so(client, territory, staff):
    response = client.get(
        reverse("portal:dashboard", args=[territory["rural_district"].kato_code, YEAR])
    )
    assert 'data-testid="empty-gatherings"' in response.content.decode()
