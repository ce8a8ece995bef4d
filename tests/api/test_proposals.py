"""The API's proposals: the list with support counts and filters, a proposal with its
review, decision, budget line, implementation and timeline; a hidden proposal with its
status and reason only, a private draft never; and the akim's decisions."""

from __future__ import annotations

import pytest

from tests.api.conftest import HIDDEN, UNIT_A, UNIT_B, get

FUNCTION = {
    "code": "E701",
    "name_kk": "Көшелерді жарықтандыру",
    "name_ru": "Освещение улиц",
}


def url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/"


def test_the_submitted_proposals_are_listed_with_their_support(api, data, reading):
    visible, hidden = data["visible"], data["hidden"]

    response, body = get(api, "/api/v1/proposals/")

    assert response.status_code == 200
    # The private draft is not there
    assert [p["id"] for p in body["results"]] == [
        data["other_proposal"].pk,
        data["registered"].pk,
        hidden.pk,
        visible.pk,
    ]
    by_id = {p["id"]: p for p in body["results"]}
    assert by_id[visible.pk] == {
        "id": visible.pk,
        "unit": UNIT_A,
        "fiscal_year": 2027,
        "status": "implemented",
        "support_count": 2,
        "submitted_at": "2026-03-10T12:00:00+05:00",
        "is_hidden": False,
        "hidden_reason": None,
        "title": "Street lights on Abai street",
        "place": UNIT_A,
        "address": "Abai street",
        "function": FUNCTION,
        "cost_estimate": "2400000.00",
        "author_name": visible.author_name,
        "is_registered_by_staff": False,
        "url": "http://testserver" + url(visible),
    }
    # Of the hidden one: its status, support and the moderator's reason
    assert by_id[hidden.pk] == {
        "id": hidden.pk,
        "unit": UNIT_A,
        "fiscal_year": 2027,
        "status": "rejected",
        "support_count": 0,
        "submitted_at": "2026-03-10T12:00:00+05:00",
        "is_hidden": True,
        "hidden_reason": "Personal data of a neighbour.",
        "title": None,
        "place": None,
        "address": None,
        "function": None,
        "cost_estimate": None,
        "author_name": None,
        "is_registered_by_staff": None,
        "url": "http://testserver" + url(hidden),
    }
    assert by_id[data["registered"].pk]["author_name"] == "Saule K."
    assert by_id[data["registered"].pk]["is_registered_by_staff"] is True


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "115645000"}, ["other_proposal"]),
        (
            {"fiscal_year": 2027, "unit": "115633000"},
            ["registered", "hidden", "visible"],
        ),
        ({"fiscal_year": 2026}, []),
        ({"status": "implemented"}, ["visible"]),
        ({"status": "rejected"}, ["hidden"]),
        ({"status": "withdrawn"}, []),
        # What a hidden proposal says, where it is and what it is for never find it
        ({"function": "E701"}, ["other_proposal", "registered", "visible"]),
        ({"place": "115633000"}, ["registered", "visible"]),
        ({"q": "HIDDEN-TITLE"}, []),
        ({"q": "neighbour"}, []),
        ({"q": "bench"}, ["registered"]),
        ({"sort": "supported"}, ["visible", "other_proposal", "registered", "hidden"]),
    ],
)
def test_proposals_are_filtered_searched_and_sorted(
    api, data, reading, params, expected
):
    response, body = get(api, "/api/v1/proposals/", **params)

    assert response.status_code == 200
    assert [p["id"] for p in body["results"]] == [data[name].pk for name in expected]


def test_a_proposal_comes_with_its_review_decision_line_work_and_timeline(
    api, data, reading
):
    visible = data["visible"]

    response, body = get(api, url(visible))

    assert response.status_code == 200
    assert body["description"] == (
        "The street is dark in winter; eight lamps are needed."
    )
    assert body["photos"] == []
    assert body["review"] == {
        "started_on": "2026-05-01",
        "deadline": "2026-05-26",
        "is_overdue": False,
        "completed_at": "2026-05-06T12:00:00+05:00",
        "assessment": "recommended",
        "is_within_competence": True,
        "assessed_cost": "2300000.00",
        "feasibility": "Can be done in one summer.",
        "reasons": "Within the akim's competence; the cost is realistic.",
    }
    assert body["decision"] == {
        "decision": "approved",
        "reason": "Lighting is the first need residents named.",
        "decided_at": "2026-05-08T12:00:00+05:00",
    }
    assert body["budget_line"] == {
        "is_funded": True,
        **FUNCTION,
        "version": 1,
        "amount": "20000000.00",
    }
    assert body["implementation"] == {
        "text": "Eight lamps were installed on Abai street.",
        "amount_spent": "2350000.00",
        "reported_at": "2027-06-01T12:00:00+05:00",
        "photos": [],
    }
    assert [
        (e["verb"], e["status"], e["deadline"], e["version"], e["line"])
        for e in body["timeline"]
    ] == [
        ("proposal.submitted", "submitted", None, None, None),
        ("proposal.under_review", "under_review", "2026-05-26", None, None),
        ("proposal.recommended", "recommended", None, None, None),
        ("proposal.approved", "approved", None, None, None),
        ("proposal.included", "included", None, 1, "E701"),
        ("proposal.funded", "funded", None, 1, "E701"),
        ("proposal.in_progress", "in_progress", None, None, None),
        ("proposal.implemented", "implemented", None, None, None),
    ]
    assert {e["reason"] for e in body["timeline"]} == {None}


def test_a_hidden_proposal_gives_its_status_reason_and_timeline_only(
    api, data, reading
):
    hidden = data["hidden"]

    response, body = get(api, url(hidden))

    assert response.status_code == 200
    timeline = body.pop("timeline")
    assert body == {
        "id": hidden.pk,
        "unit": UNIT_A,
        "fiscal_year": 2027,
        "status": "rejected",
        "support_count": 0,
        "submitted_at": "2026-03-10T12:00:00+05:00",
        "is_hidden": True,
        "hidden_reason": "Personal data of a neighbour.",
        "title": None,
        "place": None,
        "address": None,
        "function": None,
        "cost_estimate": None,
        "author_name": None,
        "is_registered_by_staff": None,
        "url": "http://testserver" + url(hidden),
        "description": None,
        "photos": [],
        "review": None,
        "decision": None,
        "budget_line": None,
        "implementation": None,
    }
    assert [(e["verb"], e["reason"]) for e in timeline] == [
        ("proposal.submitted", None),
        ("proposal.under_review", None),
        ("proposal.not_recommended", None),
        ("proposal.rejected", None),
        ("proposal.hidden", "Personal data of a neighbour."),
    ]
    assert HIDDEN["decision"] not in response.content.decode()


def test_a_private_draft_is_not_found(api, data, reading):
    response, body = get(api, url(data["unsubmitted"]))

    assert response.status_code == 404
    assert body == {
        "code": "not_found",
        "detail": "There is no public proposal so numbered.",
    }


def test_a_review_under_way_gives_its_dates_only(api, data, reading):
    _response, body = get(api, url(data["registered"]))

    assert body["status"] == "under_review"
    assert body["review"] == {
        "started_on": "2026-05-01",
        "deadline": "2026-05-26",
        # Read in June: the review has passed its deadline
        "is_overdue": True,
        "completed_at": None,
        "assessment": None,
        "is_within_competence": None,
        "assessed_cost": None,
        "feasibility": None,
        "reasons": None,
    }


def test_a_line_of_a_version_being_prepared_is_named_without_its_amount(
    api, data, reading
):
    _response, body = get(api, url(data["other_proposal"]))

    assert body["status"] == "included"
    assert body["unit"] == UNIT_B
    assert body["budget_line"] == {
        "is_funded": False,
        **FUNCTION,
        "version": 2,
        "amount": None,
    }


def test_the_akim_s_decisions_are_listed_with_their_reasons(api, data, reading):
    response, body = get(api, "/api/v1/decisions/")

    assert response.status_code == 200
    assert [
        (d["proposal"], d["decision"], d["reason"], d["unit"]["kato_code"])
        for d in body["results"]
    ] == [
        (data["other_proposal"].pk, "approved", "Approved for Sadovy.", "115645000"),
        # Withheld while the proposal is hidden
        (data["hidden"].pk, "rejected", None, "115633000"),
        (
            data["visible"].pk,
            "approved",
            "Lighting is the first need residents named.",
            "115633000",
        ),
    ]
    assert body["results"][2] == {
        "proposal": data["visible"].pk,
        "unit": UNIT_A,
        "fiscal_year": 2027,
        "decision": "approved",
        "reason": "Lighting is the first need residents named.",
        "decided_at": "2026-05-08T12:00:00+05:00",
        "proposal_url": "http://testserver" + url(data["visible"]),
    }

    _, body = get(api, "/api/v1/decisions/", decision="rejected", unit="115633000")
    assert [d["proposal"] for d in body["results"]] == [data["hidden"].pk]
