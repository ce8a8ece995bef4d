"""Fixtures of the API: a known public (and private) data set reached through the services,
and helpers to read the API's answers. Each test has its own empty cache
(tests/conftest.py), so that the rate limits never carry over from one test to the next.

The data set: the 2027 budget of the rural district (cycle A) taken from proposals to
execution, with a visible proposal implemented, a hidden one, a private draft and one
registered by staff from a known IIN, and the maslikhat's closed vote on it; and the 2027
budget of the other rural district (cycle B) with a published version 1 and a version 2
still being prepared, into which an approved proposal is included.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role
from budgets import execution
from budgets import services as budget_services
from budgets.models import MeetingDecision
from maslikhat import tasks as maslikhat_tasks
from proposals import services as proposal_services
from tests.accounts.factories import MembershipFactory, ResidencyFactory, make_iin
from tests.budgets.conftest import BALANCED, DAY_IN, at, draft_submitted
from tests.budgets.factories import ClassificationFactory, lines, phase_dates
from tests.conftest import make_territory
from tests.maslikhat.factories import CLOSES, ballots_cast, deputies_of, session_open
from tests.proposals.conftest import ASSESSMENT, proposal_input, start_review

# When the API is read in the tests: cycle A is in execution, cycle B past its public
# discussion with no meeting recorded (coordination, overdue).
READ_AT = at(2027, 6, 15)
REGISTERED_IIN = make_iin(4242, born="850315")
RESIDENT_IIN = make_iin(5151, born="920704")
HIDDEN = {
    "title": "HIDDEN-TITLE Lamps for my neighbour's yard",
    "description": "HIDDEN-DESCRIPTION names the neighbour and his telephone",
    "address": "HIDDEN-ADDRESS 12 Kenesary street",
    "reasons": "HIDDEN-REVIEW-REASONS",
    "decision": "HIDDEN-DECISION-REASON",
}
UNSUBMITTED_TITLE = "UNSUBMITTED-TITLE A private draft"
PREPARING_EXPLANATION = "PREPARING-EXPLANATION not yet public"
PREPARING_AMOUNT = Decimal("26777777.00")

UNIT_A = {
    "kato_code": "115633000",
    "name_kk": "Ортақ ауылдық округі",
    "name_ru": "Ортакский сельский округ",
}
UNIT_B = {
    "kato_code": "115645000",
    "name_kk": "Садовый ауылдық округі",
    "name_ru": "Садовый сельский округ",
}
MEETING_A = {
    "held_on": "2026-11-11",
    "members_total": 15,
    "members_present": 12,
    "decision": "coordinated_with_remarks",
    "remarks": "Light the school's street first.",
    "minutes_url": "http://testserver/en/units/115633000/budget/2027/v1/minutes.pdf",
}


@pytest.fixture
def api():
    return APIClient()


def get(client, url: str, **params):
    """A GET of the API answered in JSON (messages in English), with its decoded body;
    `params` join the URL's own query."""
    path, _, query = url.partition("?")
    params = {**dict(parse_qsl(query)), **params}
    response = client.get(
        path, params, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    return response, json.loads(response.content) if response.content else None


def walk(value, path=()):
    """Every (path, key, value) of a JSON document, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))


def build_public_data(territory, staff, other_staff) -> dict:
    """The data set described at the top of this module, through the services."""
    rural, other = territory["rural_district"], territory["other_rural_district"]
    akim = MembershipFactory(role=Role.AKIM, unit=rural).user
    other_akim = MembershipFactory(role=Role.AKIM, unit=other).user
    moderator = MembershipFactory(role=Role.MODERATOR, unit=territory["region"]).user
    chairman = MembershipFactory(
        role=Role.MASLIKHAT_CHAIRMAN,
        unit=territory["district"],
        user__first_name="Aigerim",
        user__last_name="Abenova",
    ).user
    maslikhat = [chairman, *deputies_of(territory["district"], 9)]
    resident = ResidencyFactory(
        place=territory["village"], budget_unit=rural, user__iin=RESIDENT_IIN
    ).user
    resident.iin = RESIDENT_IIN
    neighbour = ResidencyFactory(place=territory["village"], budget_unit=rural).user
    supporter = ResidencyFactory(place=rural, budget_unit=rural).user
    outsider = ResidencyFactory(place=other, budget_unit=other).user
    function = ClassificationFactory(
        kind="expenditure",
        code="E701",
        name_kk="Көшелерді жарықтандыру",
        name_ru="Освещение улиц",
        position=701,
    )

    with time_machine.travel(at(2026, 1, 15), tick=False):
        cycle = budget_services.cycle_open(
            unit=rural, fiscal_year=2027, actor=staff, dates=phase_dates(2027)
        )
        other_cycle = budget_services.cycle_open(
            unit=other, fiscal_year=2027, actor=other_staff, dates=phase_dates(2027)
        )

    def submit(cycle, author, **overrides):
        proposal = proposal_services.proposal_create(
            cycle=cycle,
            author=author,
            data=proposal_input(function, cycle.unit, **overrides),
        )
        return proposal_services.proposal_submit(proposal=proposal, actor=author)

    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        visible = submit(cycle, resident)
        hidden = submit(
            cycle,
            neighbour,
            title=HIDDEN["title"],
            description=HIDDEN["description"],
            address=HIDDEN["address"],
        )
        unsubmitted = proposal_services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit, title=UNSUBMITTED_TITLE),
        )
        registered = proposal_services.proposal_register(
            cycle=cycle,
            actor=staff,
            iin=REGISTERED_IIN,
            author_name="Saule K.",
            data=proposal_input(
                function, cycle.unit, title="A bench at the bus stop", address=""
            ),
        )
        other_proposal = submit(other_cycle, outsider, title="Lights in Sadovy")
        for user in (neighbour, supporter):
            proposal_services.support_add(proposal=visible, user=user)

    start_review(cycle)
    start_review(other_cycle)
    with time_machine.travel(at(2026, 5, 6), tick=False):
        proposal_services.review_complete(
            proposal=visible, actor=staff, data=ASSESSMENT
        )
        proposal_services.review_complete(
            proposal=hidden,
            actor=staff,
            data=proposal_services.AssessmentInput(
                assessment="not_recommended",
                is_within_competence=False,
                reasons=HIDDEN["reasons"],
            ),
        )
        proposal_services.review_complete(
            proposal=other_proposal, actor=other_staff, data=ASSESSMENT
        )
    with time_machine.travel(at(2026, 5, 8), tick=False):
        proposal_services.proposal_decide(
            proposal=visible,
            actor=akim,
            decision="approved",
            reason="Lighting is the first need residents named.",
        )
        proposal_services.proposal_decide(
            proposal=hidden, actor=akim, decision="rejected", reason=HIDDEN["decision"]
        )
        proposal_services.proposal_decide(
            proposal=other_proposal,
            actor=other_akim,
            decision="approved",
            reason="Approved for Sadovy.",
        )
    with time_machine.travel(at(2026, 5, 9), tick=False):
        proposal_services.proposal_hide(
            proposal=hidden, actor=moderator, reason="Personal data of a neighbour."
        )

    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = budget_services.draft_create(cycle=cycle, actor=staff)
        budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="The first version.",
            actor=staff,
        )
        proposal_services.proposal_include(
            proposal=visible,
            actor=staff,
            line=draft.lines.get(classification__code="E701"),
        )
        budget_services.draft_publish(draft=draft, actor=staff)
        other_v1 = budget_services.draft_create(cycle=other_cycle, actor=other_staff)
        budget_services.draft_update(
            draft=other_v1,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=other_staff,
        )
        budget_services.draft_publish(draft=other_v1, actor=other_staff)
        other_v2 = budget_services.draft_create(cycle=other_cycle, actor=other_staff)
        preparing_lines = [
            budget_services.LineInput(
                classification=line.classification,
                amount=PREPARING_AMOUNT,
                explanation=PREPARING_EXPLANATION,
            )
            if line.classification.code == "E801"
            else line
            for line in lines(**BALANCED)
        ]
        budget_services.draft_update(
            draft=other_v2,
            lines=preparing_lines,
            cash_balance_used=0,
            note="PREPARING-NOTE",
            actor=other_staff,
        )
        proposal_services.proposal_include(
            proposal=other_proposal,
            actor=other_staff,
            line=other_v2.lines.get(classification__code="E701"),
        )

    draft_submitted(
        draft,
        staff=staff,
        akim=akim,
        decision=MeetingDecision.COORDINATED_WITH_REMARKS,
        remarks="Light the school's street first.",
    )

    session = session_open(draft, chairman, absences={maslikhat[9].pk: "On a mission"})
    ballots_cast(
        session,
        [(deputy, "for") for deputy in maslikhat[:6]]
        + [(maslikhat[6], "against"), (maslikhat[7], "abstain")],
    )
    # The draft adopted, proposals hears of it after the commit and funds its own.
    with (
        time_machine.travel(CLOSES, tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        assert maslikhat_tasks.voting_sessions_close_due.delay().get() == 1

    e701 = draft.lines.get(classification__code="E701")
    r101 = draft.lines.get(classification__code="R101")
    with time_machine.travel(at(2027, 4, 10), tick=False):
        report = execution.execution_record(
            line=e701,
            quarter=1,
            amount=Decimal("5000000"),
            note="Lamps bought",
            actor=staff,
        )
        execution.execution_record(
            line=r101, quarter=1, amount=Decimal("700000"), note="", actor=staff
        )
    with time_machine.travel(at(2027, 4, 12), tick=False):
        correction = execution.execution_correct(
            entry=report,
            new_total=Decimal("4800000"),
            reason="Invoice corrected",
            actor=staff,
        )
    with time_machine.travel(at(2027, 5, 2), tick=False):
        proposal_services.proposal_start(proposal=visible, actor=staff)
    with time_machine.travel(at(2027, 6, 1), tick=False):
        proposal_services.proposal_implement(
            proposal=visible,
            actor=staff,
            text="Eight lamps were installed on Abai street.",
            amount_spent="2350000",
        )
    for proposal in (visible, hidden, unsubmitted, registered, other_proposal):
        proposal.refresh_from_db()
    draft.refresh_from_db()
    gathering, attendance = _gathering_in_session(territory, staff)
    member, sitting = _sitting_in_session(territory, staff)
    return {
        "gathering": gathering,
        "attendance": attendance,
        "member": member,
        "sitting": sitting,
        "cycle": cycle,
        "other_cycle": other_cycle,
        "draft": draft,
        "other_v1": other_v1,
        "other_v2": other_v2,
        "visible": visible,
        "hidden": hidden,
        "unsubmitted": unsubmitted,
        "registered": registered,
        "other_proposal": other_proposal,
        "session": session,
        "maslikhat": maslikhat,
        "report": report,
        "correction": correction,
        "resident": resident,
        "neighbour": neighbour,
        "moderator": moderator,
        "other_staff": other_staff,
        "chairman": chairman,
        "staff": staff,
        "akim": akim,
        "function": function,
    }


def _gathering_in_session(territory, staff):
    """A gathering of the rural district held on the day the tests read, one resident
    recorded present."""
    import datetime

    from community.models import AgendaItem, Attendance, Gathering

    gathering = Gathering.objects.create(
        unit=territory["rural_district"],
        place=territory["village"],
        subject="Street lighting",
        held_on=READ_AT.date(),
        starts_at=datetime.time(18, 0),
        venue="School hall",
        convener="akim",
        status="announced",
        created_by=staff,
        announced_at=READ_AT - datetime.timedelta(days=20),
        minutes_due_on=READ_AT.date() + datetime.timedelta(days=7),
    )
    AgendaItem.objects.create(gathering=gathering, position=1, title="Lighting")
    attendance = Attendance.objects.create(
        gathering=gathering,
        iin_digest="0" * 64,
        iin_last4="0000",
        birth_date=datetime.date(1980, 1, 1),
        recorded_by=staff,
    )
    return gathering, attendance


@pytest.fixture(scope="module")
def public_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The data set, built once for a module's tests in a transaction rolled back after
    them; each test runs in its own savepoint inside it, as usual. Tests only read it."""
    from portal.celery import app

    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(
            override_settings(
                MEDIA_ROOT=tmp_path_factory.mktemp("media"),
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            )
        )
        stack.enter_context(translation.override("en"))
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        stack.callback(setattr, app.conf, "task_always_eager", eager)
        stack.enter_context(transaction.atomic())
        stack.callback(transaction.set_rollback, True)
        territory = make_territory()
        staff = MembershipFactory(
            role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
        ).user
        other_staff = MembershipFactory(
            role=Role.AKIMAT_STAFF, unit=territory["other_rural_district"]
        ).user
        yield {
            "territory": territory,
            **build_public_data(territory, staff, other_staff),
        }


@pytest.fixture
def data(public_data, db):
    return public_data


@pytest.fixture
def reading():
    """Read the API on 15 June 2027."""
    with time_machine.travel(READ_AT, tick=False):
        yield


def quiet_throttles(settings) -> None:
    """Rate limits off (a rate of None), for tests that make many requests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


def _sitting_in_session(territory, staff):
    """Five members of the rural district's meeting in office on the day the tests read,
    and a sitting called for that day."""
    import datetime

    from accounts.iin import kept_iin
    from community.models import MeetingMember, MeetingSitting, SittingItem
    from tests.accounts.factories import make_iin

    day = READ_AT.date()
    members = MeetingMember.objects.bulk_create(
        MeetingMember(
            unit=territory["rural_district"],
            full_name=f"Member {n}",
            mandate="appointed",
            basis="Decision 1",
            term_starts=day - datetime.timedelta(days=30),
            term_ends=day + datetime.timedelta(days=300),
            added_by=staff,
            **kept_iin(make_iin(600 + n)),
        )
        for n in range(5)
    )
    sitting = MeetingSitting.objects.create(
        unit=territory["rural_district"],
        held_on=day,
        starts_at=datetime.time(17, 0),
        venue="Akimat",
        created_by=staff,
    )
    SittingItem.objects.create(sitting=sitting, position=1, title="The draft budget")
    return members[0], sitting
