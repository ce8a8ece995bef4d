"""The rules against the reference implementations, on generated votes (Hypothesis):
greedy and plain equal shares against `pabutools`, every rule a file may name against
`pabulib-checker` (which recomputes the outcome a file states and reports a rule not
followed)."""

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pabulib.checker import Checker
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from votes.counting import pabulib, rules

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def approval_votes(draw) -> pabulib.Election:
    """A vote of 1–8 projects and 1–40 ballots, each approving at least one project."""
    count = draw(st.integers(1, 8))
    costs = draw(st.lists(st.integers(1, 60), min_size=count, max_size=count))
    ballots = draw(
        st.lists(
            st.sets(st.integers(0, count - 1), min_size=1).map(
                lambda chosen: tuple(sorted(chosen))
            ),
            min_size=1,
            max_size=40,
        )
    )
    budget = draw(st.integers(1, sum(costs)))
    return pabulib.Election(
        budget=Fraction(budget),
        vote_type="approval",
        projects=tuple(
            pabulib.Project(id=f"{index:03d}", cost=Fraction(cost))
            for index, cost in enumerate(costs)
        ),
        ballots=tuple(ballots),
    )


def _pabutools(election: pabulib.Election):
    instance = Instance(budget_limit=int(election.budget))
    projects = [Project(p.id, int(p.cost)) for p in election.projects]
    instance.update(projects)
    profile = ApprovalProfile(
        [
            ApprovalBallot(projects[index] for index in ballot)
            for ballot in election.ballots
        ],
        instance=instance,
    )
    return instance, profile, projects


@given(approval_votes())
@EXAMPLES
def test_greedy_selects_what_pabutools_greedy_selects(election):
    instance, profile, _projects = _pabutools(election)
    # With cost satisfaction, pabutools' greedy takes the most votes first; ties go to
    # the project listed first, as ours.
    by_order = TieBreakingRule(lambda inst, prof, project: project.name)
    reference = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=by_order
    )

    ours = rules.tally(election, "greedy").selected_ids(election)

    assert sorted(ours) == sorted(project.name for project in reference)


@given(approval_votes())
@EXAMPLES
def test_equal_shares_selects_what_pabutools_equal_shares_selects(election):
    instance, profile, _projects = _pabutools(election)
    # Ties as ours: the cheaper project, then the one with more votes, then the order.
    ties = TieBreakingRule(
        lambda inst, prof, project: (
            project.cost,
            -prof.approval_score(project),
            project.name,
        )
    )
    reference = method_of_equal_shares(
        instance, profile, sat_class=Cost_Sat, tie_breaking=ties
    )

    outcome = rules.tally(election, "equalshares")

    assert sorted(outcome.selected_ids(election)) == sorted(p.name for p in reference)
    # Every purchase within what its supporters held: the money spent fits the budget.
    assert sum(election.projects[i].cost for i in outcome.selected) <= election.budget


def _checker_errors(tmp_path: Path, election, rule: str, selected) -> dict:
    dated = pabulib.Election(
        budget=election.budget,
        vote_type=election.vote_type,
        projects=election.projects,
        ballots=election.ballots,
        meta={
            "description": "generated",
            "country": "Kazakhstan",
            "unit": "test",
            "instance": "2027",
            "rule": rule,
            "date_begin": "01.03.2027",
            "date_end": "15.03.2027",
        },
    )
    path = tmp_path / "generated.pb"
    path.write_text(
        pabulib.write(dated, selected=selected),
        encoding="utf-8",
    )
    return Checker().process_files([str(path)])["generated"]["results"]["errors"]


@pytest.mark.parametrize(
    "rule",
    [
        "greedy",
        "greedy-no-skip",
        "equalshares",
        "equalshares/add1",
        "equalshares/add1-comparison",
    ],
)
def test_every_rule_follows_pabulib_checker(tmp_path_factory, rule):
    @given(approval_votes())
    @EXAMPLES
    def check(election):
        tmp_path = tmp_path_factory.mktemp("checked")
        approved = {index for ballot in election.ballots for index in ballot}
        # The checker raises the shares of add1 until the outcome no longer fits: it
        # never stops when every approved project fits (we stop once all are bought).
        assume(
            not rule.startswith("equalshares/add1")
            or sum(election.projects[index].cost for index in approved)
            > election.budget
        )
        outcome = rules.tally(election, rule)
        try:
            errors = _checker_errors(
                tmp_path, election, rule, outcome.selected_ids(election)
            )
        except ValueError as error:
            # The checker gives up on a tie that cost and votes do not break; we break
            # it by the order of the projects.
            assume("tie-breaking failed" not in str(error))
            raise
        followed = {kind: found for kind, found in errors.items() if "rule" in kind}
        assert followed == {}

    check()
