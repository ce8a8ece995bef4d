"""The API's maslikhat votes: the sessions with their counts, a session's roll call, public
exactly as on the session's page: every deputy's vote as it is cast, the result once
closed."""

from __future__ import annotations

import pytest
import time_machine

from budgets import services
from tests.api.conftest import UNIT_A, get
from tests.budgets.conftest import (
    BALANCED,
    at,
    draft_published,
    draft_submitted,
)
from tests.budgets.factories import phase_dates
from tests.maslikhat.factories import DURING, OPENS, ballots_cast, session_open

DISTRICT = {
    "kato_code": "115600000",
    "name_kk": "Зеренді ауданы",
    "name_ru": "Зерендинский район",
}


def session_url(session) -> str:
    return f"/api/v1/voting-sessions/{session.pk}/"


def test_the_sessions_are_listed_with_their_counts_and_result(api, data, reading):
    session = data["session"]

    response, body = get(api, "/api/v1/voting-sessions/")

    assert response.status_code == 200
    assert body["results"] == [
        {
            "id": session.pk,
            "version": 1,
            "opens_at": "2026-12-01T10:00:00+05:00",
            "closes_at": "2026-12-04T18:00:00+05:00",
            "closed_at": "2026-12-04T18:00:00+05:00",
            "outcome": "passed",
            "url": "http://testserver" + session_url(session),
            "unit": UNIT_A,
            "fiscal_year": 2027,
            "district": DISTRICT,
            "is_closed": True,
            "total_deputies": 10,
            "present": 9,
            "votes_for": 6,
            "votes_against": 1,
            "votes_abstain": 1,
        }
    ]


def test_the_roll_call_names_every_deputy_with_their_vote(api, data, reading):
    response, body = get(api, session_url(data["session"]))

    assert response.status_code == 200
    assert {
        key: body[key]
        for key in (
            "outcome",
            "is_closed",
            "is_open_now",
            "present",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "not_voted",
            "quorum_reached",
            "rules",
        )
    } == {
        "outcome": "passed",
        "is_closed": True,
        "is_open_now": False,
        "present": 9,
        "votes_for": 6,
        "votes_against": 1,
        "votes_abstain": 1,
        "not_voted": 1,
        "quorum_reached": True,
        "rules": {
            "quorum_numerator": 2,
            "quorum_denominator": 3,
            "majority_numerator": 1,
            "majority_denominator": 2,
            "present_needed": 7,
            "votes_needed": 6,
        },
    }
    assert [
        (row["deputy"], row["vote"], row["absence_reason"]) for row in body["roll_call"]
    ] == [
        ("Aigerim Abenova", "for", ""),
        ("Deputy001 Seat001", "for", ""),
        ("Deputy002 Seat002", "for", ""),
        ("Deputy003 Seat003", "for", ""),
        ("Deputy004 Seat004", "for", ""),
        ("Deputy005 Seat005", "for", ""),
        ("Deputy006 Seat006", "against", ""),
        ("Deputy007 Seat007", "abstain", ""),
        ("Deputy008 Seat008", "not_voted", ""),
        ("Deputy009 Seat009", "absent", "On a mission"),
    ]


@pytest.fixture
def open_session(data):
    """A session of the village administration's 2027 draft, open with two votes cast."""
    unit = data["territory"]["village_administration"]
    staff, chairman = data["staff"], data["maslikhat"][0]
    from accounts.models import Role
    from tests.accounts.factories import MembershipFactory

    unit_staff = MembershipFactory(role=Role.AKIMAT_STAFF, unit=unit).user
    akim = MembershipFactory(role=Role.AKIM, unit=unit).user
    with time_machine.travel(at(2026, 1, 15), tick=False):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=2027, actor=unit_staff, dates=phase_dates(2027)
        )
    draft = draft_submitted(
        draft_published(cycle, unit_staff, BALANCED), staff=unit_staff, akim=akim
    )
    assert staff != unit_staff
    session = session_open(draft, chairman, now=OPENS)
    maslikhat = data["maslikhat"]
    ballots_cast(session, [(maslikhat[1], "for"), (maslikhat[2], "against")])
    return session


def test_the_roll_call_of_an_open_session_shows_the_votes_so_far_and_no_result(
    api, data, open_session
):
    with time_machine.travel(DURING, tick=False):
        response, body = get(api, session_url(open_session))

    assert response.status_code == 200
    assert (body["is_closed"], body["is_open_now"], body["outcome"]) == (
        False,
        True,
        None,
    )
    assert (body["present"], body["votes_for"], body["votes_against"]) == (10, 1, 1)
    assert body["not_voted"] == 8
    # As on the page: each vote is public as soon as it is cast
    assert [(row["deputy"], row["vote"]) for row in body["roll_call"][:4]] == [
        ("Aigerim Abenova", "not_voted"),
        ("Deputy001 Seat001", "for"),
        ("Deputy002 Seat002", "against"),
        ("Deputy003 Seat003", "not_voted"),
    ]

    with time_machine.travel(DURING, tick=False):
        response, body = get(api, "/api/v1/voting-sessions/", is_closed="false")
    assert [(s["id"], s["outcome"], s["present"]) for s in body["results"]] == [
        (open_session.pk, None, 10)
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"is_closed": "true"}, 1),
        ({"outcome": "passed"}, 1),
        ({"outcome": "rejected"}, 0),
        ({"district": "115600000"}, 1),
        ({"district": "115633000"}, 0),
        ({"unit": "115633000", "fiscal_year": 2027}, 1),
        ({"unit": "115645000"}, 0),
    ],
)
def test_sessions_are_filtered(api, data, reading, params, expected):
    response, body = get(api, "/api/v1/voting-sessions/", **params)

    assert response.status_code == 200
    assert body["count"] == expected


def test_an_unknown_session_is_a_404(api, data, reading):
    response, body = get(api, "/api/v1/voting-sessions/999999/")

    assert response.status_code == 404
    assert body == {
        "code": "not_found",
        "detail": "There is no voting session so numbered.",
    }
