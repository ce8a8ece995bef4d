"""On a phone: sign up with a name, confirm the address from the e-mail, sign out and
in again; every page in the site's layout and accessible (WCAG 2.1 AA)."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PASSWORD = "a-long-steppe-password"


def in_the_site_layout(page):
    assert page.locator("header.site-header").is_visible()
    assert page.locator("form.language-switcher").count() == 1
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_newcomer_signs_up_with_a_name_on_a_phone(new_page, assert_accessible, db):
    page = new_page()
    page.set_viewport_size(PHONE)

    # A sign-up without a name is refused, with a summary that leads to the field.
    page.goto("/en/accounts/signup/")
    in_the_site_layout(page)
    assert_accessible(page)
    page.get_by_label("Email").fill("aigerim@example.kz")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    summary = page.get_by_role("alert").filter(has_text="Please correct the following")
    assert summary.get_by_role("link", name="First name: Give your first name.").count()
    assert_accessible(page)
    assert not User.objects.exists()

    # With the name it opens the account and sends the confirmation.
    page.get_by_label("First name").fill("Aigerim")
    page.get_by_label("Surname").fill("Serikova")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))
    in_the_site_layout(page)
    assert_accessible(page)
    [message] = mail.outbox
    assert message.subject.startswith("[Qatysu] ")
    link = re.search(r"https?://\S+/confirm-email/\S+/", message.body).group(0)

    # The link from the e-mail confirms the address and signs the newcomer in.
    page.goto(link)
    in_the_site_layout(page)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/en/accounts/profile/$"))
    assert page.get_by_test_id("full-name").inner_text() == "Aigerim Serikova"
    assert page.get_by_test_id("public-name").inner_text() == "Aigerim S."
    in_the_site_layout(page)
    assert_accessible(page)

    # Sign out (the menu is folded on a phone), and in again.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Sign out").click()
    in_the_site_layout(page)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Sign in"
    ).click()
    in_the_site_layout(page)
    assert_accessible(page)
    page.get_by_label("Email").fill("aigerim@example.kz")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/en/accounts/profile/$"))
    assert page.get_by_test_id("public-name").inner_text() == "Aigerim S."
