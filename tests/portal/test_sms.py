"""Text messages: Kazakhstan mobile numbers, the parts a text takes, and the HTTP gateway's
contract against a fake gateway on 127.0.0.1 (sent, refused, timed out, retried, rate
limited)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation

from portal.sms import (
    HttpSmsBackend,
    SmsRefused,
    SmsUnavailable,
    kazakhstan_mobile,
    sms_fits,
    sms_parts,
)

# The numbers.


@pytest.mark.parametrize(
    "written",
    ["+7 701 123 45 67", "8 701 123 4567", "87011234567", "+7 (701) 123-45-67"],
)
def test_a_kazakhstan_mobile_number_is_read_in_any_usual_writing(written):
    assert kazakhstan_mobile(written) == "+77011234567"


@pytest.mark.parametrize(
    "written",
    [
        "+7 727 250 00 00",  # Almaty, a landline
        "+7 916 123 45 67",  # a Russian mobile
        "+998 90 123 45 67",  # an Uzbek mobile
        "+7 701 123 45",  # too short
        "seven-oh-one",
        "",
    ],
)
def test_anything_else_is_refused_in_the_readers_language(written):
    with pytest.raises(ValidationError) as refused:
        kazakhstan_mobile(written)
    assert refused.value.code == "not_a_kazakhstan_mobile"
    with translation.override("kk"):
        assert "ұялы" in str(refused.value.messages[0])
    with translation.override("ru"):
        assert "мобильный" in str(refused.value.messages[0])


def test_a_text_in_latin_letters_takes_160_characters_a_part_and_kazakh_70():
    assert sms_parts("a" * 160) == 1
    assert sms_parts("a" * 161) == 2
    assert sms_parts("a" * 306) == 2
    assert sms_parts("ә" * 70) == 1
    assert sms_parts("ә" * 71) == 2
    assert sms_parts("Жиын 12 наурызда" + "a" * 60) == 2


def test_a_text_longer_than_the_gateway_carries_does_not_fit(settings):
    settings.QATYSU_SMS_MAX_PARTS = 2
    assert sms_fits("ә" * 134)
    assert not sms_fits("ә" * 135)


# The gateway.


@dataclass
class FakeGateway:
    """An operator's gateway on 127.0.0.1: answers each POST with the next of
    `answers` (status, seconds to wait first, headers), the last one ever after, and
    keeps what it was sent."""

    answers: list[tuple[int, float, dict]] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)
    url: str = ""

    def answer(self) -> tuple[int, float, dict]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture
def gateway():
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            fake.received.append(
                {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            status, delay, headers = fake.answer()
            time.sleep(delay)
            body = json.dumps({"id": str(len(fake.received))}).encode()
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped waiting

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield fake
    server.shutdown()
    server.server_close()


def backend(gateway, **options) -> HttpSmsBackend:
    defaults = {"key": "the-key", "timeout": 0.5, "retries": 2, "pause": 0.01}
    return HttpSmsBackend(url=gateway.url, **(defaults | options))


def send(connection, to="+77011234567", text="Жиын 12 наурызда сағат 18:00-де."):
    return sms.send_sms(text, "Qatysu", [to], connection=connection)


def test_a_message_taken_is_sent_once_with_the_key(gateway):
    gateway.answers = [(200, 0, {})]
    assert send(backend(gateway)) == 1
    assert gateway.received == [
        {
            "path": "/send",
            "authorization": "Bearer the-key",
            "content_type": "application/json",
            "json": {
                "to": "+77011234567",
                "text": "Жиын 12 наурызда сағат 18:00-де.",
                "from": "Qatysu",
            },
        }
    ]


def test_a_refused_message_is_never_tried_again(gateway):
    gateway.answers = [(400, 0, {})]
    with pytest.raises(SmsRefused, match="HTTP 400"):
        send(backend(gateway))
    assert len(gateway.received) == 1


def test_a_gateway_that_fails_once_is_tried_again_and_takes_it(gateway):
    gateway.answers = [(503, 0, {}), (200, 0, {})]
    assert send(backend(gateway)) == 1
    assert len(gateway.received) == 2


def test_a_gateway_that_never_answers_in_time_is_given_up_after_every_try(gateway):
    gateway.answers = [(200, 1.0, {})]
    started = time.monotonic()
    with pytest.raises(SmsUnavailable, match="3 tries"):
        send(backend(gateway, timeout=0.2))
    assert len(gateway.received) == 3
    # three timeouts and two pauses, never the gateway's own second each time
    assert time.monotonic() - started < 2.5


def test_a_rate_limited_message_waits_as_the_gateway_asks_then_is_sent(gateway):
    gateway.answers = [(429, 0, {"Retry-After": "1"}), (200, 0, {})]
    started = time.monotonic()
    assert send(backend(gateway)) == 1
    assert time.monotonic() - started >= 1
    assert len(gateway.received) == 2


def test_a_patient_of_a_second_waits_no_longer_whatever_the_gateway_asks(gateway):
    gateway.answers = [(429, 0, {"Retry-After": "20"}), (200, 0, {})]
    started = time.monotonic()
    assert send(backend(gateway, patience=0.2)) == 1
    assert time.monotonic() - started < 2
    assert len(gateway.received) == 2


def test_a_gateway_without_an_address_sends_nothing_and_says_so(monkeypatch):
    said = []
    monkeypatch.setattr(
        "portal.sms.logger.error", lambda message, *args: said.append(message % args)
    )
    unset = HttpSmsBackend(url="", key="")
    with pytest.raises(SmsUnavailable, match="QATYSU_SMS_URL"):
        send(unset)
    assert said == ["QATYSU_SMS_URL is not set: no text message is sent"]


def test_a_gateway_that_stays_rate_limited_is_given_up(gateway):
    gateway.answers = [(429, 0, {"Retry-After": "0"})]
    with pytest.raises(SmsUnavailable, match="HTTP 429"):
        send(backend(gateway))
    assert len(gateway.received) == 3


def test_a_gateway_that_is_not_there_is_given_up(gateway):
    gone = HttpSmsBackend(
        url="http://127.0.0.1:9/send", key="k", timeout=0.2, retries=1, pause=0.01
    )
    with pytest.raises(SmsUnavailable, match="2 tries"):
        send(gone)


def test_silently_failing_counts_only_what_was_sent(gateway):
    gateway.answers = [(200, 0, {}), (400, 0, {})]
    quiet = backend(gateway, fail_silently=True)
    message = sms.Message(
        "Текст", "Qatysu", ["+77011234567", "+77021234567"], connection=quiet
    )
    assert message.send() == 1
    assert len(gateway.received) == 2


def test_the_gateway_s_address_must_be_a_web_address():
    with pytest.raises(ImproperlyConfigured):
        HttpSmsBackend(url="file:///etc/passwd", key="k")


def test_the_demo_and_development_print_messages_on_the_console(settings, capsys):
    settings.SMS_BACKEND = "sms.backends.console.SmsBackend"
    assert sms.send_sms("Код: 123456", "Qatysu", ["+77011234567"]) == 1
    assert "Код: 123456" in capsys.readouterr().out
