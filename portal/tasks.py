"""Background jobs of the portal app: delivering notifications by e-mail."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from portal import notifications
from portal.models import Notification


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 8},
)
def notification_deliver(self, notification_id: int) -> bool:
    """E-mail one notification in its recipient's language, once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "unit")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        with translation.override(recipient.language):
            subject, body = notifications.render(notification)
        # A failure to send raises here, rolls back the mark and is retried.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
