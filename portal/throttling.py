"""The API's rate limits, by client address for anonymous clients and by account for
signed-in ones (QATYSU_API_ANON_RATE and QATYSU_API_USER_RATE).

Counted by django-ratelimit, whose count is one atomic increment in the cache (Redis in
production): under many concurrent clients no request slips past the limit, as it did
with DRF's own throttles (their history is read, changed and written back). A rate is read
when a request comes, so that a change of settings (a test's) takes effect; a rate of None
turns it off. The client's address is DRF's (its NUM_PROXIES rule), so that a client
cannot name itself anew with X-Forwarded-For.
"""

from __future__ import annotations

from django_ratelimit.core import get_usage
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


class _AtomicThrottle(BaseThrottle):
    scope = ""

    def applies_to(self, request) -> bool:
        raise NotImplementedError

    def key(self, request) -> str:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        self.time_left = None
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None or not self.applies_to(request):
            return True
        usage = get_usage(
            request,
            group=f"api-{self.scope}",
            key=lambda _group, _request: self.key(request),
            rate=rate,
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return True
        self.time_left = max(usage["time_left"], 1)
        return False

    def wait(self) -> int | None:
        return self.time_left


class AnonymousThrottle(_AtomicThrottle):
    scope = "anon"

    def applies_to(self, request) -> bool:
        return not request.user.is_authenticated

    def key(self, request) -> str:
        return self.get_ident(request)


class UserThrottle(_AtomicThrottle):
    scope = "user"

    def applies_to(self, request) -> bool:
        return request.user.is_authenticated

    def key(self, request) -> str:
        return str(request.user.pk)
