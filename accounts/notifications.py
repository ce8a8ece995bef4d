"""What the accounts notifications say."""

from django.utils.translation import gettext_lazy as _

from portal.notifications import register

register(
    "residency_requested",
    label=_("Residency claims to confirm or refuse (akimat staff)"),
    subject=_("A residency claim waits for you in %(unit)s"),
    body=_(
        "A resident has named a place in %(unit)s as their home. Confirm or refuse the "
        "claim in the queue of residency claims."
    ),
)
register(
    "residency_verified",
    label=_("Your residency is confirmed"),
    subject=_("Your residence in %(unit)s is confirmed"),
    body=_(
        "The akimat has confirmed that you live in %(unit)s. You may now support and "
        "comment on its budget."
    ),
)
register(
    "residency_refused",
    label=_("Your residency claim is refused"),
    subject=_("Your residency claim in %(unit)s was refused"),
    body=_(
        "The akimat of %(unit)s refused your residency claim. The reason: %(reason)s"
    ),
)
