"""The one way a rule is declared and checked (portal.permissions): a role and a state,
asked together by what a page offers, apart by a view's guard."""

from types import SimpleNamespace

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from portal import permissions
from portal.permissions import add_rule, allows, is_due, refusal, require
from tests.accounts.factories import UserFactory

RULE = "tests.ring_the_bell"


@rules.predicate
def is_bell_ringer(user, bell) -> bool:
    return user.is_authenticated and bell.ringer_id == user.pk


@rules.predicate
def status_allows_ringing(_user, bell) -> bool:
    return bell.status == "hung"


@pytest.fixture
def rule():
    add_rule(
        RULE,
        is_bell_ringer,
        when=status_allows_ringing,
        refusal="Only the ringer rings the bell.",
    )
    yield RULE
    rules.remove_perm(RULE)
    del permissions.RULES[RULE]


def bell(ringer, status="hung"):
    return SimpleNamespace(ringer_id=ringer.pk, status=status)


@pytest.mark.django_db
def test_a_page_offers_the_act_when_both_the_role_and_the_state_allow_it(rule):
    ringer, other = UserFactory(), UserFactory()

    assert allows(ringer, rule, bell(ringer))
    assert not allows(ringer, rule, bell(ringer, status="cracked"))
    assert not allows(other, rule, bell(ringer))
    assert not allows(AnonymousUser(), rule, bell(ringer))
    # The rule registered under the name is the same two together.
    assert ringer.has_perm(rule, bell(ringer))
    assert not ringer.has_perm(rule, bell(ringer, status="cracked"))


@pytest.mark.django_db
def test_the_guard_refuses_the_role_with_its_reason_and_leaves_the_state_to_the_service(
    rule,
):
    ringer, other = UserFactory(), UserFactory()

    # The ringer passes the guard even when the state refuses: the service says why.
    require(ringer, rule, bell(ringer, status="cracked"))
    with pytest.raises(PermissionDenied) as refused:
        require(other, rule, bell(ringer))
    assert str(refused.value) == "Only the ringer rings the bell."
    assert refusal(rule) == "Only the ringer rings the bell."
    with pytest.raises(PermissionDenied):
        require(AnonymousUser(), rule, bell(ringer))


@pytest.mark.django_db
def test_the_state_is_asked_whoever_asks(rule):
    ringer = UserFactory()

    assert is_due(rule, bell(ringer))
    assert not is_due(rule, bell(ringer, status="cracked"))


@pytest.mark.django_db
def test_a_superuser_passes_every_guard_but_is_offered_only_what_the_state_allows(rule):
    ringer = UserFactory()
    superuser = UserFactory(is_superuser=True)

    require(superuser, rule, bell(ringer))
    assert allows(superuser, rule, bell(ringer))
    assert not allows(superuser, rule, bell(ringer, status="cracked"))
    superuser.is_active = False
    with pytest.raises(PermissionDenied):
        require(superuser, rule, bell(ringer))


@pytest.mark.django_db
def test_a_rule_without_a_state_is_always_due():
    add_rule("tests.look", is_bell_ringer, refusal="Only the ringer looks.")
    try:
        ringer = UserFactory()
        assert is_due("tests.look", bell(ringer, status="cracked"))
        assert allows(ringer, "tests.look", bell(ringer, status="cracked"))
    finally:
        rules.remove_perm("tests.look")
        del permissions.RULES["tests.look"]
