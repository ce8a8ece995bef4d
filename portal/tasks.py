"""Background jobs of the portal app: delivering notifications by e-mail and by SMS,
refreshing the dashboards' figures."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from sms.message import Message

from portal import notifications, selectors, snapshots
from portal.mail import email_subject, notification_footer
from portal.models import Notification
from portal.sms import SmsRefused, SmsUnavailable

logger = logging.getLogger(__name__)

# A notice still unsent this long after it was made lost its task (a broker down at the
# commit, retries exhausted); one older than the limit is given up, so that an address
# that always fails is not tried for ever.
PENDING_DELIVERY_AFTER = datetime.timedelta(minutes=10)
PENDING_DELIVERY_LIMIT = datetime.timedelta(days=2)
PENDING_DELIVERY_BATCH = 500


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 8},
)
def notification_deliver(self, notification_id: int) -> bool:
    """E-mail one notification in its recipient's language, once."""
    return _deliver(notification_id)


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 8},
)
def notifications_deliver(self, notification_ids: list[int]) -> int:
    """E-mail a batch of notifications, each once and in its own transaction: a retry
    after a failure sends only those still unsent. Returns how many were sent."""
    return sum(_deliver(pk) for pk in notification_ids)


def _deliver(notification_id: int) -> bool:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "unit")
            .filter(pk=notification_id, by_email=True, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        with translation.override(recipient.language):
            subject, body = notifications.render(notification)
            subject = email_subject(subject)
            body = f"{body}\n\n-- \n{notification_footer()}"
        # A failure to send raises here, rolls back the mark and is retried.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@shared_task(
    bind=True,
    autoretry_for=(SmsUnavailable, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 8},
)
def notifications_text(self, notification_ids: list[int]) -> int:
    """Send a batch of notifications by SMS, each once and in its own transaction: a
    retry after the gateway failed sends only those still unsent. Returns how many
    were sent."""
    return sum(_text(pk) for pk in notification_ids)


def _text(notification_id: int) -> bool:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "unit")
            .filter(pk=notification_id, by_sms=True, texted_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        # The number may have been removed since the notice was made.
        number = recipient.mobile_number
        if not number or not recipient.is_active:
            return False
        with translation.override(recipient.language):
            link = settings.QATYSU_SITE_URL + reverse(
                "portal:notification_link", kwargs={"pk": notification.pk}
            )
            text = notifications.render_sms(notification, link)
        try:
            Message(text, settings.DEFAULT_FROM_SMS, [number]).send()
        except SmsRefused:
            # Sending it again would be refused again: left unsent, and said.
            logger.warning(
                "The SMS of notification %s was refused", notification.pk, exc_info=True
            )
            return False
        # A gateway that does not answer raises here, rolls back the mark and the
        # batch is retried; the notices already sent are not sent again.
        notification.texted_at = timezone.now()
        notification.save(update_fields=["texted_at"])
    return True


@shared_task
def notifications_deliver_pending() -> int:
    """Queue again the e-mails of notices still unsent; returns how many were queued.

    Safe to run at any time: delivery e-mails a notice once whatever the number of tasks.
    """
    now = timezone.now()
    pending = selectors.notifications_awaiting_email(
        created_after=now - PENDING_DELIVERY_LIMIT,
        created_before=now - PENDING_DELIVERY_AFTER,
        limit=PENDING_DELIVERY_BATCH,
    )
    if pending:
        notifications_deliver.delay(list(pending))
    return len(pending)


@shared_task
def dashboards_refresh() -> int:
    """Compute again every kept dashboard with an act in its units since it was computed."""
    return snapshots.dashboards_refresh()
