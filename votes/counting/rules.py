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

Equal shares is computed on groups of voters rather than voter by voter: voters with the
same share left behave alike, so a group is the set of voters (a bit set over the ballots)
with one share; buying a project splits the groups of its supporters. The shares are
exact rationals in C (gmpy2's mpq), handed out as Python fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

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


def _approver_sets(election: Election) -> list[int]:
    """For each project, the set of ballots approving it, as a bit set (an int)."""
    count = len(election.ballots)
    bits = [bytearray((count + 7) // 8) for _project in election.projects]
    for number, ballot in enumerate(election.ballots):
        byte, bit = divmod(number, 8)
        for index in ballot:
            bits[index][byte] |= 1 << bit
    return [int.from_bytes(project_bits, "little") for project_bits in bits]


@dataclass
class _Group:
    """Voters with the same share left: who they are and how many support each project."""

    share: mpq
    members: int
    supporters: list[int]


class _Counter:
    """The parts of equal shares that do not depend on the share: who supports what."""

    def __init__(self, election: Election):
        if election.vote_type == "cumulative":
            raise RuleError("Equal shares counts approval and choose-1 ballots only.")
        self.election = election
        self.approvers = _approver_sets(election)
        self.votes = tuple(approvers.bit_count() for approvers in self.approvers)
        self.costs = tuple(project.cost for project in election.projects)
        self.exact_costs = tuple(
            mpq(cost.numerator, cost.denominator) for cost in self.costs
        )
        everyone = (1 << len(election.ballots)) - 1
        self.everyone = everyone
        # The projects that can be bought at all: a cost to pay and someone to pay it
        # (a free project is no one's to buy; the checker leaves it out too).
        self.buyable = [
            index
            for index, cost in enumerate(self.costs)
            if cost > 0 and self.votes[index] > 0
        ]

    def _split(self, members: int, live: list[int]) -> list[int]:
        """How many of the members support each project still in the running (the
        others count 0: they are never asked again)."""
        counts = [0] * len(self.approvers)
        for index in live:
            counts[index] = (members & self.approvers[index]).bit_count()
        return counts

    def run(self, share: Fraction) -> list[Purchase]:
        """Equal shares with each voter starting with `share`."""
        share = mpq(share.numerator, share.denominator)
        groups: dict[mpq, _Group] = {}
        if share > 0 and self.election.ballots:
            groups[share] = _Group(share, self.everyone, list(self.votes))
        remaining = list(self.buyable)
        # A project's price only rises from round to round (shares only fall): the rate
        # it had is a bound below that spares computing it when another's is lower.
        bound = {index: mpq(0) for index in remaining}
        purchases: list[Purchase] = []
        while remaining:
            ordered = sorted(groups.values(), key=lambda group: group.share)
            best: list[tuple[int, mpq, int]] = []
            best_rate = None
            for index in sorted(remaining, key=bound.__getitem__):
                if best_rate is not None and bound[index] > best_rate:
                    break
                price, payers = self._price(index, ordered)
                if price is None:
                    remaining.remove(index)
                    continue
                # With cost utilities a supporter's gain is the cost: the project bought
                # first is the one whose price is the least part of its cost.
                rate = price / self.exact_costs[index]
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
            groups = self._pay(groups, index, price, remaining)
        return purchases

    def _price(self, index: int, ordered: list[_Group]):
        """The least price at which the project's supporters buy it (a supporter with
        less pays all they have), and how many pay; None when all they have is too
        little."""
        cost = self.exact_costs[index]
        held = [(group.share, group.supporters[index]) for group in ordered]
        held = [(share, count) for share, count in held if count]
        if sum(share * count for share, count in held) < cost:
            return None, 0
        paid = mpq(0)
        payers = sum(count for _share, count in held)
        for share, count in held:
            price = (cost - paid) / payers
            if price > share:
                paid += share * count
                payers -= count
            else:
                return price, sum(count for _share, count in held)
        raise AssertionError("the supporters hold enough")  # pragma: no cover

    def _pay(self, groups: dict[mpq, _Group], index: int, price: mpq, live: list[int]):
        """Each supporter of the project pays the price, or all they have left."""
        approvers = self.approvers[index]
        # The groups that do not support it are left as they are; the others split into
        # those who pay (a new share) and those who do not (the same share).
        after = {
            share: group
            for share, group in groups.items()
            if not group.supporters[index]
        }
        touched = [group for group in groups.values() if group.supporters[index]]

        def add(share: mpq, members: int, supporters: list[int]) -> None:
            if share <= 0 or not members:
                return
            group = after.get(share)
            if group is None:
                after[share] = _Group(share, members, supporters)
            else:
                after[share] = _Group(
                    share,
                    group.members | members,
                    [a + b for a, b in zip(group.supporters, supporters, strict=True)],
                )

        for group in touched:
            paying = group.members & approvers
            rest = group.members & ~approvers
            paying_supporters = self._split(paying, live)
            rest_supporters = [
                a - b for a, b in zip(group.supporters, paying_supporters, strict=True)
            ]
            add(group.share, rest, rest_supporters)
            add(group.share - min(group.share, price), paying, paying_supporters)
        return after


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
    outcome that fits the budget; stop once every project that can be bought is."""
    whole = int(share)
    everything = len(counter.buyable)
    while len(purchases) < everything:
        whole += 1
        raised = counter.run(Fraction(whole))
        if sum(counter.costs[p.project] for p in raised) > election.budget:
            break
        purchases, share = raised, Fraction(whole)
    return purchases, share


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
