"""Writes of the portal app: audit events and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from portal.models import AdministrativeUnit, AuditEvent, Notification


def audit_event_record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    unit: AdministrativeUnit | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an act; call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target else None,
        target_id=str(target.pk) if target else "",
        unit=unit,
        details=details or {},
    )


def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    unit: AdministrativeUnit | None = None,
    context: dict[str, Any] | None = None,
    url_name: str = "",
    url_kwargs: dict[str, Any] | None = None,
) -> list[Notification]:
    """Create in-app notices and e-mail them by Celery once the transaction commits."""
    return notifications_create(
        [
            Notification(
                recipient=recipient,
                kind=kind,
                unit=unit,
                context=context or {},
                url_name=url_name,
                url_kwargs=url_kwargs or {},
            )
            for recipient in recipients
        ]
    )


def notifications_create(notifications: list[Notification]) -> list[Notification]:
    """Save notices of any kinds in one query; each is e-mailed after the commit."""
    from portal.tasks import notification_deliver

    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        transaction.on_commit(lambda pk=notification.pk: notification_deliver.delay(pk))
    return created


def notification_mark_read(*, notification: Notification, now) -> Notification:
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification
