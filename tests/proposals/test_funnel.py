"""The participation funnel and the reviews against their deadline (proposals.dashboard) on
a known data set reached through the services, day by day; the proposals each budget line
pays for, on the execution page, hidden ones without their title.

The known data set, in the 2027 cycle of the rural district (proposals close on 30 April
2026, the review starts on 4 May, its deadline is the same for every proposal):

| proposal        | supports | review                        | then                      |
|-----------------|----------|-------------------------------|---------------------------|
| draft           | -        | - (never submitted)           |                           |
| withdrawn       | 1        | - (withdrawn before)          |                           |
| open            | 0        | open                          |                           |
| implemented     | 2        | recommended, 6 May            | approved, included, funded, in progress, implemented |
| hidden          | 1        | recommended, deadline 23:30   | approved, included, funded; hidden by a moderator |
| overruled       | 0        | not recommended, a day late   | approved by the akim      |
| rejected        | 0        | recommended, a day late 00:30 | rejected by the akim      |
| waiting         | 0        | recommended, 6 May            | (awaits the akim)         |

and one proposal of the other rural district, submitted, supported by nobody.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from budgets import services as budget_services
from budgets.extensions import PROVIDERS, line_companions
from proposals import dashboard, services
from proposals.models import Proposal, ProposalStatus, Review
from tests.accounts.factories import ResidencyFactory
from tests.budgets.conftest import ALMATY, chairman, maslikhat  # noqa: F401
from tests.budgets.factories import lines, phase_dates
from tests.proposals.conftest import (
    ASSESSMENT,
    BALANCED,
    DAY_IN,
    at,
    make_draft,
    make_submitted,
    start_review,
)
from tests.proposals.test_funding import adopt

S = ProposalStatus
NOT_RECOMMENDED = services.AssessmentInput(
    assessment="not_recommended",
    is_within_competence=False,
    reasons="Outside the akim's competence: a district road.",
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def known(
    territory,
    cycle,
    resident,
    neighbour,
    outsider,
    other_staff,
    staff,
    akim,
    moderator,
    function,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    third = ResidencyFactory(
        place=territory["village"], budget_unit=territory["rural_district"]
    ).user
    made = {
        "draft": make_draft(cycle, resident, function, title="Never sent"),
        "withdrawn": make_submitted(cycle, resident, function, title="Withdrawn"),
        "open": make_submitted(cycle, neighbour, function, title="Still open"),
        "implemented": make_submitted(cycle, resident, function, title="Lamps done"),
        "hidden": make_submitted(cycle, neighbour, function, title="Secret title"),
        "overruled": make_submitted(cycle, third, function, title="Overruled"),
        "rejected": make_submitted(cycle, third, function, title="Rejected"),
        "waiting": make_submitted(cycle, resident, function, title="Waiting"),
    }
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        for proposal, supporter in (
            ("withdrawn", neighbour),
            ("implemented", neighbour),
            ("implemented", third),
            ("hidden", resident),
        ):
            services.support_add(proposal=made[proposal], user=supporter)
        services.proposal_withdraw(proposal=made["withdrawn"], actor=resident)
    # The other rural district's cycle and its one proposal
    with time_machine.travel(at(2026, 1, 15), tick=False):
        other_cycle = budget_services.cycle_open(
            unit=territory["other_rural_district"],
            fiscal_year=2027,
            actor=other_staff,
            dates=phase_dates(2027),
        )
    made["elsewhere"] = make_submitted(other_cycle, outsider, function, title="There")

    start_review(cycle)
    deadline = Review.objects.filter(proposal=made["open"]).get().deadline

    def assess(name, data, when):
        with time_machine.travel(when, tick=False):
            services.review_complete(
                proposal=Proposal.objects.get(pk=made[name].pk), actor=staff, data=data
            )

    assess("implemented", ASSESSMENT, at(2026, 5, 6))
    assess("waiting", ASSESSMENT, at(2026, 5, 6))
    # On the deadline day, late in the evening in Kazakhstan (18:30 UTC): on time
    assess("hidden", ASSESSMENT, _at(deadline, 23, 30))
    # Half an hour into the next day in Kazakhstan (still the deadline day in UTC): late
    assess("rejected", ASSESSMENT, _at(deadline + datetime.timedelta(days=1), 0, 30))
    assess("overruled", NOT_RECOMMENDED, _at(deadline + datetime.timedelta(days=1), 9))

    with time_machine.travel(
        _at(deadline + datetime.timedelta(days=2), 10), tick=False
    ):
        for name, decision in (
            ("implemented", "approved"),
            ("hidden", "approved"),
            ("overruled", "approved"),
            ("rejected", "rejected"),
        ):
            services.proposal_decide(
                proposal=Proposal.objects.get(pk=made[name].pk),
                actor=akim,
                decision=decision,
                reason="Decided on the review's reasons.",
            )

    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = budget_services.draft_create(cycle=cycle, actor=staff)
        budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        line = draft.lines.get(classification__code="E701")
        for name in ("implemented", "hidden"):
            services.proposal_include(
                proposal=Proposal.objects.get(pk=made[name].pk), actor=staff, line=line
            )
        budget_services.draft_publish(draft=draft, actor=staff)
    adopt(
        draft,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )
    with time_machine.travel(at(2027, 6, 1), tick=False):
        services.proposal_start(
            proposal=Proposal.objects.get(pk=made["implemented"].pk), actor=staff
        )
        services.proposal_implement(
            proposal=Proposal.objects.get(pk=made["implemented"].pk),
            actor=staff,
            text="Eight lamps installed.",
            amount_spent="2350000",
        )
        services.proposal_hide(
            proposal=Proposal.objects.get(pk=made["hidden"].pk),
            actor=moderator,
            reason="Personal data in the description.",
        )
    for proposal in made.values():
        proposal.refresh_from_db()
    return {"proposals": made, "deadline": deadline, "line": line, "draft": draft}


def test_the_known_data_set_is_as_described(known):
    statuses = {name: p.status for name, p in known["proposals"].items()}
    assert statuses == {
        "draft": S.DRAFT,
        "withdrawn": S.WITHDRAWN,
        "open": S.UNDER_REVIEW,
        "implemented": S.IMPLEMENTED,
        "hidden": S.FUNDED,
        "overruled": S.APPROVED,
        "rejected": S.REJECTED,
        "waiting": S.RECOMMENDED,
        "elsewhere": S.SUBMITTED,
    }
    assert known["proposals"]["hidden"].is_hidden is True


def test_the_funnel_counts_each_stage_on_the_known_data_set(
    known, territory, django_assert_num_queries
):
    rural, other = territory["rural_district"], territory["other_rural_district"]

    with django_assert_num_queries(1):
        funnels = dashboard.funnels(unit_ids=[rural.pk, other.pk], fiscal_year=2027)

    assert funnels == {
        rural.pk: dashboard.Funnel(
            # The draft is not counted; the withdrawn and the hidden ones are
            submitted=7,
            supported=3,
            recommended=4,
            # The overruled one was not recommended and yet approved
            approved=3,
            included=2,
            funded=2,
            implemented=1,
            withdrawn=1,
            not_recommended=1,
            rejected=1,
        ),
        other.pk: dashboard.Funnel(submitted=1),
    }
    assert [(s.key, s.count) for s in funnels[rural.pk].stages] == [
        ("submitted", 7),
        ("supported", 3),
        ("recommended", 4),
        ("approved", 3),
        ("included", 2),
        ("funded", 2),
        ("implemented", 1),
    ]
    assert funnels[rural.pk].left == [
        ("withdrawn", "Withdrawn by the author", 1),
        # The overruled one: assessed as not recommended, then approved by the akim
        ("not_recommended", "Assessed as not recommended by the review", 1),
        ("rejected", "Rejected by the akim", 1),
    ]


def test_another_year_and_another_unit_are_not_counted(known, territory):
    assert (
        dashboard.funnels(unit_ids=[territory["rural_district"].pk], fiscal_year=2028)
        == {}
    )
    assert (
        dashboard.funnels(
            unit_ids=[territory["village_administration"].pk], fiscal_year=2027
        )
        == {}
    )


def test_reviews_on_time_and_overdue_by_kazakhstan_s_day(
    known, territory, django_assert_num_queries
):
    rural = territory["rural_district"]
    deadline = known["deadline"]

    # On the deadline day the open review is still within it
    with (
        time_machine.travel(_at(deadline, 18), tick=False),
        django_assert_num_queries(1),
    ):
        on_deadline = dashboard.reviews(unit_ids=[rural.pk], fiscal_year=2027)
    # The next day it is overdue
    with time_machine.travel(_at(deadline + datetime.timedelta(days=1), 9), tick=False):
        after = dashboard.reviews(unit_ids=[rural.pk], fiscal_year=2027)

    completed = {"started": 6, "on_time": 3, "late": 2}
    assert on_deadline == {
        rural.pk: dashboard.Reviews(**completed, open_in_time=1, open_overdue=0)
    }
    assert after == {
        rural.pk: dashboard.Reviews(**completed, open_in_time=0, open_overdue=1)
    }
    assert (after[rural.pk].completed, after[rural.pk].overdue) == (5, 3)
    # As each proposal's page judges it
    reviews = {r.proposal_id: r for r in Review.objects.all()}
    day = deadline + datetime.timedelta(days=1)
    assert sorted(
        name
        for name, p in known["proposals"].items()
        if p.pk in reviews and reviews[p.pk].is_overdue_on(day)
    ) == ["open", "overruled", "rejected"]


def test_the_unit_s_participation_sums_and_links_its_proposals(known, territory):
    rural = territory["rural_district"]

    with time_machine.travel(at(2027, 7, 1), tick=False):
        section = dashboard.unit_participation(unit=rural, fiscal_year=2027)
        empty = dashboard.unit_participation(
            unit=territory["village_administration"], fiscal_year=2027
        )

    assert (section.funnel.submitted, section.reviews.open_overdue) == (7, 1)
    assert section.list_url == reverse(
        "proposals:cycle_list", kwargs={"kato_code": "115633000", "fiscal_year": 2027}
    )
    assert (empty.has_proposals, empty.list_url, empty.funnel) == (
        False,
        "",
        dashboard.Funnel(),
    )


def test_an_area_sums_the_funnels_and_compares_per_thousand_residents(
    known, territory, django_assert_num_queries
):
    units = [
        territory["rural_district"],
        territory["village_administration"],
        territory["other_rural_district"],
    ]

    with time_machine.travel(at(2027, 7, 1), tick=False), django_assert_num_queries(2):
        area = dashboard.area_participation(units=units, fiscal_year=2027)

    assert area.total.funnel == dashboard.Funnel(
        submitted=8,
        supported=3,
        recommended=4,
        approved=3,
        included=2,
        funded=2,
        implemented=1,
        withdrawn=1,
        not_recommended=1,
        rejected=1,
    )
    assert area.total.reviews == dashboard.Reviews(
        started=6, on_time=3, late=2, open_in_time=0, open_overdue=1
    )
    assert area.by_unit == {
        # 7 proposals for 1,800 residents
        territory["rural_district"].pk: {
            "proposals_submitted": 7,
            "proposals_approved": 3,
            "proposals_implemented": 1,
            "proposals_per_thousand": Decimal("3.9"),
        },
        territory["village_administration"].pk: {
            "proposals_submitted": 0,
            "proposals_approved": 0,
            "proposals_implemented": 0,
            "proposals_per_thousand": Decimal("0.0"),
        },
        territory["other_rural_district"].pk: {
            "proposals_submitted": 1,
            "proposals_approved": 0,
            "proposals_implemented": 0,
            "proposals_per_thousand": Decimal("0.3"),
        },
    }


# What the lines pay for


def test_each_line_lists_the_proposals_it_funds_hidden_ones_without_title(
    known, django_assert_num_queries
):
    adopted_line = known["proposals"]["implemented"].funding_line
    other_lines = [line.pk for line in known["draft"].lines.exclude(pk=adopted_line.pk)]

    with django_assert_num_queries(1):
        companions = dashboard.funded_proposals([adopted_line.pk, *other_lines])

    implemented, hidden = (known["proposals"][n] for n in ("implemented", "hidden"))
    assert [
        (c.title, str(c.status_label), c.url, c.is_hidden, str(c.hidden_label))
        for c in companions[adopted_line.pk]
    ] == [
        (
            "Lamps done",
            "implemented",
            f"/en/proposals/{implemented.pk}/",
            False,
            "Hidden proposal",
        ),
        ("", "funded", f"/en/proposals/{hidden.pk}/", True, "Hidden proposal"),
    ]
    assert list(companions) == [adopted_line.pk]
    # Proposals registers its provider once, whatever the number of ready() calls
    assert PROVIDERS.count(dashboard.funded_proposals) == 1
    assert line_companions([]) == {}


def test_the_execution_page_shows_under_each_line_what_it_pays_for(known, client):
    with time_machine.travel(at(2027, 7, 1), tick=False):
        html = client.get(
            reverse(
                "budgets:execution",
                kwargs={"kato_code": "115633000", "fiscal_year": 2027},
            )
        ).content.decode()

    implemented, hidden = (known["proposals"][n] for n in ("implemented", "hidden"))
    assert html.count('data-testid="line-companions"') == 1
    assert f'<a href="/en/proposals/{implemented.pk}/">Lamps done</a>' in html
    assert f'<a href="/en/proposals/{hidden.pk}/"><em>Hidden proposal</em></a>' in html
    # A hidden proposal's title is nowhere; the approved one not yet included is not
    # listed under a line
    assert "Secret title" not in html
    assert "Overruled" not in html
