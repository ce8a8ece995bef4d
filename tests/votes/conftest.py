"""Fixtures of the residents' vote: the 2027 cycle of the rural district (its review ends
on 31 May 2026, its drafting on 30 September) holding a vote from 10 to 20 June 2026, the
approved proposals on its ballot, and residents old enough to vote."""

import datetime

import pytest
import time_machine

from accounts.iin import iin_digest
from accounts.models import Role
from budgets.models import ClassificationKind
from proposals import services as proposal_services
from tests.accounts.factories import MembershipFactory, ResidencyFactory, make_iin
from tests.budgets import conftest as budgets_fixtures
from tests.budgets.conftest import at
from tests.budgets.factories import ClassificationFactory
from votes import services
from votes.models import Ballot, BallotChoice, BallotPaper, Vote, VoteProject

akim = budgets_fixtures.akim
people = budgets_fixtures.people
cycle = budgets_fixtures.cycle

VOTE_STARTS = datetime.date(2026, 6, 10)
VOTE_ENDS = datetime.date(2026, 6, 20)
PREPARING = at(2026, 5, 10)
OPEN = at(2026, 6, 15)
CLOSED = at(2026, 6, 22)

# Every row of a vote: what a refused act leaves as it was (tests.refusals).
VOTE_ROWS = (Vote, VoteProject, Ballot, BallotChoice, BallotPaper)

# The proposals the akim approves, with their assessed cost: (title, tenge).
PROPOSALS = (
    ("Street lights on Abai street", "2300000"),
    ("A well in Akkol", "1500000"),
    ("A playground by the school", "3100000"),
    ("Repair of the club's roof", "4800000.40"),
)

RULES = services.VoteRules(
    amount=5_000_000,
    ballot_kind="approval",
    rule="equalshares/add1",
    min_choices=1,
    max_choices=2,
)


def rules(**changes) -> services.VoteRules:
    return services.VoteRules(**{**RULES.__dict__, **changes})


@pytest.fixture
def function(db):
    return ClassificationFactory(
        kind=ClassificationKind.EXPENDITURE,
        code="E701",
        name_kk="Көшелерді жарықтандыру",
        name_ru="Освещение улиц",
    )


_serial = iter(range(5000, 9999))


def make_voter(territory, *, born: str = "900101", century_sex: int = 3, place=None):
    """A verified resident of the rural district, with the date of birth of their IIN
    kept (as it is when they give their IIN); `voter.iin` is the IIN itself."""
    iin = make_iin(next(_serial), born=born, century_sex=century_sex)
    residency = ResidencyFactory(
        place=place or territory["village"],
        budget_unit=territory["rural_district"],
        user__iin=iin,
    )
    user = residency.user
    user.birth_date = datetime.date(
        {3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_sex] + int(iin[:2]),
        int(iin[2:4]),
        int(iin[4:6]),
    )
    user.save(update_fields=["birth_date"])
    user.iin = iin
    assert user.iin_digest == iin_digest(iin)
    return user


@pytest.fixture
def voter(territory):
    return make_voter(territory)


@pytest.fixture
def approved_proposals(cycle, function, territory, staff, akim):
    """The four proposals of PROPOSALS, each by its own resident, approved by the akim."""
    authors = [make_voter(territory) for _proposal in PROPOSALS]
    with time_machine.travel(at(2026, 3, 10), tick=False):
        proposals = [
            proposal_services.proposal_submit(
                proposal=proposal_services.proposal_create(
                    cycle=cycle,
                    author=author,
                    data=proposal_services.ProposalInput(
                        title=title,
                        description="Residents asked for it at the gathering.",
                        function=function,
                        place=territory["village"],
                        address="",
                        cost_estimate=cost,
                    ),
                ),
                actor=author,
            )
            for author, (title, cost) in zip(authors, PROPOSALS, strict=True)
        ]
    with time_machine.travel(at(2026, 5, 4), tick=False):
        proposal_services.reviews_start(cycles=[cycle])
    approved = []
    for proposal, (_title, cost) in zip(proposals, PROPOSALS, strict=True):
        with time_machine.travel(at(2026, 5, 6), tick=False):
            proposal.refresh_from_db()
            proposal_services.review_complete(
                proposal=proposal,
                actor=staff,
                data=proposal_services.AssessmentInput(
                    assessment="recommended",
                    is_within_competence=True,
                    reasons="Within the akim's competence.",
                    feasibility="Can be done in one summer.",
                    assessed_cost=cost,
                ),
            )
        with time_machine.travel(at(2026, 5, 8), tick=False):
            approved.append(
                proposal_services.proposal_decide(
                    proposal=proposal,
                    actor=akim,
                    decision="approved",
                    reason="Residents named it first.",
                )
            )
    return approved


def prepare(cycle, staff, **changes) -> Vote:
    with time_machine.travel(PREPARING, tick=False):
        return services.vote_prepare(
            cycle=cycle,
            rules=rules(**changes),
            starts_on=VOTE_STARTS,
            ends_on=VOTE_ENDS,
            actor=staff,
        )


@pytest.fixture
def vote(cycle, staff, approved_proposals):
    return prepare(cycle, staff)


@pytest.fixture
def open_vote(vote):
    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(vote)
    vote.refresh_from_db()
    return vote


def projects_by_title(vote) -> dict[str, VoteProject]:
    return {project.title: project for project in vote.projects.all()}


def cast(vote, voter, *titles, on=OPEN, points=None):
    """The voter marks the projects of these titles (or gives `points` by title)."""
    projects = projects_by_title(vote)
    choices = {projects[title].pk: 1 for title in titles}
    choices.update(
        {projects[title].pk: value for title, value in (points or {}).items()}
    )
    with time_machine.travel(on, tick=False):
        return services.ballot_cast(vote=vote, voter=voter, choices=choices)


@pytest.fixture
def akimat_clerk(territory):
    return MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    ).user


def papers_issue(vote, clerk, count=1, *, on=OPEN) -> range:
    """Numbered ballot papers issued for the vote while it is open: their numbers."""
    with time_machine.travel(on, tick=False):
        return services.ballot_papers_issue(vote=vote, actor=clerk, count=count)
