"""Budgets' sections of the transparency dashboard: plan against actual summed for a unit
(the same sums as the execution page), for a district and for a region, exact to the tiyn;
only the units that hold their own budget in the year, only adopted budgets; the
comparison's values; the maslikhat's votes of a unit and of an area.

The rural district's budget is tests.budgets.conftest.ADOPTED executed as
tests.budgets.test_execution.execute_known; the other units' budgets are written straight
to the database (tests.budgets.factories.budget_written) with amounts in tiyn, so that a
float sum would show.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from budgets import dashboard as budget_dashboard
from budgets import selectors
from maslikhat import dashboard as maslikhat_dashboard
from maslikhat.models import Ballot, BallotChoice, SessionMember, VotingSession
from portal import dashboard
from portal.models import Level
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import ClassificationFactory, budget_written
from tests.budgets.test_execution import execute_known
from tests.maslikhat.factories import CLOSES, ballots_cast, session_open
from tests.portal.factories import UnitFactory

D = Decimal
READ_ON = at(2027, 7, 20)


@pytest.fixture
def wider(territory):
    """Beside the Zerendi district: a second district of the region with a rural district,
    and a rural district of another region."""
    second_district = UnitFactory(
        kato_code="115800000",
        level=Level.DISTRICT,
        name_kk="Бурабай ауданы",
        name_ru="Бурабайский район",
        parent=territory["region"],
    )
    far_region = UnitFactory(
        kato_code="190000000",
        level=Level.REGION,
        name_kk="Алматы облысы",
        name_ru="Алматинская область",
    )
    far_district = UnitFactory(
        kato_code="195600000",
        level=Level.DISTRICT,
        name_kk="Талғар ауданы",
        name_ru="Талгарский район",
        parent=far_region,
    )
    return {
        **territory,
        "second_district": second_district,
        "second_rural_district": UnitFactory(
            kato_code="115833000",
            level=Level.RURAL_DISTRICT,
            name_kk="Абылай хан ауылдық округі",
            name_ru="Абылайханский сельский округ",
            parent=second_district,
            population=5000,
            population_year=2021,
        ),
        "far_region": far_region,
        "far_rural_district": UnitFactory(
            kato_code="195633000",
            level=Level.RURAL_DISTRICT,
            name_kk="Бесқайнар ауылдық округі",
            name_ru="Бескайнарский сельский округ",
            parent=far_district,
            population=7000,
            population_year=2021,
        ),
    }


# The other units' budgets, in tiyn where a float sum would go wrong.
SADOVY = {
    "plan": {
        "1 04 1 02": "1000000.25",
        "4 02 3 03": "9000000",
        "124 001": "6000000.25",
        "124 008": "4000000",
    },
    "entries": {
        "1 04 1 02": [(1, "300000.10")],
        # A report of 4,000,000 corrected by +500,000
        "4 02 3 03": [(1, "4000000"), (1, "500000")],
        "124 001": [(1, "2000000.10")],
        "124 008": [(1, "1000000"), (2, "0")],
    },
}
ABYLAI = {
    "plan": {"1 04 3": "500000", "4 02 3 01": "4500000", "124 013": "5000000"},
    "entries": {"1 04 3": [(1, "100000")], "124 013": [(1, "2500000.03")]},
}


@pytest.fixture
def known(wider, adopted, staff):
    """The rural district's adopted budget executed; Sadovy's adopted, Kyzylsaya's cycle
    not adopted; in the second district, Abylai khan's adopted; and budgets no dashboard
    of the region may count: the village inside the rural district (it holds no budget
    of its own), the far region's rural district, and Sadovy's 2028 budget."""
    execute_known(adopted, staff)
    budget_written(unit=wider["other_rural_district"], actor=staff, **SADOVY)
    budget_written(
        unit=wider["village_administration"],
        actor=staff,
        plan={"124 001": "777"},
        status="published",
    )
    budget_written(unit=wider["second_rural_district"], actor=staff, **ABYLAI)
    for unit in (wider["village"], wider["far_rural_district"]):
        budget_written(
            unit=unit,
            actor=staff,
            plan={"4 02 3 03": "99999999", "124 001": "99999999"},
            entries={"124 001": [(1, "123")]},
        )
    budget_written(
        unit=wider["other_rural_district"],
        actor=staff,
        fiscal_year=2028,
        plan={"124 001": "55555555"},
        entries={"124 001": [(1, "5")]},
    )
    return wider


def _figures(item):
    return (item.plan, item.actual, item.percentage, item.plan_share, item.actual_share)


def test_a_unit_s_sums_are_the_execution_page_s(known, adopted):
    # Given the rural district's budget executed on a known data set
    unit = known["rural_district"]

    # When its dashboard's execution section and its execution page are read
    with time_machine.travel(READ_ON, tick=False):
        section = budget_dashboard.unit_execution(unit=unit, fiscal_year=2027)
        view = selectors.execution_view(
            selectors.cycle_get(kato_code=unit.kato_code, fiscal_year=2027)
        )

    # Then the sums are the execution page's, to the tiyn
    figures = section.figures
    assert section.is_adopted is True
    assert section.state.phase == "execution"
    assert _figures(figures.revenue) == (
        D("50000000.00"),
        D("22110000.50"),
        D("44.2"),
        None,
        None,
    )
    for name, page in (
        ("revenue", view.total_revenue),
        ("own_revenue", view.own_revenue),
        ("transfers", view.transfers),
        ("expenditure", view.total_expenditure),
    ):
        assert _figures(getattr(figures, name)) == _figures(page), name
    assert [(f.group, *_figures(f)) for f in figures.functions] == [
        (f.group, *_figures(f)) for f in view.functions
    ]
    assert (figures.own_revenue.plan_share, figures.transfers.actual_share) == (
        D("7.0"),
        D("95.0"),
    )


def test_a_district_sums_its_adopted_budgets_exactly(known):
    # When the Zerendi district's units are summed
    units = dashboard.area_units(area=known["district"], fiscal_year=2027)
    with time_machine.travel(READ_ON, tick=False):
        area = budget_dashboard.area_execution(units=units, fiscal_year=2027)

    # Then the units holding their own budget are the three administrations, not the
    # village inside the rural district
    assert [unit.kato_code for unit in units] == ["115633000", "115641000", "115645000"]
    # and the two adopted budgets are summed, to the tiyn; Kyzylsaya's is not adopted
    total = area.total
    assert (total.units_total, total.units_with_cycle, total.units_adopted) == (3, 3, 2)
    assert _figures(total.revenue) == (
        D("60000000.25"),
        D("26910000.60"),
        D("44.9"),
        None,
        None,
    )
    assert _figures(total.own_revenue) == (
        D("4500000.25"),
        D("1410000.60"),
        D("31.3"),
        D("7.5"),
        D("5.2"),
    )
    assert _figures(total.transfers) == (
        D("55500000.00"),
        D("25500000.00"),
        D("45.9"),
        D("92.5"),
        D("94.8"),
    )
    assert _figures(total.expenditure) == (
        D("60000000.25"),
        D("20750000.60"),
        D("34.6"),
        None,
        None,
    )
    assert [(f.group, f.plan, f.actual) for f in total.functions] == [
        (1, D("26000000.25"), D("12000000.10")),
        (7, D("16000000.00"), D("5000000.50")),
        (8, D("10000000.00"), D("2750000.00")),
        (12, D("8000000.00"), D("1000000.00")),
    ]


def test_a_region_sums_the_budgets_of_all_its_districts(known):
    units = dashboard.area_units(area=known["region"], fiscal_year=2027)
    with time_machine.travel(READ_ON, tick=False):
        total = budget_dashboard.area_execution(units=units, fiscal_year=2027).total

    # The far region's rural district and the village are not counted
    assert [unit.kato_code for unit in units] == [
        "115633000",
        "115641000",
        "115645000",
        "115833000",
    ]
    assert (total.units_total, total.units_with_cycle, total.units_adopted) == (4, 4, 3)
    assert (total.revenue.plan, total.revenue.actual) == (
        D("65000000.25"),
        D("27010000.60"),
    )
    assert (total.expenditure.plan, total.expenditure.actual) == (
        D("65000000.25"),
        D("23250000.63"),
    )
    assert [(f.group, f.plan, f.actual) for f in total.functions][-1] == (
        12,
        D("13000000.00"),
        D("3500000.03"),
    )


def test_each_unit_s_comparison_values(known):
    units = dashboard.area_units(area=known["region"], fiscal_year=2027)
    with time_machine.travel(READ_ON, tick=False):
        by_unit = budget_dashboard.area_execution(units=units, fiscal_year=2027).by_unit

    by_code = {unit.kato_code: by_unit[unit.pk] for unit in units}
    assert by_code["115633000"] == {
        "expenditure_plan": D("50000000.00"),
        "expenditure_actual": D("17750000.50"),
        "expenditure_executed": D("35.5"),
        "own_revenue_share": D("7.0"),
        # 1,800 residents
        "plan_per_resident": D("27778"),
    }
    assert by_code["115645000"] == {
        "expenditure_plan": D("10000000.25"),
        "expenditure_actual": D("3000000.10"),
        "expenditure_executed": D("30.0"),
        "own_revenue_share": D("10.0"),
        "plan_per_resident": D("3226"),
    }
    # A cycle not adopted has no figures
    assert set(by_code["115641000"].values()) == {None}


def test_a_unit_whose_population_is_unknown_has_no_figure_per_resident(known, staff):
    unit = known["second_rural_district"]
    unit.population = unit.population_year = None
    unit.save()

    with time_machine.travel(READ_ON, tick=False):
        values = budget_dashboard.area_execution(
            units=[unit], fiscal_year=2027
        ).by_unit[unit.pk]

    assert values["plan_per_resident"] is None
    assert values["expenditure_plan"] == D("5000000.00")


def test_before_a_cycle_is_opened_and_before_adoption_there_are_no_figures(
    territory, cycle
):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        opened = budget_dashboard.unit_execution(
            unit=territory["rural_district"], fiscal_year=2027
        )
        none = budget_dashboard.unit_execution(
            unit=territory["other_rural_district"], fiscal_year=2027
        )

    assert (opened.cycle, opened.is_adopted, opened.state.phase) == (
        cycle,
        False,
        "drafting",
    )
    assert (none.cycle, none.state, none.is_adopted) == (None, None, False)


def test_an_area_without_any_budget_sums_to_nothing(territory):
    units = dashboard.area_units(area=territory["district"], fiscal_year=2027)

    total = budget_dashboard.area_execution(units=units, fiscal_year=2027).total

    assert (total.units_total, total.units_adopted, total.has_budget) == (3, 0, False)
    assert (total.revenue.plan, total.expenditure.actual) == (D("0"), D("0"))
    assert total.functions == []


# The maslikhat's votes


@pytest.fixture
def voted(submitted, chairman, maslikhat):
    """The maslikhat's session on version 1: nine of ten present, six for, two against,
    one abstaining; it closes when the last present deputy votes, and the draft passes."""
    absent = maslikhat[9]
    session = session_open(submitted, chairman, absences={absent.pk: "Болен"})
    ballots_cast(
        session,
        [(deputy, BallotChoice.FOR) for deputy in maslikhat[:6]]
        + [(deputy, BallotChoice.AGAINST) for deputy in maslikhat[6:8]]
        + [(maslikhat[8], BallotChoice.ABSTAIN)],
    )
    session.refresh_from_db()
    return session


def test_a_unit_s_votes_are_its_sessions_with_their_counts(
    territory, voted, django_assert_num_queries
):
    with django_assert_num_queries(1):
        votes = maslikhat_dashboard.unit_votes(
            unit=territory["rural_district"], fiscal_year=2027
        )

    assert [
        (
            s.pk,
            s.outcome,
            s.present,
            s.total_deputies,
            s.votes_for,
            s.votes_against,
            s.votes_abstain,
            s.draft.version,
        )
        for s in votes.sessions
    ] == [(voted.pk, "passed", 9, 10, 6, 2, 1, 1)]
    assert (votes.held, votes.passed, votes.rejected, votes.no_quorum, votes.open) == (
        1,
        1,
        0,
        0,
        0,
    )
    assert (votes.votes_for, votes.votes_against, votes.votes_abstain) == (6, 2, 1)


def test_an_area_counts_sessions_by_result_and_the_ballots_of_closed_ones(
    territory, voted, staff, maslikhat, django_assert_num_queries
):
    # Given, besides the closed session, an open one on Sadovy's draft with two ballots
    draft = budget_written(
        unit=territory["other_rural_district"],
        actor=staff,
        plan={"124 001": "1"},
        status="under_vote",
    )
    session = VotingSession.objects.create(
        draft=draft,
        district=territory["district"],
        opens_at=at(2026, 12, 1),
        closes_at=CLOSES,
        total_deputies=10,
        quorum_numerator=2,
        quorum_denominator=3,
        majority_numerator=1,
        majority_denominator=2,
        opened_by=maslikhat[0],
    )
    SessionMember.objects.bulk_create(
        SessionMember(session=session, deputy=deputy, is_present=True)
        for deputy in maslikhat
    )
    Ballot.objects.bulk_create(
        Ballot(session=session, deputy=deputy, choice=BallotChoice.AGAINST)
        for deputy in maslikhat[:2]
    )
    units = dashboard.area_units(area=territory["region"], fiscal_year=2027)

    with django_assert_num_queries(2):
        votes = maslikhat_dashboard.area_votes(units=units, fiscal_year=2027).total

    assert (votes.held, votes.passed, votes.rejected, votes.no_quorum, votes.open) == (
        2,
        1,
        0,
        0,
        1,
    )
    # The open session's two ballots are not in the totals
    assert (votes.votes_for, votes.votes_against, votes.votes_abstain) == (6, 2, 1)
    assert votes.sessions == []


def test_a_unit_s_votes_count_each_result_and_leave_open_ballots_out(
    territory, staff, maslikhat
):
    # Given four sessions on the unit's drafts: rejected, void, passed, and one open
    # with a ballot
    drafts = [
        budget_written(
            unit=territory["rural_district"],
            actor=staff,
            plan={"124 001": "1"},
            status="approved",
        )
    ]
    cycle = drafts[0].cycle
    drafts += [
        cycle.drafts.create(version=version, status="returned", created_by=staff)
        for version in (2, 3, 4)
    ]
    for draft, outcome in zip(
        drafts, ["rejected", "no_quorum", "passed", ""], strict=True
    ):
        session = VotingSession.objects.create(
            draft=draft,
            district=territory["district"],
            opens_at=at(2026, 12, 1),
            closes_at=at(2026, 12, 4),
            closed_at=at(2026, 12, 2) if outcome else None,
            outcome=outcome,
            total_deputies=10,
            quorum_numerator=2,
            quorum_denominator=3,
            majority_numerator=1,
            majority_denominator=2,
            opened_by=maslikhat[0],
        )
        Ballot.objects.create(
            session=session, deputy=maslikhat[1], choice=BallotChoice.AGAINST
        )

    votes = maslikhat_dashboard.unit_votes(
        unit=territory["rural_district"], fiscal_year=2027
    )

    assert (votes.held, votes.passed, votes.rejected, votes.no_quorum, votes.open) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert (votes.votes_for, votes.votes_against, votes.votes_abstain) == (0, 3, 0)
    assert [s.present for s in votes.sessions] == [0, 0, 0, 0]


def test_an_adopted_budget_without_lines_counts_and_sums_to_nothing(territory, staff):
    unit = territory["rural_district"]
    draft = budget_written(unit=unit, actor=staff, plan={})

    with time_machine.travel(READ_ON, tick=False):
        area = budget_dashboard.area_execution(units=[unit], fiscal_year=2027)
        section = budget_dashboard.unit_execution(unit=unit, fiscal_year=2027)

    assert area.total.units_adopted == 1
    assert area.by_unit[unit.pk]["expenditure_plan"] == D("0")
    assert area.by_unit[unit.pk]["expenditure_executed"] is None
    assert (section.cycle, section.is_adopted) == (draft.cycle, True)
    assert section.figures.expenditure.plan == D("0")


def test_spending_without_a_functional_group_is_charted_apart(territory, staff):
    ClassificationFactory(code="E050", position=50)
    unit = territory["rural_district"]
    budget_written(unit=unit, actor=staff, plan={"E050": "1000", "124 001": "3000"})

    with time_machine.travel(READ_ON, tick=False):
        figures = budget_dashboard.unit_execution(unit=unit, fiscal_year=2027).figures
        chart = figures.function_chart

    assert [group.label for group in chart.groups] == [
        "01 General public services",
        "Not assigned to a function",
    ]
    assert [f.plan_share for f in figures.functions] == [D("75.0"), D("25.0")]
