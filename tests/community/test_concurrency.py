"""The same attendance list sent twice at the same moment (kept off line and sent when
the connection returned, while a colleague typed it on line) counts each resident once."""

import pytest

from community import services
from community.models import Attendance
from tests.community.conftest import ADULTS
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
