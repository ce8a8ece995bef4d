"""One-time codes sent by SMS: made, kept as a keyed hash, compared; the limits on how many
are sent to a number and asked from an address; the text that carries one, in the
person's language. The services (accounts.services) write the codes and decide.

The limits are counted in the cache by one atomic increment each, as django-ratelimit
counts the API's (portal.throttling), in fixed windows (an hour, a day): a code asked in
a full window is refused with the time left. A code the gateway did not take is given
back, so a failure of the gateway never spends a person's codes."""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass

import sms
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from sms.message import Message

from portal.sms import sms_fits

CODE_DIGITS = 6
_KEY_SALT = "accounts.textcodes"


def code_new() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str) -> str:
    """The code as kept: a random salt and the HMAC (keyed by the site's secret) of both,
    so that the table read alone gives no code back."""
    salt = secrets.token_hex(8)
    return f"{salt}${salted_hmac(_KEY_SALT, f'{salt}:{code}').hexdigest()}"


def code_matches(code: str, digest: str) -> bool:
    salt, _sep, kept = digest.partition("$")
    return constant_time_compare(
        salted_hmac(_KEY_SALT, f"{salt}:{code}").hexdigest(), kept
    )


@dataclass(frozen=True)
class Limit:
    scope: str
    value: str
    count: int
    seconds: int

    def key(self, now: float) -> str:
        # The number or address is hashed with the site's key: the cache keeps no one's
        # number in clear, nor one that trying every number would give back.
        value = salted_hmac(_KEY_SALT, f"limit:{self.value}").hexdigest()[:32]
        return (
            f"sms-codes:{self.scope}:{self.seconds}:{int(now // self.seconds)}:{value}"
        )


class RateLimited(Exception):
    def __init__(self, limit: Limit, wait: int) -> None:
        super().__init__(limit.scope)
        self.limit = limit
        self.wait = wait


def code_limits(*, phone: str, address: str, user_id: int) -> list[Limit]:
    """The number's limits, the person's (an account giving number after number is
    stopped all the same) and the address's."""
    limits = [
        Limit("number-hour", phone, settings.QATYSU_SMS_CODES_PER_NUMBER_HOUR, 3600),
        Limit("number-day", phone, settings.QATYSU_SMS_CODES_PER_NUMBER_DAY, 86400),
        Limit(
            "person-day", str(user_id), settings.QATYSU_SMS_CODES_PER_PERSON_DAY, 86400
        ),
    ]
    if address:
        limits.append(
            Limit(
                "address-hour",
                address,
                settings.QATYSU_SMS_CODES_PER_ADDRESS_HOUR,
                3600,
            )
        )
    return limits


def limits_take(limits: list[Limit]) -> list[str]:
    """Count one code against every limit, or none and RateLimited when one is full;
    returns what was counted, for `limits_give_back`."""
    now = time.time()
    taken: list[str] = []
    for limit in limits:
        key = limit.key(now)
        cache.add(key, 0, timeout=limit.seconds + 60)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=limit.seconds + 60)
            used = 1
        taken.append(key)
        if used > limit.count:
            limits_give_back(taken)
            raise RateLimited(
                limit, wait=max(1, int(limit.seconds - now % limit.seconds))
            )
    return taken


def limits_give_back(keys: list[str]) -> None:
    for key in keys:
        # A window that ended meanwhile has nothing to give back.
        with contextlib.suppress(ValueError):
            cache.decr(key)


def code_text(*, code: str, language: str) -> str:
    """What carries the code, in the person's language, within the gateway's length."""
    minutes = settings.QATYSU_SMS_CODE_MINUTES
    with translation.override(language):
        text = gettext(
            "Qatysu code: %(code)s. Valid for %(minutes)d minutes. Never tell it to "
            "anyone."
        ) % {"code": code, "minutes": minutes}
        if not sms_fits(text):
            text = gettext("Qatysu code: %(code)s") % {"code": code}
    return text


def code_send(*, phone: str, text: str) -> None:
    """One message through the configured gateway, tried at most twice, each try and
    the wait between them short (a person waits for the page, and a row is held
    meanwhile: some 12 seconds at the worst); its refusal or absence raises
    (portal.sms.SmsRefused, SmsUnavailable)."""
    connection = sms.get_connection(
        retries=1, timeout=settings.QATYSU_SMS_CODE_TIMEOUT, patience=2.0
    )
    Message(text, settings.DEFAULT_FROM_SMS, [phone], connection=connection).send()
