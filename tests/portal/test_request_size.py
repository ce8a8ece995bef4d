"""A request larger than QATYSU_MAX_REQUEST_BYTES is refused from its Content-Length, its
body never read, with the reason in the page's language (the front, nginx, refuses it
first in production: tests/integration/test_front.py). Before, a 50 MB upload was read
whole before it was refused."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


class Unread:
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@override_settings(QATYSU_MAX_REQUEST_BYTES=1024 * 1024)
@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("kk", "Сіз жіберген нәрсе портал қабылдайтыннан үлкен (ең көбі 1 МБ)"),
        ("ru", "То, что вы отправили, больше, чем принимает портал (не более 1 МБ)"),
        ("en", "What you sent is larger than the portal takes (1 MB at most)"),
    ],
)
def test_a_request_too_large_is_refused_unread(client, territory, language, reason):
    response = client.generic(
        "POST",
        f"/{language}/accounts/login/",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": Unread()},
    )

    assert response.status_code == 413
    assert reason in response.content.decode()


@override_settings(QATYSU_MAX_REQUEST_BYTES=1024)
def test_the_api_says_it_in_its_own_shape(client):
    response = client.generic(
        "POST", "/api/v1/units/", CONTENT_LENGTH="4096", **{"wsgi.input": Unread()}
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_request_within_the_limit_goes_through(client, territory):
    assert client.post("/en/accounts/login/", {"login": "a@b.kz"}).status_code == 200
