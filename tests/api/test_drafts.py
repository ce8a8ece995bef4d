"""The API's draft budgets: every public version with its totals and meeting, a version with
its lines; a version being prepared is never there."""

from __future__ import annotations

import pytest

from budgets.models import BudgetCycle, DraftBudget, DraftStatus
from tests.api.conftest import MEETING_A, UNIT_A, UNIT_B, get

TOTALS = {
    "revenue": "48000000.00",
    "transfers": "45000000.00",
    "own_revenue": "3000000.00",
    "transfer_share": "93.8",
    "expenditure": "46000000.00",
    "deficit": "0.00",
    "surplus": "2000000.00",
}


def test_the_public_versions_are_listed_with_their_totals_and_meeting(
    api, data, reading
):
    response, body = get(api, "/api/v1/drafts/")

    assert response.status_code == 200
    # Version 2 of cycle B is being prepared: not listed.
    assert body["count"] == 2
    assert body["results"] == [
        {
            "version": 1,
            "status": "approved",
            "is_superseded": False,
            "published_at": "2026-07-01T12:00:00+05:00",
            "submitted_at": "2026-11-12T12:00:00+05:00",
            "meeting": MEETING_A,
            "url": "http://testserver/api/v1/drafts/115633000/2027/1/",
            "unit": UNIT_A,
            "fiscal_year": 2027,
            "cash_balance_used": "0.00",
            "totals": TOTALS,
        },
        {
            "version": 1,
            "status": "published",
            "is_superseded": False,
            "published_at": "2026-07-01T12:00:00+05:00",
            "submitted_at": None,
            "meeting": None,
            "url": "http://testserver/api/v1/drafts/115645000/2027/1/",
            "unit": UNIT_B,
            "fiscal_year": 2027,
            "cash_balance_used": "0.00",
            "totals": TOTALS,
        },
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "approved"}, ["115633000"]),
        ({"status": "published"}, ["115645000"]),
        ({"status": "returned"}, []),
        ({"unit": "115645000"}, ["115645000"]),
        ({"fiscal_year": 2027, "unit": "115633000"}, ["115633000"]),
        ({"fiscal_year": 2028}, []),
    ],
)
def test_drafts_are_filtered_by_unit_year_and_status(
    api, data, reading, params, expected
):
    response, body = get(api, "/api/v1/drafts/", **params)

    assert response.status_code == 200
    assert [draft["unit"]["kato_code"] for draft in body["results"]] == expected


def test_asking_for_versions_being_prepared_is_refused(api, data, reading):
    response, body = get(api, "/api/v1/drafts/", status="preparing")

    assert response.status_code == 400
    assert body == {
        "code": "invalid",
        "detail": "The request's parameters are not valid.",
        "errors": {
            "status": [
                "Select a valid choice. preparing is not one of the available choices."
            ]
        },
    }


def test_a_version_comes_with_its_lines(api, data, reading):
    response, body = get(api, "/api/v1/drafts/115633000/2027/1/")

    assert response.status_code == 200
    assert body["note"] == "The first version."
    assert body["totals"] == TOTALS
    assert body["meeting"] == MEETING_A
    lines = {line["code"]: line for line in body["revenue"] + body["expenditure"]}
    assert [line["code"] for line in body["revenue"]] == ["R101", "TR201"]
    assert [line["code"] for line in body["expenditure"]] == ["E701", "E801"]
    assert lines["E701"] == {
        "id": data["report"].line_id,
        "code": "E701",
        "name_kk": "Көшелерді жарықтандыру",
        "name_ru": "Освещение улиц",
        "is_transfer": False,
        "functional_group": 7,
        "amount": "20000000.00",
        "explanation": "",
    }
    assert lines["TR201"]["is_transfer"] is True
    assert lines["TR201"]["amount"] == "45000000.00"


def test_a_version_being_prepared_is_not_found(api, data, reading):
    response, body = get(api, "/api/v1/drafts/115645000/2027/2/")

    assert response.status_code == 404
    assert body == {
        "code": "not_found",
        "detail": "This budget has no public version so numbered.",
    }


def test_a_published_version_replaced_by_a_later_one_is_marked_superseded(
    api, data, reading
):
    # Given a cycle whose version 1 was published and version 2 published after it
    other = data["other_cycle"]
    cycle = BudgetCycle.objects.create(
        unit=data["territory"]["village_administration"],
        fiscal_year=2027,
        created_by=data["staff"],
    )
    for version, status in ((1, DraftStatus.PUBLISHED), (2, DraftStatus.PUBLISHED)):
        DraftBudget.objects.create(
            cycle=cycle, version=version, status=status, created_by=data["staff"]
        )

    _, body = get(api, "/api/v1/drafts/", unit="115641000")

    assert [(d["version"], d["is_superseded"]) for d in body["results"]] == [
        (2, False),
        (1, True),
    ]
    # And a version being prepared never makes the published one superseded
    _, body = get(api, "/api/v1/drafts/", unit=other.unit.kato_code)
    assert [(d["version"], d["is_superseded"]) for d in body["results"]] == [(1, False)]
