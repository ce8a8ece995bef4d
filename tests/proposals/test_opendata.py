"""The proposals of a cycle as open data: CSV and JSON read back and compared with the known
proposals; a hidden proposal without its content, a draft not at all, no author, e-mail or
IIN anywhere; and the queries each download costs with 5 and with 50 proposals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from budgets import opendata
from proposals import services
from proposals.models import AkimDecision, Proposal, ProposalStatus, Review
from proposals.opendata import PROPOSALS
from tests.accounts.factories import ResidencyFactory, make_iin
from tests.budgets.opendata_helpers import (
    download,
    read_csv,
    read_json,
    typed_csv_rows,
    typed_json_rows,
    without_empty_text,
)
from tests.proposals.conftest import (
    ASSESSMENT,
    DAY_IN,
    PROPOSALS_END,
    at,
    make_draft,
    make_submitted,
    start_review,
)
from tests.proposals.factories import (
    AkimDecisionFactory,
    ProposalFactory,
    ReviewFactory,
    supports_bulk_create,
)

D = Decimal
OPEN = DAY_IN["proposals_open"]


def on(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def residents(territory, resident, neighbour):
    place = territory["village"]
    unit = territory["rural_district"]
    third, fourth = (
        ResidencyFactory(
            place=place, budget_unit=unit, user__iin=make_iin(8100 + index)
        ).user
        for index in range(2)
    )
    return resident, neighbour, third, fourth


@pytest.fixture
def known(cycle, function, draft, residents, moderator, staff, akim):
    """Four proposals: the first included in the draft after its review and the akim's
    approval, the second hidden by a moderator while under review, the third never
    submitted, the fourth withdrawn; supported three times."""
    resident, neighbour, third, fourth = residents
    first = make_submitted(cycle, resident, function)
    hidden = make_submitted(
        cycle,
        neighbour,
        function,
        title="Оскорбительное название",
        description="Оскорбительное описание",
        address="Тайная улица, 13",
        cost_estimate="999",
    )
    make_draft(cycle, third, function, title="Жасырын жоба", description="Жеке мәтін")
    withdrawn = make_submitted(
        cycle,
        fourth,
        function,
        title="Bench by the school",
        description="A bench, and shade.",
        address="",
        cost_estimate=None,
    )
    with on(OPEN):
        services.support_add(proposal=first, user=neighbour)
        services.support_add(proposal=first, user=fourth)
        services.support_add(proposal=hidden, user=resident)
        services.proposal_withdraw(proposal=withdrawn, actor=fourth)
    start_review(cycle)
    with on(at(2026, 5, 5)):
        services.proposal_hide(proposal=hidden, actor=moderator, reason="Оскорбления")
    with on(at(2026, 5, 6)):
        services.review_complete(proposal=first, actor=staff, data=ASSESSMENT)
    with on(at(2026, 5, 8)):
        services.proposal_decide(
            proposal=first,
            actor=akim,
            decision="approved",
            reason="Lighting is the first need residents named.",
        )
    line = draft.lines.get(classification__code="E701")
    with on(DAY_IN["drafting"]):
        services.proposal_include(proposal=first, actor=staff, line=line)
    return {"first": first, "hidden": hidden, "withdrawn": withdrawn}


NO_REVIEW = dict.fromkeys(
    (
        "review_started_on",
        "review_deadline",
        "reviewed_on",
        "assessment",
        "is_within_competence",
        "assessed_cost",
        "feasibility",
        "review_reasons",
        "decision",
        "decision_reason",
        "decided_at",
        "included_line_code",
        "included_line_version",
        "funding_line_code",
        "funding_line_version",
        "amount_spent",
        "implemented_at",
        "implementation_report",
    )
)
HIDDEN = dict.fromkeys(
    (
        "title",
        "description",
        "address",
        "place_kato",
        "place_name_kk",
        "place_name_ru",
        "function_code",
        "function_name_kk",
        "function_name_ru",
        "cost_estimate",
    )
)


def expected_rows(known, territory) -> list[dict]:
    unit = territory["rural_district"]
    place = {
        "place_kato": "115633000",
        "place_name_kk": unit.name_kk,
        "place_name_ru": unit.name_ru,
        "function_code": "E701",
        "function_name_kk": "Көшелерді жарықтандыру",
        "function_name_ru": "Освещение улиц",
    }
    started_on = PROPOSALS_END + datetime.timedelta(days=1)
    deadline = services.review_deadline(PROPOSALS_END)
    assert Review.objects.get(proposal=known["first"]).deadline == deadline
    # All three were submitted at the same moment: in the order they were made.
    return [
        {
            "proposal": known["first"].pk,
            "submitted_at": OPEN,
            "status": "included",
            "support_count": 2,
            "is_hidden": False,
            "hidden_reason": "",
            "title": "Street lights on Abai street",
            "description": "The street is dark in winter; eight lamps are needed.",
            "address": "Abai street",
            **place,
            "cost_estimate": D("2400000.00"),
            **NO_REVIEW,
            "review_started_on": started_on,
            "review_deadline": deadline,
            "reviewed_on": datetime.date(2026, 5, 6),
            "assessment": "recommended",
            "is_within_competence": True,
            "assessed_cost": D("2300000.00"),
            "feasibility": "Can be done in one summer.",
            "review_reasons": "Within the akim's competence; the cost is realistic.",
            "decision": "approved",
            "decision_reason": "Lighting is the first need residents named.",
            "decided_at": at(2026, 5, 8),
            "included_line_code": "E701",
            "included_line_version": 1,
        },
        {
            "proposal": known["hidden"].pk,
            "submitted_at": OPEN,
            "status": "under_review",
            "support_count": 1,
            "is_hidden": True,
            "hidden_reason": "Оскорбления",
            **HIDDEN,
            **NO_REVIEW,
            "review_started_on": started_on,
            "review_deadline": deadline,
        },
        {
            "proposal": known["withdrawn"].pk,
            "submitted_at": OPEN,
            "status": "withdrawn",
            "support_count": 0,
            "is_hidden": False,
            "hidden_reason": "",
            "title": "Bench by the school",
            "description": "A bench, and shade.",
            "address": "",
            **place,
            "cost_estimate": None,
            **NO_REVIEW,
        },
    ]


def in_declared_order(row: dict) -> dict:
    return {name: row[name] for name in PROPOSALS.column_names}


def test_proposals_in_csv_are_the_public_proposals_exactly(
    client, cycle, known, territory
):
    body = download(client, cycle, "proposals", "csv")

    header, rows = read_csv(body)
    assert header == PROPOSALS.column_names
    expected = [in_declared_order(row) for row in expected_rows(known, territory)]
    assert typed_csv_rows(PROPOSALS.columns, rows) == without_empty_text(expected)


def test_proposals_in_json_are_the_public_proposals_exactly(
    client, cycle, known, territory
):
    body = download(client, cycle, "proposals", "json")

    expected = [in_declared_order(row) for row in expected_rows(known, territory)]
    assert typed_json_rows(PROPOSALS.columns, read_json(body)) == expected


def test_nothing_private_is_in_the_proposals(client, cycle, known, residents):
    # Given a hidden proposal, a draft never submitted, and their authors
    bodies = [
        download(client, cycle, "proposals", extension) for extension in ("csv", "json")
    ]
    private = [
        # the hidden proposal's title, text and address
        "Оскорбительное",
        "Тайная улица",
        # the draft
        "Жасырын жоба",
        "Жеке мәтін",
    ]
    for body in bodies:
        text = body.decode()
        for words in private:
            assert words not in text
        for author in residents:
            assert author.email not in text
            assert author.iin_digest not in text
            assert author.iin_last4 not in text.replace("115633000", "")
        for proposal in Proposal.objects.all():
            assert proposal.author_iin_digest not in text
            assert proposal.author_name not in text
        assert "@" not in text
    # And the draft is not a row at all
    assert Proposal.objects.filter(status=ProposalStatus.DRAFT).count() == 1
    assert len(read_json(bodies[1])) == 3


def test_the_proposals_of_a_cycle_without_any_are_an_empty_table(client, cycle):
    header, rows = read_csv(download(client, cycle, "proposals", "csv"))
    assert (header, rows) == (PROPOSALS.column_names, [])
    assert read_json(download(client, cycle, "proposals", "json")) == []


# Queries: the same with 5 proposals as with 50.

SIZES = (5, 50)


def build(*, cycle, function, author, staff, akim, size: int) -> None:
    """`size` public proposals, each supported twice; a third hidden, every one reviewed
    and decided."""
    unit = cycle.unit
    supporters = [
        ResidencyFactory(
            place=unit, budget_unit=unit, user__iin=make_iin(7700 + index)
        ).user
        for index in range(2)
    ]
    since = at(2026, 3, 2)
    Proposal.objects.bulk_create(
        ProposalFactory.build(
            cycle=cycle,
            unit=unit,
            place=unit,
            function=function,
            title=f"Bulk {index}",
            description="Lamps.",
            status=ProposalStatus.APPROVED,
            author=author,
            created_at=since,
            submitted_at=since + datetime.timedelta(minutes=index),
            cost_estimate=100_000 + index,
            is_hidden=index % 3 == 0,
            hidden_reason="Spam" if index % 3 == 0 else "",
        )
        for index in range(size)
    )
    made = list(Proposal.objects.filter(title__startswith="Bulk").order_by("pk"))
    supports_bulk_create((p, user) for p in made for user in supporters)
    Review.objects.bulk_create(
        ReviewFactory.build(
            proposal=p, assessed=True, reasons="Fine.", completed_by=staff
        )
        for p in made
    )
    AkimDecision.objects.bulk_create(
        AkimDecisionFactory.build(
            proposal=p, decision="approved", reason="Yes.", decided_by=akim
        )
        for p in made
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_the_proposals_cost_the_same_queries_at_5_and_50(
    client,
    cycle,
    function,
    resident,
    staff,
    akim,
    django_assert_num_queries,
    size,
    extension,
):
    build(
        cycle=cycle,
        function=function,
        author=resident,
        staff=staff,
        akim=akim,
        size=size,
    )
    # The cycle with its unit, its phases and its drafts; then the proposals.
    with django_assert_num_queries(4):
        body = download(client, cycle, "proposals", extension)

    rows = read_csv(body)[1] if extension == "csv" else read_json(body)
    assert len(rows) == size
    assert [row["support_count"] for row in rows] == (
        ["2"] * size if extension == "csv" else [2] * size
    )
    hidden = [row for row in rows if row["is_hidden"] in ("true", True)]
    assert len(hidden) == len(range(0, size, 3))
    assert all(row["title"] in ("", None) for row in hidden)


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://example.com/x","Click")',
        "+1 lamp",
        "-10% for the park",
        "@SUM(A1)",
    ],
)
def test_a_title_a_spreadsheet_would_run_is_text_in_the_csv_and_exact_in_json(
    client, cycle, resident, function, title
):
    make_submitted(cycle, resident, function, title=title)

    csv_row = read_csv(download(client, cycle, "proposals", "csv"))[1][0]
    json_row = read_json(download(client, cycle, "proposals", "json"))[0]

    assert csv_row["title"] == "'" + title
    assert json_row["title"] == title
    # A number is a number: the support count stays 0, not '0
    assert csv_row["support_count"] == "0"


@pytest.mark.parametrize("text", ["\tcmd", "\rcmd", "=1+2"])
def test_a_text_beginning_with_a_tab_return_or_sign_is_written_as_text(text):
    assert opendata.csv_text(text) == "'" + text
    assert opendata.csv_text("Lamps on Abai street") == "Lamps on Abai street"


def test_a_negative_amount_stays_a_number_in_the_csv():
    columns = [
        opendata.Column("amount", "number", "x"),
        opendata.Column("n", "integer", ""),
    ]

    body = "".join(opendata.csv_stream(columns, [{"amount": D("-12.50"), "n": -3}]))

    assert body.splitlines()[1] == "-12.50,-3"
