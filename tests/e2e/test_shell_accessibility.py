"""Every page of the shell, in Kazakh, Russian and English, passes axe at WCAG 2.1 AA."""

import pytest
from playwright.sync_api import expect

from accounts.models import ResidencyStatus
from tests.accounts.factories import ResidencyFactory, UserFactory
from tests.e2e.conftest import assert_fits_phones

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["kk", "ru", "en"]
LOGIN = {"kk": "Кіру", "ru": "Войти", "en": "Sign in"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_accessible(new_page, assert_accessible, territory, language):
    page = new_page()
    for path in [
        "/",
        "/units/?q=ауыл",
        "/units/?q=no-such-place",
        f"/units/{territory['district'].kato_code}/",
        f"/units/{territory['village'].kato_code}/",
        "/units/999999999/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/0-no-such-key/",
        "/accounts/inactive/",
        f"/?district={territory['district'].kato_code}",
    ]:
        page.goto(f"/{language}{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_resident_and_staff_pages_are_accessible(
    new_page, assert_accessible, territory, staff, language
):
    claim = ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )
    resident = new_page(user=claim.user)
    for path in [
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/accounts/residence/?q=ақкөл",
        "/notifications/",
    ]:
        resident.goto(f"/{language}{path}")
        assert_accessible(resident)

    akimat = new_page(user=staff)
    for path in [
        "/accounts/residency/queue/",
        f"/accounts/residency/{claim.pk}/",
        f"/units/{territory['rural_district'].kato_code}/",
    ]:
        akimat.goto(f"/{language}{path}")
        assert_accessible(akimat)


@pytest.mark.parametrize("language", LANGUAGES)
def test_setting_a_first_password_is_accessible(new_page, assert_accessible, language):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    page = new_page(user=user)

    page.goto(f"/{language}/accounts/password/set/")

    assert page.locator("#id_password1").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_with_a_stale_token_gets_an_accessible_page_that_says_why(
    new_page, assert_accessible, language
):
    page = new_page()
    page.goto(f"/{language}/accounts/login/")
    page.context.clear_cookies()  # the session ended, the cookie went with it

    page.get_by_role("button", name=LOGIN[language]).click()

    assert page.get_by_test_id("refusal-reason").inner_text() != ""
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_page_is_accessible_and_gives_the_reason(
    new_page, assert_accessible, territory, resident, language
):
    page = new_page(user=resident)

    response = page.goto(f"/{language}/accounts/residency/queue/")

    assert response.status == 403
    assert page.get_by_test_id("refusal-reason").inner_text() != ""
    assert_accessible(page)


@pytest.mark.urls("tests.portal.test_pages")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_page_is_accessible(new_page, assert_accessible, language):
    page = new_page()

    response = page.goto(f"/{language}/broken/")

    assert response.status == 500
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_the_shell_works_without_javascript(new_page, territory):
    page = new_page(javascript=False)

    page.goto("/en/")
    page.locator("#unit-search").fill("акколь")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ақкөл").click()
    assert page.locator("h1").inner_text().startswith("Ақкөл")
    page.get_by_role("button", name="Русский").click()
    assert page.url.endswith("/ru/units/115633100/")
    assert page.locator("h1").inner_text().startswith("Акколь")


def test_the_accessibility_check_does_catch_a_violation(new_page, assert_accessible):
    page = new_page()
    page.set_content(
        '<html lang="en"><body><main><img src="x.png"></main></body></html>'
    )

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_the_menu_folds_on_a_phone_and_works_without_javascript(new_page, territory):
    phone = {"width": 390, "height": 844}
    page = new_page()
    page.set_viewport_size(phone)
    page.goto("/en/")
    sign_in = page.get_by_role("link", name="Sign in")
    expect(sign_in).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(sign_in).to_be_visible()
    box = sign_in.bounding_box()
    assert box["height"] >= 44, box
    sign_in.click()
    page.wait_for_url("**/accounts/login/")

    # Without JavaScript the menu is simply open.
    page = new_page(javascript=False)
    page.set_viewport_size(phone)
    page.goto("/en/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # On a wide screen the links are a row and there is no "Menu" button.
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # Widening a phone's window opens the folded menu.
    page.set_viewport_size(phone)
    expect(page.get_by_role("link", name="Sign in")).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_the_api_documentation_page_is_valid_and_fits_a_phone(new_page, html_checker):
    """Swagger UI's page: valid HTML in its own language, no wider than a phone. (Axe is
    not run on it: Swagger UI nests its operations' buttons, which axe refuses, and that
    markup is the library's.)"""
    page = new_page()
    response = page.goto("/api/v1/docs/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".opblock").first).to_be_visible()
    assert html_checker(response.text()) == []
    assert_fits_phones(page)
