"""Schemathesis against the API's own OpenAPI schema, through the WSGI application and on
the known data set: for every operation, generated requests never get a server error and
every answer conforms to the schema (status code, content type, headers and body).

Rate limits are off here: the run makes hundreds of requests in a few seconds.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.wsgi import application
from tests.api.conftest import quiet_throttles

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    # what the schema forbids is refused, what it allows is accepted
    negative_data_rejection,
    positive_data_acceptance,
]
EXAMPLES = hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures hold the data set and the settings, read and never changed.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


def schema_document() -> dict:
    """The schema that /api/v1/schema/ serves (see the first test), made by the same
    generator: Schemathesis builds its tests when the module is collected, before any
    request can be made."""
    with translation.override("en"):
        generated = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(schema_document())
schema.app = application


@pytest.fixture
def quiet(settings):
    """Rate limits off, and the WSGI application kept on the test's connection: as
    Django's test client does, the connection is not closed at the end of a request
    (it holds the test's transaction)."""
    quiet_throttles(settings)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_schema_tested_is_the_one_served(client, db):
    response = client.get(
        "/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert json.loads(response.content) == schema_document()


@schema.parametrize()
@EXAMPLES
def test_generated_requests_get_no_server_error_and_answers_that_fit_the_schema(
    case, data, quiet
):
    case.call_and_validate(checks=CHECKS)


# The generated paths rarely name an object that exists: these name every one of the
# data set, and let Schemathesis vary the query.


def real_paths(data) -> dict[str, list[dict]]:
    a, b = data["cycle"], data["other_cycle"]
    return {
        "/api/v1/units/{kato_code}/": [
            {"kato_code": code} for code in ("115633000", "115633100", "110000000")
        ],
        "/api/v1/cycles/{kato_code}/{fiscal_year}/": [
            {"kato_code": c.unit.kato_code, "fiscal_year": 2027} for c in (a, b)
        ],
        "/api/v1/cycles/{kato_code}/{fiscal_year}/execution/": [
            {"kato_code": c.unit.kato_code, "fiscal_year": 2027} for c in (a, b)
        ],
        "/api/v1/drafts/{kato_code}/{fiscal_year}/{version}/": [
            {"kato_code": "115633000", "fiscal_year": 2027, "version": 1},
            {"kato_code": "115645000", "fiscal_year": 2027, "version": 1},
            {"kato_code": "115645000", "fiscal_year": 2027, "version": 2},
        ],
        "/api/v1/voting-sessions/{id}/": [{"id": data["session"].pk}],
        "/api/v1/proposals/{id}/": [
            {"id": data[name].pk}
            for name in ("visible", "hidden", "registered", "other_proposal")
        ],
    }


def test_the_objects_of_the_data_set_get_answers_that_fit_the_schema(data, quiet):
    checked = 0
    for path, values in real_paths(data).items():
        operation = schema[path]["GET"]
        for path_parameters in values:

            @EXAMPLES
            @hypothesis.given(
                case=operation.as_strategy(path_parameters=path_parameters)
            )
            def run(case):
                response = case.call_and_validate(checks=CHECKS)
                assert response.status_code in (200, 404)

            run()
            checked += 1
    assert checked == 15
