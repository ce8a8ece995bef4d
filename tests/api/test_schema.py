"""The API's OpenAPI 3 schema is served, valid, generated without a warning and covers every
endpoint; its documentation page loads only the project's own static files."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

ENDPOINTS = {
    "/api/v1/units/",
    "/api/v1/units/{kato_code}/",
    "/api/v1/cycles/",
    "/api/v1/cycles/{kato_code}/{fiscal_year}/",
    "/api/v1/cycles/{kato_code}/{fiscal_year}/execution/",
    "/api/v1/drafts/",
    "/api/v1/drafts/{kato_code}/{fiscal_year}/{version}/",
    "/api/v1/voting-sessions/",
    "/api/v1/voting-sessions/{id}/",
    "/api/v1/proposals/",
    "/api/v1/proposals/{id}/",
    "/api/v1/decisions/",
    "/api/v1/classification/",
    "/api/v1/residents-votes/",
    "/api/v1/residents-votes/{kato_code}/{fiscal_year}/",
    "/api/v1/residents-votes/{kato_code}/{fiscal_year}/ballots/",
}


def test_the_schema_is_a_valid_openapi_3_document_of_every_endpoint(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "Qatysu API"
    validate_schema(schema)
    assert set(schema["paths"]) == ENDPOINTS
    # Read-only: every operation is a GET
    assert {method for path in schema["paths"].values() for method in path} == {"get"}


def test_the_schema_is_served_in_yaml_and_in_english_whoever_asks(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")
    text = response.content.decode()
    assert "A page number within the paginated result set." in text
    assert "* `revenue` - revenue" in text


def test_the_schema_is_generated_without_a_warning(tmp_path, db):
    # --fail-on-warn: a serializer field whose type drf-spectacular must guess fails
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(tmp_path / "schema.json"),
    )
    assert json.loads((tmp_path / "schema.json").read_text())["paths"]


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def test_the_documentation_loads_only_the_project_s_own_static_files(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html  # the page says its language
    parser = _Assets()
    parser.feed(html)
    assert sorted(parser.urls) == [
        "/api/v1/docs/?script=",  # Swagger UI's settings: a script, none inline (CSP)
        "/static/css/api-docs.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ]
    # Each is a file the static files finders (and so collectstatic) know
    for url in parser.urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "<script>" not in html
    # No address elsewhere: no CDN, no online validator
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html + script)
    assert '"validatorUrl": null' in script
    assert "/api/v1/schema/" in script


def test_a_browser_gets_the_browsable_api_with_the_project_s_own_assets(client, db):
    response = client.get(
        "/api/v1/cycles/", {"fiscal_year": "2027"}, HTTP_ACCEPT="text/html"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    parser = _Assets()
    parser.feed(response.content.decode())
    assets = [url for url in parser.urls if url.endswith((".js", ".css"))]
    assert assets
    assert all(url.startswith("/static/rest_framework/") for url in assets), assets


def test_the_schema_documents_the_unit_s_akimat_as_read_only_and_nullable(client, db):
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    components = schema["components"]["schemas"]

    unit = components["UnitDetail"]
    assert "akimat" in unit["required"]
    akimat = unit["properties"]["akimat"]
    assert akimat["readOnly"] is True
    assert akimat["nullable"] is True
    assert akimat["allOf"] == [{"$ref": "#/components/schemas/Akimat"}]
    contacts = components["Akimat"]
    assert list(contacts["properties"]) == [
        "name_kk",
        "name_ru",
        "akim_name_kk",
        "akim_name_ru",
        "address_kk",
        "address_ru",
        "working_hours_kk",
        "working_hours_ru",
        "in_person_kk",
        "in_person_ru",
        "phone",
        "office_email",
    ]
    assert all(field.get("readOnly") for field in contacts["properties"].values())
    assert contacts["properties"]["office_email"]["format"] == "email"
