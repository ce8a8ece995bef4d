"""The residents' votes in the API: the list, a vote with its rules and result, and the
anonymised ballots of a counted vote, which recount to the published result."""

from fractions import Fraction

import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from tests.votes.conftest import CLOSED, OPEN, PREPARING, cast, make_voter
from votes import services
from votes.counting import pabulib, rules

KATO, YEAR = "115633000", 2027


def get(path, **params):
    response = APIClient().get(path, params)
    return response.status_code, response.json()


def detail_url() -> str:
    return reverse("api:residents_vote_detail", args=[KATO, YEAR])


def test_a_prepared_vote_shows_its_rules_and_no_ballot_yet(vote):
    with time_machine.travel(PREPARING, tick=False):
        status, body = get(detail_url())
    assert status == 200
    assert (body["status"], body["rule"], body["amount"], body["projects"]) == (
        "prepared",
        "equalshares/add1",
        5_000_000,
        [],
    )
    assert body["ballots"] is None and body["pabulib_file"] is None


def test_the_list_filters_by_unit_and_count(open_vote, territory):
    with time_machine.travel(OPEN, tick=False):
        status, body = get(reverse("api:residents_vote_list"), unit=KATO)
        assert status == 200
        assert [row["status"] for row in body["results"]] == ["open"]
        status, body = get(reverse("api:residents_vote_list"), is_counted="true")
        assert body["results"] == []


def test_a_counted_vote_gives_its_result_and_its_ballots_recount_it(
    open_vote, territory
):
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
        status, body = get(detail_url())
        assert status == 200
        assert body["ballots_online"] == 11
        selected = {p["id"] for p in body["projects"] if p["selected"]}
        lights = next(p for p in body["projects"] if p["title"].startswith("Street"))
        assert (lights["round"], lights["price_per_supporter"]) == (1, "287500")
        ballots = []
        page = body["ballots"]
        while page:
            status, listed = get(page)
            assert status == 200
            ballots += listed["results"]
            page = listed["next"]
    assert len(ballots) == 11
    assert set(ballots[0]) == {"voter_id", "vote", "points"}
    # Recounted from the API alone: the same projects
    projects = tuple(
        pabulib.Project(id=str(p["id"]), cost=Fraction(p["cost"]))
        for p in body["projects"]
    )
    index = {project.id: number for number, project in enumerate(projects)}
    election = pabulib.Election(
        budget=Fraction(body["amount"]),
        vote_type="approval",
        projects=projects,
        ballots=tuple(
            tuple(sorted(index[str(pk)] for pk in ballot["vote"])) for ballot in ballots
        ),
    )
    outcome = rules.tally(election, body["rule"])
    assert {int(pk) for pk in outcome.selected_ids(election)} == selected


def test_ballots_wait_for_the_count_and_an_unknown_vote_is_not_found(open_vote):
    with time_machine.travel(OPEN, tick=False):
        status, body = get(reverse("api:residents_vote_ballots", args=[KATO, YEAR]))
    assert status == 404 and body["code"] == "not_found"
    status, body = get(reverse("api:residents_vote_detail", args=[KATO, 2031]))
    assert status == 404
