"""Sessions: read through the cache when the cache is Redis (every process shares it), so
that a signed-in request reads no session row; from the database alone otherwise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.fresh_settings import fresh_setting

CACHED = "django.contrib.sessions.backends.cached_db"


def engine_with(redis_url: str) -> str:
    return fresh_setting("settings.SESSION_ENGINE", REDIS_URL=redis_url)


def test_sessions_go_through_the_cache_only_when_it_is_redis():
    assert engine_with("redis://127.0.0.1:6379/15") == CACHED
    assert engine_with("") == "django.contrib.sessions.backends.db"


def session_reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("django_session" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_a_signed_in_reader_reads_no_session_row_and_signing_out_ends_it(
    client, settings
):
    settings.SESSION_ENGINE = CACHED
    user = UserFactory()
    client.force_login(user)
    profile = reverse("accounts:profile")

    # Signed in, each page reads the session from the cache alone
    assert session_reads(client, profile) == 0
    assert session_reads(client, profile) == 0
    assert client.get(profile).context["user"] == user

    # Signed out, the old session is gone from the cache and the database: the same
    # cookie no longer signs anyone in
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(profile)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
