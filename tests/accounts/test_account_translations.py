"""The account pages speak Kazakh and Russian through and through: the password rules and
refusals of Django, the field refusals, allauth's texts and the project's own.

Django ships no Kazakh for its password validators, nor for some field refusals:
accounts/library_messages.py hands them to the project's catalogue, which is read first.
These tests read the rendered pages, so they pass once that catalogue is translated and
compiled (`make messages`)."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core import mail
from django.urls import reverse
from django.utils import translation

LANGUAGES = ["kk", "ru"]
PASSWORD = "a-long-village-password"


def password_rules_in_english():
    with translation.override("en"):
        return password_validators_help_texts()


ENGLISH_ON_THE_PAGE = [
    *password_rules_in_english(),
    "This password is too short",
    "This password is too common.",
    "This password is entirely numeric.",
    "The password is too similar to the",
    "Ensure this value has at most",
    "Null characters are not allowed.",
    "Give your first name.",
    "Give your surname.",
    "Please correct the following",
    "You must type the same password each time.",
    "Email",
    "Password",
]


def sign_up(client, language, **data):
    with translation.override(language):
        return client.post(reverse("account_signup"), data)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_up_page_shows_no_english_library_text(client, db, language):
    with translation.override(language):
        page = client.get(reverse("account_signup")).content.decode()
    refused = sign_up(
        client,
        language,
        first_name="",
        last_name="S" * 151,
        email="aigerim@example.kz",
        password1="12345",
        password2="54321",
    ).content.decode()
    similar = sign_up(
        client,
        language,
        first_name="Aigerim",
        last_name="Serikova",
        email="aigerimserikova@example.kz",
        password1="aigerimserikova",
        password2="aigerimserikova",
    ).content.decode()

    for html in (page, refused, similar):
        shown = [text for text in ENGLISH_ON_THE_PAGE if text in html]
        assert shown == [], f"English on the {language} page: {shown}"
    assert 'error-summary"' in refused
    assert 'error-summary"' in similar


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sign_up_without_a_name_is_refused_in_the_page_language(client, db, language):
    response = sign_up(
        client,
        language,
        email="aigerim@example.kz",
        password1=PASSWORD,
        password2=PASSWORD,
    )

    with translation.override(language):
        message = translation.gettext("Give your first name.")
    assert message != "Give your first name."
    assert message in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_e_mail_is_in_the_page_language(client, db, language):
    sign_up(
        client,
        language,
        first_name="Aigerim",
        last_name="Serikova",
        email="aigerim@example.kz",
        password1=PASSWORD,
        password2=PASSWORD,
    )

    [message] = mail.outbox
    for text in (
        "Hello from",
        "Thank you for using",
        "You are receiving this e-mail",
        "To confirm this is correct",
        "If you did not sign up",
        "Please Confirm Your Email Address",
    ):
        assert text not in message.subject + message.body


def test_every_listed_library_message_is_the_librarys_own():
    """A msgid copied wrong would translate nothing: each one listed is word for word
    one of Django's (its Russian catalogues hold every msgid the library has)."""
    import ast
    from pathlib import Path

    import django
    import polib

    from accounts import library_messages

    root = Path(django.__file__).parent
    known = {
        (entry.msgid, entry.msgid_plural)
        for path in (
            root / "conf" / "locale" / "ru" / "LC_MESSAGES" / "django.po",
            root / "contrib" / "auth" / "locale" / "ru" / "LC_MESSAGES" / "django.po",
        )
        for entry in polib.pofile(str(path))
    }
    # As makemessages reads them: the literal arguments of each marked call.
    listed = [
        (node.args[0].value, node.args[1].value if len(node.args) > 1 else "")
        for node in ast.walk(ast.parse(Path(library_messages.__file__).read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in {"gettext_noop", "ngettext_lazy"}
    ]

    assert [message for message in listed if message not in known] == []
    assert len(listed) == 11
    assert len(
        library_messages.PASSWORD_RULES
        + library_messages.PASSWORD_REFUSALS
        + library_messages.FIELD_REFUSALS
    ) == len(listed)
