"""Hostile input against every page and every form, as every role: the suite walks the
URL configuration and the forms the pages draw, so a new page or form is covered without
a new test.

For every URL pattern (the admin's apart: Django's own), each path parameter is filled
with the world's objects and then with hostile values; every page is asked with hostile
query parameters; every form a role is shown is posted with each field replaced by each
value of the corpus (NUL and control bytes, a megabyte, 10^30 and NaN, zero-width and
right-to-left text, HTML and script, SQL, path traversal), its management form tampered and
its files replaced by a polyglot, a bomb and a renamed executable. Nothing may answer a
server error; a page that refuses changes nothing (no audit event, no notice: every change
of state leaves one) and, in Kazakh, says why without Django's English.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from PIL import Image

from portal.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

CORPUS = [
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "x" * (1024 * 1024),
    "1e30",
    "NaN",
    "-Infinity",
    "-1",
    "1" + "0" * 30,
    "0.0000001",
    "\u200b\u200b\u2060",
    "\u202eevil\u202c",
    "<script>alert(1)</script>",
    "' OR 1=1; DROP TABLE proposals_proposal; --",
    "../../../../etc/passwd",
    "%00%2e%2e",
    "ә" * 5000,
    "",
]
# What a value in a path is replaced with: nonsense of each kind a converter may meet
PATH_VALUES = [
    "0",
    "-1",
    "9" * 30,
    "abc",
    "%00",
    "..%2F..%2Fetc",
    "ә" * 300,
    "%3Cscript%3E",
]
QUERY_NAMES = [
    "q", "page", "page_size", "sort", "status", "year", "quarter", "line", "from", "to",
    "queue", "district", "function", "place", "next", "fiscal_year", "unit", "format",
]  # fmt: skip
# Django's English that must never show on a Kazakh page's refusal
ENGLISH = [
    "This field is required",
    "Ensure this value",
    "Enter a valid",
    "Enter a whole number",
    "Select a valid choice",
    "ManagementForm",
    "Null characters",
    "Bad Request",
    "Server Error",
]
ROLES = [
    "anonymous",
    "resident",
    "staff",
    "akim",
    "moderator",
    "chairman",
    "other_staff",
]


def url_patterns() -> list[tuple[str, str]]:
    """(pattern, name) of every route but the admin's and the development media."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}".strip(":")
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern):
                yield (
                    prefix + str(pattern.pattern),
                    f"{namespace}:{pattern.name}".strip(":"),
                )

    with translation.override("kk"):  # the pages under /kk/: Kazakh is checked
        return [
            (route, name)
            for route, name in walk(get_resolver().url_patterns)
            if not route.startswith(("admin/", "^media")) and "^" not in route
        ]


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda match: values[match.group(1)], route)


def world_values(data, name: str) -> dict[str, str]:
    cycle = data["cycle"]
    pk = {
        "maslikhat:roll_call": data["session"].pk,
        "maslikhat:ballot": data["session"].pk,
        "api:session_detail": data["session"].pk,
    }.get(name, data["visible"].pk)
    if name.startswith("community:"):
        pk = data["gathering"].pk
    if name.startswith("community:sitting_"):
        pk = data["sitting"].pk
    if name == "community:member_end":
        pk = data["member"].pk
    return {
        "kato_code": cycle.unit.kato_code,
        "fiscal_year": str(cycle.fiscal_year),
        "version": "1",
        "pk": str(pk),
        "comment_pk": "1",
        "report_pk": str(data["report"].pk),
        "attendance_pk": str(data["attendance"].pk),
        "line": "1",
        "quarter": "1",
        "first": "1",
        "last": "5",
        "language": "kk",
        "slug": "proposals",
        "name": "budget",
        "key": "x",
        "uidb36": "x",
    }


def client_for(data, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(data[role])
    return client


def no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} on {what}"


def is_refusal(response) -> bool:
    """A page that refused what was sent: a 4xx, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    html = (
        response.content.decode(errors="replace") if response.status_code == 200 else ""
    )
    return "usa-error-message" in html or "usa-alert--error" in html


def trail() -> tuple[int, int]:
    """What every change of state leaves: an audit event, a notice."""
    return AuditEvent.objects.count(), Notification.objects.count()


def no_english_refusal(response, what: str) -> None:
    if response.status_code in (200, 400) and "text/html" in response.get(
        "Content-Type", ""
    ):
        html = response.content.decode(errors="replace")
        if '<html lang="kk">' in html:
            shown = [phrase for phrase in ENGLISH if phrase in html]
            assert not shown, f"English on the Kazakh page of {what}: {shown}"


class Forms(HTMLParser):
    """The POST forms of a page: their action and their fields as the page fills them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "files": [],
                }
                self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            return
        name, fields = attrs["name"], self._form["fields"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                self._form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs or name not in fields:
                    fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "reset", "image"):
                fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif (
            tag == "option" and self._select and not self._form["fields"][self._select]
        ):
            self._form["fields"][self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "button" and attrs.get("value"):
            fields.setdefault(name, attrs["value"])

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


ROW_INDEX = re.compile(r"-\d+-")


def hostile_files() -> list[tuple[str, bytes]]:
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, "PNG")
    return [
        ("x.html", png.getvalue() + b"<script>alert(1)</script>"),
        ("bomb.png", bomb.getvalue()),
        (
            "minutes.pdf",
            b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS",
        ),
        ("../../../etc/passwd", b"%PDF-1.4\n%%EOF\n"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_gets_a_server_error_for_any_role(data, reading, role):
    client = client_for(data, role)
    routes = url_patterns()
    for route, name in routes:
        url = fill(route, world_values(data, name))
        no_server_error(client.get(url), url)
    assert len(routes) > 100


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_no_hostile_address_or_query_gets_a_server_error(data, reading, role):
    client = client_for(data, role)
    for route, name in url_patterns():
        values = world_values(data, name)
        url = fill(route, values)
        for parameter in set(PARAMETER.findall(route)):
            for value in PATH_VALUES:
                hostile = fill(route, {**values, parameter: value})
                no_server_error(client.get(hostile), hostile)
        # every parameter any page reads, at once, with each kind of nonsense
        for value in ("\x00", "9" * 40, "-1", "NaN", "<x>'\"", "ә" * 1000, ""):
            response = client.get(url, dict.fromkeys(QUERY_NAMES, value))
            no_server_error(response, f"{url}?…={value[:20]!r}")
            no_english_refusal(response, url)


def page_forms(data, client):
    """Every POST form the pages show this client, with its action, once each."""
    seen = set()
    for route, name in url_patterns():
        if not route.startswith("kk/") or name == "set_language":
            continue
        url = fill(route, world_values(data, name))
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode(errors="replace"))
        for form in parser.forms:
            action = form["action"] or url
            key = (action, tuple(sorted(form["fields"])))
            if key in seen or "setlang" in action or "logout" in action:
                continue
            seen.add(key)
            yield key, action, form


# A role whose forms include another's: those the other posts already are left out.
INCLUDES = {"akim": "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_no_form_gets_a_server_error_whatever_is_posted(data, reading, role):
    client = client_for(data, role)
    files = hostile_files()
    seen = set()
    posts = 0
    others = set()
    if role in INCLUDES:
        others = {
            key for key, _a, _f in page_forms(data, client_for(data, INCLUDES[role]))
        }
    for key, action, form in page_forms(data, client):
        if key in others:
            continue
        seen.add(key)
        base = dict(form["fields"])
        # A formset's rows have the same fields: the first row of each kind stands
        # for the others (a draft of 60 lines would otherwise be 3,000 posts).
        fields, kinds = [], set()
        for field in base:
            kind = ROW_INDEX.sub("-N-", field)
            if field != "csrfmiddlewaretoken" and kind not in kinds:
                kinds.add(kind)
                fields.append(field)
        for field in fields:
            values = CORPUS
            if field.endswith(("TOTAL_FORMS", "INITIAL_FORMS")):
                values = ["-1", "abc", "100000", ""]
            for value in values:
                before = trail()
                response = client.post(action, {**base, field: value})
                posts += 1
                what = f"{action} {field}={value[:20]!r}"
                no_server_error(response, what)
                no_english_refusal(response, action)
                if is_refusal(response):
                    assert trail() == before, f"a refusal changed something: {what}"
        for field in form["files"]:
            for filename, content in files:
                upload = SimpleUploadedFile(filename, content)
                response = client.post(action, {**base, field: upload})
                posts += 1
                no_server_error(response, f"{action} {field}={filename}")
    print(f"hostile input, {role}: {len(seen)} forms, {posts} posts")
    assert seen or role == "anonymous"
