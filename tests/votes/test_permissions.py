"""The permission matrix of the residents' vote through its pages: every role × every act ×
a moment before, during and after the vote; each (act, moment, role) is one test.

When a person in a role does the act through its page:
- anonymous: sent to sign in;
- a role the rule refuses: 403 with the rule's reason;
- the right role at the wrong moment: sent back to the vote's page (or the cycle's) saying
  why;
- the right role at the right moment: the change happens.
Every refusal asserts that nothing changed. And a page offers an act exactly when its rule
lets it through.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from budgets.models import Phase
from portal.permissions import allows, refusal
from tests.accounts.factories import make_iin
from tests.budgets.conftest import at
from tests.refusals import unchanged
from tests.votes.conftest import CLOSED, OPEN, PREPARING, VOTE_ROWS, prepare
from votes import services
from votes.models import Ballot, BallotPaper, Vote, VoteProject

KATO, YEAR = "115633000", 2027
ROLES = (
    "anonymous",
    "resident_of_another_unit",
    "resident",
    "staff_of_another_unit",
    "staff",
    "akim",
    "deputy",
    "moderator",
)
STAFF = frozenset({"staff", "akim"})
MOMENTS = {"before": PREPARING, "open": OPEN, "after": CLOSED}


def url(name: str, *args) -> str:
    return reverse(f"votes:{name}", args=[KATO, YEAR, *args])


@pytest.fixture
def bare_vote(cycle, staff):
    """A vote of the 2027 cycle with one project the akimat added, frozen at its opening."""
    vote = prepare(cycle, staff)
    with time_machine.travel(PREPARING, tick=False):
        services.project_add(
            vote=vote,
            title="Benches",
            description="",
            cost=300_000,
            reason="Asked for at the gathering.",
            place=None,
            actor=staff,
        )
    return vote


@pytest.fixture
def everyone(people):
    """The people of the budgets' matrix, the resident with their date of birth known."""
    people["resident"].birth_date = datetime.date(1990, 1, 1)
    people["resident"].save(update_fields=["birth_date"])
    return people


SETUP = {
    "starts_on": "2026-06-10",
    "ends_on": "2026-06-20",
    "amount": "5000000",
    "ballot_kind": "approval",
    "min_choices": "1",
    "max_choices": "2",
    "rule": "greedy",
    "min_age": "18",
}


def _project(vote) -> int:
    return VoteProject.objects.get(vote=vote).pk


# Each act: its page, what it posts, who may (roles), when (moments), and what changed.
ACTS = {
    "change": (
        lambda vote: url("vote_setup"),
        lambda vote: SETUP,
        STAFF,
        {"before"},
        lambda vote: Vote.objects.get(pk=vote.pk).rule == "greedy",
    ),
    "add_project": (
        lambda vote: url("project_add"),
        lambda vote: {"title": "Lamps", "cost": "10", "reason": "The akimat's plan."},
        STAFF,
        {"before"},
        lambda vote: VoteProject.objects.filter(title="Lamps").exists(),
    ),
    "cancel": (
        lambda vote: url("vote_cancel"),
        lambda vote: {},
        STAFF,
        {"before"},
        lambda vote: not Vote.objects.exists(),
    ),
    "cast": (
        lambda vote: url("ballot"),
        lambda vote: {"projects": [_project(vote)], "confirm": "1"},
        frozenset({"resident"}),
        {"open"},
        lambda vote: Ballot.objects.filter(channel="online").exists(),
    ),
    "enter_paper": (
        lambda vote: url("paper_ballot"),
        lambda vote: {
            "projects": [_project(vote)],
            "iin": make_iin(321, born="700101"),
            "residency_seen": "on",
            "paper_number": "1",
            "confirm": "1",
        },
        STAFF,
        {"open"},
        lambda vote: Ballot.objects.filter(channel="paper").exists(),
    ),
}
RULE_OF = {
    "change": "votes.change",
    "add_project": "votes.change",
    "cancel": "votes.change",
    "cast": "votes.cast",
    "enter_paper": "votes.enter_paper",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("act", list(ACTS))
def test_the_matrix(client, bare_vote, everyone, act, moment, role):
    page, data, roles, moments, changed = ACTS[act]
    person = everyone[role]
    if person is not None:
        client.force_login(person)
    with time_machine.travel(MOMENTS[moment], tick=False):
        if moment != "before":
            services.vote_freeze(bare_vote)
            # Paper № 1, printed at the opening (a built row: the clerk is a role here).
            BallotPaper.objects.create(
                vote=bare_vote, number=1, issued_by=everyone["staff"]
            )
        if role in roles and moment in moments:
            response = client.post(page(bare_vote), data(bare_vote))
            assert response.status_code == 302, response.content.decode()[:2000]
            assert changed(bare_vote)
            return
        with unchanged(*VOTE_ROWS, Phase):
            response = client.post(page(bare_vote), data(bare_vote))
    if person is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role not in roles:
        assert response.status_code == 403
        assert escape(str(refusal(RULE_OF[act]))) in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == url("vote_detail")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(2026, 2, 10), True),  # planned
        (at(2026, 5, 10), True),  # the review
        (at(2026, 7, 1), False),  # drafting: too late
    ],
)
def test_setting_up_a_vote(client, cycle, everyone, moment, allowed, role):
    person = everyone[role]
    if person is not None:
        client.force_login(person)
    with time_machine.travel(moment, tick=False):
        if role in STAFF and allowed:
            response = client.post(url("vote_setup"), SETUP)
            assert response.status_code == 302
            assert Vote.objects.filter(cycle=cycle).exists()
            return
        with unchanged(*VOTE_ROWS, Phase):
            response = client.post(url("vote_setup"), SETUP)
    if person is None:
        assert "/accounts/login/" in response["Location"]
    elif role not in STAFF:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == cycle.get_absolute_url()


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("role", ROLES)
def test_the_vote_page_offers_an_act_exactly_when_its_rule_lets_it_through(
    client, bare_vote, everyone, moment, role
):
    person = everyone[role]
    if person is not None:
        client.force_login(person)
    with time_machine.travel(MOMENTS[moment], tick=False):
        body = client.get(url("vote_detail")).content.decode()
        vote = Vote.objects.select_related("cycle__unit").get(pk=bare_vote.pk)
        user = person if person is not None else _anonymous()
        for link, rule in (
            (url("vote_setup"), "votes.change"),
            (url("project_add"), "votes.change"),
            (url("ballot"), "votes.cast"),
            (url("paper_ballot"), "votes.enter_paper"),
        ):
            assert (f'href="{link}"' in body) == allows(user, rule, vote), (link, rule)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
