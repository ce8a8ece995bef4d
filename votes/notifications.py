"""What the residents' vote's notifications say."""

from django.utils.translation import gettext_lazy as _

from portal.notifications import register

register(
    "vote_opened",
    label=_("A residents' vote opens where you live"),
    subject=_("%(unit)s: the residents' vote is open"),
    body=_(
        "The residents' vote on the %(year)s budget of %(unit)s is open. Choose the "
        "projects you want on the vote's page."
    ),
    sms=True,
)
register(
    "vote_counted",
    label=_("The result of a residents' vote you took part in or follow"),
    subject=_("The residents' vote of %(unit)s: the result"),
    body=_(
        "The residents' vote on the %(year)s budget of %(unit)s has closed and been "
        "counted; ballots cast: %(ballots)s. The result and the price each supporter "
        "paid are on the vote's page."
    ),
)
