"""Transparency journeys in the browser: the akimat records a quarter and corrects it, and
everyone follows plan against actual; a resident reads a unit's dashboard, compares the
units of the district and the region, and downloads the open data; with and without
JavaScript; every page of the dashboard and the open data passes axe in Kazakh, Russian
and English.

The live server runs in a thread of the test process, so `time_machine.travel(tick=True)`
moves the server's clock into the budget's year of execution.
"""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from budgets.models import ExecutionEntry
from tests.budgets import conftest as budgets_fixtures
from tests.budgets.conftest import at
from tests.budgets.test_execution import execute_known
from tests.portal.test_dashboard import proposals_written

pytestmark = pytest.mark.django_db(transaction=True)

akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle
adopted = budgets_fixtures.adopted

LANGUAGES = ["kk", "ru", "en"]
UNIT, DISTRICT, REGION = "115633000", "115600000", "110000000"
YEAR = 2027
EXECUTION = f"/units/{UNIT}/budget/{YEAR}/execution/"
DASHBOARD = f"/units/{UNIT}/dashboard/{YEAR}/"


def spaced(text: str) -> str:
    return text.replace("\xa0", " ")


def row(page, code: str):
    """The first table row of a budget line, found by its code."""
    return page.locator("tr", has=page.locator("td", has_text=code)).first


@pytest.fixture
def executed(adopted, staff, territory):
    """Two quarters reported and two lines corrected; five public proposals reviewed,
    decided or implemented (one hidden), the first supported by two residents."""
    from tests.accounts.factories import UserFactory

    execute_known(adopted, staff)
    proposals_written(adopted.cycle, count=5, supporters=[UserFactory(), UserFactory()])
    return adopted


def test_staff_record_a_quarter_correct_it_and_everyone_sees_plan_against_actual(
    new_page, adopted, staff, assert_accessible
):
    with time_machine.travel(at(YEAR, 4, 10), tick=True):
        # The akimat's staff open the execution and record the first quarter
        page = new_page(user=staff)
        page.goto(f"/en{EXECUTION}")
        page.get_by_role("link", name=re.compile("Record")).first.click()
        # It opens on the quarter just ended
        expect(page.get_by_role("heading", level=1)).to_contain_text("quarter 1")
        row(page, "124 008").locator("input[type=number]").fill("2100000")
        row(page, "124 008").locator("input[type=text]").fill("Жаңа шамдар")
        row(page, "1 04 3").locator("input[type=number]").fill("300000")
        # A negative amount is refused with its reason, and what was typed is kept
        row(page, "124 006").locator("input[type=number]").fill("-5")
        page.get_by_role("button", name="Record the quarter").click()
        expect(page.locator(".usa-error-message").first).to_be_visible()
        expect(row(page, "124 008").locator("input[type=number]")).to_have_value(
            "2100000"
        )
        assert ExecutionEntry.objects.count() == 0
        assert_accessible(page)
        row(page, "124 006").locator("input[type=number]").fill("")
        page.get_by_role("button", name="Record the quarter").click()
        expect(page.get_by_role("heading", level=2).first).to_be_visible()

        # Everyone reads plan against actual: 2,100,000 of 8,000,000 is 26.3%
        page = new_page()
        page.goto(f"/en{EXECUTION}")
        expect(row(page, "124 008")).to_contain_text("26.3")
        assert ExecutionEntry.objects.count() == 2

    with time_machine.travel(at(YEAR, 7, 15), tick=True):
        page = new_page(user=staff)
        # The staff correct the quarter through a confirmation step
        page.goto(f"/en/units/{UNIT}/budget/{YEAR}/execution/record/?quarter=1")
        page.get_by_role("link", name=re.compile("Correct 124 008")).click()
        page.get_by_label("Right total of the quarter", exact=False).fill("2400000")
        page.get_by_label("Reason for the correction").fill("Шілдедегі шот кешікті")
        page.get_by_role("button", name="Review the correction").click()
        expect(page.get_by_test_id("correction-summary")).to_contain_text(
            re.compile(r"to 2\s400\s000 ₸")
        )
        assert ExecutionEntry.objects.count() == 2
        assert_accessible(page)
        page.get_by_role("button", name="Confirm the correction").click()

        # The history keeps the report and its correction, the total is the new one
        page.goto(f"/en{EXECUTION}")
        expect(page.locator("body")).to_contain_text("Шілдедегі шот кешікті")
        expect(row(page, "124 008")).to_contain_text("30.0")
    amounts = sorted(
        ExecutionEntry.objects.filter(line__classification__code="124 008").values_list(
            "amount", flat=True
        )
    )
    assert amounts == [Decimal("300000.00"), Decimal("2100000.00")]


def test_a_resident_reads_the_dashboard_compares_units_and_downloads_the_data(
    new_page, executed
):
    with time_machine.travel(at(YEAR, 7, 20), tick=True):
        page = new_page()
        # From the unit page to its dashboard
        page.goto(f"/ru/units/{UNIT}/")
        page.get_by_test_id("dashboard-link").first.click()
        expect(page).to_have_url(re.compile(rf"/ru{DASHBOARD}$"))
        # Each chart is an image with a name, and a table with the same figures
        charts = page.locator("svg[role=img]")
        expect(charts.first).to_be_visible()
        assert charts.count() >= 3
        for index in range(charts.count()):
            assert charts.nth(index).locator("title").count() == 1
        funnel = page.locator("#dashboard-funnel tbody tr")
        expect(funnel.first).to_be_visible()
        submitted = funnel.first.locator("td").first
        expect(submitted).to_have_text("5")
        # The funnel counts the five public proposals, never their titles
        body = page.locator("main").inner_text()
        assert "Proposal 4" not in body

        # To the district, whose units are compared, sorted by a column
        page.locator(f".dashboard-areas a[href*='{DISTRICT}']").click()
        expect(page).to_have_url(re.compile(rf"/units/{DISTRICT}/dashboard/{YEAR}/"))
        # (the rural district, and the village and the town with budgets of their own)
        expect(page.get_by_test_id("comparison-row")).to_have_count(3)
        expect(page.locator(f"[data-kato='{UNIT}']")).to_have_count(1)
        header = page.locator("thead th a").nth(1)
        header.click()
        expect(page).to_have_url(re.compile(r"\?sort="))
        expect(page.locator("th[aria-sort]")).to_have_count(1)

        # Back to the budget, whose open data downloads parse back
        page.goto(f"/ru/units/{UNIT}/budget/{YEAR}/data/")
        with page.expect_download() as download_info:
            page.locator("a[href$='execution.csv']").click()
        download = download_info.value
        assert download.suggested_filename == f"qatysu-{UNIT}-{YEAR}-execution.csv"
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == ExecutionEntry.objects.count()
        with page.expect_download() as download_info:
            page.locator("a[href$='proposals.json']").click()
        proposals = json.loads(Path(download_info.value.path()).read_text())
        assert len(proposals) == 5


def test_the_dashboard_works_without_javascript(new_page, executed):
    with time_machine.travel(at(YEAR, 7, 20), tick=True):
        page = new_page(javascript=False)
        page.goto(f"/en{DASHBOARD}")
        expect(page.locator("svg[role=img]").first).to_be_visible()
        # The year is chosen with a plain form
        page.locator("form.dashboard-year select").select_option(str(YEAR - 1))
        page.locator("form.dashboard-year button").click()
        expect(page).to_have_url(re.compile(rf"/units/{UNIT}/dashboard/{YEAR - 1}/"))
        expect(page.locator("main")).to_contain_text(str(YEAR - 1))
        # The region's comparison is sorted by a plain link
        page.goto(f"/en/units/{REGION}/dashboard/{YEAR}/")
        page.locator("thead th a").nth(2).click()
        expect(page).to_have_url(re.compile(r"\?sort="))
        expect(page.get_by_test_id("comparison-row").first).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_transparency_page_is_accessible(
    new_page, assert_accessible, executed, staff, language
):
    pages = [
        DASHBOARD,
        f"/units/{DISTRICT}/dashboard/{YEAR}/",
        f"/units/{REGION}/dashboard/{YEAR}/?sort=-execution",
        f"/units/{UNIT}/dashboard/{YEAR + 1}/",
        EXECUTION,
        f"/units/{UNIT}/budget/{YEAR}/data/",
        "/open-data/",
    ]
    with time_machine.travel(at(YEAR, 7, 20), tick=True):
        page = new_page()
        for path in pages:
            response = page.goto(f"/{language}{path}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
        staff_page = new_page(user=staff)
        staff_page.goto(f"/{language}/units/{UNIT}/budget/{YEAR}/execution/record/")
        assert_accessible(staff_page)
        # A reported quarter's correction: the form, then its confirmation step
        line = executed.lines.filter(execution_entries__quarter=1).first()
        correct = f"/units/{UNIT}/budget/{YEAR}/execution/lines/{line.pk}/q1/correct/"
        response = staff_page.goto(f"/{language}{correct}")
        assert response.status == 200
        assert staff_page.url.endswith(correct)
        assert_accessible(staff_page)
        staff_page.locator("main input[name=new_total]").fill("1")
        staff_page.locator("main textarea, main input[name=reason]").first.fill(
            "Сверка"
        )
        staff_page.locator("main form button[type=submit]").first.click()
        expect(staff_page.get_by_test_id("correction-summary")).to_be_visible()
        assert_accessible(staff_page)
