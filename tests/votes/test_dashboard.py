"""The residents' vote on the transparency dashboard: its turnout by channel, place and
age band on the unit's page, and each unit's ballots and turnout in the comparison of its
district, in a fixed number of queries."""

import pytest
import time_machine
from django.urls import reverse

from portal.dashboard import Suppressed
from tests.accounts.factories import make_iin
from tests.budgets.conftest import at
from tests.votes.conftest import (
    CLOSED,
    OPEN,
    cast,
    make_voter,
    papers_issue,
    projects_by_title,
)
from votes import dashboard, services


@pytest.fixture
def voted(open_vote, territory, staff):
    """Five voters of Akkol (two aged 20), two of the rural district itself, and one
    more eligible who did not vote; a paper ballot of someone not on the portal."""
    for born in ("060101", "060202"):
        cast(
            open_vote,
            make_voter(territory, born=born, century_sex=5),
            "A well in Akkol",
        )
    for _index in range(3):
        cast(open_vote, make_voter(territory), "A well in Akkol")
    for _index in range(2):
        cast(
            open_vote,
            make_voter(territory, place=territory["rural_district"]),
            "A well in Akkol",
        )
    make_voter(territory, born="500101")
    too_young = make_voter(territory, born="100101", century_sex=5)
    assert too_young
    (paper,) = papers_issue(open_vote, staff)
    with time_machine.travel(OPEN, tick=False):
        services.ballot_enter_paper(
            vote=open_vote,
            actor=staff,
            iin=make_iin(4242, born="450303"),
            choices={projects_by_title(open_vote)["A well in Akkol"].pk: 1},
            residency_seen=True,
            paper_number=paper,
        )
    return open_vote


def test_the_unit_turnout_by_channel_place_and_age(voted, territory, settings):
    # Every count shown (the smallest cell one person), to read each figure exactly
    settings.QATYSU_DASHBOARD_SMALLEST_CELL = 1
    figures = dashboard.unit_turnout(unit=territory["rural_district"], fiscal_year=2027)
    # 8 ballots; eligible: the 7 voters on the portal, the one who did not vote (the
    # authors of the proposals are voters too: four more), and the paper voter
    assert (figures.ballots, figures.online, figures.paper) == (8, 7, 1)
    assert figures.eligible == 7 + 1 + 4 + 1
    places = {row.label: (row.ballots, row.eligible) for row in figures.by_place}
    assert places == {
        "Ақкөл": (5, 10),
        "Ортақ ауылдық округі": (2, 2),
        "Residency shown on a document (paper)": (1, 1),
    }
    ages = {row.label: (row.ballots, row.eligible) for row in figures.by_age}
    assert ages == {
        "18 to 29": (2, 2),
        "30 to 44": (5, 9),
        "45 to 59": (0, 0),
        "60 and over": (1, 2),
    }
    assert str(figures.turnout) == "61.5"


def test_small_counts_of_people_are_hidden(voted, territory):
    # Given the dashboard's smallest cell of five people (the default)
    figures = dashboard.unit_turnout(unit=territory["rural_district"], fiscal_year=2027)

    # Then the totals stand; a place or age band of fewer than five is hidden, and so is
    # one more of its column while the hidden ones would be given away by the total (one
    # alone, or adding up to fewer than five: here 3 of the 8 ballots)
    assert (figures.ballots, figures.eligible) == (8, 13)
    fewer, hidden = Suppressed(5), Suppressed(5, is_small=False)
    places = {
        row.label: (row.ballots, row.eligible, row.turnout) for row in figures.by_place
    }
    assert places == {
        "Ақкөл": (hidden, hidden, hidden),
        "Ортақ ауылдық округі": (fewer, fewer, hidden),
        "Residency shown on a document (paper)": (fewer, fewer, hidden),
    }
    ages = {row.label: (row.ballots, row.eligible) for row in figures.by_age}
    assert ages == {
        "18 to 29": (fewer, fewer),
        "30 to 44": (hidden, hidden),
        "45 to 59": (0, 0),
        "60 and over": (fewer, fewer),
    }


def test_the_page_writes_a_hidden_count_as_fewer_than_five(client, voted, territory):
    unit_page, _area_page = dashboards_after_the_close(client, territory)
    assert unit_page.count(">fewer than 5<") == 8
    assert 'data-testid="small-cells"' in unit_page
    assert "A count of fewer than 5 people" in unit_page


def dashboards_after_the_close(client, territory) -> tuple[str, str]:
    """The 2027 dashboards of the rural district and of its district, after the close."""
    with time_machine.travel(CLOSED, tick=False):
        return tuple(
            client.get(
                reverse("portal:dashboard", args=[territory[unit].kato_code, 2027])
            ).content.decode()
            for unit in ("rural_district", "district")
        )


def test_the_dashboard_pages_show_the_turnout(client, voted, territory):
    unit_page, area_page = dashboards_after_the_close(client, territory)
    assert (
        "Turnout 61.5%: 8 ballots cast (7 online, 1 on paper); eligible residents: 13."
        in unit_page
    )
    assert 'id="dashboard-vote-places"' in unit_page
    assert (
        "1 unit held a residents&#x27; vote" in area_page
        or "1 unit held a residents' vote" in area_page
    )


def test_the_comparison_costs_the_same_queries_whatever_the_votes(
    voted, territory, django_assert_num_queries
):
    units = [territory["rural_district"], territory["other_rural_district"]]
    with django_assert_num_queries(4):
        figures = dashboard.area_turnout(units=units, fiscal_year=2027)
    assert figures.by_unit[territory["rural_district"].pk]["vote_ballots"] == 8
    assert figures.by_unit[territory["other_rural_district"].pk] == {
        "vote_ballots": None,
        "vote_turnout": None,
    }


def test_a_unit_without_a_vote_says_so(client, territory, cycle):
    with time_machine.travel(at(2026, 7, 1), tick=False):
        page = client.get(
            reverse(
                "portal:dashboard", args=[territory["rural_district"].kato_code, 2027]
            )
        ).content.decode()
    assert 'data-testid="empty-vote"' in page


def test_one_ballot_is_said_in_the_singular(client, open_vote, territory):
    # Given a vote in which one resident voted
    cast(open_vote, make_voter(territory), "A well in Akkol")

    # When the unit's and the district's dashboards are read after the close
    unit_page, area_page = dashboards_after_the_close(client, territory)

    # Then the ballot is one ballot, not "1 ballots"
    assert (
        "Turnout 20.0%: 1 ballot cast (1 online, 0 on paper); eligible residents: 5."
        in unit_page
    )
    assert "1 ballot was cast; eligible residents: 5; turnout 20.0%." in area_page
    assert "1 ballots" not in unit_page + area_page
