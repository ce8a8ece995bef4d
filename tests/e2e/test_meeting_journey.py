"""The community meeting at a phone's width: staff record a member the village's
gathering elected, call a sitting, and on its day tick the members present and enter the
votes, which publishes the minutes; a visitor reads the members and the sitting. Every
page passes axe and the HTML checker and fits a phone."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from community.models import MeetingMember, MeetingSitting, SittingStatus
from tests.accounts.factories import MembershipFactory
from tests.community.conftest import ADULTS, elect_members, make_register

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


def test_the_meeting_from_its_members_to_a_sittings_minutes_on_a_phone(
    new_page, territory, staff, akim, assert_accessible
):
    unit = territory["rural_district"]
    make_register(territory, staff)
    gathering, members = elect_members(
        territory, staff, akim, day=timezone.localdate(), count=4
    )
    starts = gathering.held_on + datetime.timedelta(days=1)
    held_on = starts + datetime.timedelta(days=7)

    with time_machine.travel(
        datetime.datetime.combine(starts, datetime.time(10, 0)).astimezone(
            timezone.get_default_timezone()
        ),
        tick=True,
    ):
        page = new_page(user=staff)
        page.set_viewport_size(PHONE)
        page.goto(f"/en/units/{unit.kato_code}/meeting/")
        assert page.get_by_test_id("member").count() == 4
        assert_accessible(page)
        page.get_by_test_id("member-new").click()
        page.get_by_test_id("member-save").click()
        assert page.get_by_text("Give the member's full name.").first.is_visible()
        assert_accessible(page)
        page.get_by_label("Full name").fill("Дана Қасым")
        page.get_by_label("IIN").fill(ADULTS[6])
        page.get_by_label("Elected by the gathering").select_option(str(gathering.pk))
        page.get_by_label("Term starts").fill(starts.isoformat())
        page.get_by_test_id("member-save").click()
        page.wait_for_url(re.compile(r"/meeting/$"))
        assert page.get_by_test_id("member").count() == 5

        page.get_by_test_id("sitting-new").click()
        page.get_by_label("Date").fill(held_on.isoformat())
        page.get_by_label("Time").fill("17:00")
        page.get_by_label("Place of the sitting").fill("Әкімдік")
        page.get_by_label("Agenda").fill("Бюджет жобасын келісу\nКөше жарығы")
        assert_accessible(page)
        page.get_by_test_id("sitting-save").click()
        page.wait_for_url(re.compile(r"/sittings/\d+/$"))
        assert page.get_by_test_id("sitting-status").inner_text() == "called"
        assert_accessible(page)
    sitting = MeetingSitting.objects.get()

    with time_machine.travel(
        datetime.datetime.combine(held_on, datetime.time(18, 0)).astimezone(
            timezone.get_default_timezone()
        ),
        tick=True,
    ):
        clerk = new_page(user=staff)
        clerk.set_viewport_size(PHONE)
        clerk.goto(sitting.get_absolute_url())
        clerk.get_by_test_id("close-link").click()
        assert_accessible(clerk)
        present = [*members[:3], MeetingMember.objects.get(full_name="Дана Қасым")]
        for member in present:
            clerk.get_by_label(member.full_name).check()
        for row, counts in enumerate([("4", "0", "0"), ("1", "3", "0")]):
            item = clerk.locator("fieldset.card").nth(row)
            for label, count in zip(
                ("For", "Against", "Abstained"), counts, strict=True
            ):
                item.get_by_label(label).fill(count)
        clerk.get_by_test_id("publish-minutes").click()
        clerk.wait_for_url(re.compile(r"/sittings/\d+/$"))
        assert clerk.get_by_test_id("sitting-status").inner_text() == "held"
        names = clerk.get_by_test_id("present-members").inner_text()
        assert all(member.full_name in names for member in present)
        assert_accessible(clerk)

        visitor = new_page()
        visitor.set_viewport_size(PHONE)
        visitor.goto(sitting.get_absolute_url().replace("/en/", "/kk/"))
        assert "Отырыс заңды болды." in visitor.get_by_test_id("quorum").inner_text()
        assert "Дана Қасым" in visitor.get_by_test_id("present-members").inner_text()
        assert_accessible(visitor)
        minutes = visitor.request.get(
            visitor.get_by_test_id("minutes-kk").get_attribute("href")
        )
        assert minutes.headers["content-type"] == "application/pdf"

    sitting.refresh_from_db()
    assert (sitting.status, sitting.members_total, sitting.members_present) == (
        SittingStatus.HELD,
        5,
        4,
    )
