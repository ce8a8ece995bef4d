"""Every response carries the Content-Security-Policy and the Permissions-Policy: pages,
the API, refusals and errors alike."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/kk/",
    "/ru/units/?q=ақ",
    "/en/no-such-page/",
    "/api/v1/units/",
    "/api/v1/docs/",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_policies(client, path):
    response = client.get(path)

    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_page_template_holds_an_inline_script_or_style(settings):
    import re

    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        # json_script's data blocks are data, not scripts; they are written by the tag
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert "<style" not in text, template
        assert not re.search(r"\sstyle=\"", text), template
        assert not re.search(r"\son[a-z]+=\"", text), template
