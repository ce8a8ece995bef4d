"""What a visitor reads on a draft's pages: the balance under its totals, and the
comparison of a version with the one before it."""

import re
from decimal import Decimal

import time_machine

from budgets import services
from tests.budgets.conftest import DAY_IN, draft_published
from tests.budgets.factories import lines


def _at(day: str):
    return time_machine.travel(DAY_IN[day], tick=False)


def balance_facts(html: str) -> dict[str, str]:
    """The terms and values of the list under the draft's tables, tags stripped."""
    block = re.search(r'<dl class="facts balance">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block, re.S)
    return {
        term: re.sub(r"<[^>]+>", "", value).replace("\u00a0", " ").strip()
        for term, value in pairs
    }


def draft_page(client, draft) -> str:
    with _at("public_discussion"):
        response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_balanced_draft_says_it_is_balanced_and_shows_no_surplus(
    client, cycle, staff
):
    # Given a draft whose expenditures equal its revenues
    draft = draft_published(
        cycle,
        staff,
        {
            "revenue": {"R101": "1000000", "TR201": "4000000"},
            "expenditure": {"E701": "5000000"},
        },
    )

    # When a visitor reads it
    facts = balance_facts(draft_page(client, draft))

    # Then the page says it is balanced, with no surplus or deficit of 0 ₸
    assert facts == {
        "Revenues": "5 000 000 ₸",
        "of which transfers from the district budget": "4 000 000 ₸ (80.0%)",
        "Own revenues (taxes, fees, other)": "1 000 000 ₸",
        "Expenditures": "5 000 000 ₸",
        "Balance": "Balanced: expenditures equal revenues",
    }


def test_a_draft_with_a_surplus_still_shows_it(client, published):
    facts = balance_facts(draft_page(client, published))

    assert facts["Surplus"] == "2 000 000 ₸"
    assert "Balance" not in facts
    assert "Deficit" not in facts


def test_a_deficit_financed_from_cash_still_shows_it(client, cycle, staff):
    with _at("drafting"):
        draft = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=lines(revenue={"R101": "1000000"}, expenditure={"E701": "1500000"}),
            cash_balance_used=Decimal("500000"),
            note="",
            actor=staff,
        )
        services.draft_publish(draft=draft, actor=staff)

    facts = balance_facts(draft_page(client, draft))

    assert facts["Deficit"] == "500 000 ₸"
    assert facts["Financed from free cash balances"] == "500 000 ₸"
    assert "Balance" not in facts
    assert "Surplus" not in facts
