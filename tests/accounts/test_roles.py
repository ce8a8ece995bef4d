"""Roles are memberships scoped to units, granted and ended with an audit event."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import services
from accounts.models import Role, RoleMembership
from accounts.permissions import (
    is_akim,
    is_maslikhat_chairman_of,
    is_maslikhat_deputy_of,
    is_moderator_for,
    is_unit_staff,
    is_verified_resident_of,
)
from portal.errors import DomainError
from portal.models import AuditEvent
from tests.accounts.factories import MembershipFactory, UserFactory

TODAY = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_granting_a_role_records_who_granted_it(territory, admin_user):
    user = UserFactory()

    membership = services.role_grant(
        user=user, role=Role.AKIM, unit=territory["rural_district"], actor=admin_user
    )

    event = AuditEvent.objects.get()
    assert (event.verb, event.actor, event.target, event.unit) == (
        "role.granted",
        admin_user,
        membership,
        territory["rural_district"],
    )
    assert event.details["role"] == "akim"


@pytest.mark.parametrize(
    ("role", "unit", "code"),
    [
        (Role.AKIM, "district", "role_unit_without_budget"),
        (Role.AKIMAT_STAFF, "village", "role_unit_without_budget"),
        (Role.MASLIKHAT_DEPUTY, "rural_district", "role_unit_not_district"),
        (Role.MASLIKHAT_CHAIRMAN, "region", "role_unit_not_district"),
    ],
)
def test_a_role_outside_its_scope_is_refused(territory, admin_user, role, unit, code):
    with pytest.raises(DomainError) as refusal:
        services.role_grant(
            user=UserFactory(), role=role, unit=territory[unit], actor=admin_user
        )

    assert refusal.value.code == code
    assert not RoleMembership.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("unit", ["rural_district", "region"])
def test_a_moderator_may_hold_a_unit_or_a_region(territory, admin_user, unit):
    membership = services.role_grant(
        user=UserFactory(), role=Role.MODERATOR, unit=territory[unit], actor=admin_user
    )

    assert membership.unit == territory[unit]


@time_machine.travel(TODAY)
def test_an_ended_role_no_longer_holds(territory, admin_user):
    membership = MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    )

    services.role_end(membership=membership, actor=admin_user)

    membership.refresh_from_db()
    assert membership.ends_on == datetime.date(2026, 11, 25)
    assert not is_unit_staff(membership.user, territory["rural_district"])
    assert AuditEvent.objects.get().verb == "role.ended"


def test_a_role_cannot_be_ended_twice(territory, admin_user):
    membership = MembershipFactory(
        unit=territory["rural_district"], ends_on=datetime.date(2021, 1, 1)
    )

    with pytest.raises(DomainError) as refusal:
        services.role_end(
            membership=membership, actor=admin_user, ends_on=datetime.date(2022, 1, 1)
        )

    assert refusal.value.code == "role_already_ended"
    membership.refresh_from_db()
    assert membership.ends_on == datetime.date(2021, 1, 1)


@time_machine.travel(TODAY)
def test_a_role_that_starts_tomorrow_does_not_hold_today(territory):
    membership = MembershipFactory(
        unit=territory["rural_district"], starts_on=datetime.date(2026, 11, 26)
    )

    assert not is_unit_staff(membership.user, territory["rural_district"])


def test_predicates_are_scoped_to_their_units(territory, resident):
    staff = MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    ).user
    akim = MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user
    moderator = MembershipFactory(role=Role.MODERATOR, unit=territory["region"]).user
    deputy = MembershipFactory(
        role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
    ).user
    chairman = MembershipFactory(
        role=Role.MASLIKHAT_CHAIRMAN, unit=territory["district"]
    ).user
    home, elsewhere = territory["rural_district"], territory["other_rural_district"]

    assert (is_unit_staff(staff, home), is_unit_staff(staff, elsewhere)) == (
        True,
        False,
    )
    assert (is_unit_staff(akim, home), is_akim(akim, home), is_akim(staff, home)) == (
        True,
        True,
        False,
    )
    assert is_moderator_for(moderator, territory["village"])  # the region covers it
    assert not is_moderator_for(staff, home)
    assert is_maslikhat_deputy_of(deputy, territory["district"])
    assert is_maslikhat_deputy_of(chairman, territory["district"])
    assert not is_maslikhat_chairman_of(deputy, territory["district"])
    assert (
        is_verified_resident_of(resident, home),
        is_verified_resident_of(resident, elsewhere),
        is_verified_resident_of(staff, home),
    ) == (True, False, False)


def test_the_admin_grants_and_ends_a_role_through_the_services(
    client, territory, admin_user
):
    user = UserFactory()
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/rolemembership/add/",
        {
            "user": user.pk,
            "role": Role.AKIMAT_STAFF,
            "unit": territory["rural_district"].pk,
            "starts_on": "2026-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    membership = RoleMembership.objects.get()
    assert membership.granted_by == admin_user

    response = client.post(
        f"/admin/accounts/rolemembership/{membership.pk}/change/",
        {"ends_on": "2026-06-01"},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == datetime.date(2026, 6, 1)
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", "actor")) == [
        ("role.granted", admin_user.pk),
        ("role.ended", admin_user.pk),
    ]


def test_the_admin_refuses_a_role_outside_its_scope_with_a_message(
    client, territory, admin_user
):
    client.force_login(admin_user)

    response = client.post(
        "/admin/accounts/rolemembership/add/",
        {
            "user": UserFactory().pk,
            "role": Role.AKIM,
            "unit": territory["district"].pk,
            "starts_on": "2026-01-01",
        },
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "Akimat staff and akims belong to a unit that holds its own budget" in (
        response.content.decode()
    )
    assert not RoleMembership.objects.exists()


def test_the_admin_cannot_delete_a_role(client, territory, admin_user):
    membership = MembershipFactory(unit=territory["rural_district"])
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/rolemembership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert RoleMembership.objects.filter(pk=membership.pk).exists()


def test_the_profile_lists_the_users_roles(client, territory):
    membership = MembershipFactory(role=Role.AKIM, unit=territory["rural_district"])
    client.force_login(membership.user)

    response = client.get(reverse("accounts:profile"))

    assert list(response.context["memberships"]) == [membership]
    assert "<td>akim</td>" in response.content.decode()


def test_the_same_open_role_cannot_be_granted_twice(territory, admin_user):
    user = UserFactory()
    services.role_grant(
        user=user, role=Role.AKIM, unit=territory["rural_district"], actor=admin_user
    )

    with pytest.raises(DomainError) as refusal:
        services.role_grant(
            user=user,
            role=Role.AKIM,
            unit=territory["rural_district"],
            actor=admin_user,
        )

    assert refusal.value.code == "role_already_held"
    assert RoleMembership.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_the_admin_refuses_to_move_an_ended_roles_end_later(
    client, territory, admin_user
):
    membership = MembershipFactory(
        unit=territory["rural_district"], ends_on=datetime.date(2021, 1, 1)
    )
    client.force_login(admin_user)
    url = f"/admin/accounts/rolemembership/{membership.pk}/change/"

    unchanged = client.post(url, {"ends_on": "2021-01-01"})
    later = client.post(
        url, {"ends_on": "2022-01-01"}, headers={"accept-language": "en"}
    )

    assert unchanged.status_code == 302
    assert later.status_code == 200
    assert "its end can only be brought earlier" in later.content.decode()
    membership.refresh_from_db()
    assert membership.ends_on == datetime.date(2021, 1, 1)
    assert not AuditEvent.objects.exists()
