"""What the notifications of gatherings and of the community meeting say."""

import datetime

from django.utils.translation import gettext_lazy as _

from portal.formats import day_text
from portal.notifications import register


def _prepare(context: dict) -> dict:
    return {
        **context,
        "day": day_text(datetime.date.fromisoformat(context["day"])),
    }


register(
    "gathering_announced",
    label=_("A gathering of the residents where you live is announced"),
    subject=_("%(unit)s: a gathering of residents on %(day)s"),
    body=_(
        "A gathering of the residents is called for %(day)s at %(time)s, at %(venue)s: "
        "%(subject)s. The agenda is on the gathering's page."
    ),
    prepare=_prepare,
    sms=True,
)
register(
    "gathering_cancelled",
    label=_("A gathering of the residents where you live is cancelled"),
    subject=_("%(unit)s: the gathering of %(day)s is cancelled"),
    body=_(
        "The gathering of the residents called for %(day)s is cancelled: %(reason)s"
    ),
    prepare=_prepare,
    sms=True,
)
register(
    "meeting_sitting_called",
    label=_("A sitting of the community meeting you are a member of is called"),
    subject=_("%(unit)s: a sitting of the community meeting on %(day)s"),
    body=_(
        "A sitting of the community meeting is called for %(day)s at %(time)s, at "
        "%(venue)s. The agenda is on the sitting's page."
    ),
    prepare=_prepare,
    sms=True,
)
register(
    "meeting_sitting_cancelled",
    label=_("A sitting of the community meeting you are a member of is cancelled"),
    subject=_("%(unit)s: the sitting of %(day)s is cancelled"),
    body=_("The sitting of the community meeting of %(day)s is cancelled: %(reason)s"),
    prepare=_prepare,
    sms=True,
)
