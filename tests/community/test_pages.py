"""The gatherings' pages: each act refused to every role that may not do it, the pages
of each step, and what residents and visitors see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from community import services
from community.models import Attendance, Gathering, GatheringRules, GatheringStatus
from tests.accounts.factories import MembershipFactory
from tests.community.conftest import ADULTS
from tests.community.test_gatherings import on_the_day


def users(territory, staff, akim, resident, other_staff):
    return {
        "anonymous": None,
        "resident": resident,
        "other_staff": other_staff,
        "deputy": MembershipFactory(
            role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
        ).user,
        "staff": staff,
        "akim": akim,
    }


def url(name, gathering, *extra):
    return reverse(
        f"community:{name}", args=[gathering.unit.kato_code, gathering.pk, *extra]
    )


# Who may do each act: the rest are refused (403, or sent to sign in).
MAY = {
    "gathering_edit": {"staff", "akim"},
    "gathering_announce": {"akim"},
    "gathering_cancel": {"akim"},
    "gathering_attendance": {"staff", "akim"},
    "gathering_close": {"staff", "akim"},
}


@pytest.mark.parametrize("act", sorted(MAY))
@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "other_staff", "deputy", "staff", "akim"]
)
def test_every_act_is_refused_to_every_role_that_may_not_do_it(
    client, territory, staff, akim, resident, other_staff, gathering, act, who
):
    user = users(territory, staff, akim, resident, other_staff)[who]
    target = gathering
    if act in ("gathering_attendance", "gathering_close"):
        target = services.gathering_announce(gathering=gathering, actor=akim)
    post = {"reason": "Себеп", "iins": ADULTS[0]}

    with on_the_day(target):
        if user:
            client.force_login(user)
        response = client.post(url(act, target), post)

    target.refresh_from_db()
    if who in MAY[act]:
        # Let through: done, or the form's own errors (a change with no fields).
        assert response.status_code in (200, 302, 400)
    else:
        # A planned gathering is not shown to those who may not see it at all.
        refused = (302,) if who == "anonymous" else (403, 404)
        assert response.status_code in refused
        assert target.status in (GatheringStatus.PLANNED, GatheringStatus.ANNOUNCED)
        assert not Attendance.objects.exists()


def test_a_planned_gathering_is_seen_by_the_akimat_alone(
    client, territory, gathering, resident, staff
):
    list_url = reverse("community:gathering_list", args=[gathering.unit.kato_code])
    client.force_login(resident)
    hidden = client.get(gathering.get_absolute_url())
    listed = client.get(list_url)
    client.force_login(staff)
    shown = client.get(gathering.get_absolute_url())

    assert hidden.status_code == 404
    assert 'data-testid="no-gatherings"' in listed.content.decode()
    assert shown.status_code == 200


def test_only_the_akim_sets_the_rules(client, territory, staff, akim):
    rules_url = reverse(
        "community:gathering_rules", args=[territory["rural_district"].kato_code]
    )
    values = {
        "notice_days": 7,
        "quorum_percent": 20,
        "majority_percent": 50,
        "minutes_working_days": 3,
        "initiative_percent": 5,
        "min_age": 18,
        "meeting_quorum_percent": 60,
        "meeting_majority_percent": 50,
        "meeting_term_years": 3,
        "appointment_allowed": "on",
    }
    client.force_login(staff)
    refused = client.post(rules_url, values)
    client.force_login(akim)
    bad = client.post(rules_url, {**values, "quorum_percent": 0})
    saved = client.post(rules_url, values)

    assert (refused.status_code, bad.status_code, saved.status_code) == (403, 400, 302)
    rules = GatheringRules.objects.get()
    assert (
        rules.quorum_percent,
        rules.meeting_quorum_percent,
        rules.meeting_term_years,
        rules.appointment_allowed,
    ) == (20, 60, 3, True)


def test_the_akimat_takes_a_gathering_from_preparing_to_its_minutes(
    client, territory, staff, akim, register
):
    unit = territory["rural_district"]
    held_on = timezone.localdate() + datetime.timedelta(days=12)
    client.force_login(staff)
    form = client.get(reverse("community:gathering_new", args=[unit.kato_code]))
    invalid = client.post(
        reverse("community:gathering_new", args=[unit.kato_code]),
        {"subject": "", "agenda": "", "convener": "residents"},
    )
    client.post(
        reverse("community:gathering_new", args=[unit.kato_code]),
        {
            "place": territory["village"].pk,
            "subject": "Көше жарығы",
            "agenda": "Жарық жобасы\n\nӨкіл сайлау",
            "held_on": held_on.isoformat(),
            "starts_at": "18:30",
            "venue": "Мәдениет үйі",
            "convener": "akim",
        },
    )
    gathering = Gathering.objects.get(unit=unit)
    client.force_login(akim)
    client.post(url("gathering_announce", gathering))
    gathering.refresh_from_db()

    assert form.status_code == 200
    assert invalid.status_code == 400
    page = invalid.content.decode()
    assert "Say what the gathering is about." in page
    assert "Give the number of signatures the residents collected." in page
    assert [item.title for item in gathering.items.all()] == [
        "Жарық жобасы",
        "Өкіл сайлау",
    ]
    assert gathering.status == GatheringStatus.ANNOUNCED

    with on_the_day(gathering):
        client.force_login(staff)
        detail = client.get(gathering.get_absolute_url()).content.decode()
        typed = client.post(
            url("gathering_attendance", gathering),
            {"iins": f"{ADULTS[1]}\n{ADULTS[2]}\n{ADULTS[1]}\n123"},
        )
        offline_again = client.post(
            url("gathering_attendance", gathering),
            {"iins": f"{ADULTS[2]}\n{ADULTS[3]}"},
        )
        close_page = client.get(url("gathering_close", gathering))
        items = list(gathering.items.all())
        closed = client.post(
            url("gathering_close", gathering),
            {
                f"item_{items[0].pk}_for": 3,
                f"item_{items[0].pk}_against": 0,
                f"item_{items[0].pk}_abstain": 0,
                f"item_{items[1].pk}_for": 1,
                f"item_{items[1].pk}_against": 2,
                f"item_{items[1].pk}_abstain": 0,
            },
        )
        after = client.get(gathering.get_absolute_url()).content.decode()

    assert 'data-testid="attendance-link"' in detail
    assert typed.status_code == 400  # one line refused, shown with its number
    assert "2 residents added." in typed.content.decode()
    assert "1 was already on the list." in typed.content.decode()
    assert "Line 4" in typed.content.decode()
    assert "1 resident added." in offline_again.content.decode()
    assert close_page.status_code == 200
    assert closed.status_code == 302
    assert "3 present of 10 residents of age" in after
    assert 'data-testid="minutes-kk"' in after
    assert "not adopted" in after


def test_attendance_can_be_corrected_before_the_minutes(client, announced, staff):
    with on_the_day(announced):
        client.force_login(staff)
        services.attendance_record(gathering=announced, actor=staff, iins=[ADULTS[4]])
        row = Attendance.objects.get()
        client.post(url("attendance_remove", announced, row.pk))

    assert not Attendance.objects.exists()


def test_the_unit_page_leads_to_the_gatherings(client, territory, announced):
    page = client.get(territory["rural_district"].get_absolute_url()).content.decode()
    listing = client.get(
        reverse(
            "community:gathering_list", args=[territory["rural_district"].kato_code]
        )
    ).content.decode()

    assert 'data-testid="gatherings-link"' in page
    assert listing.count('data-testid="gathering"') == 1
    assert "Көше жарығы" in listing


@pytest.mark.parametrize("status", ["planned", "held"])
def test_the_notice_is_printed_only_while_the_gathering_is_ahead(
    client, staff, gathering, status
):
    gathering.status = status
    gathering.eligible = gathering.present = 0
    gathering.save()
    client.force_login(staff)

    assert client.get(url("gathering_notice", gathering)).status_code == 404


def test_a_page_under_a_wrong_unit_is_not_found(client, territory, announced):
    response = client.get(
        reverse(
            "community:gathering_detail",
            args=[territory["other_rural_district"].kato_code, announced.pk],
        )
    )
    assert response.status_code == 404
