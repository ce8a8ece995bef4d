"""Fixtures of budgets: a cycle of the rural district for 2027 and people in every role."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from budgets import services, signals
from budgets.models import (
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    CycleFollower,
    DraftBudget,
    DraftComment,
    MeetingDecision,
    Phase,
)
from tests.accounts.factories import MembershipFactory, ResidencyFactory
from tests.budgets.factories import lines, phase_dates
from tests.maslikhat.factories import deputies_of

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def at(year, month, day, hour=12):
    """A moment in Kazakhstan's time."""
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


# Every row of a cycle and its drafts: what a refused act on them leaves as it was
# (tests.refusals, which watches the audit trail and the notifications as well).
BUDGET_ROWS = (
    BudgetCycle,
    Phase,
    DraftBudget,
    BudgetLine,
    DraftComment,
    CommunityMeeting,
    CycleFollower,
)


# A day in each phase of the 2027 cycle.
DAY_IN = {
    "planned": at(2026, 2, 10),
    "proposals_open": at(2026, 3, 10),
    "review": at(2026, 5, 10),
    "drafting": at(2026, 7, 1),
    "public_discussion": at(2026, 10, 10),
    "coordination": at(2026, 11, 10),
    "maslikhat_vote": at(2026, 12, 10),
}


@pytest.fixture
def people(territory, staff, other_staff, resident, akim):
    """One of each kind of person the budgets' permission matrices ask, by role."""
    return {
        "anonymous": None,
        "resident_of_another_unit": ResidencyFactory(
            place=territory["other_rural_district"]
        ).user,
        "resident": resident,
        "staff_of_another_unit": other_staff,
        "staff": staff,
        "akim": akim,
        "deputy": MembershipFactory(
            role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
        ).user,
        "moderator": MembershipFactory(
            role=Role.MODERATOR, unit=territory["region"]
        ).user,
    }


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def cycle(territory, staff):
    with time_machine.travel(at(2026, 1, 15), tick=False):
        return services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2027,
            actor=staff,
            dates=phase_dates(2027),
        )


BALANCED = {
    "revenue": {"R101": "3000000", "TR201": "45000000"},
    "expenditure": {"E701": "20000000", "E801": "26000000"},
}


@pytest.fixture
def draft(cycle, staff):
    """Version 1, prepared during drafting with balanced lines."""
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = services.draft_create(cycle=cycle, actor=staff)
        return services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )


@pytest.fixture
def published(draft, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        return services.draft_publish(draft=draft, actor=staff)


@pytest.fixture
def two_versions(published, staff):
    """Version 1 and version 2, in which every line is 1 000 ₸ more, both published."""
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        second = services.draft_create(cycle=published.cycle, actor=staff)
        services.draft_update(
            draft=second,
            lines=[
                services.LineInput(
                    classification=line.classification,
                    amount=line.amount + Decimal(1000),
                )
                for line in published.lines.select_related("classification")
            ],
            cash_balance_used=Decimal(0),
            note="",
            actor=staff,
        )
        return published, services.draft_publish(draft=second, actor=staff)


# The maslikhat's vote: a submitted draft and the district maslikhat.

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMITTED_ON = at(2026, 11, 12)


def draft_published(cycle, staff, amounts: dict) -> DraftBudget:
    """Version 1 of `cycle` with the lines `amounts` ({"revenue": …, "expenditure": …}),
    prepared and published during drafting."""
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=lines(**amounts),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        return services.draft_publish(draft=draft, actor=staff)


def draft_submitted(
    draft,
    *,
    staff,
    akim,
    decision=MeetingDecision.COORDINATED,
    remarks: str = "",
) -> DraftBudget:
    """A published draft coordinated by the community meeting of 11 November 2026 (15
    members, 12 present) and submitted by the akim on 12 November."""
    with time_machine.travel(SUBMITTED_ON, tick=False):
        services.meeting_record(
            draft=draft,
            actor=staff,
            held_on=at(2026, 11, 11).date(),
            members_total=15,
            members_present=12,
            decision=decision,
            remarks=remarks,
            minutes=SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        )
        return services.draft_submit(draft=draft, actor=akim)


@pytest.fixture
def submitted(published, staff, akim):
    """Version 1, coordinated by the community meeting and submitted by the akim."""
    return draft_submitted(published, staff=staff, akim=akim)


@pytest.fixture
def chairman(territory):
    return MembershipFactory(
        role=Role.MASLIKHAT_CHAIRMAN,
        unit=territory["district"],
        user__first_name="Aigerim",
        user__last_name="Abenova",
    ).user


@pytest.fixture
def maslikhat(territory, chairman):
    """The district's maslikhat of ten seats: the chairman and nine deputies."""
    return [chairman, *deputies_of(territory["district"], 9)]


@pytest.fixture
def adoptions():
    """The drafts `draft_adopted` was sent for, in order, from whichever thread sent it."""
    sent = []

    def on_adopted(sender, draft, **kwargs):
        sent.append(draft.pk)

    signals.draft_adopted.connect(on_adopted, weak=False, dispatch_uid="test_adoptions")
    yield sent
    signals.draft_adopted.disconnect(dispatch_uid="test_adoptions")


# The execution: a budget adopted with seeded classification entries, so that revenue
# splits into own revenue and transfers and spending falls into functional groups.

ADOPTED = {
    "revenue": {
        "1 04 1 02": "2000000",  # property tax of individuals
        "1 04 3": "1500000",  # land tax
        "4 02 3 03": "40000000",  # subventions: a transfer
        "4 02 3 01": "6500000",  # targeted current transfers
    },
    "expenditure": {
        "124 001": "20000000",  # 01 general public services
        "124 008": "8000000",  # 07 street lighting
        "124 011": "4000000",  # 07 greening
        "124 006": "10000000",  # 08 culture
        "124 028": "0",  # 08 sport: nothing planned
        "124 013": "8000000",  # 12 roads
    },
}


@pytest.fixture
def adopted(cycle, staff, akim):
    """Version 1 with the ADOPTED lines, discussed, coordinated, submitted by the akim and
    approved by the maslikhat on 10 December 2026; its execution runs through 2027."""
    draft = draft_submitted(
        draft_published(cycle, staff, ADOPTED), staff=staff, akim=akim
    )
    with time_machine.travel(DAY_IN["maslikhat_vote"], tick=False):
        return services.draft_approve(draft=draft, actor=None)
