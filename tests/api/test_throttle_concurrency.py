"""The API's rate limit holds under concurrent clients: 20 clients from one address asking
100 times at once get exactly the limit through (before, DRF's throttle let 72 through
against 60/min: its history is read, changed and written back, not counted in one atomic
step). On a cache slowed as a loaded Redis is, where a read-change-write count lets all
100 through; on Redis itself in CI (REDIS_URL), on the local memory cache otherwise."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from rest_framework.request import Request

from portal.throttling import AnonymousThrottle

LIMIT = 60


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


class Anonymous:
    is_authenticated = False


def ask(_number) -> bool:
    request = Request(RequestFactory().get("/api/v1/units/", REMOTE_ADDR="203.0.113.9"))
    request.user = Anonymous()
    return AnonymousThrottle().allow_request(request, view=None)


def test_concurrent_requests_past_the_limit_are_all_refused(settings, slow_cache):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # a day's window: the 100 requests never straddle two windows
        "DEFAULT_THROTTLE_RATES": {"anon": f"{LIMIT}/day", "user": None},
    }
    caches["default"].clear()

    with ThreadPoolExecutor(max_workers=20) as clients:
        allowed = list(clients.map(ask, range(100)))

    assert allowed.count(True) == LIMIT
    assert allowed.count(False) == 100 - LIMIT
