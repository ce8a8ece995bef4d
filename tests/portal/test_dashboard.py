"""The transparency dashboard's pages: a unit's budget of a year (execution, proposals,
votes), a district's and a region's units summed and compared (sorted by a column, paged),
the charts drawn on the server with their tables, empty states, bad addresses; and the
queries the pages cost at two sizes.

The figures themselves are tested on known data sets in tests/budgets/test_dashboard.py
(plan against actual) and tests/proposals/test_funnel.py (the funnel, the reviews); here
the pages show those figures, in the charts and in the tables alike.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from maslikhat.models import (
    Ballot,
    BallotChoice,
    SessionMember,
    SessionOutcome,
    VotingSession,
)
from portal import charts, dashboard
from portal.models import Level
from proposals.models import Assessment, Proposal, ProposalStatus, Review
from tests.accounts.factories import UserFactory
from tests.budgets import conftest as budgets_fixtures
from tests.budgets.conftest import at
from tests.budgets.factories import ClassificationFactory, budget_written
from tests.budgets.test_execution import execute_known
from tests.portal.factories import UnitFactory
from tests.proposals.factories import supports_bulk_create

# The budgets fixtures these build on: the 2027 cycle, its akim, its adopted budget.
akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle
adopted = budgets_fixtures.adopted

S = ProposalStatus
READ_ON = at(2027, 7, 20)
NBSP = "\u00a0"


def on(moment=READ_ON):
    return time_machine.travel(moment, tick=False)


def url(unit, year=2027, **query) -> str:
    address = reverse(
        "portal:dashboard", kwargs={"kato_code": unit.kato_code, "fiscal_year": year}
    )
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def money(amount: str) -> str:
    return amount.replace(" ", NBSP)


# Data written straight to the database, for pages at any size.

STATUSES = (
    S.UNDER_REVIEW,
    S.RECOMMENDED,
    S.APPROVED,
    S.IMPLEMENTED,
    S.WITHDRAWN,
)


def proposals_written(cycle, *, count: int, supporters, hidden_every: int = 5) -> list:
    """`count` public proposals of the cycle in turn under review, recommended, approved,
    implemented and withdrawn (every `hidden_every`th hidden), the first supported by
    every supporter, and a review of each but the withdrawn, a third of them late; and a
    draft, which is never counted."""
    function = ClassificationFactory(code="E701")
    since = at(2026, 3, 2)

    def proposal(index, status, submitted_at):
        return Proposal(
            cycle=cycle,
            unit=cycle.unit,
            place=cycle.unit,
            function=function,
            title=f"Proposal {index}",
            description="Lamps",
            status=status,
            author_iin_digest="digest",
            author_name="Resident",
            created_at=since,
            submitted_at=submitted_at,
            is_hidden=index % hidden_every == hidden_every - 1,
            hidden_reason="Abuse" if index % hidden_every == hidden_every - 1 else "",
        )

    made = Proposal.objects.bulk_create(
        [
            proposal(index, STATUSES[index % len(STATUSES)], since)
            for index in range(count)
        ]
        + [proposal(count, S.DRAFT, None)]
    )
    made = list(
        Proposal.objects.filter(cycle=cycle, submitted_at__isnull=False).order_by("pk")
    )
    supports_bulk_create((made[0], u) for u in supporters)
    deadline = datetime.date(2026, 5, 22)
    Review.objects.bulk_create(
        Review(
            proposal=p,
            started_on=datetime.date(2026, 5, 1),
            deadline=deadline,
            assessment="" if p.status == S.UNDER_REVIEW else Assessment.RECOMMENDED,
            completed_at=None
            if p.status == S.UNDER_REVIEW
            else at(2026, 5, 25 if index % 3 == 0 else 20),
        )
        for index, p in enumerate(made)
        if p.status != S.WITHDRAWN
    )
    return made


def session_written(draft, deputies, *, votes) -> VotingSession:
    """A closed session on `draft`: every deputy present, `votes` the choices in order."""
    session = VotingSession.objects.create(
        draft=draft,
        district=draft.cycle.unit.parent,
        opens_at=at(2026, 12, 1),
        closes_at=at(2026, 12, 4),
        closed_at=at(2026, 12, 3),
        outcome=SessionOutcome.PASSED,
        total_deputies=len(deputies) + 1,
        quorum_numerator=2,
        quorum_denominator=3,
        majority_numerator=1,
        majority_denominator=2,
        opened_by=deputies[0],
    )
    SessionMember.objects.bulk_create(
        SessionMember(session=session, deputy=deputy, is_present=True)
        for deputy in deputies
    )
    Ballot.objects.bulk_create(
        Ballot(session=session, deputy=deputy, choice=choice)
        for deputy, choice in zip(deputies, votes, strict=False)
    )
    return session


# The registry


def test_the_apps_register_their_sections_in_order():
    assert [(s.key, s.position) for s in dashboard.registered()] == [
        ("execution", 10),
        ("participation", 20),
        ("community", 22),
        ("residents_vote", 25),
        ("votes", 30),
    ]
    assert [c.key for c in dashboard.comparison_columns()] == [
        "population",
        "expenditure_plan",
        "expenditure_actual",
        "expenditure_executed",
        "own_revenue_share",
        "plan_per_resident",
        "proposals_submitted",
        "proposals_approved",
        "proposals_implemented",
        "proposals_per_thousand",
        "gatherings_held",
        "gathering_attendance",
        "vote_ballots",
        "vote_turnout",
    ]


# A unit's page


@pytest.fixture
def unit_page_data(adopted, staff):
    """The rural district's budget executed on the known data set, five proposals, and
    the maslikhat's session that passed it: 3 for, 1 against, 1 abstaining of 6 seats."""
    execute_known(adopted, staff)
    supporters = [UserFactory() for _ in range(2)]
    made = proposals_written(adopted.cycle, count=5, supporters=supporters)
    deputies = [UserFactory(first_name=f"D{n}") for n in range(5)]
    session = session_written(
        adopted,
        deputies,
        votes=[BallotChoice.FOR] * 3 + [BallotChoice.AGAINST, BallotChoice.ABSTAIN],
    )
    return {"proposals": made, "session": session}


def _rows(html: str, table_id: str) -> list[list[str]]:
    """A table's body rows as the text of their cells."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [
            re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", cell)).strip(" \t\r\n")
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _svg(html: str, chart_id: str) -> str:
    return re.search(rf'<svg class="chart" id="{chart_id}".*?</svg>', html, re.S).group(
        0
    )


def _svg_texts(svg: str) -> list[str]:
    return re.findall(r'<text class="chart-value"[^>]*>(.*?)</text>', svg)


def test_a_unit_s_dashboard_shows_execution_proposals_and_votes(
    client, territory, unit_page_data
):
    with on():
        response = client.get(url(territory["rural_district"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Transparency dashboard of Ортақ ауылдық округі for 2027</h1>" in html
    # Plan against actual, as the execution page sums it
    assert f'data-testid="revenue-plan">{money("50 000 000")}<' in html
    assert f'data-testid="expenditure-actual">{money("17 750 000.50")}<' in html
    assert _rows(html, "dashboard-revenue") == [
        [
            "Own revenues (taxes, fees, other)",
            money("3 500 000"),
            "7.0%",
            money("1 110 000.50"),
            "5.0%",
        ],
        [
            "Transfers from the district budget",
            money("46 500 000"),
            "93.0%",
            money("21 000 000"),
            "95.0%",
        ],
    ]
    assert [row[:4] for row in _rows(html, "dashboard-functions")] == [
        [
            "01 General public services",
            money("20 000 000"),
            money("10 000 000"),
            "56.3%",
        ],
        [
            "07 Housing and communal services",
            money("12 000 000"),
            money("4 000 000.50"),
            "22.5%",
        ],
        [
            "08 Culture, sport, tourism and the information space",
            money("10 000 000"),
            money("2 750 000"),
            "15.5%",
        ],
        [
            "12 Transport and communications",
            money("8 000 000"),
            money("1 000 000"),
            "5.6%",
        ],
    ]
    # The funnel: five public proposals (one hidden), the draft not counted
    assert [row[:2] for row in _rows(html, "dashboard-funnel")] == [
        ["Submitted", "5"],
        ["Supported", "1"],
        ["Recommended", "3"],
        ["Approved", "2"],
        ["Included", "1"],
        ["Funded", "1"],
        ["Implemented", "1"],
    ]
    assert _rows(html, "dashboard-reviews") == [
        ["Completed on time", "2"],
        ["Completed after the deadline", "1"],
        ["Open, within the deadline", "0"],
        ["Open, past the deadline", "1"],
    ]
    # No proposal is named on the dashboard, hidden or not
    assert "Proposal 4" not in html and "Proposal 0" not in html
    # The votes, with the roll call
    session = unit_page_data["session"]
    assert _rows(html, "dashboard-sessions") == [
        [
            "Session of 1 December 2026: roll call",
            "version 1",
            "the draft is approved",
            "5 / 6",
            "3",
            "1",
            "1",
        ]
    ]
    assert f'href="/en/votes/{session.pk}/"' in html
    assert 'href="/en/units/115633000/budget/2027/execution/"' in html
    assert 'href="/en/units/115633000/budget/2027/proposals/"' in html
    # Compare with the district's and the region's units
    assert 'href="/en/units/115600000/dashboard/2027/"' in html
    assert 'href="/en/units/110000000/dashboard/2027/"' in html


def test_each_chart_is_an_accessible_svg_with_the_table_s_figures(
    client, territory, unit_page_data
):
    with on():
        html = client.get(url(territory["rural_district"])).content.decode()

    # Three charts, each an image named by its title and description
    assert html.count("<svg ") == 3
    for chart_id in ("chart-revenue", "chart-functions", "chart-funnel"):
        svg = _svg(html, chart_id)
        assert (
            f'role="img" aria-labelledby="{chart_id}-title" '
            f'aria-describedby="{chart_id}-desc"'
        ) in svg
        assert f'<title id="{chart_id}-title">' in svg
        assert f'<desc id="{chart_id}-desc">' in svg
    # The bars carry the table's figures as text
    functions = _svg_texts(_svg(html, "chart-functions"))
    assert functions[:2] == [
        f"plan: {money('20 000 000')}{NBSP}₸",
        f"actual: {money('10 000 000')}{NBSP}₸, 50.0%",
    ]
    assert len(functions) == 2 * len(_rows(html, "dashboard-functions"))
    assert _svg_texts(_svg(html, "chart-revenue")) == [
        f"Own revenues: {money('3 500 000')}{NBSP}₸, 7.0%",
        f"Transfers: {money('46 500 000')}{NBSP}₸, 93.0%",
        f"Own revenues: {money('1 110 000.50')}{NBSP}₸, 5.0%",
        f"Transfers: {money('21 000 000')}{NBSP}₸, 95.0%",
    ]
    assert _svg_texts(_svg(html, "chart-funnel")) == [
        f"{row[1]} proposal" + ("" if row[1] == "1" else "s")
        for row in _rows(html, "dashboard-funnel")
    ]
    assert "1 proposal<" in html
    # Transfers are hatched, own revenues solid: not colour alone
    assert 'fill="url(#chart-revenue-hatch)"' in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_unit_s_dashboard_reads_in_kazakh_and_russian(
    client, territory, unit_page_data, language
):
    with on(), translation.override(language):
        response = client.get(url(territory["rural_district"]))

    assert response.status_code == 200
    html = response.content.decode()
    # Russian writes a decimal comma, in the tables and in the charts alike
    comma = "," if language == "ru" else "."
    assert f"{money('17 750 000')}{comma}50" in html
    assert f"93{comma}0%" in html
    # and the SVG's coordinates keep their dot
    assert re.search(r'<rect class="chart-bar[^"]*" x="\d+(\.\d)?" y="\d+\.\d"', html)


def test_a_unit_without_a_cycle_says_what_is_missing(client, territory):
    with on(at(2026, 8, 1)):
        html = client.get(url(territory["other_rural_district"])).content.decode()

    assert "No budget cycle has been opened for 2027 yet" in html
    assert "No proposal has been submitted for the budget of 2027." in html
    assert "The maslikhat has not voted on a draft budget for 2027 yet." in html
    assert "<svg " not in html


def test_a_unit_whose_budget_is_not_adopted_says_where_it_stands(
    client, territory, cycle
):
    with on(at(2026, 7, 1)):
        html = client.get(url(territory["rural_district"])).content.decode()

    assert (
        "The budget for 2027 is not adopted yet; the cycle is now at: drafting the "
        "budget." in html
    )
    assert f'href="{cycle.get_absolute_url()}"' in html


def test_a_place_without_its_own_budget_points_to_the_budget_it_takes_part_in(
    client, territory
):
    with on():
        html = client.get(url(territory["village"])).content.decode()

    assert 'data-testid="no-own-budget"' in html
    assert "This place is part of a larger unit and takes part in its budget." in html
    assert 'href="/en/units/115633000/dashboard/2027/"' in html


def test_before_2020_a_small_unit_held_no_budget_of_its_own(client, territory):
    with on():
        html = client.get(url(territory["rural_district"], 2019)).content.decode()

    assert "In 2018 and 2019 only units of more than 2,000 people" in html


# A district's and a region's page


@pytest.fixture
def area_data(territory, adopted, staff):
    """Zerendi: the rural district's budget executed (known data set), Sadovy's adopted
    (10,000,000 planned, 2,500,000 spent), Kyzylsaya's cycle not adopted; proposals in
    the first two; and a rural district of a second district of the region."""
    execute_known(adopted, staff)
    budget_written(
        unit=territory["other_rural_district"],
        actor=staff,
        plan={"1 04 1 02": "2000000", "4 02 3 03": "8000000", "124 001": "10000000"},
        entries={"124 001": [(1, "2500000")]},
    )
    budget_written(
        unit=territory["village_administration"],
        actor=staff,
        plan={"124 001": "1"},
        status="published",
    )
    proposals_written(adopted.cycle, count=5, supporters=[UserFactory()])
    sadovy = territory["other_rural_district"].budget_cycles.get(fiscal_year=2027)
    proposals_written(sadovy, count=2, supporters=[])
    second = UnitFactory(
        kato_code="115800000",
        level=Level.DISTRICT,
        name_kk="Бурабай ауданы",
        name_ru="Бурабайский район",
        parent=territory["region"],
    )
    UnitFactory(
        kato_code="115833000",
        level=Level.RURAL_DISTRICT,
        name_kk="Абылай хан ауылдық округі",
        name_ru="Абылайханский сельский округ",
        parent=second,
    )
    return territory


def test_a_district_sums_its_units_and_compares_them(client, area_data):
    with on():
        response = client.get(url(area_data["district"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 units within Зеренді ауданы hold their own budget in 2027" in html
    assert _words(_testid(html, "units-adopted")) == (
        "3 units here hold their own budget. 3 of them have opened their budget "
        "cycle. 2 of them have an adopted budget, whose figures are summed here."
    )
    assert f'data-testid="expenditure-plan">{money("60 000 000")}<' in html
    assert f'data-testid="expenditure-actual">{money("20 250 000.50")}<' in html
    assert [row[:2] for row in _rows(html, "dashboard-funnel")] == [
        ["Submitted", "7"],
        ["Supported", "1"],
        ["Recommended", "4"],
        ["Approved", "2"],
        ["Included", "1"],
        ["Funded", "1"],
        ["Implemented", "1"],
    ]
    # The units by name, each linking to its dashboard; the village is not among them
    assert _rows(html, "comparison-table") == [
        [
            "Ортақ ауылдық округі",
            money("1 800"),
            money("50 000 000") + f"{NBSP}₸",
            money("17 750 000.50") + f"{NBSP}₸",
            "35.5%",
            "7.0%",
            money("27 778") + f"{NBSP}₸",
            "5",
            "2",
            "1",
            "2.8",
            "0",
            "—",
            "—",
            "—",
        ],
        [
            "Садовый ауылдық округі",
            money("3 100"),
            money("10 000 000") + f"{NBSP}₸",
            money("2 500 000") + f"{NBSP}₸",
            "25.0%",
            "20.0%",
            money("3 226") + f"{NBSP}₸",
            "2",
            "0",
            "0",
            "0.6",
            "0",
            "—",
            "—",
            "—",
        ],
        [
            "Қызылсая ауылы",
            money("2 400"),
            "—",
            "—",
            "—",
            "—",
            "—",
            "0",
            "0",
            "0",
            "0.0",
            "0",
            "—",
            "—",
            "—",
        ],
    ]
    for code in ("115633000", "115645000", "115641000"):
        assert f'href="/en/units/{code}/dashboard/2027/"' in html
    assert "115633100" not in html
    # The comparison has its chart, of the first figure unless sorted by another
    svg = _svg(html, "chart-comparison")
    assert 'role="img"' in svg
    assert _svg_texts(svg) == [
        money("50 000 000") + f"{NBSP}₸",
        money("10 000 000") + f"{NBSP}₸",
        "—",
    ]


def _testid(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}">(.*?)</', html, re.S).group(1)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_one_unit_with_an_opened_cycle_and_an_adopted_budget_is_said_in_the_singular(
    client, territory, adopted
):
    # Given three units of the district holding a budget, one with a cycle, adopted
    with on():
        html = client.get(url(territory["district"])).content.decode()

    # Then each number agrees with its own noun and verb (not "1 have opened")
    assert _words(_testid(html, "units-adopted")) == (
        "3 units here hold their own budget. 1 of them has opened its budget cycle. "
        "1 of them has an adopted budget, whose figures are summed here."
    )


def test_a_region_sums_the_units_of_all_its_districts(client, area_data):
    with on():
        html = client.get(url(area_data["region"])).content.decode()

    assert "4 units within Ақмола облысы hold their own budget in 2027" in html
    assert f'data-testid="expenditure-plan">{money("60 000 000")}<' in html
    rows = _rows(html, "comparison-table")
    # Each unit is named with its district
    assert [row[0] for row in rows] == [
        "Абылай хан ауылдық округі (Бурабай ауданы)",
        "Ортақ ауылдық округі (Зеренді ауданы)",
        "Садовый ауылдық округі (Зеренді ауданы)",
        "Қызылсая ауылы (Зеренді ауданы)",
    ]


@pytest.mark.parametrize(
    ("sort", "order", "aria"),
    [
        ("-expenditure_plan", ["115633000", "115645000", "115641000"], "descending"),
        ("expenditure_plan", ["115645000", "115633000", "115641000"], "ascending"),
        (
            "-expenditure_executed",
            ["115633000", "115645000", "115641000"],
            "descending",
        ),
        ("-own_revenue_share", ["115645000", "115633000", "115641000"], "descending"),
        ("-population", ["115645000", "115641000", "115633000"], "descending"),
        ("population", ["115633000", "115641000", "115645000"], "ascending"),
        ("-proposals_submitted", ["115633000", "115645000", "115641000"], "descending"),
        ("-name", ["115641000", "115645000", "115633000"], "descending"),
        ("name", ["115633000", "115645000", "115641000"], "ascending"),
    ],
)
def test_the_comparison_sorts_by_a_column_without_javascript(
    client, area_data, sort, order, aria
):
    with on():
        html = client.get(url(area_data["district"], sort=sort)).content.decode()

    assert re.findall(r'data-kato="(\d+)"', html) == order
    key = sort.removeprefix("-")
    assert re.search(rf'aria-sort="{aria}"><a href="\?sort=-?{key}"', html)
    assert html.count("aria-sort=") == 1


def test_a_figure_sorted_on_shows_its_chart_and_its_header_reverses_it(
    client, area_data
):
    with on():
        html = client.get(
            url(area_data["district"], sort="-expenditure_executed")
        ).content.decode()

    assert "The units compared: Spending executed" in html
    # The year form keeps the sort
    assert '<input type="hidden" name="sort" value="-expenditure_executed">' in html
    assert _svg_texts(_svg(html, "chart-comparison")) == ["35.5%", "25.0%", "—"]
    # Its header sorts it the other way; another figure's, largest first
    assert '<a href="?sort=expenditure_executed">Spending executed' in html
    assert '<a href="?sort=-expenditure_plan">Spending planned' in html
    assert '<a href="?sort=name">Unit' in html


def test_an_unknown_sort_sorts_by_name(client, area_data):
    with on():
        response = client.get(url(area_data["district"], sort="title';drop"))

    assert response.status_code == 200
    assert response.context["dashboard"].sort == "name"


def test_many_units_are_paged_and_the_pages_keep_the_sort(client, territory):
    # Given 52 more rural districts in the district: 55 units, none with a budget yet
    for index in range(52):
        UnitFactory(
            kato_code=f"1156{46 + index:02d}000",
            level=Level.RURAL_DISTRICT,
            name_kk=f"Ауылдық округ {index:02d}",
            name_ru=f"Сельский округ {index:02d}",
            parent=territory["district"],
            population=1000 + index,
            population_year=2021,
        )

    with on():
        first = client.get(url(territory["district"], sort="-population"))
        second = client.get(url(territory["district"], sort="-population", page=2))

    assert len(re.findall(r'data-kato="', first.content.decode())) == 50
    assert len(re.findall(r'data-kato="', second.content.decode())) == 5
    assert 'rel="next" href="?sort=-population&amp;page=2"' in (first.content.decode())
    # Largest first across the pages: Sadovy (3,100) first, the smallest last
    assert re.findall(r'data-kato="(\d+)"', first.content.decode())[0] == "115645000"
    assert re.findall(r'data-kato="(\d+)"', second.content.decode())[-1] == "115646000"


def test_an_area_without_a_unit_holding_a_budget_says_so(client, territory):
    empty = UnitFactory(
        kato_code="115900000",
        level=Level.DISTRICT,
        name_kk="Бос аудан",
        name_ru="Пустой район",
        parent=territory["region"],
    )

    with on():
        html = client.get(url(empty)).content.decode()

    assert "No unit within Бос аудан holds its own budget in 2027" in html
    assert "comparison-table" not in html


def test_an_area_whose_units_have_no_budget_yet_says_what_is_missing(client, territory):
    with on():
        html = client.get(url(territory["district"])).content.decode()

    assert "No budget for 2027 has been adopted here yet." in html
    assert "No proposal has been submitted here for the budgets of 2027." in html
    assert "The maslikhat has not voted on a draft budget for 2027 here yet." in html
    assert len(_rows(html, "comparison-table")) == 3


# The year and bad addresses


def test_the_year_form_leads_to_the_year_s_dashboard(client, territory):
    index = reverse("portal:dashboard_index", kwargs={"kato_code": "115600000"})

    with on():
        chosen = client.get(index, {"year": "2026", "sort": "-population"})
        current = client.get(index)
        badly_sorted = client.get(index, {"year": "2026", "sort": "nonsense"})

    assert chosen.status_code == 302
    assert chosen["Location"] == "/en/units/115600000/dashboard/2026/?sort=-population"
    assert current["Location"] == "/en/units/115600000/dashboard/2027/"
    assert badly_sorted["Location"] == "/en/units/115600000/dashboard/2026/"


@pytest.mark.parametrize("year", ["abc", "2017", "3000", "", "2027.5"])
def test_a_bad_year_in_the_form_is_a_clean_message(client, territory, year):
    index = reverse("portal:dashboard_index", kwargs={"kato_code": "115600000"})

    with on():
        response = client.get(index, {"year": year})

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "There is no dashboard for that year: choose a fiscal year from the list."
        in html
    )
    # The message describes the select it is about
    assert 'id="year-error"' in html
    assert re.search(r'<select[^>]*aria-describedby="year-error"', html)
    assert re.search(r'<select[^>]*aria-invalid="true"', html)


@pytest.mark.parametrize(
    "address",
    [
        "/en/units/999999999/dashboard/2027/",
        "/en/units/999999999/dashboard/",
        "/en/units/115633000/dashboard/2017/",
        # (The year after next is shown, its cycle may be open; the one after is not.)
        "/en/units/115633000/dashboard/2030/",
        "/en/units/115633000/dashboard/99999999999999999999/",
        "/en/units/115633000/dashboard/abc/",
        "/en/units/115633000/dashboard/-1/",
    ],
)
def test_an_unknown_unit_or_year_is_a_404(client, territory, address):
    with on():
        response = client.get(address)

    assert response.status_code == 404


def test_the_pages_link_to_the_dashboard(client, territory, adopted):
    with on():
        unit_page = client.get(territory["rural_district"].get_absolute_url())
        district_page = client.get(territory["district"].get_absolute_url())
        cycle_page = client.get(adopted.cycle.get_absolute_url())
        execution_page = client.get(
            reverse(
                "budgets:execution",
                kwargs={"kato_code": "115633000", "fiscal_year": 2027},
            )
        )

    link = 'href="/en/units/115633000/dashboard/2027/" data-testid="dashboard-link"'
    assert link in unit_page.content.decode()
    assert link in cycle_page.content.decode()
    assert link in execution_page.content.decode()
    assert (
        'href="/en/units/115600000/dashboard/2027/" data-testid="dashboard-link"'
        in district_page.content.decode()
    )


# The queries the pages cost


def populate(units, *, staff, deputies, proposals: int) -> None:
    """Each unit's 2027 budget adopted and executed, `proposals` proposals with their
    supports and reviews, and a closed session with its ballots."""
    supporters = [UserFactory() for _ in range(2)]
    for unit in units:
        draft = budget_written(
            unit=unit,
            actor=staff,
            plan={
                "1 04 1 02": "2000000",
                "4 02 3 03": "8000000",
                "124 001": "6000000",
                "124 008": "4000000",
            },
            entries={
                "1 04 1 02": [(1, "500000")],
                "124 001": [(1, "1000000"), (1, "-100")],
                "124 008": [(1, "300000"), (2, "400000")],
            },
        )
        proposals_written(draft.cycle, count=proposals, supporters=supporters)
        session_written(draft, deputies, votes=[BallotChoice.FOR] * len(deputies))


# The first reading computes the figures and keeps them: the unit and its ancestors;
# the snapshot looked for; the sections' figures (the cycle, its phases and drafts, plan
# and actual, the sessions; the funnel and the reviews), and nothing per unit, line,
# proposal or ballot; whether a residents' vote was held (its turnout costs two more
# where one was: tests/votes/test_dashboard.py); the snapshot written (update_or_create:
# a savepoint, the row locked, written, released); and its time, looked for first; the
# gatherings held, the meeting's sittings and the residents confirmed by channel
# (community.dashboard).
PINNED_UNIT = 21
# The unit and its ancestors, the snapshot looked for, the units of the area; the
# cycles, plan and actual; the funnels and the reviews; the sessions and the ballots;
# the residents' votes; the gatherings, the sittings and the residents confirmed; the
# snapshot written; its time.
PINNED_AREA = 21
# A later reading of another order of the comparison: the unit and its ancestors, the
# snapshot's time, its figures.
PINNED_SNAPSHOT = 3
# The same page again: the unit and its ancestors, the snapshot's time (the page's body
# drawn from it is kept).
PINNED_KEPT = 2


@pytest.mark.parametrize("proposals", [5, 50])
def test_a_unit_s_dashboard_costs_the_same_queries_at_5_and_50_proposals(
    client, territory, staff, django_assert_num_queries, proposals
):
    deputies = [UserFactory() for _ in range(3)]
    populate(
        [territory["rural_district"]],
        staff=staff,
        deputies=deputies,
        proposals=proposals,
    )

    with on(), django_assert_num_queries(PINNED_UNIT):
        computed = client.get(url(territory["rural_district"]))
    with on(), django_assert_num_queries(PINNED_KEPT):
        response = client.get(url(territory["rural_district"]))

    assert computed.status_code == response.status_code == 200
    assert _rows(response.content.decode(), "dashboard-funnel")[0][:2] == [
        "Submitted",
        str(proposals),
    ]
    assert _rows(response.content.decode(), "dashboard-funnel") == _rows(
        computed.content.decode(), "dashboard-funnel"
    )


@pytest.mark.parametrize("size", [2, 10])
def test_an_area_s_dashboard_costs_the_same_queries_at_2_and_10_units(
    client, territory, staff, django_assert_num_queries, size
):
    units = [
        UnitFactory(
            kato_code=f"1156{70 + index:02d}000",
            level=Level.RURAL_DISTRICT,
            parent=territory["district"],
            population=1500,
            population_year=2021,
        )
        for index in range(size)
    ]
    populate(
        units, staff=staff, deputies=[UserFactory() for _ in range(3)], proposals=4
    )

    with on(), django_assert_num_queries(PINNED_AREA):
        client.get(url(territory["district"]))
    with on(), django_assert_num_queries(PINNED_SNAPSHOT):
        response = client.get(url(territory["district"], sort="-expenditure_plan"))

    assert response.status_code == 200
    html = response.content.decode()
    # The three units of the territory without a budget and the new ones with theirs
    assert len(_rows(html, "comparison-table")) == size + 3
    assert f'data-testid="expenditure-plan">{money(f"{10 * size} 000 000")}<' in html
    assert f'data-testid="sessions-held">{size}<' in html


# The charts' geometry


def test_bars_are_scaled_to_the_largest_value_and_unknown_values_draw_none():
    chart = charts.bar_chart(
        chart_id="c",
        title="t",
        description="d",
        groups=[
            charts.GroupInput(
                "a",
                [
                    charts.BarInput(Decimal("50"), "50", "plan"),
                    charts.BarInput(100, "100"),
                ],
            ),
            charts.GroupInput(
                "b", [charts.BarInput(None, "—"), charts.BarInput(0, "0", "count")]
            ),
        ],
    )

    widths = [bar.width for group in chart.groups for bar in group.bars]
    assert widths == [
        f"{charts.BAR_ROOM / 2:.1f}",
        f"{charts.BAR_ROOM:.1f}",
        "0.0",
        "0.0",
    ]
    # Each group: its label line, then its bars one under the other
    first, second = chart.groups
    assert [float(bar.y) for bar in first.bars] == [28.0, 54.0]
    assert float(second.label_y) > float(first.bars[-1].y)
    assert chart.height > float(second.bars[-1].y) + charts.BAR_HEIGHT
    # The text stands right of its bar
    assert float(first.bars[0].text_x) == charts.PADDING + charts.BAR_ROOM / 2 + 6


def test_a_percentage_chart_keeps_100_as_its_scale_and_a_tiny_value_shows():
    chart = charts.bar_chart(
        chart_id="c",
        title="t",
        description="d",
        groups=[charts.GroupInput("a", [charts.BarInput(Decimal("0.01"), "x")])],
        maximum=100,
    )

    assert chart.groups[0].bars[0].width == "2.0"


def test_a_stacked_bar_splits_the_full_width_in_proportion():
    chart = charts.stacked_chart(
        chart_id="s",
        title="t",
        description="d",
        rows=[
            charts.StackInput(
                "plan",
                [
                    charts.BarInput(25, "own", "own"),
                    charts.BarInput(75, "tr", "transfer"),
                ],
            ),
            charts.StackInput(
                "actual",
                [
                    charts.BarInput(0, "own", "own"),
                    charts.BarInput(0, "tr", "transfer"),
                ],
            ),
        ],
    )

    plan, actual = chart.rows
    full = charts.WIDTH - 2 * charts.PADDING
    assert [(s.x, s.width, s.tone) for s in plan.segments] == [
        (f"{charts.PADDING:.1f}", f"{full / 4:.1f}", "own"),
        (f"{charts.PADDING + full / 4:.1f}", f"{full * 3 / 4:.1f}", "transfer"),
    ]
    # Nothing received yet: no bar, only the legend
    assert actual.segments == []
    assert [line.text for line in actual.legend] == ["own", "tr"]


def test_a_tone_the_stylesheet_does_not_know_is_refused():
    with pytest.raises(ValueError, match="red"):
        charts.bar_chart(
            chart_id="c",
            title="t",
            description="d",
            groups=[charts.GroupInput("a", [charts.BarInput(1, "1", "red")])],
        )
    with pytest.raises(ValueError, match="red"):
        charts.stacked_chart(
            chart_id="c",
            title="t",
            description="d",
            rows=[charts.StackInput("a", [charts.BarInput(1, "1", "red")])],
        )
