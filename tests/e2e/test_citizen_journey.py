"""The citizen's budget in the browser: from the cycle's page to the budget in plain
words, on a phone of 390 and of 320 pixels without scrolling sideways, without
JavaScript, accessible in Kazakh, Russian and English, with its page to print."""

import importlib
import re

import pytest
import time_machine
from playwright.sync_api import expect

from budgets import services
from budgets.models import BudgetClassification
from tests.budgets import conftest as budgets_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle

SEEDED = importlib.import_module("budgets.migrations.0002_classification_and_calendar")
PLAIN_NAMES = importlib.import_module(
    "budgets.migrations.0009_classification_plain_names"
)


@pytest.fixture
def adopted(cycle, staff, akim):
    """The adopted budget of tests.budgets.conftest, its entries as the migrations seed
    them: a transactional test flushes the seeded rows and the budget's lines make them
    anew, so their official names, groups and plain names are written back here."""
    draft = budgets_fixtures.draft_submitted(
        budgets_fixtures.draft_published(cycle, staff, budgets_fixtures.ADOPTED),
        staff=staff,
        akim=akim,
    )
    with time_machine.travel(budgets_fixtures.DAY_IN["maslikhat_vote"], tick=False):
        draft = services.draft_approve(draft=draft, actor=None)
    official = {
        code: (kk, ru, False, position)
        for code, kk, ru, position in SEEDED.EXPENDITURES
    }
    official |= {code: tuple(rest) for code, *rest in SEEDED.REVENUES}
    plain = PLAIN_NAMES.REVENUES | PLAIN_NAMES.EXPENDITURES
    for entry in BudgetClassification.objects.filter(code__in=list(official)):
        entry.name_kk, entry.name_ru, entry.is_transfer, entry.position = official[
            entry.code
        ]
        for field, value in zip(PLAIN_NAMES.FIELDS, plain[entry.code], strict=True):
            setattr(entry, field, value)
        entry.save()
    return draft


UNIT, YEAR = "115633000", 2027
PLAIN = {
    "kk": "Көшелерді жарықтандыру",
    "ru": "Освещение улиц",
    "en": "Lighting the streets",
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_resident_reads_the_budget_in_plain_words_on_a_phone(
    new_page, adopted, assert_accessible, language
):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{language}/units/{UNIT}/budget/{YEAR}/")
    page.get_by_test_id("citizen-link").click()
    expect(page).to_have_url(
        re.compile(rf"/{language}/units/{UNIT}/budget/{YEAR}/citizen/$")
    )
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_test_id("citizen-total")).to_contain_text("50")
    expect(page.locator("#citizen-spending")).to_contain_text(PLAIN[language])
    expect(page.get_by_test_id("citizen-group")).to_have_count(4)
    pdf = page.get_by_test_id("citizen-pdf")
    assert pdf.get_attribute("href") == (
        f"/{language}/units/{UNIT}/budget/{YEAR}/citizen.pdf"
    )
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (width, scroll_width)
        assert_accessible(page)


def test_the_budget_in_plain_words_needs_no_javascript(new_page, adopted):
    page = new_page(javascript=False)
    page.goto(f"/kk/units/{UNIT}/budget/{YEAR}/v1/")
    page.get_by_test_id("citizen-link").click()
    expect(page).to_have_url(
        re.compile(rf"/kk/units/{UNIT}/budget/{YEAR}/v1/citizen/$")
    )
    expect(page.get_by_test_id("citizen-per-resident")).to_contain_text("27")
    expect(page.get_by_test_id("citizen-transfers")).to_contain_text("46")
    expect(page.locator("#citizen-spending")).to_contain_text(PLAIN["kk"])


def test_the_page_to_print_opens_from_the_citizen_s_budget(new_page, adopted):
    page = new_page()
    page.goto(f"/ru/units/{UNIT}/budget/{YEAR}/citizen/")
    response = page.request.get(
        page.get_by_test_id("citizen-pdf").get_attribute("href")
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
