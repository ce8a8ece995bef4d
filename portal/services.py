"""Writes of the portal app: audit events, notifications and the choice of them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal import fragments, notifications
from portal.models import (
    AdministrativeUnit,
    AuditEvent,
    Notification,
    NotificationPreference,
)


@dataclass(frozen=True)
class Act:
    """One act to record: what was done (a member of its app's `AuditVerb`), by whom, to
    what, in which unit, with its details."""

    verb: StrEnum
    target: models.Model | None = None
    unit: AdministrativeUnit | None = None
    details: dict[str, Any] = field(default_factory=dict)
    actor: Any = None


def _event(act: Act, created_at: datetime.datetime) -> AuditEvent:
    if not isinstance(act.verb, StrEnum):
        raise TypeError(
            f"An audit event's verb is a member of its app's AuditVerb, not {act.verb!r}."
        )
    actor = act.actor
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=act.verb,
        target_type=(
            ContentType.objects.get_for_model(act.target) if act.target else None
        ),
        target_id=str(act.target.pk) if act.target else "",
        unit=act.unit,
        details=act.details,
        created_at=created_at,
    )


def audit_event_record(
    *,
    actor,
    verb: StrEnum,
    target: models.Model | None = None,
    unit: AdministrativeUnit | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an act; call it inside the transaction of the change it records. The
    unit's kept fragments (portal.fragments) are drawn again."""
    event = _event(
        Act(verb=verb, target=target, unit=unit, details=details or {}, actor=actor),
        timezone.now(),
    )
    event.save(force_insert=True)
    fragments.units_changed([event.unit_id])
    return event


def audit_events_record(
    acts: Iterable[Act], *, at: datetime.datetime | None = None
) -> list[AuditEvent]:
    """Record many acts of one moment (`at`, or now) in one insert (the clock's jobs): the
    same rows as `audit_event_record` would write one by one."""
    at = at or timezone.now()
    events = AuditEvent.objects.bulk_create([_event(act, at) for act in acts])
    fragments.units_changed({event.unit_id for event in events})
    return events


# Keys per UPDATE of `rows_update`: within every database's limit of a statement's
# parameters (PostgreSQL's 65,535, SQLite's 32,766).
ROWS_PER_UPDATE = 5_000


def rows_update(model: type[models.Model], keys: Sequence, **values) -> int:
    """Set the same values on the rows of these keys: one UPDATE per ROWS_PER_UPDATE
    keys. Never bulk_update for one value: its CASE of a branch per row made the
    national reminder day's statement (175,883 reviews) run for minutes."""
    changed = 0
    for start in range(0, len(keys), ROWS_PER_UPDATE):
        changed += model.objects.filter(
            pk__in=keys[start : start + ROWS_PER_UPDATE]
        ).update(**values)
    return changed


def rows_insert_select(
    model: type[models.Model],
    rows: models.QuerySet,
    columns: dict[str, Any],
    *,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert a row of `model` for each of `rows` in one INSERT … SELECT, in the rows'
    order: `columns` maps fields of `model` to an expression over `rows` or a constant,
    every other field takes its default. What a clock job writes for a whole country
    at once, never built row by row in Python. Returns the `returning` columns of the
    rows inserted."""
    fields = [each for each in model._meta.concrete_fields if not each.primary_key]
    unknown = set(columns) - {each.name for each in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    select = {}
    for index, each in enumerate(fields):
        value = columns[each.name] if each.name in columns else each.get_default()
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=each)
        select[f"inserted_{index}"] = value
    sql, params = rows.values(**select).query.sql_with_params()
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(each.column) for each in fields)}) {sql}"
    )
    if returning:
        columns_returned = [model._meta.get_field(name).column for name in returning]
        sql += f" RETURNING {', '.join(quote(column) for column in columns_returned)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def audit_events_record_select(
    rows: models.QuerySet,
    *,
    verb: StrEnum,
    target_id,
    unit_id,
    details: dict[str, Any],
    at: datetime.datetime,
) -> None:
    """Record the same act, by no one, on each of `rows` (`target_id` and `unit_id` are
    expressions over them) in one INSERT … SELECT: what `audit_events_record` writes,
    for a whole country at once. The units' kept pages are drawn again."""
    if not isinstance(verb, StrEnum):
        raise TypeError(f"An audit event's verb is a member of an AuditVerb: {verb!r}.")
    rows_insert_select(
        AuditEvent,
        rows,
        {
            "actor": None,
            "verb": str(verb),
            "target_type": ContentType.objects.get_for_model(rows.model).pk,
            "target_id": target_id,
            "unit": unit_id,
            "details": details,
            "created_at": at,
        },
    )
    fragments.units_changed(rows.order_by().values_list(unit_id, flat=True).distinct())


def notifications_create_select(
    rows: models.QuerySet,
    *,
    recipient_id,
    kind: str,
    unit_id,
    context,
    url_name: str,
    url_kwargs,
) -> int:
    """Notify a recipient per row of `rows` (each argument but `kind` and `url_name` an
    expression over them) as each chose, in one INSERT … SELECT: what
    `notifications_create` saves and queues, for a whole country at once. Returns how
    many notices were saved."""

    def chosen(way: str):
        return Coalesce(
            Subquery(
                NotificationPreference.objects.filter(
                    user_id=models.OuterRef("notice_recipient"), kind=kind
                ).values(way)[:1]
            ),
            Value(True),
        )

    wanted = (
        rows.alias(notice_recipient=recipient_id)
        .alias(notice_in_app=chosen("in_app"), notice_by_email=chosen("by_email"))
        .filter(Q(notice_in_app=True) | Q(notice_by_email=True))
    )
    created = rows_insert_select(
        Notification,
        wanted,
        {
            "recipient": models.F("notice_recipient"),
            "kind": kind,
            "unit": unit_id,
            "context": context,
            "url_name": url_name,
            "url_kwargs": url_kwargs,
            "created_at": timezone.now(),
            "in_app": models.F("notice_in_app"),
            "by_email": models.F("notice_by_email"),
        },
        returning=["id", "by_email"],
    )
    _deliveries_queue(sorted(pk for pk, by_email in created if by_email))
    return len(created)


def create_or_refuse(model: type[models.Model], refusal, **fields) -> models.Model:
    """Insert a row that a unique constraint allows once: a second one, sent at the same
    moment or later, is refused with `refusal` (a DomainError), never a 500. The
    constraint decides, never a check before the insert."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        raise refusal from None


def follow(model: type[models.Model], **keys) -> bool:
    """Follow something (a row of a follower model, unique by `keys`); True when this
    call started following it, False when it was followed already."""
    _row, created = model.objects.get_or_create(**keys)
    return created


def unfollow(model: type[models.Model], **keys) -> bool:
    """Stop following; True when there was something to stop."""
    deleted, _by_model = model.objects.filter(**keys).delete()
    return bool(deleted)


def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    unit: AdministrativeUnit | None = None,
    context: dict[str, Any] | None = None,
    url_name: str = "",
    url_kwargs: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify each recipient as they chose: in the site, by e-mail after the commit."""
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


# How many e-mails one delivery task sends.
DELIVERY_BATCH = 1_000


def notifications_create(notices: list[Notification]) -> list[Notification]:
    """Save notices of any kinds as their recipients chose, in two queries.

    A notice is shown in the site, e-mailed, or both, as its recipient's
    `NotificationPreference` for its kind says (both without one); a notice wanted neither
    way is not saved. The e-mails are queued once the transaction commits. Returns the
    notices saved.
    """
    if not notices:
        return []
    chosen = {
        (user_id, kind): (in_app, by_email, by_sms)
        for user_id, kind, in_app, by_email, by_sms in (
            NotificationPreference.objects.filter(
                user_id__in={notice.recipient_id for notice in notices},
                kind__in={notice.kind for notice in notices},
            ).values_list("user_id", "kind", "in_app", "by_email", "by_sms")
        )
    }
    # By SMS only to a confirmed number, read in one more query when anyone chose SMS.
    texting = {user_id for (user_id, _kind), ways in chosen.items() if ways[2]}
    numbered = (
        set(
            get_user_model()
            .objects.filter(pk__in=texting)
            .exclude(mobile_number="")
            .values_list("pk", flat=True)
        )
        if texting
        else set()
    )
    wanted = []
    for notice in notices:
        notice.in_app, notice.by_email, by_sms = chosen.get(
            (notice.recipient_id, notice.kind), (True, True, False)
        )
        notice.by_sms = (
            by_sms
            and notice.recipient_id in numbered
            and notifications.KINDS[notice.kind].may_text(notice.context)
        )
        if notice.in_app or notice.by_email or notice.by_sms:
            wanted.append(notice)
    created = Notification.objects.bulk_create(wanted)
    _deliveries_queue(
        [notice.pk for notice in created if notice.by_email],
        texted=[notice.pk for notice in created if notice.by_sms],
    )
    return created


def _deliveries_queue(emailed: list[int], *, texted: list[int] = ()) -> None:
    """Queue the e-mails and text messages of these notices once the transaction
    commits: one task per batch, never one per notice (a clock job that tells 180,000
    authors at once queues 180 tasks). Robust: the change is committed whatever the
    broker says; e-mails it failed to take are queued again by
    `notifications_deliver_pending`."""
    from portal.tasks import notifications_deliver, notifications_text

    def queue():
        for start in range(0, len(emailed), DELIVERY_BATCH):
            notifications_deliver.delay(emailed[start : start + DELIVERY_BATCH])
        for start in range(0, len(texted), DELIVERY_BATCH):
            notifications_text.delay(list(texted[start : start + DELIVERY_BATCH]))

    if emailed or texted:
        transaction.on_commit(queue, robust=True)


def notification_mark_read(*, notification: Notification, now) -> Notification:
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification


def notification_sms_choose(*, user, kinds: set[str]) -> None:
    """The kinds `user` also gets by SMS: every kind fit for SMS is on if chosen, off
    if not; how they get the others is left as it was. (accounts.services.
    sms_kinds_choose checks that the user has a confirmed number.)"""
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, by_sms=kind in kinds)
            for kind in notifications.sms_kinds()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["by_sms"],
    )


def notification_preferences_update(
    *, user, choices: dict[str, tuple[bool, bool]]
) -> None:
    """Save how `user` wants each kind: `choices[kind]` is (in the site, by e-mail).

    Kinds nobody registered are ignored; kinds left out keep what was chosen before.
    """
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                user=user, kind=kind, in_app=in_app, by_email=by_email
            )
            for kind, (in_app, by_email) in choices.items()
            if kind in notifications.KINDS
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["in_app", "by_email"],
    )
