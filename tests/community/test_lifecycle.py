"""The gathering's state machine, its quorum and its majority, as tables."""

import pytest

from community import lifecycle
from community.models import GatheringStatus as S
from portal.errors import DomainError

ALLOWED = {
    (S.PLANNED, S.ANNOUNCED),
    (S.PLANNED, S.CANCELLED),
    (S.ANNOUNCED, S.HELD),
    (S.ANNOUNCED, S.CANCELLED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_move_is_allowed_or_refused_as_the_table_says(current, target):
    if (current, target) in ALLOWED:
        lifecycle.transition_check(current, target)
    else:
        with pytest.raises(DomainError) as refused:
            lifecycle.transition_check(current, target)
        assert refused.value.code == f"gathering_{current}_to_{target}"


@pytest.mark.parametrize(
    ("eligible", "percent", "needed"),
    [
        (0, 10, 1),
        (1, 10, 1),
        (9, 10, 1),
        (10, 10, 1),
        (11, 10, 2),
        (100, 10, 10),
        (101, 10, 11),
        (3, 50, 2),
        (4, 50, 2),
        (7, 100, 7),
    ],
)
def test_the_quorum_is_the_share_rounded_up_and_at_least_one(eligible, percent, needed):
    assert lifecycle.share_needed(eligible, percent) == needed


@pytest.mark.parametrize(
    ("votes_for", "present", "percent", "adopted"),
    [
        (6, 10, 50, True),
        (5, 10, 50, False),  # half is not more than half
        (0, 10, 50, False),
        (1, 1, 50, True),
        (7, 10, 66, True),
        (6, 9, 66, True),
        (6, 10, 66, False),
    ],
)
def test_a_decision_needs_more_than_the_share_of_those_present(
    votes_for, present, percent, adopted
):
    assert lifecycle.passes(votes_for, present, percent) is adopted


@pytest.mark.parametrize(
    ("status", "offset", "open_"),
    [
        (S.PLANNED, 0, False),
        (S.ANNOUNCED, -1, False),
        (S.ANNOUNCED, 0, True),
        (S.ANNOUNCED, 3, True),
        (S.HELD, 0, False),
        (S.CANCELLED, 0, False),
    ],
)
def test_attendance_is_open_from_the_day_of_an_announced_gathering(
    status, offset, open_
):
    import datetime

    day = datetime.date(2026, 12, 5)
    assert (
        lifecycle.in_session(status, day, day + datetime.timedelta(days=offset))
        is open_
    )
