"""Confirmation by SMS code at a phone's width: the akim turns the
channel on beside the household register; a resident whom the register lists with a
mobile number confirms their claim with the code sent to it, then confirms a number of
their own for notices by SMS. Every page passes axe and the HTML checker and fits a
phone."""

import re

import pytest
import sms

from accounts.models import Residency, Role, UnitVerification
from tests.accounts.factories import MembershipFactory
from tests.accounts.test_sms_codes import ANNA, _pending, _register

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def test_a_resident_confirms_their_claim_by_sms_code_on_a_phone(
    new_page, territory, staff, assert_accessible
):
    unit = territory["rural_district"]
    akim = MembershipFactory(role=Role.AKIM, unit=unit).user
    _register(territory, staff)
    claim = _pending(territory, ANNA)

    chief = new_page(user=akim)
    chief.set_viewport_size(PHONE)
    chief.goto(f"/en/accounts/register/{unit.kato_code}/")
    chief.get_by_label(re.compile("confirm their claim by a code")).check()
    chief.get_by_role("button", name="Save").click()
    assert "The ways of confirming residency are saved." in chief.content()
    assert_accessible(chief)
    assert UnitVerification.objects.get(unit=unit).by_sms

    page = new_page(user=claim.user)
    page.set_viewport_size(PHONE)
    page.goto("/en/accounts/profile/")
    page.get_by_test_id("confirm-by-sms").click()
    assert "+7 701 *** ** 45" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Send a code to +7 701 *** ** 45").click()
    assert "A code was sent by SMS to +7 701 *** ** 45." in page.content()
    assert_accessible(page)
    [message] = sms.outbox
    assert message.recipients == ["+77011234545"]

    wrong = f"{(int(_code()) + 1) % 10**6:06d}"
    page.get_by_label("The code from the SMS").fill(wrong)
    page.get_by_role("button", name="Confirm my residence").click()
    assert "The code is not right. 4 tries are left." in page.content()
    assert_accessible(page)
    page.get_by_label("The code from the SMS").fill(_code())
    page.get_by_role("button", name="Confirm my residence").click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    assert "Your residence is confirmed by the SMS code." in page.content()
    assert page.get_by_test_id("residency-status").inner_text() == "verified"
    claim.refresh_from_db()
    assert (claim.status, claim.channel) == ("verified", "sms")

    page.get_by_role("link", name="Notices by SMS").click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Your mobile number").fill("8 705 123 45 67")
    page.get_by_role("button", name="Send a code to this number").click()
    assert "A code was sent to +7 705 123 45 67." in page.content()
    assert_accessible(page)
    page.get_by_label("The code from the SMS").fill(_code())
    page.get_by_role("button", name="Confirm the number").click()
    assert page.get_by_test_id("mobile-number").inner_text() == "+7 705 123 45 67"
    page.get_by_label(
        "A gathering of the residents where you live is announced"
    ).check()
    page.get_by_role("button", name="Save the choice").click()
    assert "Your choice of SMS notices is saved." in page.content()
    assert_accessible(page)
    assert Residency.objects.get(pk=claim.pk).user.mobile_number == "+77051234567"
