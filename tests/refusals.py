"""Refusals in tests: an act refused with the code of its DomainError, and nothing changed.

    with refused("support_closed", Proposal, Support) as refusal:
        services.support_add(proposal=proposal, user=resident)
    assert str(refusal.value.message) == "..."

"Nothing changed" is every row of the given models, of the audit trail and of the
notifications, with all their columns, as it was before the act; nothing scheduled to run
on commit (in the test's transaction: a transactional test runs such work at once); and
whatever `also` reads (stored files, say) the same. `unchanged` asserts the same of a
block that is not itself the refused call (a page that shows the refusal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db.models import Model
from django.test import TestCase

from portal.errors import DomainError
from portal.models import AuditEvent, Notification

# What every act records and sends, whatever the app.
ALWAYS_WATCHED = (AuditEvent, Notification)


def rows(*models: type[Model]) -> dict[str, list[tuple]]:
    """Every row of each model, and of the audit trail and the notifications, with all
    its columns, in the order of their keys."""
    return {
        model._meta.label: list(
            model._default_manager.order_by("pk").values_list(
                *(field.attname for field in model._meta.concrete_fields)
            )
        )
        for model in dict.fromkeys((*models, *ALWAYS_WATCHED))
    }


def _state(models, also: Callable[[], object] | None) -> dict:
    state: dict = rows(*models)
    if also is not None:
        state["also"] = also()
    return state


@contextmanager
def unchanged(
    *models: type[Model], also: Callable[[], object] | None = None
) -> Iterator[None]:
    """The block changes no row of the models, of the audit trail or of the
    notifications, nor what `also` reads, and schedules nothing to run on commit."""
    before = _state(models, also)
    with TestCase.captureOnCommitCallbacks() as scheduled:
        yield
    assert _state(models, also) == before
    assert scheduled == []


@contextmanager
def refused(
    code: str, *models: type[Model], also: Callable[[], object] | None = None
) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """The block raises the DomainError `code` and changes nothing (as `unchanged`);
    the refusal is the `value` of what it yields, once the block is done."""
    before = _state(models, also)
    with (
        TestCase.captureOnCommitCallbacks() as scheduled,
        pytest.raises(DomainError) as refusal,
    ):
        yield refusal
    assert refusal.value.code == code, str(refusal.value.message)
    assert _state(models, also) == before
    assert scheduled == []
