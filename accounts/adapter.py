"""django-allauth as the site uses it: the new account's language, and e-mails that name
the site rather than the host that served the request."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from portal.mail import SITE_NAME, email_subject


@dataclass(frozen=True)
class SiteInEmail:
    """What allauth's e-mail templates read as `current_site`."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The account reads its e-mails in the language it was opened in.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def format_email_subject(self, subject: str) -> str:
        return email_subject(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            "current_site": SiteInEmail(name=str(SITE_NAME), domain=str(SITE_NAME)),
        }
        super().send_mail(template_prefix, email, context)
