"""The shared refusal helper (tests/refusals.py) on proposals' rows: it passes a refusal
that changed nothing, and fails one with another code, one that changed a row, sent a
notice, recorded an event, scheduled work on commit or changed what `also` reads, and
an act that was not refused at all."""

from __future__ import annotations

import pytest
from django.db import transaction

from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from proposals.codes import ErrorCode
from proposals.models import Support
from tests.proposals.conftest import PROPOSAL_ROWS
from tests.refusals import refused, unchanged


def refusal(code: str = "support_closed"):
    raise DomainError(ErrorCode(code), "Refused.")


def test_a_refusal_that_changed_nothing_passes_and_gives_the_error(submitted):
    with refused("support_closed", *PROPOSAL_ROWS) as caught:
        refusal()
    assert str(caught.value.message) == "Refused."


def test_a_refusal_with_another_code_fails(submitted):
    with (
        pytest.raises(AssertionError, match=r"Refused\."),
        refused("support_closed", *PROPOSAL_ROWS),
    ):
        refusal("support_already_given")


def test_an_act_that_was_not_refused_fails(submitted):
    with pytest.raises(pytest.fail.Exception), refused("support_closed"):
        pass


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda proposal, user: Support.objects.create(proposal=proposal, user=user),
            id="a_row",
        ),
        pytest.param(
            lambda proposal, user: Notification.objects.create(
                recipient=user, kind="proposal_status_changed"
            ),
            id="a_notice",
        ),
        pytest.param(
            lambda proposal, user: AuditEvent.objects.create(verb="proposal.supported"),
            id="an_event",
        ),
        pytest.param(
            lambda proposal, user: transaction.on_commit(lambda: None),
            id="work_on_commit",
        ),
    ],
)
def test_a_refusal_that_changed_something_fails(submitted, neighbour, change):
    with (
        pytest.raises(AssertionError),
        refused("support_closed", *PROPOSAL_ROWS),
    ):
        change(submitted, neighbour)
        refusal()


def test_a_change_to_what_also_reads_fails(submitted):
    files = ["a.png"]
    with pytest.raises(AssertionError), unchanged(also=lambda: list(files)):
        files.append("b.png")


def test_a_change_of_a_column_no_test_named_fails(submitted):
    # Every column is compared, not the few a test would think of
    with pytest.raises(AssertionError), unchanged(*PROPOSAL_ROWS):
        type(submitted).objects.filter(pk=submitted.pk).update(address="Elsewhere")
