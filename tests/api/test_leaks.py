"""Nothing that is not public leaks through the API, whoever asks: every endpoint answers
every role (anonymous, residents who wrote the private draft or the hidden proposal, the
akimat staff who prepare the private version, a moderator, an administrator) exactly what
it answers anonymous visitors, with no hidden content, no private draft or version, no
IIN, no e-mail and no user's id anywhere; and nothing can be written."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.iin import iin_digest
from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.api.conftest import (
    HIDDEN,
    PREPARING_EXPLANATION,
    REGISTERED_IIN,
    RESIDENT_IIN,
    UNSUBMITTED_TITLE,
    get,
    quiet_throttles,
    walk,
)

# Keys that would carry a person's identity or a private field, wherever they appear.
FORBIDDEN_KEYS = {
    "email",
    "iin",
    "iin_digest",
    "iin_last4",
    "author_iin_digest",
    "author",
    "author_id",
    "user",
    "user_id",
    "users",
    "actor",
    "actor_id",
    "created_by",
    "recorded_by",
    "opened_by",
    "decided_by",
    "reviewer",
    "completed_by",
    "registered_by",
    "reported_by",
    "deputy_id",
    "password",
    "supporters",
}


def endpoints(data) -> dict[str, int]:
    """Every endpoint, lists (filtered too) and each object's page, with its status."""
    sessions = f"/api/v1/voting-sessions/{data['session'].pk}/"
    proposal = "/api/v1/proposals/{}/"
    return {
        "/api/v1/units/": 200,
        "/api/v1/units/115633000/": 200,
        "/api/v1/units/115645000/": 200,
        "/api/v1/cycles/": 200,
        "/api/v1/cycles/?phase=coordination": 200,
        "/api/v1/cycles/115633000/2027/": 200,
        "/api/v1/cycles/115645000/2027/": 200,
        "/api/v1/cycles/115633000/2027/execution/": 200,
        "/api/v1/cycles/115645000/2027/execution/": 404,
        "/api/v1/drafts/": 200,
        "/api/v1/drafts/?unit=115645000&page_size=200": 200,
        "/api/v1/drafts/115633000/2027/1/": 200,
        "/api/v1/drafts/115645000/2027/1/": 200,
        "/api/v1/drafts/115645000/2027/2/": 404,
        "/api/v1/voting-sessions/": 200,
        sessions: 200,
        "/api/v1/proposals/": 200,
        "/api/v1/proposals/?status=rejected": 200,
        "/api/v1/proposals/?q=lamps&page_size=200": 200,
        "/api/v1/proposals/?sort=supported": 200,
        proposal.format(data["visible"].pk): 200,
        proposal.format(data["hidden"].pk): 200,
        proposal.format(data["registered"].pk): 200,
        proposal.format(data["other_proposal"].pk): 200,
        proposal.format(data["unsubmitted"].pk): 404,
        "/api/v1/decisions/": 200,
        "/api/v1/classification/": 200,
    }


def secrets(data) -> list[str]:
    """Strings that no answer may contain."""
    users = list(User.objects.values_list("email", "iin_digest"))
    return [
        *HIDDEN.values(),
        UNSUBMITTED_TITLE,
        PREPARING_EXPLANATION,
        "26777777",
        "PREPARING-NOTE",
        REGISTERED_IIN,
        RESIDENT_IIN,
        iin_digest(REGISTERED_IIN),
        iin_digest(RESIDENT_IIN),
        data["hidden"].author_iin_digest,
        *(email for email, _ in users),
        *(digest for _, digest in users if digest),
    ]


ROLES = [
    "anonymous",
    "resident",
    "neighbour",
    "staff",
    "other_staff",
    "moderator",
    "administrator",
]


def client_of(api, data, role):
    if role == "administrator":
        api.force_login(UserFactory(is_staff=True, is_superuser=True))
    elif role != "anonymous":
        api.force_login(data[role])
    return api


def test_every_role_reads_what_anonymous_visitors_read_and_nothing_private(
    data, reading, settings
):
    quiet_throttles(settings)
    forbidden = secrets(data)
    urls = endpoints(data)
    # What anonymous visitors read
    anonymous = {url: get(APIClient(), url) for url in urls}
    for role in ROLES:
        reader = client_of(APIClient(), data, role)
        for url, status in urls.items():
            # When the role reads the endpoint
            response, body = anonymous[url] if role == "anonymous" else get(reader, url)
            assert response.wsgi_request.user.is_authenticated == (role != "anonymous")
            # Then it answers as it answers anyone
            assert response.status_code == status, (role, url)
            assert body == anonymous[url][1], (role, url)
            # And no key anywhere names a person or a private field
            keys = {key for _, key, _ in walk(body)}
            assert not keys & FORBIDDEN_KEYS, (role, url, keys & FORBIDDEN_KEYS)
            # And no hidden, private or personal text is anywhere in it
            text = response.content.decode()
            assert not [secret for secret in forbidden if secret in text], (role, url)


def test_the_schema_names_no_personal_field(api, data):
    _response, schema = get(api, "/api/v1/schema/", format="json")

    properties = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert not properties & FORBIDDEN_KEYS
    assert "author_name" in properties
    parameters = {
        parameter["name"]
        for path in schema["paths"].values()
        for operation in path.values()
        for parameter in operation.get("parameters", [])
    }
    assert not parameters & FORBIDDEN_KEYS


@pytest.mark.parametrize("role", ["anonymous", "staff", "administrator"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_is_written_through_the_api(api, data, reading, role, method):
    reader = client_of(api, data, role)
    for url in (
        "/api/v1/proposals/",
        f"/api/v1/proposals/{data['visible'].pk}/",
        "/api/v1/drafts/115633000/2027/1/",
        f"/api/v1/voting-sessions/{data['session'].pk}/",
    ):
        response = getattr(reader, method)(
            url, {"title": "Changed"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.wsgi_request.user.is_authenticated == (role != "anonymous")
        assert response.status_code == 405, url
        assert json.loads(response.content)["code"] == "method_not_allowed"
    data["visible"].refresh_from_db()
    assert data["visible"].title == "Street lights on Abai street"
