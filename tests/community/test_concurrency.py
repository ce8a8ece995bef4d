"""The same attendance list sent twice at the same moment (kept off line and sent when
the connection returned, while a colleague typed it on line) counts each resident once;
a member recorded by two clerks at once is one member; a sitting closed twice at once is
closed once."""

import datetime

import pytest
from django.utils import timezone

from community import services
from community.models import Attendance, MeetingMember, SittingRoll
from tests.community.conftest import (
    ADULTS,
    at_noon,
    elect_members,
    member_data,
    sitting_data,
)
from tests.community.test_gatherings import on_the_day
from tests.concurrency import at_once, postgresql_required

postgresql = postgresql_required("attendance sent at once needs PostgreSQL's row locks")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_list_sent_twice_at_once_counts_each_resident_once(
    postgresql, announced, staff
):
    lists = [ADULTS[:6], ADULTS[3:9], ADULTS[:9]] * 4

    def send(iins):
        return lambda: services.attendance_record(
            gathering=announced, actor=staff, iins=list(iins)
        )

    with on_the_day(announced):
        reports, refusals, errors = at_once([send(iins) for iins in lists])

    assert (errors, refusals) == ([], [])
    added = [last4 for report in reports for last4 in report.added]
    assert sorted(added) == sorted(iin[-4:] for iin in ADULTS[:9])
    assert sum(report.repeated for report in reports) == sum(map(len, lists)) - 9
    assert Attendance.objects.filter(gathering=announced).count() == 9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_resident_recorded_as_a_member_by_two_clerks_at_once_is_one_member(
    postgresql, territory, staff, akim, register
):
    gathering, _members = elect_members(
        territory, staff, akim, day=timezone.localdate(), count=5
    )
    starts = gathering.held_on + datetime.timedelta(days=1)

    def record(name):
        return lambda: services.member_add(
            unit=territory["rural_district"],
            actor=staff,
            data=member_data(name, ADULTS[7], gathering, starts),
        )

    members, refusals, errors = at_once([record(f"Клерк {n}") for n in range(6)])

    assert errors == []
    assert len(members) == 1
    assert refusals == ["member_already_in_office"] * 5
    assert MeetingMember.objects.filter(iin_last4=ADULTS[7][-4:]).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sitting_closed_twice_at_once_is_closed_once(
    postgresql, territory, staff, akim, register
):
    gathering, members = elect_members(
        territory, staff, akim, day=timezone.localdate(), count=5
    )
    sitting = services.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(gathering.held_on + datetime.timedelta(days=5)),
    )
    items = list(sitting.items.all())

    def close(present):
        return lambda: services.sitting_close(
            sitting=sitting,
            actor=staff,
            present={member.pk for member in present},
            votes={item.pk: services.ItemVotes(len(present), 0, 0) for item in items},
        )

    with at_noon(sitting.held_on):
        closed, refusals, errors = at_once([close(members[:3]), close(members[:5])] * 3)

    assert errors == []
    assert len(closed) == 1
    assert set(refusals) == {"sitting_not_open"}
    sitting.refresh_from_db()
    roll = SittingRoll.objects.filter(sitting=sitting)
    assert (roll.count(), roll.filter(present=True).count()) == (
        sitting.members_total,
        sitting.members_present,
    )
