"""A resident looks up whom to call and where to go: the unit's page shows its akimat's
contacts in Kazakh, Russian and English, accessible, on a 320 px phone; a unit with none
published says so; the browser finds the portal's icon."""

import pytest

from tests.portal.factories import AkimatFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}


@pytest.mark.parametrize(
    ("language", "heading", "name", "hours"),
    [
        (
            "kk",
            None,
            "Ортақ ауылдық округі әкімінің аппараты",
            "Дүйсенбі–жұма 9:00–18:30, түскі үзіліс 13:00–14:30",
        ),
        (
            "ru",
            None,
            "Аппарат акима Ортакского сельского округа",
            "Понедельник–пятница 9:00–18:30, обед 13:00–14:30",
        ),
        (
            "en",
            "Akimat contacts",
            "Ортақ ауылдық округі әкімінің аппараты",
            "Дүйсенбі–жұма 9:00–18:30, түскі үзіліс 13:00–14:30",
        ),
    ],
)
def test_the_unit_page_shows_whom_to_call_and_where_to_go(
    new_page, assert_accessible, territory, language, heading, name, hours
):
    # Given contacts with a long e-mail address, which must wrap on a phone
    AkimatFactory(
        unit=territory["rural_district"],
        email="ortak.auyldyk.okrugi.akimining.apparaty.qabyldau@example.kz",
    )
    page = new_page()
    page.set_viewport_size(PHONE)

    page.goto(f"/{language}/units/{territory['rural_district'].kato_code}/")

    block = page.get_by_test_id("akimat")
    if heading:
        assert block.get_by_role("heading", level=2).inner_text() == heading
    assert block.get_by_text(name).is_visible()
    assert block.get_by_text(hours).is_visible()
    phone = page.get_by_test_id("akimat-phone")
    assert phone.inner_text() == "+7 716 322 14 71"
    assert phone.get_attribute("href") == "tel:+77163221471"
    assert block.locator('a[href^="mailto:"]').is_visible()
    # Nothing in the block is wider than the phone's screen (the table of places
    # below it scrolls on its own)
    assert page.evaluate(
        "(block) => block.scrollWidth <= block.clientWidth"
        " && block.getBoundingClientRect().right <= window.innerWidth",
        block.element_handle(),
    )
    assert_accessible(page)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_unit_without_contacts_says_so_accessibly(
    new_page, assert_accessible, territory, language
):
    page = new_page()

    page.goto(f"/{language}/units/{territory['other_rural_district'].kato_code}/")

    block = page.get_by_test_id("akimat")
    assert block.locator("p.empty").is_visible()
    assert block.locator("a").count() == 0
    assert_accessible(page)


def test_the_budget_page_shows_the_contacts_too(new_page, assert_accessible, territory):
    AkimatFactory(unit=territory["rural_district"])
    page = new_page()

    page.goto(f"/ru/units/{territory['rural_district'].kato_code}/budget/")

    assert page.get_by_test_id("akimat-phone").get_attribute("href") == (
        "tel:+77163221471"
    )
    assert_accessible(page)


def test_the_browser_finds_the_portal_s_icon(new_page, territory):
    page = new_page()
    page.goto("/en/")

    href = page.locator('link[rel="icon"]').get_attribute("href")
    icon = page.request.get(href)
    asked = page.request.get("/favicon.ico")

    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert asked.status == 200
    assert asked.url.endswith("/static/img/favicon.svg")
    assert asked.body() == icon.body()
