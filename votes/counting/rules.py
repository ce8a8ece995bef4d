"""The counting rules of a residents' vote, in exact arithmetic (fractions, never floats),
as pabulib names them and its checker (`pabulib-checker`) reads them:

- `greedy`: projects by votes (approval, choose-1) or score (cumulative), highest first,
  each selected if it still fits in what is left of the budget, else skipped;
- `greedy-no-skip`: the same, stopping at the first project that does not fit;
- `greedy-threshold`: `greedy` over the projects whose votes or score reach the threshold;
- `equalshares`: the Method of Equal Shares with cost utilities (approval ballots): each
  voter holds an equal share of the budget; a project is bought by its supporters, each
  paying the same price or all they have left, and the project bought first is the one
  whose price is the least part of its cost (a supporter's gain is the project's cost);
- `equalshares/add1`: equal shares, then each voter's share raised by one unit of money
  at a time (from the whole part of the first share) while the outcome still fits the
  budget;
- `…-comparison`: then compared with `greedy`: if more voters have more of their projects
  selected under greedy, greedy's outcome stands (Wieliczka's rule).

Ties: under greedy, the order of the projects (a file's, or the portal's: cheaper first);
under equal shares, the cheaper project, then the one with more votes, then that order.

Equal shares is computed on groups of voters rather than voter by voter. A voter who
still holds money has paid the price of every project bought that they approve (one short
of a price pays all they hold, and holds nothing after), so what a voter holds follows
from the set of those projects: a project's supporters are grouped by that set, and the
groups, which do not depend on the share, are kept from one run to the next (add1 runs
with one share after another). Prices and shares are exact rationals in C (gmpy2's mpq),
handed out as Python fractions; sums over many voters are taken in whole numbers, and
comparisons screened in whole numbers first (`_Spent`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, repeat
from math import lcm
from operator import and_, eq, gt, itemgetter, mul, not_
from typing import NamedTuple

from gmpy2 import mpq

from votes.counting.pabulib import Election, tallies

GREEDY = "greedy"
GREEDY_NO_SKIP = "greedy-no-skip"
GREEDY_THRESHOLD = "greedy-threshold"
EQUAL_SHARES = "equalshares"
EQUAL_SHARES_COMPARISON = "equalshares-comparison"
EQUAL_SHARES_ADD1 = "equalshares/add1"
EQUAL_SHARES_ADD1_COMPARISON = "equalshares/add1-comparison"
RULES = (
    GREEDY,
    GREEDY_NO_SKIP,
    GREEDY_THRESHOLD,
    EQUAL_SHARES,
    EQUAL_SHARES_COMPARISON,
    EQUAL_SHARES_ADD1,
    EQUAL_SHARES_ADD1_COMPARISON,
)
APPROVAL_ONLY = frozenset(
    {
        EQUAL_SHARES,
        EQUAL_SHARES_COMPARISON,
        EQUAL_SHARES_ADD1,
        EQUAL_SHARES_ADD1_COMPARISON,
    }
)


class RuleError(ValueError):
    """A rule this election cannot be counted by."""


@dataclass(frozen=True)
class Purchase:
    """A project bought under equal shares: in which round, the most a supporter paid
    (the price; a supporter with less paid all they had), and by how many."""

    project: int
    round: int
    price: Fraction
    payers: int


@dataclass(frozen=True)
class Outcome:
    rule: str
    # The projects selected, by index, in the order they were.
    selected: tuple[int, ...]
    # Votes (approval, choose-1) or score (cumulative) of each project, by index.
    scores: tuple[int, ...]
    # Under equal shares: each purchase; the share each voter started with.
    purchases: tuple[Purchase, ...] = ()
    share: Fraction | None = None
    # Under a comparison: what the other rule selected, and whether it stood instead.
    compared: tuple[int, ...] | None = None
    greedy_stood: bool = False

    def selected_ids(self, election: Election) -> list[str]:
        return [election.projects[index].id for index in self.selected]


scores = tallies


def _ranked(election: Election, totals: Sequence[int]) -> list[int]:
    # Stable: projects of equal votes keep the election's order.
    return sorted(range(len(election.projects)), key=lambda index: -totals[index])


def greedy(
    election: Election, *, skip: bool = True, threshold: Fraction = Fraction(0)
) -> tuple[int, ...]:
    totals = scores(election)
    left = election.budget
    chosen = []
    for index in _ranked(election, totals):
        if totals[index] < threshold:
            continue
        cost = election.projects[index].cost
        if cost <= left:
            chosen.append(index)
            left -= cost
        elif not skip:
            break
    return tuple(chosen)


# Equal shares.

# What a group of voters spent is screened in whole numbers of this part of a unit of
# money (`_Spent.screen`) before, rarely, it is compared exactly.
_SCREEN = 1 << 64


class _PaidFor(dict):
    """The sets of projects that voters paid for (the projects bought that they approve,
    a bit set over the projects), numbered as they come up, each after its parent (the
    set without its last project in the election's order): the empty set is 0. For
    each number: its parent, the project it adds, and its tally. A tally spreads the
    set out to `width` bits a project: a sum of tallies counts, project by project, the
    sets that hold it, so that what many voters spent is summed in whole numbers
    (`_Spent.total`)."""

    def __init__(self, width: int):
        super().__init__({0: 0})
        self.width = width
        self.parents = [0]
        self.lasts = [-1]
        self.tallies = [0]

    def __missing__(self, paid_for: int) -> int:
        last = paid_for.bit_length() - 1
        parent = self[paid_for ^ (1 << last)]
        number = len(self.parents)
        self.parents.append(parent)
        self.lasts.append(last)
        self.tallies.append(self.tallies[parent] | 1 << (self.width * last))
        self[paid_for] = number
        return number


class _Groups(NamedTuple):
    """A project's supporters in groups by what they paid for: each group's number in
    `_PaidFor`, and each group as (number, how many are in it, tally)."""

    numbers: list[int]
    members: list[tuple[int, int, int]]


class _Spent:
    """What voters have spent in one run of equal shares, by what they paid for (by its
    number in `_PaidFor`): a voter who still holds money has paid the price of every
    project bought that they approve (one who could not pay it gave all they had, and
    holds nothing), so what they spent is the sum of those prices.

    The prices are rationals whose denominators grow with every purchase (they divide
    by the number of payers): adding them group by group is what would cost most. So
    what each group spent is first screened in whole 2**-64ths, rounded down (`screen`;
    short of the exact sum by less than `longest` of them), which settles almost every
    comparison (`more_than`); the few it cannot settle are made on the exact sum. What
    many voters spent together is summed in whole numbers of 1/denominator from their
    tally (`total`)."""

    def __init__(self, paid_for: _PaidFor, projects: int, longest: int):
        self.paid_for = paid_for
        # The most projects a voter approves: a bound on a screening's error.
        self.longest = longest
        # Each project's price once bought, and that price rounded down to a 2**-64th.
        self.prices: list[mpq] = [mpq(0)] * projects
        self.screened_prices = [0] * projects
        # The prices as whole numbers of 1/denominator, with the place of each
        # project's count in a tally.
        self.denominator = 1
        self.scaled: list[tuple[int, int]] = []
        # What each group spent, by its number: screened (-1 until needed), exact.
        self.screened: list[int] = [0]
        self.exact: dict[int, mpq] = {}

    def buy(self, index: int, price: mpq) -> None:
        numerator, denominator = int(price.numerator), int(price.denominator)
        self.prices[index] = price
        self.screened_prices[index] = numerator * _SCREEN // denominator
        common = lcm(self.denominator, denominator)
        factor = common // self.denominator
        self.scaled = [(place, scaled * factor) for place, scaled in self.scaled]
        place = self.paid_for.width * index
        self.scaled.append((place, numerator * (common // denominator)))
        self.denominator = common

    def screen(self, numbers: list[int]) -> list[int]:
        """What each group spent, rounded down to a 2**-64th."""
        missing = len(self.paid_for.parents) - len(self.screened)
        if missing:
            self.screened.extend([-1] * missing)
        screened = list(map(self.screened.__getitem__, numbers))
        if -1 in screened:
            for at in compress(range(len(screened)), map(eq, screened, repeat(-1))):
                screened[at] = self._screened(numbers[at])
        return screened

    def _screened(self, number: int) -> int:
        # What the parents spent, then each project they add (its parent has most
        # often been screened already).
        parents, lasts, prices = (
            self.paid_for.parents,
            self.paid_for.lasts,
            self.screened_prices,
        )
        added = []
        while self.screened[number] < 0:
            added.append(number)
            number = parents[number]
        spent = self.screened[number]
        for number in reversed(added):
            spent += prices[lasts[number]]
            self.screened[number] = spent
        return spent

    def spent(self, number: int) -> mpq:
        """What a group spent, exactly."""
        spent = self.exact.get(number)
        if spent is None:
            if number:
                last = self.paid_for.lasts[number]
                spent = self.spent(self.paid_for.parents[number]) + self.prices[last]
            else:
                spent = mpq(0)
            self.exact[number] = spent
        return spent

    def more_than(
        self,
        limit: mpq,
        groups: list[tuple[int, int, int]],
        screened: list[int],
        *,
        or_as_much: bool = False,
    ) -> list[bool]:
        """For each group (as in `_Groups.members`, and what it spent as `screen` gives
        it), whether it spent more than `limit` (or as much, `or_as_much`)."""
        numerator, denominator = int(limit.numerator) * _SCREEN, int(limit.denominator)
        # Exactly spent > limit where screened > below; spent < limit where screened
        # <= below - longest; spent >= limit where screened >= the limit rounded up.
        below = numerator // denominator
        above = -(-numerator // denominator) - 1 if or_as_much else below
        found = list(map(gt, screened, repeat(below - self.longest)))
        if not all(map(gt, compress(screened, found), repeat(above))):
            for at in compress(range(len(found)), found):
                if screened[at] <= above:
                    spent = self.spent(groups[at][0])
                    found[at] = spent >= limit if or_as_much else spent > limit
        return found

    def total(self, tally: int) -> mpq:
        """What some voters spent together, from the sum of their tallies."""
        mask = (1 << self.paid_for.width) - 1
        return mpq(
            sum((tally >> place & mask) * scaled for place, scaled in self.scaled),
            self.denominator,
        )


class _Counter:
    """The parts of equal shares that do not depend on the share: who supports what."""

    def __init__(self, election: Election):
        if election.vote_type == "cumulative":
            raise RuleError("Equal shares counts approval and choose-1 ballots only.")
        self.election = election
        # For each project, the ballots of its supporters, each as a bit set over the
        # projects.
        self.supporters: list[list[int]] = [[] for _project in election.projects]
        for ballot in election.ballots:
            chosen = set(ballot)
            approved = sum(1 << index for index in chosen)
            for index in chosen:
                self.supporters[index].append(approved)
        self.votes = tuple(len(ballots) for ballots in self.supporters)
        self.longest = max((len(set(ballot)) for ballot in election.ballots), default=1)
        self.costs = tuple(project.cost for project in election.projects)
        self.exact_costs = tuple(
            mpq(cost.numerator, cost.denominator) for cost in self.costs
        )
        # The projects that can be bought at all: a cost to pay and someone to pay it
        # (a free project is no one's to buy; the checker leaves it out too).
        self.buyable = [
            index
            for index, cost in enumerate(self.costs)
            if cost > 0 and self.votes[index] > 0
        ]
        # No count in a tally reaches 2**width.
        self.paid_for = _PaidFor(max(len(election.ballots), 1).bit_length())
        # The groups of a project's supporters by the projects bought so far: the same
        # whatever the share, so that a run reuses those of the run before it (add1
        # runs with one share after another, which mostly buy the same projects
        # first). Kept for one run, then forgotten unless used.
        self._used: dict[tuple[int, int], _Groups] = {}
        self._kept: dict[tuple[int, int], _Groups] = {}

    def _groups(self, index: int, bought: int) -> _Groups:
        """The project's supporters grouped by what they paid for, once `bought` (a
        bit set) is."""
        key = (index, bought)
        groups = self._used.get(key) or self._kept.get(key)
        if groups is None:
            counted = Counter(map(and_, self.supporters[index], repeat(bought)))
            numbers = list(map(self.paid_for.__getitem__, counted))
            groups = _Groups(
                numbers,
                list(
                    zip(
                        numbers,
                        counted.values(),
                        map(self.paid_for.tallies.__getitem__, numbers),
                        strict=True,
                    )
                ),
            )
        self._used[key] = groups
        return groups

    def run(self, share: Fraction) -> list[Purchase]:
        """Equal shares with each voter starting with `share`."""
        share = mpq(share.numerator, share.denominator)
        spent = _Spent(self.paid_for, len(self.costs), self.longest)
        bought = 0
        remaining = list(self.buyable)
        # A project's price only rises from round to round (shares only fall): the rate
        # it had is a bound below that spares computing it when another's is lower.
        bound = {index: mpq(0) for index in remaining}
        purchases: list[Purchase] = []
        while remaining:
            best: list[tuple[int, mpq, int]] = []
            best_rate = None
            for index in sorted(remaining, key=bound.__getitem__):
                if best_rate is not None and bound[index] > best_rate:
                    break
                cost = self.exact_costs[index]
                price, payers = self._price(
                    index, bought, spent, share, least=bound[index] * cost
                )
                if price is None:
                    remaining.remove(index)
                    continue
                # With cost utilities a supporter's gain is the cost: the project bought
                # first is the one whose price is the least part of its cost.
                rate = price / cost
                bound[index] = rate
                if best_rate is None or rate < best_rate:
                    best_rate, best = rate, [(index, price, payers)]
                elif rate == best_rate:
                    best.append((index, price, payers))
            if not best:
                break
            index, price, payers = min(
                best,
                key=lambda item: (self.costs[item[0]], -self.votes[item[0]], item[0]),
            )
            purchases.append(
                Purchase(
                    index,
                    len(purchases) + 1,
                    Fraction(int(price.numerator), int(price.denominator)),
                    payers,
                )
            )
            remaining.remove(index)
            spent.buy(index, price)
            bought |= 1 << index
        self._kept, self._used = self._used, {}
        return purchases

    def _price(
        self, index: int, bought: int, spent: _Spent, share: mpq, least: mpq
    ) -> tuple[mpq | None, int]:
        """The least price at which the project's supporters buy it (a supporter with
        less pays all they have), and how many pay; None when all they have is too
        little. The price is not under `least`."""
        numbers, members = self._groups(index, bought)
        screened = spent.screen(numbers)
        cost = self.exact_costs[index]
        # The supporters who hold something (`everyone`), and of them those who hold
        # at least the price (`payers`: they share what is left of the cost).
        everyone = payers = self.votes[index]
        paid = mpq(0)
        price = max(least, cost / payers)
        # The price rises while some supporters hold less than it: they pay all they
        # hold, the others share what is left of the cost. Each price on the way is
        # still at most the final one, so those found short stay short.
        first = True
        while True:
            short = spent.more_than(share - price, members, screened)
            if not any(short):
                return price, everyone
            short_members = list(compress(members, short))
            if first:
                # Those who have spent the whole share are short of any price, so
                # found here: they hold nothing, pay nothing, and are not payers.
                nothing = spent.more_than(
                    share,
                    short_members,
                    list(compress(screened, short)),
                    or_as_much=True,
                )
                if any(nothing):
                    everyone -= sum(map(_COUNT, compress(short_members, nothing)))
                    payers = everyone
                    short_members = list(compress(short_members, map(not_, nothing)))
                first = False
            counts = list(map(_COUNT, short_members))
            count = sum(counts)
            tally = sum(map(mul, map(_TALLY, short_members), counts))
            paid += share * count - spent.total(tally)
            payers -= count
            if not payers:
                return None, 0
            rest = list(map(not_, short))
            members = list(compress(members, rest))
            screened = list(compress(screened, rest))
            price = (cost - paid) / payers


_COUNT = itemgetter(1)
_TALLY = itemgetter(2)


def equal_shares(election: Election, *, add1: bool = False) -> Outcome:
    counter = _Counter(election)
    voters = len(election.ballots)
    share = election.budget / voters if voters else Fraction(0)
    purchases = counter.run(share)
    if add1 and voters:
        purchases, share = _add1(counter, election, purchases, share)
    return Outcome(
        rule=EQUAL_SHARES_ADD1 if add1 else EQUAL_SHARES,
        selected=tuple(purchase.project for purchase in purchases),
        scores=counter.votes,
        purchases=tuple(purchases),
        share=share,
    )


def _add1(counter: _Counter, election: Election, purchases, share):
    """Raise each share by one unit at a time from its whole part, keeping the last
    outcome that fits the budget; stop once every project that can be bought is.

    A whole share whose outcome is sure to be that of the last one counted is not
    counted again: `_stable_until` finds up to which share the projects bought stay the
    same, and the shares below it are passed over (each would fit and buy as many as the
    last, so the rule would go on past it). Counting one unit at a time would run
    equal shares once a tenge a voter: hundreds of thousands of runs for a small village
    voting on millions. Where the outcome changes at nearly every unit (many voters, a
    small share each) looking ahead is wasted: after it finds nothing to pass over, it
    is not tried again for 1, 2, 4, ... units."""
    whole = int(share)
    at = mpq(share.numerator, share.denominator)
    everything = len(counter.buyable)
    pause = wait = 0
    while len(purchases) < everything:
        jump = whole + 1
        if wait:
            wait -= 1
        else:
            until = _stable_until(counter, at, purchases, beyond=jump)
            if until is not None and until > jump:
                jump, pause = _ceiling(until), 0
            else:
                pause = wait = 2 * pause or 1
        raised = counter.run(Fraction(jump))
        if sum(counter.costs[p.project] for p in raised) > election.budget:
            if jump - 1 > whole:
                # The last whole share passed over buys what the last one counted
                # did, at its own prices.
                purchases, share = counter.run(Fraction(jump - 1)), Fraction(jump - 1)
            break
        purchases, share, whole, at = raised, Fraction(jump), jump, mpq(jump)
    return purchases, share


def _ceiling(value: mpq) -> int:
    return -(-int(value.numerator) // int(value.denominator))


class _Line(NamedTuple):
    """An amount of money as a function of the share s: `at + slope * s`."""

    at: mpq
    slope: mpq

    def __call__(self, share: mpq) -> mpq:
        return self.at + self.slope * share

    def __add__(self, other: _Line) -> _Line:
        return _Line(self.at + other.at, self.slope + other.slope)

    def __sub__(self, other: _Line) -> _Line:
        return _Line(self.at - other.at, self.slope - other.slope)

    def scaled(self, factor: mpq) -> _Line:
        return _Line(self.at * factor, self.slope * factor)


_NOTHING = _Line(mpq(0), mpq(0))
_SHARE = _Line(mpq(0), mpq(1))


class _Changes(Exception):
    """The outcome may change before the share that was asked about."""


def _stable_until(
    counter: _Counter,
    share: mpq,
    purchases: Sequence[Purchase],
    *,
    beyond: int | None = None,
) -> mpq | None:
    """The least share above `share` from which equal shares may buy other projects
    than `purchases` (its outcome at `share`), or None when no larger share changes it.
    With `beyond`: `share` itself as soon as a change is found at or below `beyond`
    (a caller that only wants to know whether the outcome holds beyond it is answered
    without looking further).

    Bought in the same order, every price is a line in the share: a project's
    supporters who hold less than its price pay all they hold (the share less the
    prices they paid), the others share what is left of the cost. Each decision the
    count made (who holds anything, who holds less than a price, which projects can be
    bought, which is bought first) compares two such lines, and stays the same up to
    where they cross; the least crossing ahead is where the outcome may change. Taken
    conservatively: a decision made on an equality is taken to change at once."""
    until: list[mpq] = []

    def keep(difference: _Line) -> None:
        # A decision resting on difference(share) >= 0: where it falls below.
        if difference.slope < 0:
            crossing = -difference.at / difference.slope
            if beyond is not None and crossing <= beyond:
                raise _Changes
            until.append(crossing)

    try:
        _follow(counter, share, purchases, keep)
    except _Changes:
        return share
    return min(until, default=None)


def _follow(counter: _Counter, share: mpq, purchases: Sequence[Purchase], keep) -> None:
    """Equal shares at `share` again, buying `purchases` in their order, with every
    price as a line in the share; each decision handed to `keep` as a line that stays
    at or above 0 while the decision holds."""
    bought = 0
    prices: dict[int, _Line] = {}
    spent: dict[int, _Line] = {0: _NOTHING}
    paid_for = counter.paid_for
    remaining = list(counter.buyable)

    def spent_by(number: int) -> _Line:
        line = spent.get(number)
        if line is None:
            last = paid_for.lasts[number]
            line = spent_by(paid_for.parents[number]) + prices[last]
            spent[number] = line
        return line

    for purchase in (*purchases, None):
        offers = []
        for index in list(remaining):
            cost = counter.exact_costs[index]
            holders = []
            for number, count, _tally in counter._groups(index, bought).members:
                held = _SHARE - spent_by(number)
                amount = held(share)
                if amount > 0:
                    keep(held)
                    holders.append((amount, count, held))
                else:
                    keep(_NOTHING - held)
            holding = sum((count * amount for amount, count, _held in holders), mpq(0))
            total = sum(
                (held.scaled(mpq(count)) for _amount, count, held in holders),
                _NOTHING,
            )
            if holding < cost:
                keep(_Line(cost, mpq(0)) - total)
                remaining.remove(index)
                continue
            keep(total - _Line(cost, mpq(0)))
            holders.sort(key=itemgetter(0))
            # Those holding less than the price pay all they hold (the fewest first),
            # the others share what is left of the cost.
            payers = sum(count for _amount, count, _held in holders)
            left = _Line(cost, mpq(0))
            short = 0
            for amount, count, held in holders:
                if amount * payers >= left(share):
                    break
                left -= held.scaled(mpq(count))
                payers -= count
                short += 1
            price = left.scaled(mpq(1, payers))
            for at, (_amount, _count, held) in enumerate(holders):
                keep(price - held if at < short else held - price)
            offers.append((price(share) / cost, index, price.scaled(1 / cost), price))
        if purchase is None:
            if offers:
                raise AssertionError("equal shares stopped with a project to buy")
            break
        best = min(
            offers,
            key=lambda offer: (
                offer[0],
                counter.costs[offer[1]],
                -counter.votes[offer[1]],
                offer[1],
            ),
        )
        if best[1] != purchase.project:
            raise AssertionError("equal shares bought another project first")
        for _rate, _index, rate, _price in offers:
            keep(rate - best[2])
        prices[purchase.project] = best[3]
        remaining.remove(purchase.project)
        bought |= 1 << purchase.project


def _satisfied(election: Election, selected: Sequence[int]) -> list[int]:
    chosen = set(selected)
    return [
        sum(1 for index in ballot if index in chosen) for ballot in election.ballots
    ]


def compare_with_greedy(election: Election, outcome: Outcome) -> Outcome:
    """Wieliczka's comparison: greedy's outcome stands if more voters have more of their
    projects selected under it than under equal shares."""
    other = greedy(election)
    under_shares = _satisfied(election, outcome.selected)
    under_greedy = _satisfied(election, other)
    prefer_shares = sum(a > b for a, b in zip(under_shares, under_greedy, strict=True))
    prefer_greedy = sum(b > a for a, b in zip(under_shares, under_greedy, strict=True))
    stood = prefer_greedy > prefer_shares
    return Outcome(
        rule=outcome.rule + "-comparison",
        selected=other if stood else outcome.selected,
        scores=outcome.scores,
        purchases=outcome.purchases,
        share=outcome.share,
        compared=other,
        greedy_stood=stood,
    )


def tally(election: Election, rule: str | None = None) -> Outcome:
    """The outcome of the election under the rule (by default the one its META names)."""
    rule = (rule or election.rule or GREEDY).lower()
    if rule not in RULES:
        raise RuleError(f"Unknown rule {rule!r}: one of {', '.join(RULES)}.")
    if rule in (GREEDY, GREEDY_NO_SKIP, GREEDY_THRESHOLD):
        selected = greedy(
            election,
            skip=rule != GREEDY_NO_SKIP,
            threshold=election.threshold if rule == GREEDY_THRESHOLD else Fraction(0),
        )
        return Outcome(rule=rule, selected=selected, scores=scores(election))
    outcome = equal_shares(election, add1=rule.startswith(EQUAL_SHARES_ADD1))
    if rule.endswith("-comparison"):
        return compare_with_greedy(election, outcome)
    return outcome
