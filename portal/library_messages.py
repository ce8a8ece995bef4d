"""Messages of Django's forms and Django REST framework that a person or an API client
can meet and that the libraries leave without Kazakh (or, for a few of the framework's,
without Russian): a number or an amount typed wrong, a list of rows changed on the way,
the wait after too many requests.

Listed here only so that `makemessages` copies them into the project's catalogue, which
comes first in LOCALE_PATHS and so is read before the libraries' own (as
accounts/library_messages.py does for the account pages). The site never imports this
module. Each msgid is the library's exactly; tests/portal/test_library_messages.py renders
each refusal on a Kazakh page and finds no English.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.forms and django.core.validators: whole numbers, amounts, files, lists of rows.
FORM_REFUSALS = [
    gettext_noop("Enter a valid integer."),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
    ),
    gettext_noop("Enter a complete value."),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
    ngettext_lazy(
        "Please submit at most %(num)d form.", "Please submit at most %(num)d forms."
    ),
    ngettext_lazy(
        "Please submit at least %(num)d form.", "Please submit at least %(num)d forms."
    ),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it "
        "may be ambiguous or it may not exist."
    ),
]
# rest_framework.exceptions: the API's wait after too many requests (no Russian in the
# framework), and its generic refusal of input.
API_REFUSALS = [
    gettext_noop("Invalid input."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
]
