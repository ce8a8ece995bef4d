"""Equal shares as counted (groups of voters, whole-number sums and screened comparisons)
against the rule computed the plain way, voter by voter in fractions, on generated votes
(Hypothesis): the same purchases (round, price, payers), the same add1 share."""

from fractions import Fraction

from gmpy2 import mpq
from hypothesis import given, settings
from hypothesis import strategies as st

from votes.counting import pabulib, rules

EXAMPLES = settings(max_examples=200, deadline=None)


@st.composite
def approval_votes(draw, most: int = 12) -> pabulib.Election:
    """A vote of 1–7 projects and 1–30 ballots, with small costs (up to `most`) so that
    prices, shares and what voters hold often come out equal (ties are where counting
    errs)."""
    count = draw(st.integers(1, 7))
    costs = draw(st.lists(st.integers(0, most), min_size=count, max_size=count))
    ballot = st.sets(st.integers(0, count - 1)).map(
        lambda chosen: tuple(sorted(chosen))
    )
    ballots = draw(st.lists(ballot, min_size=1, max_size=30))
    budget = draw(st.integers(1, max(sum(costs), 1)))
    return pabulib.Election(
        budget=Fraction(budget),
        vote_type="approval",
        projects=tuple(
            pabulib.Project(id=f"{index:03d}", cost=Fraction(cost))
            for index, cost in enumerate(costs)
        ),
        ballots=tuple(ballots),
    )


def plain_price(held: list[Fraction], cost: Fraction) -> Fraction | None:
    """The least price at which supporters holding `held` buy a project: those holding
    less pay all they hold. None when all they hold is too little."""
    held = sorted(held)
    if sum(held) < cost:
        return None
    for short, holding in enumerate(held):
        price = (cost - sum(held[:short])) / (len(held) - short)
        if price <= holding:
            return price
    raise AssertionError("the supporters hold enough")


def plain_equal_shares(election: pabulib.Election, share: Fraction) -> list:
    """Equal shares voter by voter: each round, every project's price from what its
    supporters hold; the least part of its cost wins (ties: cheaper, more votes,
    listed first)."""
    holds = [share] * len(election.ballots)
    supporters = [
        [voter for voter, ballot in enumerate(election.ballots) if index in ballot]
        for index in range(len(election.projects))
    ]
    remaining = [
        index
        for index, project in enumerate(election.projects)
        if project.cost > 0 and supporters[index]
    ]
    purchases = []
    while True:
        offers = []
        for index in remaining:
            cost = election.projects[index].cost
            held = [holds[voter] for voter in supporters[index] if holds[voter] > 0]
            price = plain_price(held, cost)
            if price is not None:
                votes = len(supporters[index])
                offers.append((price / cost, cost, -votes, index, price, len(held)))
        if not offers:
            return purchases
        _rate, _cost, _votes, index, price, payers = min(offers)
        for voter in supporters[index]:
            holds[voter] -= min(holds[voter], price)
        purchases.append(rules.Purchase(index, len(purchases) + 1, price, payers))
        remaining.remove(index)


def plain_add1(election: pabulib.Election) -> tuple[list, Fraction]:
    """add1 as the rule says it: equal shares again at every whole share from the first
    one's whole part up, keeping the last that fits the budget."""
    share = election.budget / len(election.ballots)
    purchases = plain_equal_shares(election, share)
    buyable = {
        index
        for index, project in enumerate(election.projects)
        if project.cost > 0 and any(index in ballot for ballot in election.ballots)
    }
    whole = int(share)
    while len(purchases) < len(buyable):
        whole += 1
        raised = plain_equal_shares(election, Fraction(whole))
        if sum(election.projects[p.project].cost for p in raised) > election.budget:
            break
        purchases, share = raised, Fraction(whole)
    return purchases, share


@given(approval_votes())
@EXAMPLES
def test_equal_shares_buys_what_the_plain_count_buys(election):
    outcome = rules.tally(election, "equalshares")

    share = election.budget / len(election.ballots)
    assert list(outcome.purchases) == plain_equal_shares(election, share)
    assert outcome.share == share


# Small costs for ties; costs of hundreds against a few voters, where add1 goes up by
# hundreds of shares and passes over most of them.
@given(st.one_of(approval_votes(), approval_votes(most=400)))
@settings(max_examples=400, deadline=None)
def test_add1_keeps_the_share_and_purchases_of_the_plain_count(election):
    outcome = rules.tally(election, "equalshares/add1")

    purchases, share = plain_add1(election)
    assert list(outcome.purchases) == purchases
    assert outcome.share == share


@given(
    approval_votes(most=60),
    st.fractions(min_value=0, max_value=40, max_denominator=6),
    st.lists(st.fractions(min_value=0, max_value=1), min_size=1, max_size=6),
)
@EXAMPLES
def test_the_outcome_stays_the_same_below_the_share_where_it_may_change(
    election, share, steps
):
    counter = rules._Counter(election)
    purchases = counter.run(share)
    until = rules._stable_until(
        counter, mpq(share.numerator, share.denominator), purchases
    )

    # Then every share from this one to the one found (or any above, without one) buys
    # the same projects in the same order
    reach = (
        Fraction(int(until.numerator), int(until.denominator)) - share
        if until is not None
        else Fraction(100)
    )
    assert reach >= 0
    for step in steps:
        later = share + reach * step
        if until is not None and later >= share + reach:
            continue
        assert [p.project for p in counter.run(later)] == [p.project for p in purchases]


@given(
    approval_votes(),
    st.lists(st.fractions(min_value=0, max_value=20, max_denominator=7), min_size=1),
)
@EXAMPLES
def test_one_counter_counts_any_shares_in_any_order_as_the_plain_count(
    election, shares
):
    # The groups a run keeps for the next must not carry anything of its share.
    counter = rules._Counter(election)

    for share in shares:
        assert counter.run(share) == plain_equal_shares(election, share)


def test_spending_closer_to_a_limit_than_the_screen_sees_is_compared_exactly():
    # Given prices of a third and two thirds: a voter who paid for both spent exactly 1,
    # which the screen (in 2**-64ths, rounded down) cannot tell from a hair less
    paid_for = rules._PaidFor(width=4)
    spent = rules._Spent(paid_for, projects=2, longest=2)
    spent.buy(0, mpq(1, 3))
    spent.buy(1, mpq(2, 3))
    numbers = [paid_for[0b11], paid_for[0b01]]
    groups = [(number, 1, paid_for.tallies[number]) for number in numbers]
    screened = spent.screen(numbers)
    hair = mpq(1, 2**80)

    # Then each comparison is the exact one
    assert spent.more_than(mpq(1), groups, screened) == [False, False]
    assert spent.more_than(mpq(1), groups, screened, or_as_much=True) == [True, False]
    assert spent.more_than(1 - hair, groups, screened) == [True, False]
    assert spent.more_than(1 + hair, groups, screened, or_as_much=True) == [
        False,
        False,
    ]
    assert spent.more_than(mpq(1, 3), groups, screened) == [True, False]
    assert spent.more_than(mpq(1, 3), groups, screened, or_as_much=True) == [
        True,
        True,
    ]


def test_equal_rates_and_costs_go_to_the_project_with_more_votes():
    # Given eleven voters holding 2 each: the hall's five supporters spend all they
    # hold on it first (2 each, a fifth of its cost); then the well and the road cost
    # 6 each and three supporters holding 2 pay 2 each for either, but one of the
    # road's four supporters had already spent all on the hall
    election = pabulib.Election(
        budget=Fraction(22),
        vote_type="approval",
        projects=tuple(
            pabulib.Project(id=name, cost=Fraction(cost))
            for name, cost in (("well", 6), ("road", 6), ("hall", 10))
        ),
        ballots=((0,),) * 3 + ((1,),) * 3 + ((1, 2),) + ((2,),) * 4,
    )

    outcome = rules.tally(election, "equalshares")

    # Then the road (four votes) goes before the well (three), listed first though it is
    assert [
        (election.projects[p.project].id, p.round, p.price, p.payers)
        for p in outcome.purchases
    ] == [("hall", 1, 2, 5), ("road", 2, 2, 3), ("well", 3, 2, 3)]


def test_add1_counts_a_small_vote_on_a_large_budget_in_few_runs(monkeypatch):
    # Given eleven voters sharing 50,000 among four projects: one unit at a time, add1
    # would count equal shares again thousands of times
    election = pabulib.Election(
        budget=Fraction(50_000),
        vote_type="approval",
        projects=tuple(
            pabulib.Project(id=name, cost=Fraction(cost))
            for name, cost in (
                ("lights", 12_000),
                ("well", 21_000),
                ("park", 34_000),
                ("road", 47_000),
            )
        ),
        ballots=((0, 1),) * 4 + ((2,),) * 3 + ((3,),) * 2 + ((0, 3),) * 2,
    )
    runs = []
    run = rules._Counter.run
    monkeypatch.setattr(
        rules._Counter,
        "run",
        lambda counter, share: runs.append(share) or run(counter, share),
    )

    outcome = rules.tally(election, "equalshares/add1")

    # Then it counts a handful of times, and keeps what the plain count keeps
    assert len(runs) <= 10
    monkeypatch.setattr(rules._Counter, "run", run)
    purchases, share = plain_add1(election)
    assert (list(outcome.purchases), outcome.share) == (purchases, share)
