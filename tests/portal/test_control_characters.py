"""A NUL byte or another control character in an address, a query or a form never reaches
a view, and so never PostgreSQL: the address is not found, the query or form is refused
with the reason in the page's language, and nothing changes. (Each of these addresses was
a server error on PostgreSQL before the guard.)"""

import pytest
from django.test import override_settings

from accounts.models import Residency
from portal.middleware import has_control_characters
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED_QUERY = {
    "kk": "Мекенжайда ешбір іздеу не сүзгі қамти алмайтын көрінбейтін басқару таңбасы",
    "ru": "В адресе есть невидимый управляющий символ",
    "en": "The address holds an invisible control character",
}


@pytest.mark.parametrize(
    "path",
    [
        "/kk/units/%00/",
        "/ru/units/115633000%00/",
        "/en/units/115633000/budget/20%0027/",
        "/kk/proposals/1%00/",
        "/kk/units/%01%7f/",
    ],
)
def test_an_address_with_a_control_character_names_no_page(client, territory, path):
    response = client.get(path)

    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=%D0%B0%00%D0%B1", "district=11%0060", "q=ok&sort=%1b"],
)
def test_a_query_with_a_control_character_is_refused_with_the_reason(
    client, territory, language, query
):
    response = client.get(f"/{language}/units/?{query}")

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert REFUSED_QUERY[language] in html


def test_the_api_answers_in_its_own_shape(client, territory):
    # An address: not found, as the API says it
    response = client.get("/api/v1/units/11%0000/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "The API has no such address.",
    }
    # A parameter: its filter refuses it, naming it (tests/api/test_errors.py)
    response = client.get("/api/v1/units/?parent=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["Null characters are not allowed."]}


def test_a_form_with_a_nul_byte_saves_nothing_and_says_why(client, territory):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/kk/accounts/residence/",
        {"place": "115633000\x00", "iin": "900101300123", "first_name": "Ә\x00"},
    )

    assert response.status_code == 400
    assert "нөл байт" not in response.content.decode()  # the reason, not a byte's name
    assert "ештеңе сақталмады" in response.content.decode()
    assert not Residency.objects.exists()


@pytest.mark.parametrize("text", ["a\tb", "line one\nline two", "a\r\nb", "ә қ ң ₸"])
def test_tabs_and_line_breaks_are_text(text):
    assert not has_control_characters(text)


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
def test_a_form_django_cannot_read_gets_the_site_s_page(client, territory):
    response = client.post(
        "/ru/accounts/login/", {f"field{n}": "x" for n in range(10)}, follow=False
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert 'class="usa-skipnav"' in html
    assert "ничего не сохранено" in html
