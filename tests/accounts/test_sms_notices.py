"""Notices by SMS, for residents who choose them: their own number confirmed once by a
code (the same codes and limits as a residency's), the kinds they choose, each sent by a
Celery task after the commit in their language and within the gateway's length; nothing
without a confirmed number; the gateway's failures retried as the e-mails are."""

import re
from unittest import mock

import pytest
import sms
from celery.exceptions import Retry
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.codes import ErrorCode
from portal import notifications
from portal.errors import DomainError
from portal.models import AuditEvent, Notification, NotificationPreference
from portal.services import notification_send
from portal.sms import sms_fits
from portal.tasks import notifications_text
from tests.accounts.factories import UserFactory
from tests.portal.test_sms import gateway  # noqa: F401  (the local fake gateway)

NUMBER = "+77051234567"


def _code_sent(index: int = -1) -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[index].body).group(1)


def _confirmed(user, number=NUMBER, kinds=("gathering_announced",)):
    services.mobile_code_send(user=user, number=number)
    services.mobile_code_check(user=user, code=_code_sent())
    services.sms_kinds_choose(user=user, kinds=set(kinds))
    sms.outbox.clear()
    return user


def _sent(**notice):
    """notification_send, and what it queued for after the commit run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notification_send(**notice)


def _gathering(recipients, unit, kind="gathering_announced", **context):
    return _sent(
        recipients=recipients,
        kind=kind,
        unit=unit,
        context={
            "day": "2026-03-12",
            "time": "18:00",
            "venue": "the school",
            "subject": "the water pipe",
            "reason": "a storm",
            **context,
        },
        url_name="accounts:profile",
    )


# The number and the kinds.


def test_a_resident_confirms_their_number_and_chooses_kinds_on_their_pages(client, db):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:sms_notices")

    page = client.get(url).content.decode()
    sent = client.post(url, {"action": "send", "number": "8 705 123 45 67"})
    code_page = client.get(url).content.decode()
    confirmed = client.post(url, {"action": "confirm", "code": _code_sent()})
    chosen = client.post(
        url, {"action": "kinds", "kinds": ["gathering_announced", "vote_opened"]}
    )
    final = client.get(url).content.decode()

    assert 'data-testid="mobile-number-none"' in page
    assert sent.status_code == confirmed.status_code == chosen.status_code == 302
    assert [message.recipients for message in sms.outbox] == [[NUMBER]]
    assert "A code was sent to +7 705 123 45 67." in code_page
    user.refresh_from_db()
    assert user.mobile_number == NUMBER
    assert set(
        NotificationPreference.objects.filter(user=user, by_sms=True).values_list(
            "kind", flat=True
        )
    ) == {"gathering_announced", "vote_opened"}
    assert "+7 705 123 45 67" in final
    assert [
        (event.verb, event.details)
        for event in AuditEvent.objects.filter(verb__startswith="user.mobile").order_by(
            "pk"
        )
    ] == [
        ("user.mobile_code_sent", {"phone": "+7 705 *** ** 67"}),
        ("user.mobile_confirmed", {"phone": "+7 705 *** ** 67"}),
    ]


def test_a_number_that_is_not_a_kazakhstan_mobile_gets_no_code(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:sms_notices"),
        {"action": "send", "number": "+7 727 250 00 00"},
    )

    assert response.status_code == 400
    assert "Give a Kazakhstan mobile number" in response.content.decode()
    assert sms.outbox == []


def test_kinds_need_a_confirmed_number(db):
    user = UserFactory()

    with pytest.raises(DomainError) as refused:
        services.sms_kinds_choose(user=user, kinds={"gathering_announced"})

    assert refused.value.code == ErrorCode.MOBILE_REQUIRED
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_a_wrong_code_leaves_the_number_unconfirmed(db):
    user = UserFactory()
    services.mobile_code_send(user=user, number=NUMBER)
    wrong = f"{(int(_code_sent()) + 1) % 10**6:06d}"

    with pytest.raises(DomainError) as refused:
        services.mobile_code_check(user=user, code=wrong)

    assert refused.value.code == ErrorCode.CODE_WRONG
    user.refresh_from_db()
    assert user.mobile_number == ""


def test_the_numbers_codes_share_the_residency_codes_limits(db, settings):
    settings.QATYSU_SMS_CODES_PER_NUMBER_HOUR = 2
    user = UserFactory()
    services.mobile_code_send(user=user, number=NUMBER)
    services.mobile_code_send(user=user, number=NUMBER)

    with pytest.raises(DomainError) as refused:
        services.mobile_code_send(user=user, number=NUMBER)

    assert refused.value.code == ErrorCode.SMS_RATE_LIMITED
    assert len(sms.outbox) == 2


def test_a_changed_number_is_used_only_once_confirmed(territory):
    user = _confirmed(UserFactory())
    services.mobile_code_send(user=user, number="+7 707 000 00 01")

    _gathering([user], territory["rural_district"])
    assert [message.recipients for message in sms.outbox] == [
        ["+77070000001"],  # the code
        [NUMBER],  # the notice, to the number still confirmed
    ]
    services.mobile_code_check(user=user, code=_code_sent(-2))
    sms.outbox.clear()
    _gathering([user], territory["rural_district"])

    assert [message.recipients for message in sms.outbox] == [["+77070000001"]]


def test_a_removed_number_gets_nothing_more(client, territory):
    user = _confirmed(UserFactory())
    client.force_login(user)

    response = client.post(reverse("accounts:sms_notices"), {"action": "remove"})
    [notice] = _gathering([user], territory["rural_district"])

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.mobile_number == ""
    assert (notice.by_sms, sms.outbox) == (False, [])
    assert AuditEvent.objects.filter(verb="user.mobile_removed").count() == 1


def test_no_kind_chosen_turns_sms_off(territory):
    user = _confirmed(UserFactory())
    services.sms_kinds_choose(user=user, kinds=set())

    _gathering([user], territory["rural_district"])

    assert sms.outbox == []


# What is sent.


def test_only_the_kinds_chosen_are_texted(territory):
    user = _confirmed(UserFactory(), kinds=("gathering_cancelled",))

    _gathering([user], territory["rural_district"])
    _gathering([user], territory["rural_district"], kind="gathering_cancelled")

    [message] = sms.outbox
    assert message.body.startswith("Ортақ ауылдық округі: the gathering of ")
    assert Notification.objects.filter(by_sms=True).count() == 1


def test_a_kind_not_fit_for_sms_is_never_texted(territory):
    user = _confirmed(UserFactory())
    # Even a preference written by hand for such a kind.
    NotificationPreference.objects.create(
        user=user, kind="residency_refused", by_sms=True
    )

    _sent(
        recipients=[user],
        kind="residency_refused",
        unit=territory["rural_district"],
        context={"reason": "no"},
    )

    assert sms.outbox == []


def test_a_proposal_is_texted_only_when_the_akim_decides(territory):
    user = _confirmed(UserFactory(), kinds=("proposal_status_changed",))

    for status in ("under_review", "recommended", "approved", "rejected"):
        _sent(
            recipients=[user],
            kind="proposal_status_changed",
            unit=territory["rural_district"],
            context={"title": "Lights", "status": status},
        )

    assert [message.body.split("\n")[0] for message in sms.outbox] == [
        "“Lights”: approved by the akim",
        "“Lights”: rejected by the akim",
    ]


def test_no_number_no_sms_whatever_was_chosen(territory):
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind="gathering_announced", by_sms=True
    )

    [notice] = _gathering([user], territory["rural_district"])

    assert (notice.by_sms, sms.outbox) == (False, [])


def test_the_text_is_in_the_recipients_language_with_a_link(territory, settings):
    settings.QATYSU_SITE_URL = "https://qatysu.kz"
    kazakh = _confirmed(UserFactory(language="kk"))
    russian = _confirmed(UserFactory(language="ru"), number="+77051234568")

    [to_kazakh, to_russian] = _gathering([kazakh, russian], territory["rural_district"])

    bodies = {tuple(message.recipients): message.body for message in sms.outbox}
    kazakh_text = bodies[(NUMBER,)]
    russian_text = bodies[("+77051234568",)]
    assert "тұрғындар жиыны" in kazakh_text
    assert "сход жителей" in russian_text
    assert kazakh_text.endswith(f"https://qatysu.kz/kk/n/{to_kazakh.pk}/")
    assert russian_text.endswith(f"https://qatysu.kz/ru/n/{to_russian.pk}/")
    assert all(sms_fits(body) for body in bodies.values())


def test_a_text_too_long_becomes_its_title_and_link(territory, settings):
    settings.QATYSU_SMS_MAX_PARTS = 2
    user = _confirmed(UserFactory(language="kk"))

    [notice] = _gathering(
        [user], territory["rural_district"], subject="су құбыры " * 30
    )

    [message] = sms.outbox
    assert sms_fits(message.body)
    with translation.override("kk"):
        subject, _body = notifications.render(notice)
    assert message.body == f"{subject} http://127.0.0.1:8000/kk/n/{notice.pk}/"


def test_a_title_too_long_even_alone_is_shortened(territory, settings):
    settings.QATYSU_SMS_MAX_PARTS = 1
    user = _confirmed(UserFactory(), kinds=("proposal_status_changed",))

    _sent(
        recipients=[user],
        kind="proposal_status_changed",
        unit=territory["rural_district"],
        context={"title": "Ә" * 100, "status": "approved"},
    )

    [message] = sms.outbox
    assert sms_fits(message.body)
    assert message.body.startswith("“ӘӘӘ")
    assert "… http://127.0.0.1:8000/en/n/" in message.body


def test_the_sms_is_sent_only_after_the_transaction_commits(
    territory, django_capture_on_commit_callbacks
):
    user = _confirmed(UserFactory(), kinds=("vote_opened",))

    with django_capture_on_commit_callbacks() as callbacks:
        notification_send(
            recipients=[user],
            kind="vote_opened",
            unit=territory["rural_district"],
            context={"year": 2027},
        )
        assert sms.outbox == []

    for callback in callbacks:
        callback()
    assert len(sms.outbox) == 1
    assert Notification.objects.get(recipient=user).texted_at is not None


def test_a_notice_is_texted_once(territory):
    user = _confirmed(UserFactory())
    [notice] = _gathering([user], territory["rural_district"])

    assert notifications_text.apply(args=[[notice.pk]]).get() == 0
    assert len(sms.outbox) == 1


def test_the_link_opens_the_notices_page_for_its_recipient_only(client, territory):
    user = _confirmed(UserFactory())
    [notice] = _gathering([user], territory["rural_district"])
    link = reverse("portal:notification_link", args=[notice.pk])

    client.force_login(UserFactory())
    stranger = client.get(link)
    client.force_login(user)
    owner = client.get(link)

    assert stranger.status_code == 404
    assert (owner.status_code, owner.url) == (302, reverse("accounts:profile"))


# The gateway.


@pytest.fixture
def http_gateway(settings, gateway):  # noqa: F811
    settings.QATYSU_SMS_URL = gateway.url
    settings.QATYSU_SMS_KEY = "the-key"
    settings.QATYSU_SMS_TIMEOUT = 0.3
    settings.QATYSU_SMS_RETRIES = 0
    return gateway


def _texted_by_gateway(settings, territory):
    user = _confirmed(UserFactory())
    settings.SMS_BACKEND = "portal.sms.HttpSmsBackend"
    [notice] = _gathering([user], territory["rural_district"])
    return notice


def test_a_gateway_that_is_down_keeps_the_notice_unsent_and_retries(
    territory, settings, http_gateway, django_capture_on_commit_callbacks
):
    http_gateway.answers = [(503, 0, {})]
    user = _confirmed(UserFactory())
    settings.SMS_BACKEND = "portal.sms.HttpSmsBackend"
    with django_capture_on_commit_callbacks():  # queued, not run
        [notice] = notification_send(
            recipients=[user],
            kind="gathering_announced",
            unit=territory["rural_district"],
            context={"day": "2026-03-12", "time": "18:00", "venue": "", "subject": ""},
        )

    with pytest.raises(Retry):
        notifications_text.apply(args=[[notice.pk]])

    notice.refresh_from_db()
    assert notice.texted_at is None
    http_gateway.answers = [(200, 0, {})]
    assert notifications_text.apply(args=[[notice.pk]]).get() == 1
    notice.refresh_from_db()
    assert notice.texted_at is not None
    assert len(http_gateway.received) == 2


def test_a_refused_text_is_logged_and_not_tried_again(
    territory, settings, http_gateway
):
    http_gateway.answers = [(400, 0, {})]

    with mock.patch("portal.tasks.logger") as logger:
        notice = _texted_by_gateway(settings, territory)

    notice.refresh_from_db()
    assert notice.texted_at is None
    assert len(http_gateway.received) == 1
    logger.warning.assert_called_once_with(
        "The SMS of notification %s was refused", notice.pk, exc_info=True
    )


def test_a_text_sent_by_the_gateway_carries_the_notice(
    territory, settings, http_gateway
):
    http_gateway.answers = [(200, 0, {})]

    notice = _texted_by_gateway(settings, territory)

    [received] = http_gateway.received
    assert received["json"]["to"] == NUMBER
    assert received["json"]["text"].startswith("Ортақ ауылдық округі: a gathering")
    notice.refresh_from_db()
    assert notice.texted_at is not None
