"""Refusal codes and audit verbs are declared once per app (`<app>/codes.py`): services
raise and record only members, never a string written where it is used. Read from the
source, and refused at run time by DomainError and the audit service."""

import ast
from pathlib import Path

import pytest

from budgets.codes import AuditVerb as BudgetsVerb
from budgets.codes import DraftTransition
from portal.errors import DomainError
from portal.services import Act, audit_event_record, audit_events_record
from proposals.codes import ErrorCode as ProposalsCode
from proposals.codes import ProposalTransition
from proposals.lifecycle import TRANSITIONS

ROOT = Path(__file__).resolve().parents[1]
APPS = ("portal", "accounts", "community", "budgets", "maslikhat", "proposals")


def _calls():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    yield path.relative_to(ROOT), node


def _written_out(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_no_refusal_is_raised_with_a_code_written_out():
    written = [
        f"{path}:{call.lineno}"
        for path, call in _calls()
        if _name(call) == "DomainError" and call.args and _written_out(call.args[0])
    ]
    assert written == []


def test_no_act_is_recorded_with_a_verb_written_out():
    written = [
        f"{path}:{call.lineno}"
        for path, call in _calls()
        if _name(call) in {"audit_event_record", "Act", "AuditEvent", "_draft_move"}
        for keyword in call.keywords
        if keyword.arg == "verb" and _written_out(keyword.value)
    ]
    assert written == []


def test_a_refusal_with_an_undeclared_code_is_a_programming_error():
    with pytest.raises(TypeError):
        DomainError("made_up", "Not declared.")
    with pytest.raises(ValueError):
        ProposalsCode("made_up")
    assert DomainError(ProposalsCode.COMMENT_EMPTY, "…").code == "comment_empty"


def test_an_act_with_an_undeclared_verb_is_refused_and_nothing_is_recorded(db):
    from portal.models import AuditEvent

    with pytest.raises(TypeError):
        audit_event_record(actor=None, verb="cycle.made_up")
    with pytest.raises(TypeError):
        audit_events_record([Act(verb=BudgetsVerb.CYCLE_OVERDUE), Act(verb="x.y")])
    assert AuditEvent.objects.count() == 0


def test_every_move_the_lifecycles_refuse_has_its_declared_code():
    # Every pair of statuses, allowed or not, names a member: a refusal of any of them
    # finds its code declared.
    for current in TRANSITIONS:
        for target in TRANSITIONS:
            assert ProposalTransition(f"proposal_{current}_to_{target}")
    assert (
        DraftTransition("draft_published_to_returned").name == "PUBLISHED_TO_RETURNED"
    )


def test_every_verb_a_template_reads_is_declared():
    import re

    from accounts.codes import AuditVerb as AccountsVerb
    from maslikhat.codes import AuditVerb as MaslikhatVerb
    from proposals.codes import AuditVerb as ProposalsVerb

    declared = {
        verb.value
        for enum in (AccountsVerb, BudgetsVerb, MaslikhatVerb, ProposalsVerb)
        for verb in enum
    }
    read = {
        (path.relative_to(ROOT).as_posix(), verb)
        for path in (ROOT / "templates").rglob("*.html")
        for verb in re.findall(r'verb == "([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert len(read) > 10
    assert sorted(item for item in read if item[1] not in declared) == []
