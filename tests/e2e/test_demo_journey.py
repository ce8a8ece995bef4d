"""On the demo's data, as `make run` loads it: the demo deputy signs in with the README's
password, finds the session open now on the deputy's page and casts a vote in it."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maslikhat.models import Ballot, VotingSession
from tests.budgets.factories import seed_classification

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_deputy_signs_in_and_votes_in_the_open_session(
    new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    seed_classification()
    call_command("load_demo", stdout=StringIO())
    session = VotingSession.objects.get(closed_at__isnull=True)
    deputy = new_page()

    # The deputy signs in with the demo's password
    deputy.goto("/en/accounts/login/")
    deputy.get_by_label("Email").fill("deputy@demo.qatysu.kz")
    deputy.get_by_label("Password", exact=True).fill("qatysu-demo-2026")
    deputy.get_by_role("button", name="Sign in").click()
    deputy.wait_for_url(re.compile(r"/en/accounts/profile/$"))

    # The deputy's page leads to the open session, and its roll call to the ballot
    deputy.goto("/en/maslikhat/")
    year = session.draft.cycle.fiscal_year
    deputy.get_by_role("link", name=f"Бурабай к.ә., {year}").click()
    deputy.wait_for_url(re.compile(rf"/votes/{session.pk}/$"))
    deputy.get_by_role("link", name="Cast your vote").click()
    deputy.wait_for_url(re.compile(rf"/votes/{session.pk}/ballot/$"))
    deputy.get_by_role("radio", name="for", exact=True).check()
    deputy.get_by_role("button", name="Continue").click()
    deputy.get_by_role("button", name="Confirm my vote").click()
    deputy.wait_for_url(re.compile(rf"/votes/{session.pk}/$"))
    expect(deputy.get_by_role("status")).to_have_text("Your vote is recorded.")

    # The vote is recorded; the chairman has still to vote, so the session is open
    ballot = Ballot.objects.get(session=session, deputy__email="deputy@demo.qatysu.kz")
    assert ballot.choice == "for"
    session.refresh_from_db()
    assert not session.is_closed
