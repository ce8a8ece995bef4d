"""What a visitor reads on a draft's pages: the balance under its totals, and the
comparison of a version with the one before it."""

import re
from decimal import Decimal
from itertools import pairwise

import time_machine
from django.urls import reverse

from budgets import services
from tests.budgets.conftest import DAY_IN, SUBMITTED_ON, draft_published
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


# What changed since the previous version.

DIFF_LINK = "What changed since the previous version"


def diff_url(cycle) -> str:
    return reverse(
        "budgets:draft_diff",
        kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year},
    )


def test_version_1_offers_no_comparison_with_a_previous_version(client, two_versions):
    first, second = two_versions

    first_page = draft_page(client, first)
    second_page = draft_page(client, second)

    assert DIFF_LINK not in first_page
    assert "?to=1" not in first_page
    assert f'<a href="{diff_url(first.cycle)}?to=2">{DIFF_LINK}</a>' in second_page


def test_the_diff_of_version_2_compares_it_with_version_1(client, two_versions):
    first, _second = two_versions

    with _at("public_discussion"):
        response = client.get(diff_url(first.cycle), {"to": 2})

    assert response.status_code == 200
    assert (response.context["before_number"], response.context["after_number"]) == (
        1,
        2,
    )
    assert "Lines changed from version 1 to version 2" in response.content.decode()


def test_the_diff_of_version_1_says_there_is_no_previous_version(client, two_versions):
    first, _second = two_versions

    with _at("public_discussion"):
        response = client.get(diff_url(first.cycle), {"to": 1})

    # Not an empty comparison of version 1 with itself
    assert response.status_code == 404
    content = response.content.decode()
    assert (
        "Version 1 is the first version: there is no previous version to compare it "
        "with." in content
    )
    assert "The two versions have the same lines and amounts." not in content
    assert response.context["diff"] is None


def test_with_one_version_the_diff_page_says_there_is_nothing_to_compare(
    client, published
):
    with _at("public_discussion"):
        response = client.get(diff_url(published.cycle), {"to": 1})

    assert response.status_code == 200
    assert (
        "There is only one version so far: nothing to compare yet."
        in response.content.decode()
    )


# Headings


def test_the_draft_page_s_headings_skip_no_level(client, submitted):
    # Given a draft coordinated by the community meeting, its section under the title
    with time_machine.travel(SUBMITTED_ON, tick=False):
        response = client.get(submitted.get_absolute_url())
    levels = [
        int(level) for level in re.findall(r"<h([1-6])\b", response.content.decode())
    ]

    # Then from the title down, no heading goes more than one level deeper than the last
    assert "The community meeting on version 1" in response.content.decode()
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in pairwise(levels))
