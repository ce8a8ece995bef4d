"""Ballots at the same moment on PostgreSQL: one per person whatever the interleaving and
the channel, a ballot being cast at the closing second either in the count or refused,
never half, and the count recorded once however many jobs run it."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from portal.models import AuditEvent
from tests.concurrency import at_once, postgresql_required
from tests.proposals.test_concurrency import (
    a_backend_waits_for_a_lock,
    first_call_held,
)
from tests.votes.conftest import (
    CLOSED,
    OPEN,
    make_voter,
    papers_issue,
    projects_by_title,
)
from votes import services
from votes.models import Ballot, BallotChoice, Outcome, Vote
from votes.services import ballots

RESIDENTS = 200
# PostgreSQL takes 100 connections, shared with whatever else runs against it.
WORKERS = 25
ALMATY = datetime.timezone(datetime.timedelta(hours=5))
CLOSES = datetime.datetime(2026, 6, 21, 0, 0, tzinfo=ALMATY)

postgresql = postgresql_required("ballots at once need PostgreSQL's row locks")


def _cast(vote, voter, project):
    return lambda: (
        services.ballot_cast(vote=vote, voter=voter, choices={project: 1}).voter_id
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_residents_voting_twice_at_once_leave_two_hundred_ballots(
    postgresql, open_vote, territory
):
    voters = [make_voter(territory) for _index in range(RESIDENTS)]
    well = projects_by_title(open_vote)["A well in Akkol"].pk
    vote = Vote.objects.get(pk=open_vote.pk)

    # When each casts a ballot, and the same ballot again, at the same moment
    calls = [_cast(vote, voter, well) for voter in voters for _twice in range(2)]
    with time_machine.travel(OPEN, tick=False):
        cast, refusals, errors = at_once(calls, workers=WORKERS)

    # Then each counts once, each second one is refused as such and recorded
    assert errors == []
    assert sorted(cast) == sorted(voter.pk for voter in voters)
    assert refusals == ["already_voted"] * RESIDENTS
    assert Ballot.objects.count() == RESIDENTS
    assert BallotChoice.objects.count() == RESIDENTS
    assert AuditEvent.objects.filter(verb="ballot.collision").count() == RESIDENTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_online_and_paper_for_the_same_person_at_once_leave_one_ballot(
    postgresql, open_vote, territory, staff
):
    vote = Vote.objects.get(pk=open_vote.pk)
    projects = projects_by_title(vote)
    voters = [make_voter(territory) for _index in range(20)]

    papers = papers_issue(vote, staff, len(voters))

    def paper(voter, number):
        return lambda: (
            services.ballot_enter_paper(
                vote=vote,
                actor=staff,
                iin=voter.iin,
                choices={projects["A playground by the school"].pk: 1},
                residency_seen=True,
                paper_number=number,
            ).voter_id
        )

    calls = []
    for voter, number in zip(voters, papers, strict=True):
        calls += [
            _cast(vote, voter, projects["A well in Akkol"].pk),
            paper(voter, number),
        ]
    with time_machine.travel(OPEN, tick=False):
        cast, refusals, errors = at_once(calls, workers=WORKERS)

    assert errors == []
    assert refusals == ["already_voted"] * len(voters)
    assert sorted(cast) == sorted(voter.pk for voter in voters)
    assert Ballot.objects.count() == len(voters)
    # Each ballot whole: one choice, the one of its channel
    for ballot in Ballot.objects.prefetch_related("choices__project"):
        (choice,) = ballot.choices.all()
        expected = (
            "A well in Akkol"
            if ballot.channel == "online"
            else "A playground by the school"
        )
        assert choice.project.title == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ballot_cast_at_the_closing_second_is_counted_whole(
    postgresql, open_vote, territory
):
    voter = make_voter(territory)
    vote = Vote.objects.get(pk=open_vote.pk)
    well = projects_by_title(vote)["A well in Akkol"].pk
    seen = []

    # Given a ballot that passed the clock a microsecond before the close and is still
    # being written when the clock job counts the vote
    counted = []

    def count() -> None:
        try:
            counted.append(services.vote_count(vote))
        finally:
            connection.close()

    with (
        time_machine.travel(
            CLOSES - datetime.timedelta(microseconds=1), tick=False
        ) as clock,
        first_call_held(ballots, "choices_check") as (reached, release),
    ):

        def count_once_the_ballot_is_held():
            assert reached.wait(timeout=30)
            clock.move_to(CLOSES + datetime.timedelta(minutes=1))
            job = threading.Thread(target=count)
            job.start()
            seen.append(a_backend_waits_for_a_lock())
            release.set()
            job.join(timeout=30)

        results, refusals, errors = at_once(
            [_cast(vote, voter, well)], while_running=count_once_the_ballot_is_held
        )

    # Then the count waited for the ballot and counted it
    assert seen == [True]
    assert (refusals, errors) == ([], [])
    assert (results, counted) == ([voter.pk], [True])
    well_project = vote.projects.get(pk=well)
    assert (well_project.votes, well_project.outcome) == (1, Outcome.SELECTED)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_close_job_run_twice_at_once_records_one_result(
    postgresql, open_vote, territory
):
    for _voter in range(3):
        voter = make_voter(territory)
        with time_machine.travel(OPEN, tick=False):
            services.ballot_cast(
                vote=open_vote,
                voter=voter,
                choices={projects_by_title(open_vote)["A well in Akkol"].pk: 1},
            )
    with time_machine.travel(CLOSED, tick=False):
        results, refusals, errors = at_once([services.votes_tick] * 2)
    assert (refusals, errors) == ([], [])
    assert sorted(result["counted"] for result in results) == [0, 1]
    assert AuditEvent.objects.filter(verb="vote.counted").count() == 1
