"""A person's two names: the full one, asked at sign-up and seen by the akimat's staff who
confirm where they live, and the one shown to others, which they choose."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.codes import ErrorCode
from accounts.models import Residency, ResidencyStatus, User
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import ResidencyFactory, UserFactory, make_iin

# Public name


@pytest.mark.parametrize(
    ("first_name", "last_name", "display_name", "shown"),
    [
        ("Aigerim", "Serikova", "", "Aigerim S."),
        (" Айгерим ", " Серікова ", "", "Айгерим С."),
        ("Aigerim", "Serikova", "Aika from Akkol", "Aika from Akkol"),
        ("Aigerim", "", "", "Aigerim"),
        ("", "Serikova", "", "S."),
        ("", "", "", "A resident"),
    ],
)
def test_the_public_name_is_the_chosen_one_or_the_first_name_and_an_initial(
    first_name, last_name, display_name, shown
):
    user = User(first_name=first_name, last_name=last_name, display_name=display_name)

    assert user.public_name == shown


# The profile's names


def test_a_person_changes_both_names_in_the_profile(client, user_without_iin):
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": " Aigerim ", "last_name": "Serikova", "display_name": " Aika "},
    )

    assert response.status_code == 302
    user = User.objects.get(pk=user_without_iin.pk)
    assert (user.first_name, user.last_name, user.display_name) == (
        "Aigerim",
        "Serikova",
        "Aika",
    )
    assert list(AuditEvent.objects.values_list("verb", "actor")) == [
        ("user.names_changed", user.pk)
    ]
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<dd data-testid="full-name">Aigerim Serikova</dd>' in page
    assert '<dd data-testid="public-name">Aika</dd>' in page


def test_an_empty_chosen_name_brings_back_the_default(client, user_without_iin):
    user_without_iin.display_name = "Aika"
    user_without_iin.save()
    client.force_login(user_without_iin)

    client.post(
        reverse("accounts:profile"),
        {"first_name": "Aigerim", "last_name": "Serikova", "display_name": ""},
    )

    assert User.objects.get(pk=user_without_iin.pk).public_name == "Aigerim S."


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"first_name": "", "last_name": "Serikova"}, "Give your first name."),
        ({"first_name": "Aigerim", "last_name": "   "}, "Give your surname."),
        (
            {"first_name": "Aigerim", "last_name": "S", "display_name": "x" * 61},
            "Ensure this value has at most 60 characters (it has 61).",
        ),
        (
            {"first_name": "A" * 151, "last_name": "S"},
            "Ensure this value has at most 150 characters (it has 151).",
        ),
        # the one guard refuses it before the form reads it (portal.middleware)
        (
            {"first_name": "Aigerim\x00", "last_name": "S"},
            "invisible control character",
        ),
    ],
)
def test_a_bad_name_is_refused_and_nothing_changes(
    client, user_without_iin, data, error
):
    client.force_login(user_without_iin)
    before = User.objects.values("first_name", "last_name", "display_name").get(
        pk=user_without_iin.pk
    )

    response = client.post(reverse("accounts:profile"), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert (
        User.objects.values("first_name", "last_name", "display_name").get(
            pk=user_without_iin.pk
        )
        == before
    )
    assert not AuditEvent.objects.exists()


def test_the_profile_asks_a_visitor_to_sign_in(client, db):
    response = client.post(
        reverse("accounts:profile"), {"first_name": "A", "last_name": "B"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("first_name", "last_name", "display_name", "code"),
    [
        ("", "Serikova", "", ErrorCode.NAME_REQUIRED),
        ("Aigerim", " ", "", ErrorCode.NAME_REQUIRED),
        ("Aigerim", "Serikova", "x" * 61, ErrorCode.NAME_TOO_LONG),
        ("A" * 151, "Serikova", "", ErrorCode.NAME_TOO_LONG),
    ],
)
def test_the_service_refuses_a_missing_or_long_name(
    user_without_iin, first_name, last_name, display_name, code
):
    with pytest.raises(DomainError) as refusal:
        services.user_names_update(
            user=user_without_iin,
            first_name=first_name,
            last_name=last_name,
            display_name=display_name,
        )

    assert refusal.value.code == code
    assert not AuditEvent.objects.exists()


def test_saving_the_same_names_records_nothing(user_without_iin):
    services.user_names_update(
        user=user_without_iin,
        first_name=user_without_iin.first_name,
        last_name=user_without_iin.last_name,
    )

    assert not AuditEvent.objects.exists()


# The residency claim of an account opened without a name


@pytest.fixture
def nameless(db):
    return UserFactory(first_name="", last_name="")


def test_a_claim_without_a_name_asks_for_it_and_sends_nothing(
    client, territory, staff, nameless
):
    client.force_login(nameless)

    page = client.get(reverse("accounts:residency_claim")).content.decode()
    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": make_iin(5151), "place": territory["village"].kato_code},
    )

    assert 'name="first_name"' in page and 'name="last_name"' in page
    assert response.status_code == 400
    assert "Give your first name." in response.content.decode()
    assert not Residency.objects.exists()
    assert not Notification.objects.exists()
    assert User.objects.get(pk=nameless.pk).iin_digest is None


def test_a_claim_with_the_name_saves_it_and_reaches_the_akimat(
    client, territory, staff, nameless
):
    client.force_login(nameless)

    response = client.post(
        reverse("accounts:residency_claim"),
        {
            "first_name": "Aigerim",
            "last_name": "Serikova",
            "iin": make_iin(5151),
            "place": territory["village"].kato_code,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(pk=nameless.pk)
    assert user.get_full_name() == "Aigerim Serikova"
    assert Residency.objects.get(user=user).status == ResidencyStatus.PENDING


def test_the_claim_of_a_named_account_does_not_ask_the_name_again(
    client, territory, user_without_iin
):
    client.force_login(user_without_iin)

    page = client.get(reverse("accounts:residency_claim")).content.decode()

    assert 'name="first_name"' not in page


def test_the_service_refuses_a_claim_without_a_name(territory, nameless):
    with pytest.raises(DomainError) as refusal:
        services.residency_claim(
            user=nameless, place=territory["village"], iin=make_iin(5151)
        )

    assert refusal.value.code == ErrorCode.NAME_REQUIRED
    assert not Residency.objects.exists()
    assert User.objects.get(pk=nameless.pk).iin_digest is None


# What the akimat's staff see


@pytest.fixture
def claim(territory):
    return ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
        user__first_name="Aigerim",
        user__last_name="Serikova",
        user__display_name="Aika",
    )


def test_staff_see_the_full_name_in_the_queue_and_the_claim(client, claim, staff):
    client.force_login(staff)

    queue = client.get(reverse("accounts:residency_queue")).content.decode()
    detail = client.get(
        reverse("accounts:residency_detail", args=[claim.pk])
    ).content.decode()

    assert '<span data-testid="claimant">Aigerim Serikova</span>' in queue
    assert '<dd data-testid="claimant">Aigerim Serikova</dd>' in detail
    assert claim.user.email in detail


def test_staff_see_that_an_old_account_gave_no_name(client, claim, staff):
    User.objects.filter(pk=claim.user_id).update(first_name="", last_name="")
    client.force_login(staff)

    queue = client.get(reverse("accounts:residency_queue")).content.decode()

    assert '<span data-testid="claimant">name not given</span>' in queue


@pytest.mark.parametrize("who", ["other_staff", "resident", "claimant"])
def test_no_one_else_reads_the_full_name_of_a_claim(client, claim, request, who):
    user = claim.user if who == "claimant" else request.getfixturevalue(who)
    client.force_login(user)

    queue = client.get(reverse("accounts:residency_queue"))
    detail = client.get(reverse("accounts:residency_detail", args=[claim.pk]))

    assert detail.status_code == 403
    assert "Serikova" not in queue.content.decode()
    assert "Serikova" not in detail.content.decode()


def test_a_visitor_is_sent_to_sign_in_from_a_claim(client, claim):
    response = client.get(reverse("accounts:residency_detail", args=[claim.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
