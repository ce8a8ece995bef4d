"""The one way a rule is declared and checked: a rules predicate with a reason for refusal.

Each app's permissions.py declares its rules with `add_rule`; views call `require`, which
raises PermissionDenied with the rule's reason so that the 403 page tells the user why.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

REFUSALS: dict[str, str | Promise] = {}


def add_rule(name: str, predicate, *, refusal: str | Promise) -> None:
    rules.add_perm(name, predicate)
    REFUSALS[name] = refusal


def require(user, name: str, obj=None) -> None:
    if not user.has_perm(name, obj):
        raise PermissionDenied(REFUSALS[name])
