"""What each kind of notification says, registered by the app that sends it.

A notification stores its kind and context; its text is rendered in the recipient's language
when it is shown or e-mailed, so a resident who switches language reads old notices in the new
one too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    # What the reader chooses to receive or not on the page of notification settings.
    label: str | Promise
    subject: str | Promise
    body: str | Promise
    # Turns stored values into words of the reader's language (a phase's code → its name).
    prepare: Callable[[dict], dict] | None = None


KINDS: dict[str, NotificationKind] = {}


def register(
    kind: str,
    *,
    label: str | Promise,
    subject: str | Promise,
    body: str | Promise,
    prepare: Callable[[dict], dict] | None = None,
) -> None:
    KINDS[kind] = NotificationKind(
        label=label, subject=subject, body=body, prepare=prepare
    )


def render(notification) -> tuple[str, str]:
    """The subject and body of a notification in the active language."""
    kind = KINDS[notification.kind]
    context = dict(notification.context)
    if notification.unit_id is not None:
        context.setdefault("unit", notification.unit.name)
    if kind.prepare is not None:
        context = kind.prepare(context)
    return str(kind.subject) % context, str(kind.body) % context
