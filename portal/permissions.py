"""The one way a rule is declared and checked: who may do an act, with a reason for
refusal, and, where the act depends on the object's state, when it may be done.

Each app's permissions.py declares its rules with `add_rule`: `who` is a rules predicate
on the user's role, `when` one on the object's status or phase (`status_allows_review`,
`phase_allows_support`, …). The rule registered under the name is both together, so that
what a page offers and what its view lets through ask the same rule:

- `allows(user, name, obj)`: may the page offer the act (its button, its link) now?
- `require(user, name, obj)`: a view's guard; a user the role does not allow is refused
  with 403 and the rule's reason. The state is not refused here: the services refuse an
  act the state does not allow with their own code, and keep checking it under their lock.
- `is_due(name, obj)`: does the object's state allow the act now, whoever asks? An act's
  page that is not due sends the reader back instead of showing a form that would fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from rules.predicates import Predicate


@dataclass(frozen=True)
class Rule:
    who: Predicate
    when: Predicate | None
    refusal: str | Promise


RULES: dict[str, Rule] = {}


def add_rule(
    name: str,
    who: Predicate,
    *,
    when: Predicate | None = None,
    refusal: str | Promise,
) -> None:
    rules.add_perm(name, who if when is None else who & when)
    RULES[name] = Rule(who=who, when=when, refusal=refusal)


def refusal(name: str) -> str | Promise:
    return RULES[name].refusal


def is_due(name: str, obj=None) -> bool:
    when = RULES[name].when
    return when is None or when.test(None, obj)


def allows(user, name: str, obj=None) -> bool:
    # The state first: it is read from what the page holds, and the role costs a query.
    if not is_due(name, obj):
        return False
    # Django allows an active superuser everything (django.contrib.auth's User.has_perm).
    return (user.is_active and user.is_superuser) or RULES[name].who.test(user, obj)


def require(user, name: str, obj=None) -> None:
    rule = RULES[name]
    # An active superuser has every permission (django.contrib.auth's User.has_perm).
    if user.is_active and user.is_superuser:
        return
    if not rule.who.test(user, obj):
        raise PermissionDenied(rule.refusal)
