"""Fixtures of proposals: the 2027 cycle of the rural district, its people, and proposals in
each status, reached through the services at the days they would happen."""

import datetime

import pytest
import time_machine

from accounts.models import Role
from budgets.models import ClassificationKind
from proposals import services
from proposals.models import (
    AkimDecision,
    ContentReport,
    ImplementationReport,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalPhoto,
    Review,
    Support,
)
from tests.accounts.factories import MembershipFactory, ResidencyFactory
from tests.budgets import conftest as budgets_fixtures
from tests.budgets.conftest import BALANCED, DAY_IN, at  # noqa: F401
from tests.budgets.factories import ClassificationFactory

# The budgets fixtures these build on: the 2027 cycle, its akim, its draft.
akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle
draft = budgets_fixtures.draft
published = budgets_fixtures.published

# The proposals of the 2027 cycle close on 30 April 2026; the review starts on 1 May.
PROPOSALS_END = datetime.date(2026, 4, 30)

# Every row of proposals: what a refused act leaves as it was (tests.refusals, which
# watches the audit trail and the notifications as well).
PROPOSAL_ROWS = (
    Proposal,
    ProposalPhoto,
    Support,
    ProposalComment,
    ProposalFollower,
    ContentReport,
    Review,
    AkimDecision,
    ImplementationReport,
)


@pytest.fixture
def function(db):
    return ClassificationFactory(
        kind=ClassificationKind.EXPENDITURE,
        code="E701",
        name_kk="Көшелерді жарықтандыру",
        name_ru="Освещение улиц",
    )


@pytest.fixture
def neighbour(territory):
    """A second verified resident of the rural district."""
    return ResidencyFactory(
        place=territory["village"], budget_unit=territory["rural_district"]
    ).user


@pytest.fixture
def outsider(territory):
    """A verified resident of another rural district of the same district."""
    unit = territory["other_rural_district"]
    return ResidencyFactory(place=unit, budget_unit=unit).user


@pytest.fixture
def moderator(territory):
    return MembershipFactory(role=Role.MODERATOR, unit=territory["region"]).user


def proposal_input(function, place, **overrides):
    values = {
        "title": "Street lights on Abai street",
        "description": "The street is dark in winter; eight lamps are needed.",
        "function": function,
        "place": place,
        "address": "Abai street",
        "cost_estimate": "2400000",
    }
    values.update(overrides)
    return services.ProposalInput(**values)


def make_draft(cycle, author, function, *, on=None, **overrides):
    with time_machine.travel(on or DAY_IN["proposals_open"], tick=False):
        return services.proposal_create(
            cycle=cycle,
            author=author,
            data=proposal_input(function, cycle.unit, **overrides),
        )


def make_submitted(cycle, author, function, **overrides):
    proposal = make_draft(cycle, author, function, **overrides)
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        return services.proposal_submit(proposal=proposal, actor=author)


def start_review(cycle, *, on=None):
    with time_machine.travel(on or at(2026, 5, 4), tick=False):
        return services.reviews_start(cycles=[cycle])


ASSESSMENT = services.AssessmentInput(
    assessment="recommended",
    is_within_competence=True,
    reasons="Within the akim's competence; the cost is realistic.",
    feasibility="Can be done in one summer.",
    assessed_cost="2300000",
)


@pytest.fixture
def submitted(cycle, resident, function):
    return make_submitted(cycle, resident, function)


@pytest.fixture
def under_review(submitted, cycle):
    start_review(cycle)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def recommended(under_review, staff):
    with time_machine.travel(at(2026, 5, 6), tick=False):
        return services.review_complete(
            proposal=under_review, actor=staff, data=ASSESSMENT
        )


@pytest.fixture
def approved(recommended, akim):
    with time_machine.travel(at(2026, 5, 8), tick=False):
        return services.proposal_decide(
            proposal=recommended,
            actor=akim,
            decision="approved",
            reason="Lighting is the first need residents named.",
        )


@pytest.fixture
def included(approved, draft, staff):
    line = draft.lines.get(classification__code="E701")
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        return services.proposal_include(proposal=approved, actor=staff, line=line)
