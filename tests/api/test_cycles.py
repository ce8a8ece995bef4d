"""The API's budget cycles: the list with the phase each is in today and its filters, a cycle
with its versions, sessions and history, the execution of an adopted budget; and the SQL
filter by phase agreeing with budgets.lifecycle.cycle_state in every phase."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import User
from budgets.lifecycle import cycle_state, decisive_status
from budgets.models import BudgetCycle, CyclePhase, DraftBudget, DraftStatus, Phase
from budgets.selectors import cycles_in_phase, cycles_with_derived_phase
from tests.api.conftest import MEETING_A, UNIT_A, UNIT_B, get
from tests.budgets.factories import phase_dates
from tests.portal.factories import UnitFactory

A = "/api/v1/cycles/115633000/2027/"
B = "/api/v1/cycles/115645000/2027/"
PHASES = [
    {"kind": "proposals_open", "starts_on": "2026-03-01", "ends_on": "2026-04-30"},
    {"kind": "review", "starts_on": "2026-05-01", "ends_on": "2026-05-31"},
    {"kind": "drafting", "starts_on": "2026-06-01", "ends_on": "2026-09-30"},
    {"kind": "public_discussion", "starts_on": "2026-10-01", "ends_on": "2026-10-31"},
    {"kind": "coordination", "starts_on": "2026-11-01", "ends_on": "2026-11-30"},
    {"kind": "maslikhat_vote", "starts_on": "2026-12-01", "ends_on": "2026-12-25"},
    {"kind": "execution", "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
]


def test_the_cycles_come_with_the_phase_they_are_in_today_and_their_public_versions(
    api, data, reading
):
    response, body = get(api, "/api/v1/cycles/")

    assert response.status_code == 200
    assert body["count"] == 2
    assert body["results"] == [
        {
            "unit": UNIT_A,
            "fiscal_year": 2027,
            "phase": "execution",
            "is_overdue": False,
            "phase_since": "2027-01-01",
            "phases": PHASES,
            "versions": [
                {
                    "version": 1,
                    "status": "approved",
                    "is_superseded": False,
                    "published_at": "2026-07-01T12:00:00+05:00",
                    "submitted_at": "2026-11-12T12:00:00+05:00",
                    "meeting": MEETING_A,
                    "url": "http://testserver/api/v1/drafts/115633000/2027/1/",
                }
            ],
            "url": "http://testserver" + A,
        },
        {
            # Past its public discussion with no meeting recorded: overdue; version 2,
            # being prepared, is not there.
            "unit": UNIT_B,
            "fiscal_year": 2027,
            "phase": "coordination",
            "is_overdue": True,
            "phase_since": "2026-11-01",
            "phases": PHASES,
            "versions": [
                {
                    "version": 1,
                    "status": "published",
                    "is_superseded": False,
                    "published_at": "2026-07-01T12:00:00+05:00",
                    "submitted_at": None,
                    "meeting": None,
                    "url": "http://testserver/api/v1/drafts/115645000/2027/1/",
                }
            ],
            "url": "http://testserver" + B,
        },
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "115645000"}, ["115645000"]),
        ({"fiscal_year": 2027}, ["115633000", "115645000"]),
        ({"fiscal_year": 2026}, []),
        ({"phase": "execution"}, ["115633000"]),
        ({"phase": "coordination"}, ["115645000"]),
        ({"phase": "drafting"}, []),
        ({"phase": "coordination", "unit": "115633000"}, []),
    ],
)
def test_cycles_are_filtered_by_unit_year_and_phase(
    api, data, reading, params, expected
):
    response, body = get(api, "/api/v1/cycles/", **params)

    assert response.status_code == 200
    assert [cycle["unit"]["kato_code"] for cycle in body["results"]] == expected


def test_a_cycle_has_its_versions_sessions_and_public_history(api, data, reading):
    response, body = get(api, A)

    assert response.status_code == 200
    assert body["phase"] == "execution"
    assert body["voting_sessions"] == [
        {
            "id": data["session"].pk,
            "version": 1,
            "opens_at": "2026-12-01T10:00:00+05:00",
            "closes_at": "2026-12-04T18:00:00+05:00",
            "closed_at": "2026-12-04T18:00:00+05:00",
            "outcome": "passed",
            "url": f"http://testserver/api/v1/voting-sessions/{data['session'].pk}/",
        }
    ]
    assert [event["verb"] for event in body["history"]] == [
        "cycle.phase_changed",
        "draft.approved",
        "cycle.phase_changed",
        "draft.submitted",
        "cycle.phase_changed",
        "meeting.recorded",
        "cycle.phase_changed",
        "draft.published",
        "cycle.opened",
    ]
    assert body["history"][1] == {
        "verb": "draft.approved",
        "at": "2026-12-04T18:00:00+05:00",
        "text": "The maslikhat approved version 1.",
    }


def test_a_cycle_with_a_version_in_preparation_shows_only_the_published_one(
    api, data, reading
):
    response, body = get(api, B)

    assert response.status_code == 200
    assert [version["version"] for version in body["versions"]] == [1]
    assert body["voting_sessions"] == []
    assert [event["verb"] for event in body["history"]] == [
        "cycle.phase_changed",
        "draft.published",
        "cycle.opened",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cycles/115633000/2026/",
        "/api/v1/cycles/999999999/2027/",
        "/api/v1/cycles/115633000/2026/execution/",
    ],
)
def test_a_cycle_that_does_not_exist_is_a_404(api, data, reading, url):
    response, body = get(api, url)

    assert response.status_code == 404
    assert body == {
        "code": "not_found",
        "detail": "This unit has no budget cycle for this year.",
    }


def test_the_execution_gives_plan_and_actual_with_every_entry(api, data, reading):
    response, body = get(api, A + "execution/")

    assert response.status_code == 200
    assert (body["unit"], body["fiscal_year"], body["version"]) == (UNIT_A, 2027, 1)
    assert body["total_revenue"] == {
        "plan": "48000000.00",
        "actual": "700000.00",
        "percentage": "1.5",
        "plan_share": None,
        "actual_share": None,
    }
    assert body["transfers"] == {
        "plan": "45000000.00",
        "actual": "0.00",
        "percentage": "0.0",
        "plan_share": "93.8",
        "actual_share": "0.0",
    }
    assert body["total_expenditure"]["actual"] == "4800000.00"
    assert body["by_quarter"][0] == {
        "quarter": 1,
        "revenue": "700000.00",
        "expenditure": "4800000.00",
    }
    lighting = next(line for line in body["expenditure"] if line["code"] == "E701")
    assert lighting == {
        "line": data["report"].line_id,
        "code": "E701",
        "name_kk": "Көшелерді жарықтандыру",
        "name_ru": "Освещение улиц",
        "is_transfer": False,
        "functional_group": 7,
        "plan": "20000000.00",
        "actual": "4800000.00",
        "percentage": "24.0",
        "quarters": [
            {"quarter": 1, "total": "4800000.00"},
            {"quarter": 2, "total": None},
            {"quarter": 3, "total": None},
            {"quarter": 4, "total": None},
        ],
        "entries": [
            {
                "id": data["report"].pk,
                "quarter": 1,
                "kind": "report",
                "amount": "5000000.00",
                "total_after": "5000000.00",
                "corrects": None,
                "note": "Lamps bought",
                "recorded_at": "2027-04-10T12:00:00+05:00",
            },
            {
                "id": data["correction"].pk,
                "quarter": 1,
                "kind": "correction",
                "amount": "-200000.00",
                "total_after": "4800000.00",
                "corrects": data["report"].pk,
                "note": "Invoice corrected",
                "recorded_at": "2027-04-12T12:00:00+05:00",
            },
        ],
    }
    assert body["functions"][0]["group"] == 7


def test_the_execution_of_a_budget_not_yet_adopted_is_a_404(api, data, reading):
    response, body = get(api, B + "execution/")

    assert response.status_code == 404
    assert body == {
        "code": "not_found",
        "detail": "No version of this budget is adopted yet.",
    }


# The phase filter in SQL against the lifecycle in Python.

DRAFT_HISTORIES = [
    [],
    [DraftStatus.PREPARING],
    [DraftStatus.PUBLISHED],
    [DraftStatus.PUBLISHED, DraftStatus.PREPARING],
    [DraftStatus.COORDINATED],
    [DraftStatus.UNDER_VOTE],
    [DraftStatus.APPROVED],
    [DraftStatus.RETURNED],
    [DraftStatus.RETURNED, DraftStatus.PREPARING],
    [DraftStatus.RETURNED, DraftStatus.PUBLISHED],
    [DraftStatus.RETURNED, DraftStatus.UNDER_VOTE],
]


def _with_a_vote(dates: dict) -> dict:
    """The same timeline holding a residents' vote, a week after the review ends."""
    review_ends = dates[CyclePhase.REVIEW][1]
    vote = (review_ends + datetime.timedelta(7), review_ends + datetime.timedelta(20))
    return {
        **dates,
        CyclePhase.RESIDENTS_VOTE: vote,
        CyclePhase.DRAFTING: (
            vote[1] + datetime.timedelta(1),
            dates[CyclePhase.DRAFTING][1],
        ),
    }


def _days() -> list[datetime.date]:
    """Every phase's first and last day and the days around them, and a day a month."""
    days = set()
    for starts_on, ends_on in _with_a_vote(phase_dates(2027)).values():
        for day in (starts_on, ends_on):
            days |= {day - datetime.timedelta(days=1), day, day + datetime.timedelta(1)}
    days |= {
        datetime.date(year, month, 15)
        for year in (2026, 2027)
        for month in range(1, 13)
    }
    days.add(datetime.date(2028, 2, 1))
    return sorted(days)


def test_the_phase_filter_agrees_with_the_lifecycle_in_every_phase(db):
    # Given cycles whose drafts went every way, on the default timeline, with and
    # without a residents' vote
    creator = User.objects.create_user(email="creator@example.kz")
    timelines = (phase_dates(2027), _with_a_vote(phase_dates(2027)))
    histories = [
        (timeline, statuses) for statuses in DRAFT_HISTORIES for timeline in timelines
    ]
    for index, (timeline, statuses) in enumerate(histories):
        cycle = BudgetCycle.objects.create(
            unit=UnitFactory(kato_code=f"{200000000 + index:09d}"),
            fiscal_year=2027,
            created_by=creator,
        )
        Phase.objects.bulk_create(
            Phase(cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
            for kind, (starts_on, ends_on) in timeline.items()
        )
        DraftBudget.objects.bulk_create(
            DraftBudget(cycle=cycle, version=version, status=status, created_by=creator)
            for version, status in enumerate(statuses, start=1)
        )
    cycles = list(BudgetCycle.objects.prefetch_related("phases", "drafts"))
    seen = set()
    for day in _days():
        # When the lifecycle decides each cycle's phase on the day
        expected = {}
        for cycle in cycles:
            state = cycle_state(
                phases={phase.kind: phase for phase in cycle.phases.all()},
                decisive_status=decisive_status(
                    d.status
                    for d in sorted(cycle.drafts.all(), key=lambda d: -d.version)
                ),
                on=day,
            )
            expected[cycle.pk] = state.phase
        # Then SQL decides the same
        found = dict(
            cycles_with_derived_phase(BudgetCycle.objects.all(), on=day).values_list(
                "pk", "derived_phase"
            )
        )
        assert found == expected, day
        seen |= set(expected.values())
    # And the days and histories reach every phase
    assert seen == set(CyclePhase.values)
    # And the filter keeps the cycles of the phase asked for, and only them
    day = datetime.date(2026, 11, 10)
    assert sorted(
        cycles_in_phase(
            BudgetCycle.objects.filter(unit__kato_code__startswith="2"),
            phase="coordination",
            on=day,
        )
        .order_by("pk")
        .values_list("unit__kato_code", flat=True)
    ) == [
        f"{200000000 + index:09d}"
        for index, (_timeline, statuses) in enumerate(histories)
        if statuses
        in (
            [DraftStatus.PUBLISHED],
            [DraftStatus.PUBLISHED, DraftStatus.PREPARING],
            [DraftStatus.COORDINATED],
            [DraftStatus.RETURNED, DraftStatus.PUBLISHED],
        )
    ]
