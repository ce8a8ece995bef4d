"""What every e-mail of the portal carries: the site's name, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The one name of the site in e-mails, the same words as the site's header (base.html).
SITE_NAME = _("Qatysu")


def email_subject(subject: str) -> str:
    """A subject that says which site it comes from, never the host that sent it."""
    return f"[{SITE_NAME}] {subject}"


def notification_footer() -> str:
    return gettext(
        "You receive this e-mail because you have an account on %(site)s. Choose which "
        "e-mails you receive on the page of notification settings."
    ) % {"site": SITE_NAME}
