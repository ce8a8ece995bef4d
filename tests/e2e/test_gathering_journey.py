"""A gathering at a phone's width: the akimat prepares it and the akim announces it; on
the day staff record the residents present, a list typed without a connection sent by
itself when the connection returns; the votes are entered and the minutes published.
Every page passes axe and the HTML checker and fits a phone."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from community.models import Attendance, Gathering, GatheringStatus
from tests.accounts.factories import MembershipFactory
from tests.community.conftest import ADULTS, make_register

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def register(territory, staff):
    return make_register(territory, staff)


def test_a_gathering_from_its_call_to_its_minutes_on_a_phone(
    new_page,
    territory,
    staff,
    akim,
    register,
    assert_accessible,
):
    unit = territory["rural_district"]
    held_on = timezone.localdate() + datetime.timedelta(days=12)

    page = new_page(user=staff)
    page.set_viewport_size(PHONE)
    page.goto(f"/en/units/{unit.kato_code}/gatherings/")
    assert_accessible(page)
    page.get_by_test_id("gathering-new").click()
    page.get_by_role("button", name="Save").click()
    assert "Say what the gathering is about." in page.content()
    assert_accessible(page)
    page.get_by_label("Territory").select_option(label="Ақкөл (115633100)")
    page.get_by_label("Subject").fill("Көше жарығы")
    page.get_by_label("Agenda").fill("Жарық жобасы\nӨкіл сайлау")
    page.get_by_label("Date").fill(held_on.isoformat())
    page.get_by_label("Time").fill("18:30")
    page.get_by_label("Place of the gathering").fill("Мәдениет үйі")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/gatherings/\d+/$"))
    assert_accessible(page)

    chief = new_page(user=akim)
    chief.set_viewport_size(PHONE)
    chief.goto(page.url)
    chief.get_by_test_id("announce").click()
    assert chief.get_by_test_id("gathering-status").inner_text() == "announced"
    assert_accessible(chief)
    gathering = Gathering.objects.get()

    with time_machine.travel(
        datetime.datetime.combine(held_on, datetime.time(18, 40)).astimezone(
            timezone.get_default_timezone()
        ),
        tick=True,
    ):
        clerk = new_page(user=staff)
        clerk.set_viewport_size(PHONE)
        clerk.goto(gathering.get_absolute_url())
        clerk.get_by_test_id("attendance-link").click()
        assert_accessible(clerk)
        clerk.get_by_label("IINs of the residents present").fill(
            f"{ADULTS[1]}\n{ADULTS[2]}"
        )
        clerk.get_by_test_id("attendance-submit").click()
        assert (
            "2 residents added."
            in clerk.get_by_test_id("attendance-report").inner_text()
        )
        assert_accessible(clerk)

        # The connection drops: the list typed is kept, and sent when it returns.
        clerk.context.set_offline(True)
        clerk.get_by_label("IINs of the residents present").fill(
            f"{ADULTS[2]}\n{ADULTS[3]}\n{ADULTS[4]}"
        )
        clerk.get_by_test_id("attendance-submit").click()
        assert "No connection" in clerk.locator("[data-attendance-state]").inner_text()
        clerk.context.set_offline(False)
        clerk.get_by_test_id("attendance-report").wait_for()
        report = clerk.get_by_test_id("attendance-report").inner_text()
        assert "2 residents added." in report and "1 was already on the list." in report
        assert Attendance.objects.filter(gathering=gathering).count() == 4

        clerk.get_by_role(
            "link", name="Record the votes and publish the minutes"
        ).click()
        assert_accessible(clerk)
        for index, counts in enumerate(((3, 1, 0), (1, 2, 1))):
            for label, count in zip(
                ("For", "Against", "Abstained"), counts, strict=True
            ):
                clerk.get_by_label(label, exact=True).nth(index).fill(str(count))
        clerk.get_by_test_id("publish-minutes").click()
        clerk.get_by_test_id("minutes-kk").wait_for()
        assert (
            "4 present of 10 residents of age"
            in clerk.get_by_test_id("quorum").inner_text()
        )
        assert_accessible(clerk)

    gathering.refresh_from_db()
    assert (gathering.status, gathering.present) == (GatheringStatus.HELD, 4)


def test_staff_import_the_household_register_on_a_phone(
    new_page, territory, staff, assert_accessible, tmp_path
):
    village = territory["village"].kato_code
    bad = tmp_path / "register.csv"
    bad.write_text(
        f"ИИН;КАТО;Улица;Дом\n{ADULTS[0]};{village};Абай;1\n123;{village};Абай;2\n"
    )
    good = tmp_path / "register-fixed.csv"
    good.write_text(
        f"ИИН;КАТО;Улица;Дом\n{ADULTS[0]};{village};Абай;1\n{ADULTS[1]};{village};Абай;2\n"
    )
    page = new_page(user=staff)
    page.set_viewport_size(PHONE)
    page.goto("/en/accounts/profile/")
    page.get_by_role("link", name=re.compile("Household register")).click()
    assert page.get_by_test_id("register-empty").is_visible()
    assert_accessible(page)

    page.get_by_label("The register as a CSV or XLSX file").set_input_files(bad)
    page.get_by_label(re.compile("This file is the whole register")).check()
    page.get_by_role("button", name="Import").click()
    assert "Row 3" in page.get_by_test_id("line-errors").inner_text()
    assert_accessible(page)

    page.get_by_label("The register as a CSV or XLSX file").set_input_files(good)
    page.get_by_label(re.compile("This file is the whole register")).check()
    page.get_by_role("button", name="Import").click()
    assert page.get_by_test_id("register-total").inner_text() == "2 residents"
    assert_accessible(page)
