"""Bad input to the API is a clean 400 or 404 in one shape, never a server error; a domain
refusal is a 400 through the one exception handler; anonymous clients are rate limited,
signed-in ones by their own, larger allowance."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from portal.errors import DomainError, api_exception_handler
from proposals.codes import ErrorCode
from tests.accounts.factories import UserFactory
from tests.api.conftest import get
from tests.budgets.conftest import at
from tests.fresh_settings import fresh_setting

INVALID = "The request's parameters are not valid."


@pytest.mark.parametrize(
    ("url", "params", "errors"),
    [
        (
            "/api/v1/cycles/",
            {"fiscal_year": "abc"},
            {"fiscal_year": ["Enter a whole number."]},
        ),
        (
            "/api/v1/cycles/",
            {"fiscal_year": "123456789012345678901234"},
            {"fiscal_year": ["Ensure this value is less than or equal to 9999."]},
        ),
        (
            "/api/v1/drafts/",
            {"fiscal_year": "-1"},
            {"fiscal_year": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            "/api/v1/cycles/",
            {"phase": "someday"},
            {
                "phase": [
                    "Select a valid choice. someday is not one of the available choices."
                ]
            },
        ),
        (
            "/api/v1/proposals/",
            {"status": "draft"},
            {
                "status": [
                    "Select a valid choice. draft is not one of the available choices."
                ]
            },
        ),
        (
            "/api/v1/proposals/",
            {"sort": "oldest"},
            {
                "sort": [
                    "Select a valid choice. oldest is not one of the available choices."
                ]
            },
        ),
        (
            "/api/v1/proposals/",
            {"q": "x" * 101},
            {"q": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
        (
            "/api/v1/units/",
            {"parent": "11\x0056"},
            {"parent": ["Null characters are not allowed."]},
        ),
        (
            "/api/v1/units/",
            {"own_budget_year": "2020.5"},
            {"own_budget_year": ["Enter a whole number."]},
        ),
        (
            "/api/v1/voting-sessions/",
            {"outcome": "maybe"},
            {
                "outcome": [
                    "Select a valid choice. maybe is not one of the available choices."
                ]
            },
        ),
        (
            "/api/v1/decisions/",
            {"fiscal_year": "2027", "decision": "postponed"},
            {
                "decision": [
                    "Select a valid choice. postponed is not one of the available "
                    "choices."
                ]
            },
        ),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api, db, url, params, errors):
    response, body = get(api, url, **params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert body == {"code": "invalid", "detail": INVALID, "errors": errors}


@pytest.mark.parametrize("page", ["abc", "", "0", "2", "-1", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404(api, territory, page):
    response, body = get(api, "/api/v1/units/", page=page)

    assert response.status_code == 404
    assert body == {"code": "not_found", "detail": "Invalid page."}


def test_the_page_size_is_chosen_and_bounded(api, territory):
    response, body = get(api, "/api/v1/units/", page_size=2, page=2)

    assert response.status_code == 200
    assert [unit["kato_code"] for unit in body["results"]] == ["115633000", "115633100"]
    assert body["next"] == "http://testserver/api/v1/units/?page=3&page_size=2"
    assert body["previous"] == "http://testserver/api/v1/units/?page_size=2"
    _, body = get(api, "/api/v1/units/", page_size=200)
    assert len(body["results"]) == 6


@pytest.mark.parametrize(
    "page_size", ["lots", "null", "", "0", "-1", "201", "1.5", "1e2", "٣", " 5"]
)
def test_a_page_size_that_is_not_a_whole_number_to_200_is_a_400(
    api, territory, page_size
):
    # Before, it was quietly the default size, and copied into the `next` link
    response, body = get(api, "/api/v1/units/", page_size=page_size)

    assert response.status_code == 400
    assert body == {
        "code": "invalid",
        "detail": INVALID,
        "errors": {"page_size": ["A whole number from 1 to 200."]},
    }


def test_the_schema_declares_every_limit_the_api_enforces(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    declared = {
        (path, parameter["name"]): parameter["schema"]
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }

    assert declared["/api/v1/units/", "page_size"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
    }
    assert declared["/api/v1/units/", "page"] == {"type": "integer", "minimum": 1}
    year = {"type": "integer", "minimum": 0, "maximum": 9999}
    assert declared["/api/v1/units/", "own_budget_year"] == year
    code = {"type": "string", "maxLength": 9}
    for path, name in [
        ("/api/v1/units/", "parent"),
        ("/api/v1/cycles/", "unit"),
        ("/api/v1/proposals/", "place"),
        ("/api/v1/voting-sessions/", "district"),
    ]:
        assert declared[path, name] == code
    for (path, name), parameter_schema in declared.items():
        if name in ("unit", "parent", "district", "place"):
            assert parameter_schema == code, (path, name)
        if name == "fiscal_year":
            assert parameter_schema == year, path
        if name == "q":
            assert parameter_schema["maxLength"] == 100, path


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/",
        "/api/v1/units/abc/",
        "/api/v1/proposals/abc/",
        "/api/v1/proposals/1234567890/",
        "/api/v1/cycles/115633000/27/",
        "/api/v1/voting-sessions/-1/",
        "/api/v1/nothing/here/",
    ],
)
def test_an_address_the_api_does_not_have_is_a_404_in_its_shape(api, db, url):
    response, body = get(api, url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert body == {"code": "not_found", "detail": "The API has no such address."}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/?format=xml",
        "/api/v1/cycles/?format=x",
        "/api/v1/proposals/7/?format=csv",
        "/api/v1/schema/?format=x",
        "/api/v1/nothing/?format=x",
    ],
)
def test_a_format_the_api_does_not_speak_is_a_404_in_its_shape(api, db, url):
    response = api.get(url)

    # (the schema answers in its own formats: YAML unless JSON is asked for)
    assert response.status_code == 404
    assert b"not_found" in response.content


def test_django_s_permission_denied_is_a_403_in_the_api_s_shape(rf):
    from django.core.exceptions import PermissionDenied

    response = api_exception_handler(PermissionDenied(), {"request": rf.get("/")})

    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"


def test_a_domain_refusal_is_a_400_with_its_code(rf):
    response = api_exception_handler(
        DomainError(ErrorCode.PROPOSALS_CLOSED, "Proposals are closed."),
        {"request": rf.get("/")},
    )

    assert response.status_code == 400
    assert response.data == {
        "code": "proposals_closed",
        "detail": "Proposals are closed.",
    }


def test_an_error_that_is_not_the_api_s_is_left_to_django(rf):
    assert api_exception_handler(ValueError("a bug"), {"request": rf.get("/")}) is None


# Rate limits.


def limit(settings, anon: str, user: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
    }


def test_an_anonymous_client_past_its_rate_is_told_to_wait(api, db, settings):
    limit(settings, anon="3/minute", user="100/minute")
    with time_machine.travel(at(2027, 6, 15), tick=False):
        # Given three requests within the minute
        statuses = [get(api, "/api/v1/units/")[0].status_code for _ in range(3)]
        # When the fourth comes
        response, body = get(api, "/api/v1/proposals/")
        # And from another address
        other, _ = get(APIClient(REMOTE_ADDR="10.0.0.7"), "/api/v1/units/")

    assert statuses == [200, 200, 200]
    # Then it is refused with the time to wait, every endpoint alike
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60  # until the client's minute ends
    assert body == {
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {wait} "
        f"second{'s' if wait > 1 else ''}.",
    }
    # And another client is not
    assert other.status_code == 200


def test_a_client_cannot_escape_its_rate_by_naming_another_address(api, db, settings):
    limit(settings, anon="2/minute", user="100/minute")
    with time_machine.travel(at(2027, 6, 15), tick=False):
        statuses = [
            api.get("/api/v1/units/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
            for n in range(4)
        ]

    # The header is anyone's to write: with no proxy in front, the connection counts
    assert statuses == [200, 200, 429, 429]


def test_a_signed_in_client_has_its_own_allowance(api, db, settings):
    limit(settings, anon="1/minute", user="4/minute")
    with time_machine.travel(at(2027, 6, 15), tick=False):
        api.force_login(UserFactory())
        statuses = [get(api, "/api/v1/units/")[0].status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_the_rates_come_from_the_environment():
    rates = fresh_setting(
        "settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']",
        QATYSU_API_ANON_RATE="7/hour",
        QATYSU_API_USER_RATE="70/hour",
    )
    assert rates == {"anon": "7/hour", "user": "70/hour"}


@pytest.mark.parametrize(
    ("url", "query", "errors"),
    [
        (
            "/api/v1/cycles/",
            "unit=115633000&unit=115645000",
            {"unit": ["Give this parameter once."]},
        ),
        ("/api/v1/units/", "page=1&page=2", {"page": ["Give this parameter once."]}),
        (
            "/api/v1/voting-sessions/",
            "is_closed=null",
            {
                "is_closed": [
                    "Select a valid choice. null is not one of the available choices."
                ]
            },
        ),
        (
            "/api/v1/residents-votes/",
            "is_counted=",
            {"is_counted": ["Give a value, or leave the parameter out."]},
        ),
        (
            "/api/v1/voting-sessions/",
            "outcome=",
            {"outcome": ["Give a value, or leave the parameter out."]},
        ),
    ],
)
def test_what_the_schema_forbids_is_refused_naming_the_parameter(
    api, db, url, query, errors
):
    # (Schemathesis' negative-data check found each accepted before)
    response = api.get(f"{url}?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "detail": INVALID, "errors": errors}


@pytest.mark.parametrize("value", ["true", "false"])
def test_true_and_false_are_taken(api, db, value):
    assert api.get(f"/api/v1/voting-sessions/?is_closed={value}").status_code == 200
