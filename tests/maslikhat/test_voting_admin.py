"""The admin of the maslikhat's vote: the rules are edited with their checks, and a change
never reaches a session already opened; sessions and ballots are shown, never added,
changed or deleted."""

import pytest
from django.urls import reverse

from maslikhat.counting import VoteRules
from maslikhat.models import Ballot, MaslikhatRules, SessionOutcome, VotingSession
from maslikhat.selectors import roll_call
from tests.accounts.factories import UserFactory
from tests.maslikhat.factories import ballots_cast, session_open

RULES_FIELDS = [
    "quorum_numerator",
    "quorum_denominator",
    "majority_numerator",
    "majority_denominator",
]
QUORUM_ERROR = "The quorum is a share of all deputies: from 1/n up to all of them."
MAJORITY_ERROR = "The majority is a share of all deputies below one whole."


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    # The admin has no language prefix: the browser's language picks English here.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(superuser)
    return client


def rules_of(district) -> tuple:
    return tuple(
        MaslikhatRules.objects.filter(district=district)
        .values_list(*RULES_FIELDS)
        .get()
    )


def rules_form(district, quorum=(2, 3), majority=(1, 2)) -> dict:
    return {
        "district": district.pk,
        "quorum_numerator": quorum[0],
        "quorum_denominator": quorum[1],
        "majority_numerator": majority[0],
        "majority_denominator": majority[1],
    }


def test_the_admin_adds_the_rules_of_a_maslikhat(admin_client, territory):
    district = territory["district"]
    add = reverse("admin:maslikhat_maslikhatrules_add")

    assert admin_client.get(add).status_code == 200
    response = admin_client.post(add, rules_form(district, quorum=(3, 4)))

    assert response.status_code == 302
    assert rules_of(district) == (3, 4, 1, 2)


def test_the_admin_changes_the_rules_of_a_maslikhat(admin_client, territory):
    district = territory["district"]
    rules = MaslikhatRules.objects.create(district=district)
    change = reverse("admin:maslikhat_maslikhatrules_change", args=[rules.pk])

    shown = admin_client.get(change)
    response = admin_client.post(
        change, rules_form(district, quorum=(1, 2), majority=(2, 3))
    )

    assert shown.status_code == 200
    assert response.status_code == 302
    assert rules_of(district) == (1, 2, 2, 3)


@pytest.mark.parametrize(
    ("quorum", "majority", "errors"),
    [
        ((4, 3), (1, 2), {"quorum_numerator": [QUORUM_ERROR]}),
        ((0, 3), (1, 2), {"quorum_numerator": [QUORUM_ERROR]}),
        ((2, 3), (1, 1), {"majority_numerator": [MAJORITY_ERROR]}),
        ((2, 3), (3, 2), {"majority_numerator": [MAJORITY_ERROR]}),
        (
            (5, 4),
            (2, 2),
            {
                "quorum_numerator": [QUORUM_ERROR],
                "majority_numerator": [MAJORITY_ERROR],
            },
        ),
    ],
)
def test_the_admin_refuses_rules_that_are_not_a_share_of_the_deputies(
    admin_client, territory, quorum, majority, errors
):
    district = territory["district"]
    rules = MaslikhatRules.objects.create(district=district)
    change = reverse("admin:maslikhat_maslikhatrules_change", args=[rules.pk])

    response = admin_client.post(
        change, rules_form(district, quorum=quorum, majority=majority)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    for messages in errors.values():
        assert messages[0] in response.content.decode()
    assert rules_of(district) == (2, 3, 1, 2)


def test_the_rules_are_set_for_a_maslikhat_only(admin_client, territory):
    response = admin_client.post(
        reverse("admin:maslikhat_maslikhatrules_add"),
        rules_form(territory["rural_district"]),
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["district"]
    assert not MaslikhatRules.objects.exists()


def test_a_change_of_the_rules_never_alters_a_session_already_opened(
    admin_client, territory, submitted, maslikhat
):
    district = territory["district"]
    rules = MaslikhatRules.objects.create(district=district)
    session = session_open(submitted, maslikhat[0])

    # A stricter rule after the session opened: three quarters present, "for" from more
    # than two thirds of all the deputies.
    response = admin_client.post(
        reverse("admin:maslikhat_maslikhatrules_change", args=[rules.pk]),
        rules_form(district, quorum=(3, 4), majority=(2, 3)),
    )
    assert response.status_code == 302
    assert rules_of(district) == (3, 4, 2, 3)

    session.refresh_from_db()
    assert (
        session.quorum_numerator,
        session.quorum_denominator,
        session.majority_numerator,
        session.majority_denominator,
    ) == (2, 3, 1, 2)
    assert roll_call(pk=session.pk).rules == VoteRules(2, 3, 1, 2)

    # Six "for" of ten pass under the copied rule (more than half), though not under the
    # new one (more than two thirds); the last ballot closes the session.
    ballots_cast(
        session,
        [(deputy, "for") for deputy in maslikhat[:6]]
        + [(deputy, "against") for deputy in maslikhat[6:]],
    )
    session.refresh_from_db()
    assert session.outcome == SessionOutcome.PASSED

    # Changed again after it closed: the closed session still shows its own rules.
    admin_client.post(
        reverse("admin:maslikhat_maslikhatrules_change", args=[rules.pk]),
        rules_form(district, quorum=(1, 2), majority=(3, 4)),
    )
    session.refresh_from_db()
    assert (session.quorum_numerator, session.majority_numerator) == (2, 1)
    page = admin_client.get(session.get_absolute_url())
    assert "at least 2/3 of all deputies present (7)" in page.content.decode()


@pytest.mark.parametrize("model", [VotingSession, Ballot])
def test_the_admin_shows_sessions_and_ballots_but_never_adds_changes_or_deletes(
    admin_client, submitted, maslikhat, model
):
    session = session_open(submitted, maslikhat[0])
    ballots_cast(session, [(maslikhat[1], "for")])
    some = model.objects.get() if model is Ballot else session
    name = f"admin:maslikhat_{model._meta.model_name}"
    before = list(model.objects.values())

    assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200
    assert (
        admin_client.get(reverse(f"{name}_change", args=[some.pk])).status_code == 200
    )
    assert admin_client.get(reverse(f"{name}_add")).status_code == 403
    assert admin_client.post(reverse(f"{name}_add"), {}).status_code == 403
    assert (
        admin_client.post(
            reverse(f"{name}_delete", args=[some.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        admin_client.post(
            reverse(f"{name}_change", args=[some.pk]),
            {"choice": "against", "outcome": "rejected"},
        ).status_code
        == 403
    )
    assert list(model.objects.values()) == before
