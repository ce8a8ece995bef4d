"""Text messages (SMS) to Kazakhstan mobile numbers, through a gateway chosen by the
settings as e-mail's backend is (django-sms, `SMS_BACKEND`): the console for the demo and
development, the process's outbox for the tests, and `HttpSmsBackend` for an operator's
HTTP gateway (QATYSU_SMS_URL and QATYSU_SMS_KEY).

The HTTP gateway's contract: each message to each recipient is one POST of JSON
{"to": "+77011234567", "text": ..., "from": ...} with the key as a bearer token, answered
by 2xx when taken. A 4xx (but 408 and 429) refuses that message for good (`SmsRefused`:
a number the operator does not serve, a text it will not carry); a timeout, a refused
connection, 408, 429 (its Retry-After waited, within RETRY_AFTER_LIMIT) or a 5xx is tried
again, QATYSU_SMS_RETRIES more times with a growing pause, and then `SmsUnavailable`.

A number to text must be a mobile one, which Google's phonenumbers knows from metadata
renewed with each release (`kazakhstan_mobile`); portal.phones reads any Kazakhstan number
(the akimat's contacts, fixed lines among them) by the national plan's first digit."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from sms.backends.base import BaseSmsBackend
from sms.message import Message

logger = logging.getLogger(__name__)

# The longest pause a gateway's Retry-After is obeyed for, in seconds.
RETRY_AFTER_LIMIT = 30.0


class SmsError(Exception):
    """A text message the gateway did not take."""


class SmsRefused(SmsError):
    """The gateway refused the message: sending it again would be refused again."""


class SmsUnavailable(SmsError):
    """The gateway did not take the message after every try."""


def kazakhstan_mobile(text: str) -> str:
    """The number written (+7 701 123 45 67, 8 701 123 4567, 87011234567) in E.164
    (+77011234567), if it is a Kazakhstan mobile number; otherwise a ValidationError
    that says so."""
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "KZ"
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(
            _("Give a Kazakhstan mobile number, such as +7 701 123 45 67."),
            code="not_a_kazakhstan_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# GSM 03.38's basic characters, sent seven bits each; a text with any other (Kazakh and
# Russian letters among them) is sent in UCS-2, fewer characters a part.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_parts(text: str) -> int:
    """How many parts the text is sent in: 160 characters in one part (153 a part when
    it is longer) in GSM 03.38, 70 (67 a part) in UCS-2."""
    single, multi = (160, 153) if set(text) <= GSM_BASIC else (70, 67)
    if len(text) <= single:
        return 1
    return -(-len(text) // multi)


def sms_fits(text: str) -> bool:
    """Whether the gateway carries the text (QATYSU_SMS_MAX_PARTS parts at most)."""
    return sms_parts(text) <= settings.QATYSU_SMS_MAX_PARTS


class HttpSmsBackend(BaseSmsBackend):
    """An operator's HTTP gateway (the contract in this module's description)."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently)
        self.url = kwargs.get("url", settings.QATYSU_SMS_URL)
        if self.url and not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                "QATYSU_SMS_URL: the gateway's address, https://… (or http://)."
            )
        self.key = kwargs.get("key", settings.QATYSU_SMS_KEY)
        self.timeout = kwargs.get("timeout", settings.QATYSU_SMS_TIMEOUT)
        self.retries = kwargs.get("retries", settings.QATYSU_SMS_RETRIES)
        self.pause = kwargs.get("pause", 0.5)
        # The longest wait between two tries, whatever a Retry-After asks.
        self.patience = kwargs.get("patience", RETRY_AFTER_LIMIT)

    def send_messages(self, messages: list[Message]) -> int:
        sent = 0
        for message in messages:
            for recipient in message.recipients:
                try:
                    self._send(recipient, message.body, message.originator)
                except SmsError:
                    if not self.fail_silently:
                        raise
                    logger.warning("SMS to …%s not sent", recipient[-2:], exc_info=True)
                else:
                    sent += 1
        return sent

    def _send(self, recipient: str, body: str, originator: str) -> None:
        if not self.url:
            logger.error("QATYSU_SMS_URL is not set: no text message is sent")
            raise SmsUnavailable("the gateway's address, QATYSU_SMS_URL, is not set")
        payload = json.dumps({"to": recipient, "text": body, "from": originator})
        for attempt in range(self.retries + 1):
            wait = self.pause * 2**attempt
            try:
                self._post(payload.encode())
                return
            except urllib.error.HTTPError as error:
                if error.code in (408, 429) or error.code >= 500:
                    wait = min(max(wait, _retry_after(error)), self.patience)
                    reason = f"HTTP {error.code}"
                else:
                    raise SmsRefused(f"HTTP {error.code}: {_reason(error)}") from None
            except (urllib.error.URLError, TimeoutError) as error:
                reason = str(getattr(error, "reason", error))
            if attempt < self.retries:
                time.sleep(wait)
        raise SmsUnavailable(
            f"{self.retries + 1} tries, the last answered by: {reason}"
        )

    def _post(self, data: bytes) -> None:
        # The address is checked to be http(s) when the backend is made.
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            response.read()


def _retry_after(error: urllib.error.HTTPError) -> float:
    try:
        return min(float(error.headers.get("Retry-After", "0")), RETRY_AFTER_LIMIT)
    except ValueError:
        return 0.0


def _reason(error: urllib.error.HTTPError) -> str:
    try:
        return error.read().decode(errors="replace")[:200]
    except OSError:
        return ""
