"""The portal's icon: every page names the SVG, and a browser's own request for
/favicon.ico is sent to it rather than answered with a 404."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

ICON = static("img/favicon.svg")


def test_every_page_names_the_svg_icon(client, territory):
    for url in (
        reverse("portal:home"),
        territory["village"].get_absolute_url(),
        "/en/units/999999999/",
    ):
        page = client.get(url).content.decode()
        assert f'<link rel="icon" type="image/svg+xml" href="{ICON}">' in page, url


def test_the_icon_is_an_svg_of_the_portal_s_colours():
    path = finders.find("img/favicon.svg")

    assert path is not None
    svg = Path(path).read_text(encoding="utf-8")
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    )
    assert 'fill="#003f58"' in svg


def test_favicon_ico_at_the_root_is_sent_to_the_svg(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == ICON == "/static/img/favicon.svg"
    assert client.head("/favicon.ico").status_code == 302


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_favicon_ico_answers_only_reads(client, db, method):
    assert getattr(client, method)("/favicon.ico").status_code == 405
