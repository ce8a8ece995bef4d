"""Anyone signed in may follow a cycle; followers are told of the maslikhat's result."""

import pytest
from django.urls import reverse

from budgets.models import CycleFollower
from portal.models import Notification
from tests.accounts.factories import UserFactory
from tests.maslikhat.factories import ballots_cast, session_open


def test_a_signed_in_person_follows_and_stops_following_a_cycle(client, cycle):
    follower = UserFactory()
    client.force_login(follower)
    url = reverse(
        "budgets:cycle_follow",
        kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year},
    )

    client.post(url, {"follow": "1"})
    client.post(url, {"follow": "1"})  # twice is still once
    assert list(CycleFollower.objects.values_list("user", flat=True)) == [follower.pk]
    page = client.get(cycle.get_absolute_url())
    assert page.context["is_following"] is True

    client.post(url, {"follow": "0"})
    assert not CycleFollower.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_to_follow(client, cycle):
    url = reverse(
        "budgets:cycle_follow",
        kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year},
    )

    response = client.post(url, {"follow": "1"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not CycleFollower.objects.exists()


@pytest.mark.parametrize("follows", [True, False])
def test_followers_are_told_the_result_of_the_vote(submitted, maslikhat, follows):
    resident = UserFactory()
    if follows:
        CycleFollower.objects.create(cycle=submitted.cycle, user=resident)
    session = session_open(submitted, maslikhat[0])

    ballots_cast(session, [(deputy, "for") for deputy in maslikhat])

    notices = Notification.objects.filter(recipient=resident, kind="session_closed")
    assert notices.count() == (1 if follows else 0)
