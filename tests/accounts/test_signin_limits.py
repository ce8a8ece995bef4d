"""One limiter for every sign-in door (accounts/signin.py, django-axes): five wrong
passwords for an account from one address pause that pair; the owner elsewhere still
signs in; the admin's door counts the same; a password is bounded in length. (Before:
/admin/login/ had no limit, five wrong passwords at /accounts/login/ locked the owner
out from everywhere, and a 1 MB password was hashed.)"""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts.forms import PASSWORD_MAX_LENGTH
from accounts.signin import attempted_account
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-123"
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"
LOCKED = {
    "kk": "Бұл есептік жазбаға сіздің байланысыңыздан тым көп қате құпиясөз",
    "ru": "Для этой учётной записи с вашего подключения введено слишком много",
    "en": "Too many wrong passwords were tried for this account from your connection",
}


@pytest.fixture
def owner():
    user = UserFactory(email="aigerim@example.kz", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def sign_in(client, email, password, *, address, language="en"):
    return client.post(
        f"/{language}/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=address,
    )


def admin_sign_in(client, email, password, *, address):
    return client.post(
        "/admin/login/",
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_five_wrong_passwords_pause_that_address_for_that_account(
    client, owner, language
):
    for _ in range(5):
        sign_in(client, owner.email, "wrong", address=ATTACKER, language=language)

    response = sign_in(
        client, owner.email, PASSWORD, address=ATTACKER, language=language
    )

    assert response.status_code == 429
    assert LOCKED[language] in response.content.decode()
    assert not signed_in(client)


def test_the_owner_still_signs_in_from_another_address(
    client, owner, django_user_model
):
    for _ in range(10):
        sign_in(client, owner.email, "wrong", address=ATTACKER)

    response = sign_in(client, owner.email, PASSWORD, address=OWNER)

    assert response.status_code == 302
    assert signed_in(client)


def test_another_account_from_the_same_address_is_not_paused(client, owner):
    other = UserFactory(email="serik@example.kz")
    EmailAddress.objects.create(
        user=other, email=other.email, verified=True, primary=True
    )
    for _ in range(5):
        sign_in(client, owner.email, "wrong", address=ATTACKER)

    sign_in(client, other.email, PASSWORD, address=ATTACKER)

    assert signed_in(client)


def test_the_account_written_in_another_case_counts_the_same(client, owner):
    for email in ["Aigerim@example.kz", "AIGERIM@EXAMPLE.KZ", "aigerim@Example.kz"] * 2:
        sign_in(client, email, "wrong", address=ATTACKER)

    assert sign_in(client, owner.email, PASSWORD, address=ATTACKER).status_code == 429


def test_the_pause_ends_fifteen_minutes_after_the_last_try(client, owner):
    start = timezone.now()
    minute = datetime.timedelta(minutes=1)

    def try_at(minutes: int):
        with time_machine.travel(start + minutes * minute, tick=False):
            return sign_in(client, owner.email, PASSWORD, address=ATTACKER)

    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, owner.email, "wrong", address=ATTACKER)
    assert try_at(14).status_code == 429
    # a try while paused counts as one more: the pause runs from it
    assert try_at(28).status_code == 429
    try_at(44)
    assert signed_in(client)


def test_a_right_password_resets_the_count(client, owner):
    for _ in range(4):
        sign_in(client, owner.email, "wrong", address=ATTACKER)
    sign_in(client, owner.email, PASSWORD, address=ATTACKER)
    client.logout()

    for _ in range(4):
        sign_in(client, owner.email, "wrong", address=ATTACKER)
    sign_in(client, owner.email, PASSWORD, address=ATTACKER)

    assert signed_in(client)


def test_the_admin_door_is_limited_too(client, owner):
    for _ in range(5):
        admin_sign_in(client, owner.email, "wrong", address=ATTACKER)

    response = admin_sign_in(client, owner.email, PASSWORD, address=ATTACKER)

    assert response.status_code == 429
    assert not signed_in(client)
    # and the owner's own address still opens it
    admin_sign_in(client, owner.email, PASSWORD, address=OWNER)
    assert signed_in(client)


def test_wrong_passwords_at_either_door_add_up(client, owner):
    for _ in range(3):
        admin_sign_in(client, owner.email, "wrong", address=ATTACKER)
    for _ in range(2):
        sign_in(client, owner.email, "wrong", address=ATTACKER)

    assert sign_in(client, owner.email, PASSWORD, address=ATTACKER).status_code == 429


@pytest.mark.parametrize("door", ["site", "admin"])
def test_a_password_too_long_is_refused_before_it_is_hashed(client, owner, door):
    huge = "x" * (1024 * 1024)
    post = sign_in if door == "site" else admin_sign_in

    response = post(client, owner.email, huge, address=OWNER)

    assert response.status_code == 200
    assert f"at most {PASSWORD_MAX_LENGTH} characters" in response.content.decode()
    assert not signed_in(client)


def test_a_new_password_too_long_is_refused_at_sign_up(client):
    long = "Kz-" + "ә" * PASSWORD_MAX_LENGTH
    response = client.post(
        "/en/accounts/signup/",
        {
            "first_name": "Aigerim",
            "last_name": "Serikova",
            "email": "new@example.kz",
            "password1": long,
            "password2": long,
        },
    )

    assert response.status_code == 200
    assert f"at most {PASSWORD_MAX_LENGTH} characters" in response.content.decode()


def test_behind_the_front_the_address_is_the_one_it_adds(client, owner, settings):
    # One proxy in front (QATYSU_API_PROXIES=1): every request comes from the front's
    # address, and the client's is the one the front adds
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    front = "172.18.0.5"
    for _ in range(5):
        client.post(
            "/en/accounts/login/",
            {"login": owner.email, "password": "wrong"},
            REMOTE_ADDR=front,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    client.post(
        "/en/accounts/login/",
        {"login": owner.email, "password": PASSWORD},
        REMOTE_ADDR=front,
        HTTP_X_FORWARDED_FOR=OWNER,
    )

    assert signed_in(client)


def test_the_account_named_is_read_from_any_door(rf):
    request = rf.post("/", {"login": " Aigerim@Example.kz "})
    assert attempted_account(request, None) == "aigerim@example.kz"
    assert attempted_account(rf.post("/"), {"username": "A@B.kz"}) == "a@b.kz"
    assert attempted_account(rf.post("/"), {"email": "c@d.kz"}) == "c@d.kz"
    assert attempted_account(rf.post("/"), None) == ""
