"""Quorum and majority as a table: all deputies, present, for, against, abstain → result."""

import pytest

from maslikhat.counting import VoteCount, VoteRules, session_outcome
from maslikhat.models import SessionOutcome

LAW = VoteRules()  # two thirds present; "for" from more than half of all deputies

# (total, present, for, against, abstain, not voted) → (valid?, passed?)
TABLE = [
    # Exactly two thirds present is a quorum; one fewer is not.
    (24, 16, 13, 3, 0, 0, True, True),
    (24, 15, 15, 0, 0, 0, False, False),
    (25, 17, 13, 2, 2, 0, True, True),  # 17 × 3 = 51 ≥ 50
    (25, 16, 16, 0, 0, 0, False, False),  # 16 × 3 = 48 < 50: void even if all for
    # Exactly half "for" is not more than half: rejected.
    (24, 24, 12, 12, 0, 0, True, False),
    (24, 24, 13, 11, 0, 0, True, True),
    (25, 25, 12, 0, 13, 0, True, False),
    (25, 25, 13, 12, 0, 0, True, True),
    # Those who do not vote count as present for the quorum but not as "for".
    (21, 14, 10, 0, 0, 4, True, False),  # 10 × 2 = 20 ≤ 21
    (21, 21, 11, 0, 0, 10, True, True),  # 11 × 2 = 22 > 21
    (10, 7, 6, 0, 1, 0, True, True),
    (10, 6, 6, 0, 0, 0, False, False),
]


@pytest.mark.parametrize(
    ("total", "present", "for_", "against", "abstain", "not_voted", "valid", "passed"),
    TABLE,
)
def test_quorum_and_majority(
    total, present, for_, against, abstain, not_voted, valid, passed
):
    count = VoteCount(
        total=total, present=present, for_=for_, against=against, abstain=abstain
    )

    assert count.not_voted == not_voted
    assert LAW.quorum_reached(count) is valid
    assert LAW.passed(count) is passed
    expected = (
        SessionOutcome.NO_QUORUM
        if not valid
        else SessionOutcome.PASSED
        if passed
        else SessionOutcome.REJECTED
    )
    assert session_outcome(LAW, count) == expected


def test_a_maslikhat_may_set_other_rules():
    three_quarters_and_two_thirds = VoteRules(3, 4, 2, 3)
    count = VoteCount(total=20, present=15, for_=14, against=1, abstain=0)

    assert three_quarters_and_two_thirds.quorum_reached(count) is True
    assert three_quarters_and_two_thirds.passed(count) is True  # 14 × 3 = 42 > 40
    assert (
        three_quarters_and_two_thirds.passed(
            VoteCount(total=20, present=15, for_=13, against=2, abstain=0)
        )
        is False
    )  # 39 ≤ 40


@pytest.mark.parametrize(("total", "needed"), [(24, 13), (25, 13), (21, 11), (10, 6)])
def test_votes_needed_to_pass(total, needed):
    assert LAW.votes_needed(total) == needed


@pytest.mark.parametrize(("total", "needed"), [(24, 16), (25, 17), (21, 14), (10, 7)])
def test_deputies_needed_for_a_quorum(total, needed):
    assert LAW.present_needed(total) == needed
