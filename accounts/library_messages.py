"""Messages of Django that a person reads on the sign-up, sign-in, password and e-mail
pages, and that Django leaves without Kazakh (allauth's own have theirs in
locale/allauth/).

Listed here only so that `makemessages` copies them into the project's catalogue, which
comes first in LOCALE_PATHS and so is read before the libraries' own: their Kazakh (and
Russian, kept with them) is then the project's. The site never imports this module. Each msgid
is the library's exactly (curly apostrophes and plural forms included); a library that
changes one shows here as a message on the page in English, which
tests/accounts/test_account_translations.py looks for.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.auth.password_validation: the password rules under the password field,
# and the refusals of a password that breaks them.
PASSWORD_RULES = [
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop(
        "Your password can’t be too similar to your other personal information."
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]
PASSWORD_REFUSALS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
]
# django.core.validators and django.forms: the refusals of a name or an address typed too
# long, and of a control character pasted into a field.
FIELD_REFUSALS = [
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    gettext_noop("Null characters are not allowed."),
]
