"""The API's rate limits, by client address for anonymous clients and by account for
signed-in ones (QATYSU_API_ANON_RATE and QATYSU_API_USER_RATE).

A rate is read when a request comes, not when the class is defined as DRF's own classes
do, so that a change of settings (a test's) takes effect; a rate of None turns it off.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
