"""What each kind of notification says, registered by the app that sends it.

A notification stores its kind and context; its text is rendered in the recipient's language
when it is shown or e-mailed, so a resident who switches language reads old notices in the new
one too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from portal.sms import sms_fits


@dataclass(frozen=True)
class NotificationKind:
    # What the reader chooses to receive or not on the page of notification settings.
    label: str | Promise
    subject: str | Promise
    body: str | Promise
    # Turns stored values into words of the reader's language (a phase's code → its name).
    prepare: Callable[[dict], dict] | None = None
    # Whether a resident may also get it by SMS, and, if only some notices of the kind
    # are worth a text message, which (by their stored context).
    sms: bool = False
    sms_if: Callable[[dict], bool] | None = None
    # What the choice says on the page of SMS notices, when only some are texted.
    sms_label: str | Promise | None = None

    def may_text(self, context: dict) -> bool:
        return self.sms and (self.sms_if is None or self.sms_if(context))


KINDS: dict[str, NotificationKind] = {}


def register(
    kind: str,
    *,
    label: str | Promise,
    subject: str | Promise,
    body: str | Promise,
    prepare: Callable[[dict], dict] | None = None,
    sms: bool = False,
    sms_if: Callable[[dict], bool] | None = None,
    sms_label: str | Promise | None = None,
) -> None:
    KINDS[kind] = NotificationKind(
        label=label,
        subject=subject,
        body=body,
        prepare=prepare,
        sms=sms,
        sms_if=sms_if,
        sms_label=sms_label,
    )


def sms_kinds() -> dict[str, NotificationKind]:
    """The kinds a resident may choose to get by SMS."""
    return {name: kind for name, kind in KINDS.items() if kind.sms}


def render(notification) -> tuple[str, str]:
    """The subject and body of a notification in the active language."""
    kind = KINDS[notification.kind]
    context = dict(notification.context)
    if notification.unit_id is not None:
        context.setdefault("unit", notification.unit.name)
    if kind.prepare is not None:
        context = kind.prepare(context)
    return str(kind.subject) % context, str(kind.body) % context


def render_sms(notification, link: str) -> str:
    """A notice as one text message in the active language, within the gateway's
    length: its subject, body and link; when that is too long, its subject and link,
    the subject shortened if even that is."""
    subject, body = render(notification)
    for text in (f"{subject}\n{body}\n{link}", f"{subject} {link}"):
        if sms_fits(text):
            return text
    cut = len(subject)
    while cut and not sms_fits(f"{subject[:cut].rstrip()}… {link}"):
        cut -= 1
    return f"{subject[:cut].rstrip()}… {link}" if cut else link
