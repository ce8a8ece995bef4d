"""Every endpoint of the API costs the same number of queries with 3 objects of each kind as
with 30: the lists (filtered too) and each object's page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    DraftBudget,
    DraftStatus,
    ExecutionEntry,
    Phase,
)
from maslikhat.models import Ballot, SessionMember, VotingSession
from portal import search
from portal.models import AdministrativeUnit, AuditEvent, Level
from proposals.models import (
    AkimDecision,
    PhotoKind,
    Proposal,
    ProposalPhoto,
    ProposalStatus,
    Review,
)
from tests.api.conftest import get, quiet_throttles
from tests.budgets.conftest import at
from tests.budgets.factories import phase_dates
from tests.proposals.factories import supports_bulk_create

SIZES = (3, 30)
ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def build(territory, size: int) -> dict:
    """`size` of everything: units under the district, each with a 2027 cycle whose
    version 1 is approved (with `size` lines, each reported in a quarter and corrected)
    and version 2 being prepared, a closed session of `size` deputies on version 1,
    and `size` proposals (every third hidden) with supports, reviews, decisions,
    photos and timeline events."""
    district = territory["district"]
    creator = User.objects.create_user(email="creator@example.kz")
    deputies = User.objects.bulk_create(
        User(email=f"deputy{n}@example.kz", first_name=f"Deputy{n}", last_name="Seat")
        for n in range(size)
    )
    residents = User.objects.bulk_create(
        User(email=f"resident{n}@example.kz") for n in range(size)
    )
    units = AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            kato_code=f"{115670000 + n * 100:09d}",
            level=Level.RURAL_DISTRICT,
            name_kk=f"Округ {n}",
            name_ru=f"Округ {n}",
            parent=district,
            search_text=search.index_text(f"Округ {n}"),
        )
        for n in range(size)
    )
    entries = BudgetClassification.objects.bulk_create(
        BudgetClassification(
            kind="revenue" if n % 3 == 0 else "expenditure",
            code=f"Q{n:03d}",
            name_kk=f"Жол {n}",
            name_ru=f"Строка {n}",
            is_transfer=n % 6 == 0,
            position=700 + n,
        )
        for n in range(size)
    )
    function = next(entry for entry in entries if entry.kind == "expenditure")
    cycles = BudgetCycle.objects.bulk_create(
        BudgetCycle(unit=unit, fiscal_year=2027, created_by=creator) for unit in units
    )
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
        for cycle in cycles
        for kind, (starts_on, ends_on) in phase_dates(2027).items()
    )
    approved = DraftBudget.objects.bulk_create(
        DraftBudget(
            cycle=cycle,
            version=1,
            status=DraftStatus.APPROVED,
            created_by=creator,
            published_at=at(2026, 7, 1),
        )
        for cycle in cycles
    )
    DraftBudget.objects.bulk_create(
        DraftBudget(
            cycle=cycle, version=2, status=DraftStatus.PREPARING, created_by=creator
        )
        for cycle in cycles
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(draft=draft, classification=entry, amount=Decimal(1000 + n))
        for draft in approved
        for n, entry in enumerate(entries)
    )
    reports = ExecutionEntry.objects.bulk_create(
        ExecutionEntry(
            line=line, quarter=1, amount=Decimal(500), recorded_by=creator, note="Q1"
        )
        for line in lines
        if line.draft_id == approved[0].pk
    )
    ExecutionEntry.objects.bulk_create(
        ExecutionEntry(
            line_id=report.line_id,
            quarter=1,
            amount=Decimal(-100),
            corrects=report,
            recorded_by=creator,
            note="Corrected",
        )
        for report in reports
    )
    sessions = VotingSession.objects.bulk_create(
        VotingSession(
            draft=draft,
            district=district,
            opens_at=at(2026, 12, 1),
            closes_at=at(2026, 12, 4),
            closed_at=at(2026, 12, 4),
            outcome="passed",
            total_deputies=size,
            quorum_numerator=2,
            quorum_denominator=3,
            majority_numerator=1,
            majority_denominator=2,
            opened_by=deputies[0],
        )
        for draft in approved
    )
    SessionMember.objects.bulk_create(
        SessionMember(
            session=session,
            deputy=deputy,
            is_present=n % 5 != 4,
            absence_reason="" if n % 5 != 4 else "On leave",
        )
        for session in sessions
        for n, deputy in enumerate(deputies)
    )
    Ballot.objects.bulk_create(
        Ballot(
            session=session, deputy=deputy, choice=("for", "against", "abstain")[n % 3]
        )
        for session in sessions
        for n, deputy in enumerate(deputies)
        if n % 5 not in (3, 4)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            cycle=cycles[0],
            unit=units[0],
            place=units[0],
            function=function,
            title=f"Proposal {n}",
            description="Lamps",
            search_text=search.index_text(f"Proposal {n}", "Lamps"),
            status=ProposalStatus.APPROVED,
            author=residents[n],
            author_iin_digest=f"{n:064d}",
            author_name="A resident",
            submitted_at=at(2026, 3, 10),
            included_line=lines[1],
            is_hidden=n % 3 == 2,
            hidden_reason="Abuse" if n % 3 == 2 else "",
        )
        for n in range(size)
    )
    supports_bulk_create(
        (proposal, user) for proposal in proposals for user in residents
    )
    Review.objects.bulk_create(
        Review(
            proposal=proposal,
            started_on=datetime.date(2026, 5, 1),
            deadline=datetime.date(2026, 5, 26),
            assessment="recommended",
            completed_at=at(2026, 5, 6),
            reasons="Fine",
        )
        for proposal in proposals
    )
    AkimDecision.objects.bulk_create(
        AkimDecision(
            proposal=proposal, decision="approved", reason="Yes", decided_by=creator
        )
        for proposal in proposals
    )
    ProposalPhoto.objects.bulk_create(
        ProposalPhoto(
            proposal=proposals[0],
            kind=(PhotoKind.PROPOSAL, PhotoKind.IMPLEMENTATION)[n % 2],
            image=f"proposals/{proposals[0].pk}/{n}.jpg",
        )
        for n in range(size)
    )
    proposal_type = ContentType.objects.get_for_model(Proposal)
    cycle_type = ContentType.objects.get_for_model(BudgetCycle)
    AuditEvent.objects.bulk_create(
        [
            *(
                AuditEvent(
                    verb="proposal.under_review",
                    target_type=proposal_type,
                    target_id=str(proposals[0].pk),
                    details={"status": "under_review", "deadline": "2026-05-26"},
                )
                for _ in range(size)
            ),
            *(
                AuditEvent(
                    verb="cycle.opened",
                    target_type=cycle_type,
                    target_id=str(cycles[0].pk),
                )
                for _ in range(size)
            ),
        ]
    )
    return {"cycle": cycles[0], "session": sessions[0], "proposal": proposals[0]}


# Each endpoint and the queries it costs at any size, for an anonymous client.
PINNED = {
    # The count and the page (with each unit's parent).
    "/api/v1/units/": 2,
    "/api/v1/units/?q=округ&own_budget_year=2027": 2,
    # The unit with its ancestors and its number of children.
    "/api/v1/units/{unit}/": 1,
    # The count, the page with the units, their phases, their public versions with
    # their meetings.
    "/api/v1/cycles/": 4,
    "/api/v1/cycles/?phase=execution&fiscal_year=2027": 4,
    # The cycle (as in the list); its sessions; its history: the drafts' ids, the
    # meetings' ids and the events.
    "/api/v1/cycles/{unit}/2027/": 7,
    # The cycle (as in the list); the drafts, the lines, the entries.
    "/api/v1/cycles/{unit}/2027/execution/": 6,
    # The count and the page (with cycle, unit, meeting, totals).
    "/api/v1/drafts/": 2,
    "/api/v1/drafts/?status=approved&unit={unit}": 2,
    # The version (as in the list) and its lines.
    "/api/v1/drafts/{unit}/2027/1/": 2,
    # The count and the page (with the draft, cycle, unit, district and counts).
    "/api/v1/voting-sessions/": 2,
    "/api/v1/voting-sessions/?is_closed=true&district=115600000": 2,
    # The session, its ballots, its members with their deputies.
    "/api/v1/voting-sessions/{session}/": 3,
    # The count and the page (with unit, cycle, place, function, support count).
    "/api/v1/proposals/": 2,
    "/api/v1/proposals/?status=approved&sort=supported&q=proposal": 2,
    # The proposal with all it shows, its photos, its timeline.
    "/api/v1/proposals/{proposal}/": 3,
    # The count and the page (with the proposal, its unit and cycle).
    "/api/v1/decisions/": 2,
    "/api/v1/decisions/?decision=approved&fiscal_year=2027": 2,
    # The count and the page.
    "/api/v1/classification/": 2,
}


@pytest.mark.parametrize("size", SIZES)
def test_every_endpoint_costs_the_same_queries_at_any_size(
    api, territory, settings, django_assert_num_queries, size
):
    quiet_throttles(settings)
    built = build(territory, size)
    keys = {
        "unit": built["cycle"].unit.kato_code,
        "session": built["session"].pk,
        "proposal": built["proposal"].pk,
    }
    with time_machine.travel(at(2027, 6, 15), tick=False):
        for template, queries in PINNED.items():
            url = template.format(**keys)
            # Once to warm what a running process keeps (the content types)
            get(api, url, page_size=200)
            with django_assert_num_queries(queries):
                response, body = get(api, url, page_size=200)
            assert response.status_code == 200, url
            if "results" in body and "?" not in template:
                assert body["count"] >= size, url
    # The sizes are real: the lists and pages hold `size` of each
    _, body = get(api, "/api/v1/voting-sessions/{session}/".format(**keys))
    assert len(body["roll_call"]) == size
    _, body = get(api, "/api/v1/proposals/{proposal}/".format(**keys))
    assert len(body["timeline"]) == size
