"""The residents' vote in the browser, at a phone's width: staff set it up from the cycle
page; residents vote with JavaScript (the running count) and without it, confirm, and keep
their receipt; staff enter a paper ballot; everyone reads the result. Every page of the
vote passes axe in Kazakh, Russian and English and is no wider than the phone.

The live server runs in a thread of the test process: `time_machine.travel(tick=True)`
moves its clock to the days of the vote."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.accounts.factories import make_iin
from tests.votes import conftest as votes_fixtures
from tests.votes.conftest import (
    CLOSED,
    OPEN,
    PREPARING,
    cast,
    make_voter,
    papers_issue,
)
from votes import services
from votes.models import Ballot, Vote

pytestmark = pytest.mark.django_db(transaction=True)

# The votes' fixtures these journeys build on.
akim = votes_fixtures.akim
cycle = votes_fixtures.cycle
function = votes_fixtures.function
approved_proposals = votes_fixtures.approved_proposals
vote = votes_fixtures.vote
open_vote = votes_fixtures.open_vote

LANGUAGES = ["kk", "ru", "en"]
PHONE = {"width": 390, "height": 844}
VOTE = "/units/115633000/budget/2027/vote/"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        page.url
    )


def on_phone(new_page, user=None, *, javascript=True):
    page = new_page(user, javascript=javascript)
    page.set_viewport_size(PHONE)
    return page


def test_staff_set_up_a_vote_from_the_cycle_page(
    new_page,
    assert_accessible,
    staff,
    cycle,
    approved_proposals,
):
    page = on_phone(new_page, staff)
    with time_machine.travel(PREPARING, tick=True):
        page.goto("/en/units/115633000/budget/2027/")
        page.get_by_role("link", name="Set up a residents' vote").click()
        for language in LANGUAGES:
            page.goto(f"/{language}{VOTE}setup/")
            assert_accessible(page)
            fits_the_phone(page)
        page.goto(f"/en{VOTE}setup/")
        page.get_by_label("Voting opens on").fill("2026-06-10")
        page.get_by_label("Voting closes at the end of").fill("2026-06-20")
        page.get_by_label("Amount set aside, tenge").fill("5000000")
        page.get_by_label("Approval: most projects to mark").fill("2")
        # A mistake first: the fewest above the most comes back with the reason
        page.get_by_label("Approval: fewest projects to mark").fill("3")
        page.get_by_role("button", name="Set up the vote").click()
        expect(page.get_by_role("alert").first).to_contain_text("no more than the most")
        assert page.get_by_label("Amount set aside, tenge").input_value() == "5000000"
        page.get_by_label("Approval: fewest projects to mark").fill("1")
        page.get_by_role("button", name="Set up the vote").click()
        expect(page.get_by_test_id("vote-rules")).to_contain_text("Mark from 1 to 2")
        expect(page.get_by_test_id("ballot-preview")).to_contain_text("A well in Akkol")
        for language in LANGUAGES:
            for path in ("", "projects/add/", "cancel/"):
                response = page.goto(f"/{language}{VOTE}{path}")
                assert response.status == 200
                assert page.url.endswith(f"{VOTE}{path}")
                assert page.locator("main form").count() >= (1 if path else 0)
                assert_accessible(page)
                fits_the_phone(page)
    assert Vote.objects.get().max_choices == 2


def test_a_resident_votes_with_the_running_count_and_keeps_the_receipt(
    new_page,
    assert_accessible,
    open_vote,
    territory,
):
    voter = make_voter(territory)
    page = on_phone(new_page, voter)
    with time_machine.travel(OPEN, tick=True):
        for language in LANGUAGES:
            page.goto(f"/{language}{VOTE}ballot/")
            assert_accessible(page)
            fits_the_phone(page)
        page.goto(f"/en{VOTE}")
        page.get_by_test_id("vote-button").click()
        tally = page.locator("[data-ballot-tally]")
        expect(tally).to_have_text("Marked: 0; you may mark 2 more.")
        page.get_by_label(re.compile("A well in Akkol")).check()
        page.get_by_label(re.compile("Street lights on Abai street")).check()
        page.get_by_label(re.compile("A playground by the school")).check()
        expect(tally).to_have_text("Marked: 3, 1 too many.")
        page.get_by_role("button", name="Continue").click()
        # The server says the same, and keeps the marks
        expect(page.get_by_role("alert").first).to_contain_text(
            "Mark at most 2 projects."
        )
        expect(
            page.get_by_label(re.compile("A playground by the school"))
        ).to_be_checked()
        page.get_by_label(re.compile("A playground by the school")).uncheck()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_test_id("ballot-confirm")).to_contain_text("A well in Akkol")
        assert_accessible(page)
        fits_the_phone(page)
        page.get_by_role("button", name="Cast my ballot").click()
        receipt = page.get_by_test_id("receipt")
        expect(receipt).to_have_text(Ballot.objects.get().receipt)
        expect(page.get_by_test_id("my-choices")).to_contain_text("Street lights")
        for language in LANGUAGES:
            page.goto(f"/{language}{VOTE}ballot/mine/")
            assert_accessible(page)
            fits_the_phone(page)


def test_a_resident_votes_without_javascript(new_page, open_vote, territory):
    voter = make_voter(territory)
    page = on_phone(new_page, voter, javascript=False)
    with time_machine.travel(OPEN, tick=True):
        page.goto(f"/kk{VOTE}ballot/")
        expect(page.locator("[data-ballot-tally]")).to_be_hidden()
        page.locator("input[name=projects]").first.check()
        page.locator("main form button[type=submit]").click()
        page.locator("button[name=confirm]").click()
        expect(page.get_by_test_id("receipt")).to_be_visible()
    assert Ballot.objects.get().voter == voter


def test_staff_enter_a_paper_ballot(new_page, assert_accessible, open_vote, staff):
    papers_issue(open_vote, staff, 3)
    page = on_phone(new_page, staff)
    with time_machine.travel(OPEN, tick=True):
        for language in LANGUAGES:
            page.goto(f"/{language}{VOTE}paper/")
            assert_accessible(page)
            fits_the_phone(page)
        page.goto(f"/en{VOTE}")
        page.get_by_role("link", name="Enter a paper ballot").click()
        iin = make_iin(808, born="600505")
        page.get_by_label("Number of the ballot paper").fill("1")
        page.get_by_label("The voter's IIN").fill(iin)
        page.get_by_label(re.compile("I saw a document")).check()
        page.get_by_label(re.compile("A well in Akkol")).check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_test_id("ballot-confirm")).to_contain_text("A well in Akkol")
        expect(page.locator("main")).to_contain_text(f"ends in {iin[-4:]}")
        page.get_by_role("button", name="Enter the ballot").click()
        expect(page.locator(".message-success")).to_contain_text(
            "The paper ballot is entered"
        )
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.entered_by, ballot.paper.number) == (
        "paper",
        staff,
        1,
    )


def test_everyone_reads_the_result(new_page, assert_accessible, open_vote, territory):
    for _voter in range(8):
        cast(
            open_vote,
            make_voter(territory),
            "Street lights on Abai street",
            "A playground by the school",
        )
    for _voter in range(3):
        cast(open_vote, make_voter(territory), "A well in Akkol")
    with time_machine.travel(CLOSED, tick=False):
        services.votes_tick()
    page = on_phone(new_page)
    with time_machine.travel(CLOSED, tick=True):
        page.goto(f"/en{VOTE}")
        page.get_by_test_id("results-link").click()
        expect(page.get_by_test_id("selected-projects")).to_contain_text(
            "Street lights on Abai street"
        )
        expect(page.get_by_test_id("purchase").first).to_contain_text(
            "Bought in round 1"
        )
        for language in LANGUAGES:
            page.goto(f"/{language}{VOTE}results/")
            assert_accessible(page)
            fits_the_phone(page)
