"""Notifications: in-app, e-mailed by Celery after commit in the reader's language, once."""

from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse

from portal.models import Notification
from portal.services import notification_send
from portal.tasks import notification_deliver
from tests.accounts.factories import UserFactory


@pytest.fixture
def notice(territory):
    user = UserFactory(language="en")
    [notification] = notification_send(
        recipients=[user],
        kind="residency_verified",
        unit=territory["rural_district"],
        url_name="accounts:profile",
    )
    return notification


def test_a_notice_is_emailed_only_after_the_transaction_commits(
    territory, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks() as callbacks:
        notification_send(
            recipients=[user], kind="residency_verified", unit=territory["village"]
        )
        assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == [
        "[Qatysu] Your residence in Ақкөл is confirmed"
    ]


def test_delivery_is_idempotent(notice):
    assert notification_deliver.apply(args=[notice.pk]).get() is True
    assert notification_deliver.apply(args=[notice.pk]).get() is False

    assert len(mail.outbox) == 1


def test_a_failure_to_send_keeps_the_notice_and_is_retried(notice):
    with (
        mock.patch("portal.tasks.send_mail", side_effect=OSError("SMTP down")),
        pytest.raises(Retry),
    ):
        notification_deliver.apply(args=[notice.pk])

    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert Notification.objects.filter(pk=notice.pk).exists()
    assert notification_deliver.apply(args=[notice.pk]).get() is True
    assert len(mail.outbox) == 1


def test_the_list_shows_unread_notices_and_opening_one_marks_it_read(client, notice):
    client.force_login(notice.recipient)

    listing = client.get(reverse("portal:notification_list"))
    opened = client.post(reverse("portal:notification_open", args=[notice.pk]))

    assert (
        "Your residence in Ортақ ауылдық округі is confirmed"
        in listing.content.decode()
    )
    assert listing.context["unread_notifications"] == 1
    assert opened.url == reverse("accounts:profile")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_opens_anothers_notice(client, notice):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:notification_open", args=[notice.pk]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
