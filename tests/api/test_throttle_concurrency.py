"""The API's rate limit holds under concurrent clients: from one address, 20 clients
sending 100 requests at once get exactly the limit through (before, DRF's throttle let 72
through against 60/min: its history is read, changed and written back, not counted in one
atomic step). On PostgreSQL and Redis in CI, on the local memory cache otherwise."""

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 60


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture
def slow_cache(monkeypatch):
    """Every cache operation a few milliseconds slow, as a loaded Redis over the network
    is: a read-change-write count then lets concurrent requests read the same count."""
    backend = type(caches["default"])
    for name in ("get", "set", "add", "incr"):
        operation = getattr(backend, name)

        def slow(self, *args, _operation=operation, **kwargs):
            time.sleep(0.005)
            return _operation(self, *args, **kwargs)

        monkeypatch.setattr(backend, name, slow)


def test_concurrent_requests_past_the_limit_are_all_refused(
    live_server, settings, slow_cache
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # a day's window: the 100 requests never straddle two windows
        "DEFAULT_THROTTLE_RATES": {"anon": f"{LIMIT}/day", "user": None},
    }
    url = f"{live_server.url}/api/v1/units/?page_size=1"

    with ThreadPoolExecutor(max_workers=20) as clients:
        statuses = list(clients.map(_status, [url] * 100))

    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 100 - LIMIT
