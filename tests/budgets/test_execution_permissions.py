"""The permission matrix of the execution's pages: every role × every action × the phases in
which recording is and is not allowed; each (action, phase, role) is one test.

Given the budget adopted on 10 December 2026 (tests.budgets.conftest.adopted) and, once its
execution has started, the first quarter of the property tax reported on 10 April 2027, when
a person in a role does the act through its page on a day of a phase, then:
- anonymous: sent to sign in (the public page excepted: everyone reads it);
- a role the rule refuses: 403, and the page gives the rule's reason;
- staff of the unit or its akim, when the phase refuses: the service's message;
- staff of the unit or its akim, in the execution or in the grace period after it: done.
Every refusal asserts that nothing changed and nothing was sent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from budgets import execution
from budgets.models import ExecutionEntry
from portal.models import AuditEvent, Notification
from portal.permissions import refusal
from tests.budgets.conftest import at
from tests.refusals import rows

ROLES = (
    "anonymous",
    "resident_of_another_unit",
    "resident",
    "staff_of_another_unit",
    "staff",
    "akim",
    "deputy",
    "moderator",
)
STAFF_AND_AKIM = frozenset({"staff", "akim"})

# A day in each phase of the execution of 2027, and whether recording is open then.
PHASES = {
    "adopted": (at(2026, 12, 28), False),
    "execution": (at(2027, 5, 15), True),
    "grace": (at(2028, 1, 15), True),
    "closed": (at(2028, 3, 2), False),
}
REFUSAL = {
    "adopted": (
        "The budget is adopted; its execution starts on 1 January 2027, and is recorded "
        "from then on."
    ),
    "closed": (
        "The books of 2027 closed on the last day of February 2028: its execution can "
        "no longer change."
    ),
}
NOT_REPORTED = "Quarter 1 of this line is not reported yet: report it first."
ACTIONS = ("view", "record_form", "record", "correct")


def recorded() -> dict:
    """Every row of the execution, of the audit trail and of the notices (as
    tests.refusals reads them), to show that a refused act changed nothing."""
    return rows(ExecutionEntry)


def added(before: dict, model):
    """The rows of `model` an act added: those after the last one `before` holds."""
    held = before[model._meta.label]
    return model.objects.filter(pk__gt=held[-1][0] if held else 0).order_by("pk")


def kept(before: dict, after: dict, model) -> bool:
    """The rows of `model` before the act are still there, every column as it was."""
    label = model._meta.label
    return after[label][: len(before[label])] == before[label]


def _url(name, cycle, **extra) -> str:
    return reverse(
        name, kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": 2027, **extra}
    )


def _line(draft, code):
    return draft.lines.select_related("classification").get(classification__code=code)


def act(client, action: str, draft):
    cycle = draft.cycle
    if action == "view":
        return client.get(_url("budgets:execution", cycle))
    if action == "record_form":
        return client.get(_url("budgets:execution_record", cycle))
    if action == "record":
        return client.post(
            _url("budgets:execution_record", cycle),
            {
                "quarter": "2",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "1",
                "lines-0-line": str(_line(draft, "124 001").pk),
                "lines-0-amount": "100",
                "lines-0-note": "Зарплата",
            },
        )
    return client.post(
        _url(
            "budgets:execution_correct",
            cycle,
            line=_line(draft, "1 04 1 02").pk,
            quarter=1,
        ),
        {"new_total": "410000", "reason": "Сверка с казначейством", "confirm": "1"},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("action", ACTIONS)
def test_execution_permission_matrix(client, adopted, people, action, phase, role):
    # Given the adopted budget, its first quarter partly reported once the year began
    day, is_open = PHASES[phase]
    reported = None
    if phase != "adopted":
        with time_machine.travel(at(2027, 4, 10), tick=False):
            reported = execution.execution_record(
                line=_line(adopted, "1 04 1 02"),
                quarter=1,
                amount=Decimal("400000"),
                note="",
                actor=people["staff"],
            )
    user = people[role]
    before = recorded()

    # When the person does the act on a day of the phase
    with time_machine.travel(day, tick=False):
        if user is not None:
            client.force_login(user)
        response = act(client, action, adopted)

    # Then the public page answers everyone, offering the acts only to the unit's staff
    # while recording is open
    after = recorded()
    allowed = role in STAFF_AND_AKIM
    if action == "view":
        assert response.status_code == 200
        assert response.context["may_record"] is (allowed and is_open)
        assert after == before
        return
    # and the acts send others away
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        assert after == before
        return
    if not allowed:
        assert response.status_code == 403
        assert escape(str(refusal("budgets.record_execution"))) in (
            response.content.decode()
        )
        assert after == before
        return
    execution_page = _url("budgets:execution", adopted.cycle)
    if action == "record_form":
        assert after == before
        if is_open:
            assert response.status_code == 200
            assert response.context["quarter"] == (1 if phase == "execution" else 4)
        else:
            assert (response.status_code, response.url) == (302, execution_page)
            assert messages_of(response) == [REFUSAL[phase]]
        return
    if action == "correct" and phase == "adopted":
        # Nothing can have been reported before the execution: nothing to correct
        assert (response.status_code, response.url) == (302, execution_page)
        assert messages_of(response) == [NOT_REPORTED]
        assert after == before
        return
    if not is_open:
        assert response.status_code == 400
        assert escape(REFUSAL[phase]) in response.content.decode()
        assert after == before
        return
    # and in the execution or its grace period, the staff's act is done, adding an entry
    # and an event, changing no entry or event before them and telling nobody
    assert response.status_code == 302
    assert kept(before, after, ExecutionEntry)
    assert kept(before, after, AuditEvent)
    assert after[Notification._meta.label] == before[Notification._meta.label]
    if action == "record":
        assert response.url == execution_page
        assert list(
            added(before, ExecutionEntry).values_list("quarter", "amount", "note")
        ) == [(2, Decimal("100.00"), "Зарплата")]
        assert list(added(before, AuditEvent).values_list("verb", flat=True)) == [
            "execution.recorded"
        ]
    else:
        assert response.url.startswith(execution_page)
        assert list(
            added(before, ExecutionEntry).values_list(
                "quarter", "amount", "corrects_id"
            )
        ) == [(1, Decimal("10000.00"), reported.pk)]
        assert list(added(before, AuditEvent).values_list("verb", flat=True)) == [
            "execution.corrected"
        ]
