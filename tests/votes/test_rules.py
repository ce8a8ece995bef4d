"""The rules on small votes worked out by hand: what each selects and why, in words a
resident could check."""

from fractions import Fraction

import pytest

from votes.counting import pabulib, rules


def vote(budget, costs, ballots, *, vote_type="approval", points=None, meta=None):
    return pabulib.Election(
        budget=Fraction(budget),
        vote_type=vote_type,
        projects=tuple(
            pabulib.Project(id=name, cost=Fraction(cost))
            for name, cost in costs.items()
        ),
        ballots=tuple(
            tuple(list(costs).index(name) for name in ballot) for ballot in ballots
        ),
        points=points,
        meta=meta or {},
    )


# Two villages: the big one (6 voters) wants its road and its square, the small one
# (4 voters) its well. Greedy gives the big village everything; equal shares gives each
# village its part of the money.
VILLAGES = vote(
    1000,
    {"road": 600, "square": 400, "well": 400},
    [("road", "square")] * 6 + [("well",)] * 4,
)


def test_greedy_lets_the_biggest_village_take_everything():
    outcome = rules.tally(VILLAGES, "greedy")

    assert outcome.selected_ids(VILLAGES) == ["road", "square"]
    assert outcome.scores == (6, 6, 4)


def test_equal_shares_gives_each_village_its_share():
    outcome = rules.tally(VILLAGES, "equalshares")

    # Each voter holds 100: the big village 600, the small one 400. The road and the
    # square each cost a sixth of the big village's share per supporter, the well a
    # quarter of the small one's: the square (the cheaper of the two) is bought first,
    # at 66⅔ a supporter; the big village then holds 200, too little for the road; the
    # well is bought at 100 a supporter.
    assert outcome.share == 100
    assert outcome.selected_ids(VILLAGES) == ["square", "well"]
    square, well = outcome.purchases
    assert (square.round, square.price, square.payers) == (1, Fraction(200, 3), 6)
    assert (well.round, well.price, well.payers) == (2, 100, 4)


def test_add1_raises_the_shares_while_the_outcome_still_fits():
    # The shares rise a unit at a time. At 167 each the big village, having paid for
    # its square, still holds 600: it buys the road too, and the outcome (1,400) no
    # longer fits; the last that fits is kept, at 166 each.
    outcome = rules.tally(VILLAGES, "equalshares/add1")

    assert outcome.selected_ids(VILLAGES) == ["square", "well"]
    assert outcome.share == 166


def test_add1_stops_once_everything_that_can_be_bought_is():
    # Every project fits the budget: raising the shares ends when all are bought.
    cheap = vote(1000, {"a": 100, "b": 200}, [("a",), ("b",), ("a", "b")])

    outcome = rules.tally(cheap, "equalshares/add1")

    assert sorted(outcome.selected_ids(cheap)) == ["a", "b"]


def test_the_comparison_keeps_greedy_when_more_voters_prefer_it():
    # Equal shares buys the small village's well; greedy buys the hall four of the six
    # voters want, which more voters prefer: Wieliczka's comparison keeps greedy.
    hall = vote(
        1000,
        {"hall": 1000, "well": 300},
        [("hall",)] * 4 + [("well",)] * 2,
    )

    shares = rules.tally(hall, "equalshares")
    compared = rules.tally(hall, "equalshares-comparison")

    assert shares.selected_ids(hall) == ["well"]
    assert compared.greedy_stood is True
    assert compared.selected_ids(hall) == ["hall"]
    assert [hall.projects[i].id for i in compared.compared] == ["hall"]


def test_the_comparison_keeps_equal_shares_when_no_more_voters_prefer_greedy():
    compared = rules.tally(VILLAGES, "equalshares/add1-comparison")

    # Greedy buys the road and the square (two projects for each of the 6), equal
    # shares the square and the well (one for each of the 10): 6 voters have more under
    # greedy, 4 under equal shares, so greedy's outcome stands.
    assert compared.greedy_stood is True
    assert compared.selected_ids(VILLAGES) == ["road", "square"]


def test_greedy_threshold_leaves_out_projects_under_the_threshold():
    election = vote(
        1000,
        {"road": 600, "square": 400, "well": 400},
        [("road", "square")] * 6 + [("well",)] * 4,
        meta={"min_project_score_threshold": "5"},
    )

    outcome = rules.tally(election, "greedy-threshold")

    assert outcome.selected_ids(election) == ["road", "square"]
    assert rules.tally(election, "greedy").selected_ids(election) == ["road", "square"]
    cheaper = vote(
        1200,
        {"road": 600, "square": 500, "well": 100},
        [("road", "square")] * 6 + [("well",)] * 4,
        meta={"min_project_score_threshold": "5"},
    )
    assert rules.tally(cheaper, "greedy").selected_ids(cheaper) == [
        "road",
        "square",
        "well",
    ]
    assert rules.tally(cheaper, "greedy-threshold").selected_ids(cheaper) == [
        "road",
        "square",
    ]


def test_cumulative_points_rank_by_score():
    election = vote(
        700,
        {"road": 600, "well": 100, "bench": 100},
        [("road", "well"), ("well", "bench"), ("bench",)],
        vote_type="cumulative",
        points=((1, 4), (3, 2), (5,)),
    )

    outcome = rules.tally(election, "greedy")

    # Scores: road 1, well 7, bench 7; the road no longer fits after the two.
    assert outcome.scores == (1, 7, 7)
    assert outcome.selected_ids(election) == ["well", "bench"]
    with pytest.raises(rules.RuleError):
        rules.tally(election, "equalshares")


def test_an_unknown_rule_is_refused():
    with pytest.raises(rules.RuleError, match="Unknown rule 'borda'"):
        rules.tally(VILLAGES, "borda")
