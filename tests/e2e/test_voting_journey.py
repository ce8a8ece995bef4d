"""The maslikhat's vote in the browser: the chairman opens a session from the cycle page,
three deputies vote through the ballot and its confirmation, the public roll call shows them
and refreshes itself, the draft is approved and the cycle adopted; every voting page passes
axe in Kazakh, Russian and English.

The live server runs in a thread of the test process, so `time_machine.travel(tick=True)`
moves the server's clock to the days of the vote; the browser's own timers stay real, so the
roll call's htmx polling runs at its real pace.
"""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.models import Role
from budgets import services, signals
from budgets.models import DraftStatus, MeetingDecision
from maslikhat import services as maslikhat_services
from maslikhat import tasks as maslikhat_tasks
from maslikhat.models import Ballot, SessionOutcome, VotingSession
from tests.accounts.factories import MembershipFactory
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import lines, phase_dates

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["kk", "ru", "en"]
UNIT = "115633000"
CYCLE = f"/units/{UNIT}/budget/2027/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# 10 December 2026, noon in Kazakhstan: the maslikhat's vote (1–25 December).
VOTING_DAY = DAY_IN["maslikhat_vote"]
HTMX = "/static/vendor/htmx.min.js"
# The roll call polls every 10 s: a new count shows within one poll and some slack.
POLL_WAIT_MS = 15_000

# The district maslikhat: four seats, the chairman and three deputies, in the roll call's
# order (by last name). Three "for" of four pass: more than half of all the seats.
SEATS = [
    (Role.MASLIKHAT_CHAIRMAN, "Aigerim", "Abenova"),
    (Role.MASLIKHAT_DEPUTY, "Bauyrzhan", "Dauletov"),
    (Role.MASLIKHAT_DEPUTY, "Gulnara", "Ermekova"),
    (Role.MASLIKHAT_DEPUTY, "Nurlan", "Zhaksybekov"),
]


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def maslikhat(territory):
    return [
        MembershipFactory(
            role=role,
            unit=territory["district"],
            user__first_name=first,
            user__last_name=last,
        ).user
        for role, first, last in SEATS
    ]


@pytest.fixture
def chairman(maslikhat):
    return maslikhat[0]


@pytest.fixture
def deputies(maslikhat):
    return maslikhat[1:]


@pytest.fixture
def submitted(territory, staff, akim):
    """Version 1 of the rural district's 2027 budget, coordinated and under vote."""
    with time_machine.travel(at(2026, 1, 15), tick=False):
        cycle = services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2027,
            actor=staff,
            dates=phase_dates(2027),
        )
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=lines(
                revenue={"R101": "3000000", "TR201": "45000000"},
                expenditure={"E701": "20000000", "E801": "28000000"},
            ),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        services.draft_publish(draft=draft, actor=staff)
    with time_machine.travel(at(2026, 11, 12), tick=False):
        services.meeting_record(
            draft=draft,
            actor=staff,
            held_on=at(2026, 11, 11).date(),
            members_total=15,
            members_present=12,
            decision=MeetingDecision.COORDINATED,
            remarks="",
            minutes=SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        )
        return services.draft_submit(draft=draft, actor=akim)


@pytest.fixture
def voting(submitted, chairman, deputies):
    """A session opened on the voting day for three days; the last deputy is absent."""
    with time_machine.travel(VOTING_DAY, tick=False):
        return maslikhat_services.session_open(
            draft=submitted,
            actor=chairman,
            opens_at=VOTING_DAY,
            closes_at=VOTING_DAY + datetime.timedelta(days=3),
            absences={deputies[2].pk: "On a business trip"},
        )


@pytest.fixture
def adoptions():
    sent = []

    def on_adopted(sender, draft, **kwargs):
        sent.append(draft.pk)

    signals.draft_adopted.connect(on_adopted, weak=False, dispatch_uid="e2e_adoptions")
    yield sent
    signals.draft_adopted.disconnect(dispatch_uid="e2e_adoptions")


def facts(page) -> dict[str, str]:
    listing = page.locator("#roll-call dl.facts")
    return dict(
        zip(
            listing.locator("dt").all_inner_texts(),
            listing.locator("dd").all_inner_texts(),
            strict=True,
        )
    )


def roll(page) -> list[list[str]]:
    return [
        row.locator("th, td").all_inner_texts()
        for row in page.get_by_test_id("row").all()
    ]


def vote_through_the_ballot(page, choice: str) -> None:
    """Choose, read the confirmation, confirm; back on the roll call."""
    page.get_by_role("radio", name=choice, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/votes/\d+/ballot/$"))
    expect(page.locator("main .usa-intro")).to_have_text(f"You vote: {choice}.")
    expect(page.locator("main")).to_contain_text(
        "A vote is final: it cannot be changed or taken back."
    )
    page.get_by_role("button", name="Confirm my vote").click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Your vote is recorded.")


def test_the_chairman_opens_a_session_three_deputies_vote_and_the_budget_is_adopted(
    new_page, submitted, chairman, deputies, adoptions
):
    with time_machine.travel(VOTING_DAY, tick=True) as traveller:
        # The chairman opens the session from the cycle page; everyone is present.
        chair = new_page(user=chairman)
        chair.goto(f"/en{CYCLE}")
        expect(chair.get_by_test_id("cycle-phase")).to_have_text(
            "vote of the maslikhat"
        )
        chair.get_by_role("link", name="Open a voting session").click()
        chair.wait_for_url(re.compile(r"/2027/v1/vote/$"))
        assert chair.locator("h1").inner_text() == (
            "Open a voting session on the 2027 budget of Ортақ ауылдық округі, "
            "version 1"
        )
        assert chair.get_by_label("Opens at").input_value() == "2026-12-10T12:00"
        assert chair.get_by_label("Closes at").input_value() == "2026-12-13T12:00"
        for _role, first, last in SEATS:
            expect(
                chair.get_by_role("checkbox", name=f"{first} {last} is present")
            ).to_be_checked()
        chair.get_by_role("button", name="Open the session").click()
        chair.wait_for_url(re.compile(r"/votes/\d+/$"))
        expect(chair.get_by_role("status")).to_have_text("The voting session is open.")
        roll_call_url = chair.url
        session = VotingSession.objects.get()
        assert (
            session.total_deputies,
            session.members.filter(is_present=True).count(),
        ) == (4, 4)

        # The first deputy finds the session on their page, changes their mind once on the
        # confirmation, and votes "for".
        first = new_page(user=deputies[0])
        first.goto("/en/maslikhat/")
        first.get_by_role("link", name="Ортақ ауылдық округі, 2027").click()
        first.wait_for_url(roll_call_url)
        first.get_by_role("link", name="Cast your vote").click()
        first.wait_for_url(re.compile(r"/votes/\d+/ballot/$"))
        first.get_by_role("radio", name="against", exact=True).check()
        first.get_by_role("button", name="Continue").click()
        expect(first.locator("main .usa-intro")).to_have_text("You vote: against.")
        first.get_by_role("link", name="Choose again").click()
        assert not Ballot.objects.exists()
        vote_through_the_ballot(first, "for")
        assert first.get_by_role("link", name="Cast your vote").count() == 0

        # The other two vote "for" from the roll call.
        for deputy in deputies[1:]:
            page = new_page(user=deputy)
            page.goto(roll_call_url)
            page.get_by_role("link", name="Cast your vote").click()
            vote_through_the_ballot(page, "for")

        # Anyone reads the count so far: the chairman has not voted yet.
        public = new_page()
        public.goto(roll_call_url)
        expect(public.locator("#roll-call h2")).to_have_text("The count so far")
        assert roll(public) == [
            ["Aigerim Abenova", "did not vote"],
            ["Bauyrzhan Dauletov", "for"],
            ["Gulnara Ermekova", "for"],
            ["Nurlan Zhaksybekov", "for"],
        ]
        assert facts(public)["For"] == "3"
        assert facts(public)["Did not vote"] == "1"
        assert "Result" not in facts(public)
        session.refresh_from_db()
        assert not session.is_closed

        # The session closes at its closing time: the beat job finds it.
        traveller.move_to(VOTING_DAY + datetime.timedelta(days=3, minutes=5))
        assert maslikhat_tasks.voting_sessions_close_due() == 1
        public.reload()
        expect(public.locator("#roll-call h2")).to_have_text("Result")
        assert roll(public) == [
            ["Aigerim Abenova", "did not vote"],
            ["Bauyrzhan Dauletov", "for"],
            ["Gulnara Ermekova", "for"],
            ["Nurlan Zhaksybekov", "for"],
        ]
        assert facts(public) == {
            "Session": "10 December 2026, 12:00 – 13 December 2026, 12:00 (closed)",
            "Deputies of the maslikhat": "4",
            "Present": "4",
            "For": "3",
            "Against": "0",
            "Abstained": "0",
            "Did not vote": "1",
            "Quorum": "at least 2/3 of all deputies present (3): reached",
            "Rule to pass": '"for" from more than 1/2 of all deputies (3 votes)',
            "Result": "the draft is approved",
        }

        # The cycle page: adopted, and the session with its result.
        public.goto(f"/en{CYCLE}")
        expect(public.get_by_test_id("cycle-phase")).to_have_text("adopted")
        vote = public.locator("section", has=public.locator("#vote-heading"))
        expect(vote).to_contain_text(
            "Session of 10 December 2026 — the draft is approved"
        )

    submitted.refresh_from_db()
    session.refresh_from_db()
    assert submitted.status == DraftStatus.APPROVED
    assert session.outcome == SessionOutcome.PASSED
    assert adoptions == [submitted.pk]
    assert list(
        Ballot.objects.order_by("deputy__last_name").values_list(
            "deputy__last_name", "choice"
        )
    ) == [("Dauletov", "for"), ("Ermekova", "for"), ("Zhaksybekov", "for")]


def test_the_roll_call_refreshes_itself_with_javascript_and_on_reload_without(
    new_page, voting, deputies, chairman
):
    url = f"/en/votes/{voting.pk}/"
    with time_machine.travel(VOTING_DAY + datetime.timedelta(hours=1), tick=True):
        page = new_page()
        fragments = []
        page.on(
            "response",
            lambda response: (
                fragments.append(response.status)
                if response.request.headers.get("hx-request") == "true"
                else None
            ),
        )
        with page.expect_response(lambda r: r.url.endswith(HTMX)) as htmx_response:
            page.goto(url)
        assert htmx_response.value.status == 200
        assert page.evaluate("typeof window.htmx") == "object"
        assert (
            page.locator("#roll-call").get_attribute("data-hx-trigger") == "every 10s"
        )
        still = new_page(javascript=False)
        still.goto(url)
        for shown in (page, still):
            expect(shown.get_by_test_id("for")).to_have_text("0")
            expect(shown.get_by_test_id("not-voted")).to_have_text("3")
        # A mark on the window: it survives only if the page is not reloaded.
        page.evaluate("window.notReloaded = true")

        maslikhat_services.ballot_cast(session=voting, deputy=deputies[0], choice="for")
        expect(page.get_by_test_id("for")).to_have_text("1", timeout=POLL_WAIT_MS)
        expect(page.get_by_test_id("not-voted")).to_have_text("2")
        assert page.evaluate("window.notReloaded") is True
        assert fragments and set(fragments) == {200}
        assert roll(page) == [
            ["Aigerim Abenova", "did not vote"],
            ["Bauyrzhan Dauletov", "for"],
            ["Gulnara Ermekova", "did not vote"],
            ["Nurlan Zhaksybekov", "absent (On a business trip)"],
        ]

        # Without JavaScript nothing refreshes; a reload shows the same.
        assert still.get_by_test_id("for").inner_text() == "0"
        still.reload()
        assert facts(still) == facts(page)
        assert roll(still) == roll(page)

        # The last present deputies' votes close the session: the fragment the next poll
        # gets has the result and tells htmx, by its status 286, to stop polling.
        maslikhat_services.ballot_cast(session=voting, deputy=chairman, choice="for")
        maslikhat_services.ballot_cast(session=voting, deputy=deputies[1], choice="for")
        fragment = page.request.get(url, headers={"HX-Request": "true"})
        assert fragment.status == 286
        assert "the draft is approved" in fragment.text()
        assert "<html" not in fragment.text()
        still.reload()
        expect(still.get_by_test_id("outcome")).to_have_text("the draft is approved")


def test_every_voting_page_is_accessible_in_each_language(
    new_page, assert_accessible, submitted, chairman, deputies
):
    open_path = f"{CYCLE}v1/vote/"
    with time_machine.travel(VOTING_DAY, tick=True) as traveller:
        chair = new_page(user=chairman)
        # Before any session: the chairman's page lists the draft awaiting a session, and
        # the form to open one, also as it comes back with an absence without a reason.
        for language in LANGUAGES:
            for path in ("/maslikhat/", open_path):
                response = chair.goto(f"/{language}{path}")
                assert response.status == 200, chair.url
                assert chair.locator("html").get_attribute("lang") == language
                assert_accessible(chair)
                if path == "/maslikhat/":
                    expect(
                        chair.locator(f'main a[href="/{language}{open_path}"]')
                    ).to_have_count(1)
            chair.locator("main input[type=checkbox]").last.uncheck()
            chair.locator("main form button[type=submit]").click()
            expect(chair.locator(".usa-error-message")).to_have_count(1)
            assert_accessible(chair)
        assert not VotingSession.objects.exists()

        session = maslikhat_services.session_open(
            draft=submitted,
            actor=chairman,
            opens_at=VOTING_DAY,
            closes_at=VOTING_DAY + datetime.timedelta(days=3),
            absences={deputies[2].pk: "On a business trip"},
        )
        maslikhat_services.ballot_cast(
            session=session, deputy=deputies[0], choice="abstain"
        )
        deputy = new_page(user=deputies[1])
        ballot_path = f"/votes/{session.pk}/ballot/"
        for language in LANGUAGES:
            # The deputy's page; the open roll call (a vote, one who has not voted, one
            # absent) with the link to vote; the ballot and its confirmation.
            for path in ("/maslikhat/", f"/votes/{session.pk}/", ballot_path):
                response = deputy.goto(f"/{language}{path}")
                assert response.status == 200, deputy.url
                assert deputy.locator("html").get_attribute("lang") == language
                assert_accessible(deputy)
                if path == f"/votes/{session.pk}/":
                    expect(
                        deputy.locator(f'main a[href="/{language}{ballot_path}"]')
                    ).to_have_count(1)
            deputy.locator("input[type=radio][value=for]").check()
            deputy.locator("main form button[type=submit]").click()
            expect(deputy.locator("button[name=confirm]")).to_be_visible()
            assert_accessible(deputy)
            # The ballot sent without a choice comes back with the error.
            deputy.goto(f"/{language}/votes/{session.pk}/ballot/")
            deputy.locator("main form button[type=submit]").click()
            expect(deputy.locator(".usa-error-message")).to_have_count(1)
            assert_accessible(deputy)
        assert Ballot.objects.count() == 1

        # The closed roll call, with its result.
        traveller.move_to(VOTING_DAY + datetime.timedelta(days=3, minutes=5))
        assert maslikhat_services.sessions_close_due() == 1
        public = new_page()
        for language in LANGUAGES:
            public.goto(f"/{language}/votes/{session.pk}/")
            expect(public.get_by_test_id("outcome")).to_be_visible()
            assert_accessible(public)
