"""The community meeting's pages: each act refused to every role that may not do it, the
members recorded and leaving, a sitting called and closed from its pages, and what
residents and visitors see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import MeetingMember, MeetingSitting, SittingStatus
from portal.errors import DomainError
from tests.community.conftest import ADULTS, NAMES, at_noon, elect_members, sitting_data
from tests.community.test_pages import users

DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(territory, staff, akim, register):
    return elect_members(territory, staff, akim, day=timezone.localdate())


@pytest.fixture
def sitting(meeting, territory, staff):
    gathering, _members = meeting
    return services.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(gathering.held_on + datetime.timedelta(days=10)),
    )


MAY = {
    "member_new": {"staff", "akim"},
    "member_end": {"staff", "akim"},
    "sitting_new": {"staff", "akim"},
    "sitting_cancel": {"akim"},
    "sitting_close": {"staff", "akim"},
}


def _post(act, sitting, members):
    unit = sitting.unit.kato_code
    if act in ("member_new", "sitting_new"):
        return reverse(f"community:{act}", args=[unit]), {}
    if act == "member_end":
        return reverse("community:member_end", args=[unit, members[0].pk]), {
            "ended_on": (sitting.held_on - DAY).isoformat(),
            "reason": "Көшті",
        }
    return reverse(f"community:{act}", args=[unit, sitting.pk]), {
        "reason": "Себеп",
        "present": [member.pk for member in members],
    }


@pytest.mark.parametrize("act", sorted(MAY))
@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "other_staff", "deputy", "staff", "akim"]
)
def test_every_meeting_act_is_refused_to_every_role_that_may_not_do_it(
    client, territory, staff, akim, resident, other_staff, meeting, sitting, act, who
):
    user = users(territory, staff, akim, resident, other_staff)[who]
    _gathering, members = meeting
    address, data = _post(act, sitting, members)

    with at_noon(sitting.held_on):
        if user:
            client.force_login(user)
        response = client.post(address, data)

    if who in MAY[act]:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
        sitting.refresh_from_db()
        assert sitting.status == SittingStatus.CALLED
        assert MeetingMember.objects.filter(ended_on__isnull=False).count() == 0
        assert MeetingMember.objects.count() == 7
        assert MeetingSitting.objects.count() == 1


def test_the_meeting_page_shows_its_members_and_sittings_to_everyone(
    client, meeting, sitting
):
    gathering, _members = meeting
    with at_noon(gathering.held_on + DAY):
        page = client.get(
            reverse("community:meeting", args=[sitting.unit.kato_code])
        ).content.decode()

    assert page.count('data-testid="member"') == 7
    assert all(name in page for name in NAMES)
    assert gathering.get_absolute_url() in page
    assert sitting.get_absolute_url() in page
    assert 'data-testid="member-new"' not in page
    assert ADULTS[0] not in page and ADULTS[0][-4:] not in page


def test_an_empty_meeting_says_so(client, territory):
    page = client.get(
        reverse("community:meeting", args=[territory["rural_district"].kato_code])
    ).content.decode()
    assert 'data-testid="no-members"' in page and 'data-testid="no-sittings"' in page


def test_staff_record_a_member_from_the_form_with_errors_kept(
    client, meeting, territory, staff
):
    gathering, _members = meeting
    unit = territory["rural_district"]
    address = reverse("community:member_new", args=[unit.kato_code])
    client.force_login(staff)
    form = client.get(address)
    values = {
        "full_name": "  Дана   Қасым ",
        "iin": ADULTS[8],
        "mandate": "elected",
        "elected_by": gathering.pk,
        "basis": "",
        "term_starts": (gathering.held_on + DAY).isoformat(),
        "term_ends": "",
    }
    bad_iin = client.post(address, {**values, "iin": "123"})
    no_gathering = client.post(address, {**values, "elected_by": ""})
    appointed = client.post(address, {**values, "mandate": "appointed", "basis": "№1"})
    saved = client.post(address, values)

    assert form.status_code == 200 and gathering.subject in form.content.decode()
    assert bad_iin.status_code == 400 and "Дана" in bad_iin.content.decode()
    assert no_gathering.status_code == 400
    assert appointed.status_code == 400
    assert "do not allow appointing" in appointed.content.decode()
    far = client.post(address, {**values, "term_starts": "9999-12-31"})
    assert far.status_code == 400 and "A term starts between" in far.content.decode()
    assert saved.status_code == 302
    member = MeetingMember.objects.get(full_name="Дана Қасым")
    assert member.elected_by == gathering


def test_staff_record_a_member_leaving_from_the_meeting_page(
    client, meeting, territory, staff
):
    _gathering, members = meeting
    member = members[2]
    address = reverse(
        "community:member_end", args=[territory["rural_district"].kato_code, member.pk]
    )
    client.force_login(staff)
    refused = client.post(address, {"ended_on": "", "reason": ""})
    done = client.post(
        address,
        {"ended_on": (member.term_starts + DAY).isoformat(), "reason": "Өз өтініші"},
    )
    again = client.post(
        address,
        {"ended_on": (member.term_starts + DAY).isoformat(), "reason": "Тағы"},
    )

    member.refresh_from_db()
    assert (refused.status_code, done.status_code) == (302, 302)
    assert (member.ended_on, member.end_reason) == (
        member.term_starts + DAY,
        "Өз өтініші",
    )
    # Once left, a second leaving is refused with the reason, and changes nothing.
    assert again.status_code == 302
    assert "once" in client.get(again["Location"]).content.decode()


def test_staff_call_and_close_a_sitting_from_its_pages(
    client, meeting, territory, staff, akim
):
    gathering, members = meeting
    unit = territory["rural_district"]
    client.force_login(staff)
    held_on = gathering.held_on + datetime.timedelta(days=10)
    new = reverse("community:sitting_new", args=[unit.kato_code])
    invalid = client.post(
        new, {"held_on": "", "starts_at": "", "venue": "", "agenda": ""}
    )
    called = client.post(
        new,
        {
            "held_on": held_on.isoformat(),
            "starts_at": "17:00",
            "venue": "Әкімдік",
            "agenda": "Бюджет жобасын келісу\nКөше жарығы",
        },
    )
    sitting = MeetingSitting.objects.get()
    close = reverse("community:sitting_close", args=[unit.kato_code, sitting.pk])
    early = client.get(close)
    items = list(sitting.items.all())
    votes = {
        f"item_{item.pk}_{key}": ""
        for item in items
        for key in ("for", "against", "abstain")
    }
    with at_noon(held_on):
        client.force_login(staff)
        form = client.get(close)
        missing = client.post(
            close, {"present": [member.pk for member in members[:5]], **votes}
        )
        done = client.post(
            close,
            {
                "present": [member.pk for member in members[:5]],
                **votes,
                f"item_{items[0].pk}_for": 5,
                f"item_{items[0].pk}_against": 0,
                f"item_{items[0].pk}_abstain": 0,
                f"item_{items[1].pk}_for": 1,
                f"item_{items[1].pk}_against": 4,
                f"item_{items[1].pk}_abstain": 0,
            },
        )
    detail = client.get(sitting.get_absolute_url()).content.decode()

    assert invalid.status_code == 400 and called.status_code == 302
    assert early.status_code == 302
    assert form.status_code == 200 and all(
        member.full_name in form.content.decode() for member in members
    )
    assert missing.status_code == 400
    assert done.status_code == 302
    sitting.refresh_from_db()
    assert (sitting.status, sitting.members_present) == (SittingStatus.HELD, 5)
    assert 'data-testid="present-members"' in detail
    assert all(member.full_name in detail for member in members[:5])
    assert 'data-testid="minutes-kk"' in detail


def test_the_akim_cancels_a_sitting_from_its_page(client, sitting, akim):
    address = reverse(
        "community:sitting_cancel", args=[sitting.unit.kato_code, sitting.pk]
    )
    client.force_login(akim)
    no_reason = client.post(address, {"reason": ""})
    done = client.post(address, {"reason": "Жол жабық"})
    page = client.get(sitting.get_absolute_url()).content.decode()

    sitting.refresh_from_db()
    assert (no_reason.status_code, done.status_code) == (302, 302)
    assert (sitting.status, sitting.cancel_reason) == (
        SittingStatus.CANCELLED,
        "Жол жабық",
    )
    assert 'data-testid="cancel-reason"' in page


def test_an_attendance_list_over_500_lines_is_refused_whole(
    client, territory, staff, akim, gathering
):
    announced = services.gathering_announce(gathering=gathering, actor=akim)
    address = reverse(
        "community:gathering_attendance", args=[announced.unit.kato_code, announced.pk]
    )
    with at_noon(announced.held_on):
        client.force_login(staff)
        response = client.post(address, {"iins": "\n".join([ADULTS[0]] * 501)})
        with pytest.raises(DomainError) as refused:
            services.attendance_record(
                gathering=announced, actor=staff, iins=[ADULTS[0]] * 501
            )

    assert response.status_code == 400
    assert "At most 500 IINs" in response.content.decode()
    assert refused.value.code == "attendance_too_many"
    assert not announced.attendance.exists()
