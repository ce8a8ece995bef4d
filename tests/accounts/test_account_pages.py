"""Sign-up, sign-in, password and e-mail pages in the site's layout, a full name asked at
sign-up, and e-mails that name the site, never the host that sent them."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from portal.mail import SITE_NAME
from portal.services import notification_send
from tests.accounts.factories import UserFactory

LANGUAGES = ["kk", "ru", "en"]
PASSWORD = "a-long-village-password"
HOSTS = ("127.0.0.1", "example.com", "localhost", "testserver")


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def sign_up(client, language="en", **overrides):
    data = {
        "first_name": "Aigerim",
        "last_name": "Serikova",
        "email": "aigerim@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(url("account_signup", language), data)


def site_name(language):
    with translation.override(language):
        return str(SITE_NAME)


def without_links(text):
    return re.sub(r"https?://\S+", "", text)


# Sign-up


def test_sign_up_without_a_name_is_refused_and_opens_nothing(client, db):
    response = sign_up(client, first_name="", last_name=" ")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Give your first name." in html
    assert "Give your surname." in html
    assert '<a href="#id_first_name">First name: Give your first name.</a>' in html
    assert not User.objects.exists()
    assert mail.outbox == []


def test_sign_up_with_a_name_opens_an_account_in_the_page_language(client, db):
    response = sign_up(client, language="ru")

    assert response.status_code == 302
    assert response.url == url("account_email_verification_sent", "ru")
    user = User.objects.get()
    assert (user.email, user.get_full_name(), user.display_name, user.language) == (
        "aigerim@example.kz",
        "Aigerim Serikova",
        "",
        "ru",
    )
    assert user.public_name == "Aigerim S."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@example.kz"]


def test_a_short_password_is_refused_on_the_password_field(client, db):
    response = sign_up(client, password1="short", password2="short")

    html = response.content.decode()
    assert (
        '<a href="#id_password1">Password: This password is too short. It must '
        "contain at least 8 characters.</a>"
    ) in html
    assert not User.objects.exists()
    assert mail.outbox == []


# The pages in the site's layout


class _Structure(HTMLParser):
    """What a page's markup must not hold: a list inside a paragraph (the Nu HTML checker
    refuses it), and an input without a label above or beside it."""

    def __init__(self):
        super().__init__()
        self.open_paragraphs = 0
        self.lists_in_paragraphs = 0
        self.labels_for = set()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p":
            self.open_paragraphs += 1
        elif tag in ("ul", "ol", "div") and self.open_paragraphs:
            self.lists_in_paragraphs += 1
        elif tag == "label" and "for" in attrs:
            self.labels_for.add(attrs["for"])
        elif tag == "input" and attrs.get("type") not in ("hidden", "submit"):
            self.inputs.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if tag == "p" and self.open_paragraphs:
            self.open_paragraphs -= 1


def assert_in_the_site_layout(response, language, heading):
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert f'<html lang="{language}">' in html
    assert '<header class="site-header">' in html
    assert 'class="language-switcher"' in html
    assert '<footer class="site-footer">' in html
    with translation.override(language):
        assert f"<h1>{translation.gettext(heading)}</h1>" in html
    structure = _Structure()
    structure.feed(html)
    assert structure.lists_in_paragraphs == 0
    unlabelled = [
        id_
        for id_ in structure.inputs
        if id_ not in structure.labels_for and id_ != "place-search"
    ]
    assert unlabelled == []


ANONYMOUS_PAGES = [
    ("account_login", {}, "Sign in"),
    ("account_signup", {}, "Sign up"),
    ("account_reset_password", {}, "Password Reset"),
    ("account_reset_password_done", {}, "Password Reset"),
    ("account_email_verification_sent", {}, "Verify Your Email Address"),
    ("account_reset_password_from_key_done", {}, "Change Password"),
    (
        "account_reset_password_from_key",
        {"uidb36": "zz", "key": "set-password"},
        "Bad Token",
    ),
    ("account_confirm_email", {"key": "not-a-key"}, "Confirm Email Address"),
]
SIGNED_IN_PAGES = [
    ("account_logout", "Sign out"),
    ("account_change_password", "Change password"),
    ("account_email", "E-mail addresses"),
    ("accounts:profile", "My profile"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "heading"), ANONYMOUS_PAGES)
def test_every_page_of_a_visitor_is_in_the_site_layout(
    client, db, language, name, kwargs, heading
):
    response = client.get(url(name, language, **kwargs), follow=True)

    assert_in_the_site_layout(response, language, heading)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "heading"), SIGNED_IN_PAGES)
def test_every_page_of_a_signed_in_person_is_in_the_site_layout(
    client, db, language, name, heading
):
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    client.force_login(user)

    response = client.get(url(name, language))

    assert_in_the_site_layout(response, language, heading)


@pytest.mark.parametrize("language", LANGUAGES)
def test_setting_a_first_password_is_in_the_site_layout(client, db, language):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get(url("account_set_password", language))

    assert_in_the_site_layout(response, language, "Set Password")


def test_a_refused_page_keeps_the_layout_and_its_list_out_of_a_paragraph(client, db):
    response = sign_up(client, password1="123", password2="321")

    html = response.content.decode()
    assert 'class="usa-alert usa-alert--error error-summary"' in html
    assert '<div class="usa-hint" id="id_password1_helptext"><ul>' in html
    assert_in_the_site_layout(response, "en", "Sign up")


def test_the_sign_in_form_labels_its_fields_above_them(client, db):
    html = client.get(url("account_login", "en")).content.decode()

    assert 'placeholder="' not in html
    assert re.search(
        r'<label class="usa-label" for="id_login">[^<]+</label>\s*<input', html
    )
    assert re.search(
        r'<label class="usa-label" for="id_password">[^<]+</label>\s*'
        r'(<div class="usa-hint"[^>]*>.*?</div>\s*)?<input',
        html,
        re.DOTALL,
    )
    assert re.search(r'<input type="checkbox"[^>]*id="id_remember">\s*<label', html)


# E-mails name the site


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_e_mail_names_the_site(client, db, language):
    sign_up(client, language=language)

    [message] = mail.outbox
    assert message.subject.startswith(f"[{site_name(language)}] ")
    assert site_name(language) in message.body
    assert re.search(r"https?://testserver/\S+/confirm-email/\S+/", message.body)
    for host in HOSTS:
        assert host not in message.subject
        assert host not in without_links(message.body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_e_mail_names_the_site(client, db, language):
    user = UserFactory(email="aigerim@example.kz")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )

    response = client.post(
        url("account_reset_password", language), {"email": "aigerim@example.kz"}
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject.startswith(f"[{site_name(language)}] ")
    assert site_name(language) in message.body
    assert "/password/reset/key/" in message.body
    for host in HOSTS:
        assert host not in message.subject
        assert host not in without_links(message.body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_notification_e_mail_names_the_site(
    territory, django_capture_on_commit_callbacks, language
):
    user = UserFactory(language=language)

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[user], kind="residency_verified", unit=territory["village"]
        )

    [message] = mail.outbox
    assert message.subject.startswith(f"[{site_name(language)}] ")
    assert site_name(language) in message.body.split("\n-- \n")[1]
    for host in HOSTS:
        assert host not in message.subject + message.body
