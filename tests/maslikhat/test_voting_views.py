"""The maslikhat's vote through its pages: the chairman's form, the ballot with its
confirmation, the public roll call (whole and as the htmx fragment), the deputies' page, who
is refused with which reason, and the roll call's fixed number of queries."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from maslikhat import tasks as maslikhat_tasks
from maslikhat.models import VotingSession
from portal.models import Level
from portal.permissions import refusal
from tests.accounts.factories import MembershipFactory
from tests.maslikhat.factories import (
    CLOSES,
    DURING,
    OPENS,
    ballots_cast,
    deputies_of,
    session_open,
    voting_record,
)
from tests.portal.factories import UnitFactory

MINUTE = datetime.timedelta(minutes=1)
AFTER = CLOSES + 60 * MINUTE
VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
    }
)


class _ByTestId(HTMLParser):
    """The text of every element with a data-testid, and of its cells."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, list[str]]] = []
        self._open: list[tuple[str, int, list[str], list[str]]] = []
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        self._depth += 1
        testid = dict(attrs).get("data-testid")
        if testid:
            self._open.append((testid, self._depth, [], []))
        if tag in ("th", "td") and self._open:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if tag in ("th", "td") and self._cell is not None:
            self._open[-1][3].append(_words("".join(self._cell)))
            self._cell = None
        if self._open and self._open[-1][1] == self._depth:
            testid, _depth, texts, cells = self._open.pop()
            self.found.append((testid, _words("".join(texts)), cells))
        self._depth -= 1

    def handle_data(self, data):
        for entry in self._open:
            entry[2].append(data)
        if self._cell is not None:
            self._cell.append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


def by_testid(response) -> dict[str, list]:
    """{testid: [text, ...]}, and for rows {"row": [[cell, ...], ...]}."""
    parser = _ByTestId()
    parser.feed(response.content.decode())
    found: dict[str, list] = {}
    for testid, text, cells in parser.found:
        found.setdefault(testid, []).append(cells if testid == "row" else text)
    return found


def refusal_reason(response) -> str:
    return by_testid(response)["refusal-reason"][0]


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def open_url(draft) -> str:
    return reverse(
        "maslikhat:session_open",
        kwargs={
            "kato_code": draft.cycle.unit.kato_code,
            "fiscal_year": draft.cycle.fiscal_year,
            "version": draft.version,
        },
    )


def ballot_url(session) -> str:
    return reverse("maslikhat:ballot", kwargs={"pk": session.pk})


def roll_call_url(session) -> str:
    return reverse("maslikhat:roll_call", kwargs={"pk": session.pk})


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


# The chairman opens a session.


def test_the_chairman_opens_a_session_from_the_form(
    client, submitted, maslikhat, chairman
):
    # Given the chairman on the form the morning of the session
    client.force_login(chairman)
    with time_machine.travel(OPENS - 60 * MINUTE, tick=False):
        page = client.get(open_url(submitted))

        # Then every current deputy is listed, present by default
        assert page.status_code == 200
        content = page.content.decode()
        for deputy in maslikhat:
            assert (
                f'name="present_{deputy.pk}" class="usa-checkbox__input" '
                f'id="id_present_{deputy.pk}" checked' in content
            )
            assert f'name="reason_{deputy.pk}"' in content

        # When they mark one deputy absent with a reason and open the session
        absent = maslikhat[4]
        form = {
            "opens_at": "2026-12-01T10:00",
            "closes_at": "2026-12-04T18:00",
            **{
                f"present_{deputy.pk}": "on" for deputy in maslikhat if deputy != absent
            },
            f"reason_{absent.pk}": "On a mission to Astana",
        }
        response = client.post(open_url(submitted), form)

    # Then the session is open on the roll call, with the times, presence and reason
    session = VotingSession.objects.get()
    assert response.status_code == 302
    assert response.url == roll_call_url(session)
    assert message_texts(response) == ["The voting session is open."]
    assert (session.opens_at, session.closes_at, session.total_deputies) == (
        OPENS,
        CLOSES,
        10,
    )
    assert sorted(
        session.members.values_list("deputy_id", "is_present", "absence_reason")
    ) == sorted(
        (
            deputy.pk,
            deputy != absent,
            "On a mission to Astana" if deputy == absent else "",
        )
        for deputy in maslikhat
    )


def test_an_absence_without_a_reason_is_a_form_error(
    client, submitted, maslikhat, chairman
):
    # Given the chairman who unticks a deputy and gives no reason
    client.force_login(chairman)
    absent = maslikhat[2]
    form = {
        "opens_at": "2026-12-01T10:00",
        "closes_at": "2026-12-04T18:00",
        **{f"present_{deputy.pk}": "on" for deputy in maslikhat if deputy != absent},
        f"reason_{absent.pk}": "  ",
    }
    before = voting_record()

    # When they open the session
    with time_machine.travel(OPENS, tick=False):
        response = client.post(open_url(submitted), form)

    # Then the form says so beside that deputy, and nothing is opened
    assert response.status_code == 400
    assert response.context["form"].errors == {
        f"reason_{absent.pk}": ["Give the reason of every absence."]
    }
    assert (
        '<span class="usa-error-message">Give the reason of every absence.</span>'
        in (response.content.decode())
    )
    assert voting_record() == before


def test_a_session_the_service_refuses_is_a_form_error(
    client, submitted, maslikhat, chairman
):
    # Given the chairman who gives a closing time already past
    client.force_login(chairman)
    form = {
        "opens_at": "2026-11-30T10:00",
        "closes_at": "2026-11-30T18:00",
        **{f"present_{deputy.pk}": "on" for deputy in maslikhat},
    }
    before = voting_record()

    with time_machine.travel(OPENS, tick=False):
        response = client.post(open_url(submitted), form)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A session closes after it opens, and in the future."
    ]
    assert voting_record() == before


@pytest.mark.parametrize(
    "who", ["deputy", "staff", "akim", "chairman_of_another_district"]
)
def test_only_the_chairman_of_the_district_maslikhat_opens_a_session(
    client, submitted, maslikhat, territory, staff, akim, who
):
    other_district = UnitFactory(level=Level.DISTRICT, parent=territory["region"])
    user = {
        "deputy": maslikhat[1],
        "staff": staff,
        "akim": akim,
        "chairman_of_another_district": deputies_of(
            other_district, 1, role=Role.MASLIKHAT_CHAIRMAN
        )[0],
    }[who]
    client.force_login(user)
    form = {
        "opens_at": "2026-12-01T10:00",
        "closes_at": "2026-12-04T18:00",
        **{f"present_{deputy.pk}": "on" for deputy in maslikhat},
    }
    before = voting_record()

    with time_machine.travel(OPENS, tick=False):
        page = client.get(open_url(submitted))
        response = client.post(open_url(submitted), form)

    for refused in (page, response):
        assert refused.status_code == 403
        assert refusal_reason(refused) == str(refusal("maslikhat.open_session"))
    assert voting_record() == before


@pytest.mark.parametrize(
    ("who", "stage", "offered"),
    [
        ("chairman", "submitted", True),
        ("chairman", "session_open", False),
        ("chairman", "published", False),
        ("deputy", "submitted", False),
        ("akim", "submitted", False),
    ],
)
def test_the_cycle_page_offers_a_session_exactly_when_one_may_be_opened(
    client, request, maslikhat, chairman, akim, who, stage, offered
):
    # Given the draft published, submitted, or submitted with a session open on it
    draft = request.getfixturevalue(
        "published" if stage == "published" else "submitted"
    )
    if stage == "session_open":
        session_open(draft, chairman)
    client.force_login(
        {"chairman": chairman, "deputy": maslikhat[1], "akim": akim}[who]
    )

    # When they read the cycle's page while a session would be held
    with time_machine.travel(DURING, tick=False):
        page = client.get(draft.cycle.get_absolute_url())

    # Then the link to open one is there only when the rule lets the act through
    assert page.status_code == 200
    assert (f'href="{open_url(draft)}"' in page.content.decode()) is offered


def test_anonymous_visitors_are_sent_to_sign_in_to_open_a_session(
    client, submitted, maslikhat
):
    before = voting_record()

    with time_machine.travel(OPENS, tick=False):
        response = client.post(open_url(submitted), {"opens_at": "2026-12-01T10:00"})

    assert response.status_code == 302
    assert response.url == login_url(open_url(submitted))
    assert voting_record() == before


# A deputy votes.


def test_a_deputy_votes_after_a_confirmation_that_the_vote_is_final(
    client, submitted, maslikhat, chairman
):
    # Given an open session and a present deputy on the roll call
    session = session_open(submitted, chairman)
    deputy = maslikhat[3]
    client.force_login(deputy)
    with time_machine.travel(DURING, tick=False):
        roll_call = client.get(roll_call_url(session))
        assert f'href="{ballot_url(session)}"' in roll_call.content.decode()
        page = client.get(ballot_url(session))
        assert page.status_code == 200
        before = voting_record()

        # When they choose "against"
        confirming = client.post(ballot_url(session), {"choice": "against"})

        # Then the page shows the choice back and that the vote is final; nothing is cast
        assert confirming.status_code == 200
        assert confirming.context["confirming"] is True
        content = confirming.content.decode()
        assert "You vote: <strong>against</strong>." in content
        assert "A vote is final: it cannot be changed or taken back." in content
        assert '<input type="hidden" name="choice" value="against">' in content
        assert voting_record() == before

        # When they confirm
        response = client.post(
            ballot_url(session), {"choice": "against", "confirm": "1"}
        )

    # Then the vote is recorded and they are back on the roll call
    assert response.status_code == 302
    assert response.url == roll_call_url(session)
    assert message_texts(response) == ["Your vote is recorded."]
    assert list(session.ballots.values_list("deputy_id", "choice")) == [
        (deputy.pk, "against")
    ]


def test_a_ballot_without_a_choice_is_a_form_error(
    client, submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    client.force_login(maslikhat[1])
    before = voting_record()

    with time_machine.travel(DURING, tick=False):
        response = client.post(ballot_url(session), {"confirm": "1"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "choice": ["Vote for, against or abstain."]
    }
    assert voting_record() == before


def _deputy_of_another_district(territory):
    other_district = UnitFactory(level=Level.DISTRICT, parent=territory["region"])
    return deputies_of(other_district, 1)[0]


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (
            "deputy_of_another_district",
            "Only the deputies of this district's maslikhat vote in its sessions.",
        ),
        (
            "absent_deputy",
            "You are recorded as absent from this session and cannot vote in it.",
        ),
        ("deputy_who_has_voted", "You have already voted in this session."),
        (
            "deputy_who_joined_after_the_opening",
            "Only the deputies of this district's maslikhat vote in its sessions.",
        ),
    ],
)
def test_a_deputy_who_may_not_vote_is_refused_with_the_reason(
    client, submitted, maslikhat, chairman, territory, who, reason
):
    # Given an open session with one deputy absent and one who has voted
    session = session_open(
        submitted, chairman, absences={maslikhat[9].pk: "On a mission"}
    )
    ballots_cast(session, [(maslikhat[1], "for")])
    user = {
        "deputy_of_another_district": lambda: _deputy_of_another_district(territory),
        "absent_deputy": lambda: maslikhat[9],
        "deputy_who_has_voted": lambda: maslikhat[1],
        "deputy_who_joined_after_the_opening": lambda: (
            MembershipFactory(
                role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
            ).user
        ),
    }[who]()
    client.force_login(user)
    before = voting_record()

    # When they open the ballot, choose, and confirm
    with time_machine.travel(DURING, tick=False):
        responses = [
            client.get(ballot_url(session)),
            client.post(ballot_url(session), {"choice": "against"}),
            client.post(ballot_url(session), {"choice": "against", "confirm": "1"}),
        ]
        roll_call = client.get(roll_call_url(session))

    # Then each step answers 403 with the reason, and nothing is cast
    for response in responses:
        assert response.status_code == 403
        assert refusal_reason(response) == reason
    assert voting_record() == before
    # And the roll call offers them no ballot
    assert ballot_url(session) not in roll_call.content.decode()


def test_a_ballot_after_the_closing_time_is_refused_with_a_message(
    client, submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    client.force_login(maslikhat[1])
    before = voting_record()

    with time_machine.travel(CLOSES, tick=False):
        response = client.post(ballot_url(session), {"choice": "for", "confirm": "1"})

    assert response.status_code == 302
    assert response.url == roll_call_url(session)
    assert message_texts(response) == ["This session is closed."]
    assert voting_record() == before


def test_anonymous_visitors_are_sent_to_sign_in_to_vote(
    client, submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    before = voting_record()

    with time_machine.travel(DURING, tick=False):
        response = client.post(ballot_url(session), {"choice": "for", "confirm": "1"})

    assert response.status_code == 302
    assert response.url == login_url(ballot_url(session))
    assert voting_record() == before


# The public roll call.


def _a_closed_session(submitted, maslikhat, chairman):
    """Six for, one against, one abstained, one did not vote, one absent; closed by the
    job at the deadline as passed (six of ten is more than half)."""
    session = session_open(
        submitted, chairman, absences={maslikhat[9].pk: "On a mission"}
    )
    ballots_cast(
        session,
        [(deputy, "for") for deputy in maslikhat[:6]]
        + [(maslikhat[6], "against"), (maslikhat[7], "abstain")],
    )
    with time_machine.travel(CLOSES, tick=False):
        assert maslikhat_tasks.voting_sessions_close_due.delay().get() == 1
    return session


def test_the_roll_call_shows_every_deputy_s_vote_the_totals_the_rule_and_the_result(
    client, submitted, maslikhat, chairman
):
    # Given a closed session
    session = _a_closed_session(submitted, maslikhat, chairman)

    # When anyone opens its roll call
    with time_machine.travel(AFTER, tick=False):
        response = client.get(roll_call_url(session))

    # Then each deputy is listed by name with their vote, "did not vote" or "absent"
    assert response.status_code == 200
    found = by_testid(response)
    assert found["row"] == [
        ["Aigerim Abenova", "for"],
        ["Deputy001 Seat001", "for"],
        ["Deputy002 Seat002", "for"],
        ["Deputy003 Seat003", "for"],
        ["Deputy004 Seat004", "for"],
        ["Deputy005 Seat005", "for"],
        ["Deputy006 Seat006", "against"],
        ["Deputy007 Seat007", "abstain"],
        ["Deputy008 Seat008", "did not vote"],
        ["Deputy009 Seat009", "absent (On a mission)"],
    ]
    # And the totals, the quorum reached, the rule applied and the result
    assert {
        key: found[key]
        for key in (
            "total",
            "present",
            "for",
            "against",
            "abstain",
            "not-voted",
            "quorum",
            "outcome",
        )
    } == {
        "total": ["10"],
        "present": ["9"],
        "for": ["6"],
        "against": ["1"],
        "abstain": ["1"],
        "not-voted": ["1"],
        "quorum": ["at least 2/3 of all deputies present (7): reached"],
        "outcome": ["the draft is approved"],
    }
    content = response.content.decode()
    assert '<dd>"for" from more than 1/2 of all deputies (6 votes)</dd>' in content
    assert "hx-get" not in content
    assert ballot_url(session) not in content


def test_a_session_on_version_1_offers_no_comparison_with_a_previous_version(
    client, submitted, maslikhat, chairman
):
    # Given a session on version 1 of the draft, which has no previous version
    session = session_open(submitted, chairman)
    client.force_login(maslikhat[3])

    # When a deputy opens the roll call and the ballot
    with time_machine.travel(DURING, tick=False):
        pages = [client.get(roll_call_url(session)), client.get(ballot_url(session))]

    # Then neither links to a comparison that has nothing to compare
    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        assert "What changed since the previous version" not in content
        assert "/diff/" not in content
        assert f'href="{submitted.get_absolute_url()}"' in content


def test_the_roll_call_of_a_void_session_says_the_quorum_was_not_reached(
    client, submitted, maslikhat, chairman
):
    session = session_open(
        submitted,
        chairman,
        absences={deputy.pk: "On leave" for deputy in maslikhat[6:]},
    )
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:6]])

    with time_machine.travel(DURING, tick=False):
        found = by_testid(client.get(roll_call_url(session)))

    assert found["quorum"] == ["at least 2/3 of all deputies present (7): not reached"]
    assert found["outcome"] == ["no quorum: the session is void"]
    assert (found["present"], found["for"]) == (["6"], ["6"])


def test_the_roll_call_of_an_open_session_shows_the_count_so_far_and_refreshes(
    client, submitted, maslikhat, chairman
):
    # Given an open session where two have voted
    session = session_open(submitted, chairman)
    ballots_cast(session, [(maslikhat[1], "for"), (maslikhat[2], "against")])

    with time_machine.travel(DURING, tick=False):
        response = client.get(roll_call_url(session))

    found = by_testid(response)
    content = response.content.decode()
    assert "The count so far" in content
    assert (
        f'data-hx-get="{roll_call_url(session)}" data-hx-trigger="every 10s" data-hx-swap="innerHTML"'
        in content
    )
    assert "outcome" not in found
    assert (found["for"], found["against"], found["not-voted"]) == (
        ["1"],
        ["1"],
        ["8"],
    )
    assert found["row"][3] == ["Deputy003 Seat003", "did not vote"]
    # And the public is offered no ballot
    assert ballot_url(session) not in content


def test_the_htmx_refresh_returns_only_the_roll_call_s_body(
    client, submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    ballots_cast(session, [(maslikhat[1], "for")])

    with time_machine.travel(DURING, tick=False):
        response = client.get(roll_call_url(session), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert [template.name for template in response.templates] == [
        "maslikhat/includes/roll_call_body.html"
    ]
    content = response.content.decode()
    assert content.lstrip().startswith('<section aria-labelledby="result-heading"')
    assert "<html" not in content
    assert "<nav" not in content
    assert by_testid(response)["for"] == ["1"]


def test_the_htmx_refresh_of_a_closed_session_stops_the_polling(
    client, submitted, maslikhat, chairman
):
    # Given a session closed at its deadline
    session = _a_closed_session(submitted, maslikhat, chairman)

    with time_machine.travel(AFTER, tick=False):
        response = client.get(roll_call_url(session), headers={"HX-Request": "true"})

    # Then the final count comes with 286, htmx's answer to stop polling
    assert response.status_code == 286
    assert by_testid(response)["outcome"] == ["the draft is approved"]


def test_a_session_not_yet_open_offers_no_ballot(
    client, submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman, now=OPENS - 60 * MINUTE)
    client.force_login(maslikhat[1])

    with time_machine.travel(OPENS - MINUTE, tick=False):
        response = client.get(roll_call_url(session))

    content = response.content.decode()
    assert "(not open yet)" in content
    assert ballot_url(session) not in content


# The deputies' page.


def test_a_deputy_sees_the_sessions_of_their_district(
    client, submitted, maslikhat, chairman, territory
):
    # Given an open session of the district and a session of another district's maslikhat
    session = session_open(submitted, chairman)
    client.force_login(maslikhat[2])

    with time_machine.travel(DURING, tick=False):
        response = client.get(reverse("maslikhat:deputy_sessions"))

    assert response.status_code == 200
    assert list(response.context["sessions"]) == [session]
    assert response.context["awaiting"] == []
    content = response.content.decode()
    assert f'href="{roll_call_url(session)}"' in content
    assert "Drafts submitted to your maslikhat" not in content


def test_a_deputy_of_another_district_does_not_see_the_sessions(
    client, submitted, maslikhat, chairman, territory
):
    session_open(submitted, chairman)
    client.force_login(_deputy_of_another_district(territory))

    with time_machine.travel(DURING, tick=False):
        response = client.get(reverse("maslikhat:deputy_sessions"))

    assert response.status_code == 200
    assert list(response.context["sessions"]) == []
    assert response.context["awaiting"] == []


def test_the_chairman_sees_the_drafts_awaiting_a_session_until_one_is_open(
    client, submitted, maslikhat, chairman
):
    client.force_login(chairman)
    url = reverse("maslikhat:deputy_sessions")

    # Given the submitted draft with no session: it awaits one, with the link to open it
    with time_machine.travel(OPENS - 60 * MINUTE, tick=False):
        response = client.get(url)
    assert response.context["awaiting"] == [submitted]
    assert f'href="{open_url(submitted)}"' in response.content.decode()

    # When a session is open, the draft no longer awaits
    session = session_open(
        submitted,
        chairman,
        absences={deputy.pk: "On leave" for deputy in maslikhat[6:]},
    )
    with time_machine.travel(DURING, tick=False):
        response = client.get(url)
    assert response.context["awaiting"] == []
    assert list(response.context["sessions"]) == [session]

    # When it closed void, the draft awaits a new session again
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:6]])
    with time_machine.travel(DURING, tick=False):
        response = client.get(url)
    assert response.context["awaiting"] == [submitted]
    assert list(response.context["sessions"]) == [session]
    assert "no quorum: the session is void" in response.content.decode()


def test_the_deputies_page_is_refused_to_others(client, submitted, staff):
    client.force_login(staff)

    response = client.get(reverse("maslikhat:deputy_sessions"))

    assert response.status_code == 403
    assert refusal_reason(response) == "This page is for maslikhat deputies."


def test_anonymous_visitors_are_sent_to_sign_in_for_the_deputies_page(client, db):
    url = reverse("maslikhat:deputy_sessions")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == login_url(url)


# The roll call's cost.

PINNED_QUERIES = {"anonymous": 3, "deputy": 6}


@pytest.mark.parametrize("who", ["anonymous", "deputy"])
@pytest.mark.parametrize("seats", [10, 100])
def test_the_roll_call_costs_the_same_queries_for_10_and_100_deputies(
    client, submitted, chairman, territory, django_assert_num_queries, seats, who
):
    # Given a maslikhat of `seats`, a tenth absent, half of the others who voted
    maslikhat = [chairman, *deputies_of(territory["district"], seats - 1)]
    absent = maslikhat[-(seats // 10) :]
    session = session_open(
        submitted, chairman, absences={deputy.pk: "On leave" for deputy in absent}
    )
    voters = maslikhat[: (seats - len(absent)) // 2]
    choices = ("for", "against", "abstain")
    ballots_cast(
        session,
        [(deputy, choices[index % 3]) for index, deputy in enumerate(voters)],
    )
    if who == "deputy":
        client.force_login(maslikhat[-len(absent) - 1])

    # When the roll call is read, then it costs a fixed number of queries
    with (
        time_machine.travel(DURING, tick=False),
        django_assert_num_queries(PINNED_QUERIES[who]),
    ):
        response = client.get(roll_call_url(session))
    assert response.status_code == 200
    assert len(by_testid(response)["row"]) == seats
