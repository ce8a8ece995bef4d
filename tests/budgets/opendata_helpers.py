"""Helpers of the open data tests: download a data set or a file of the Fiscal Data
Package by consuming its stream, and read it back as CSV or JSON."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal

from django.urls import reverse


def consume(response) -> bytes:
    """The body of a streaming response, read the way a server sends it (never closed
    here: closing would end the test's database connection's request)."""
    assert response.streaming is True
    return b"".join(response.streaming_content)


def dataset_url(cycle, slug: str, extension: str) -> str:
    return reverse(
        f"budgets:dataset_{extension}",
        kwargs={
            "kato_code": cycle.unit.kato_code,
            "fiscal_year": cycle.fiscal_year,
            "slug": slug,
        },
    )


def download(client, cycle, slug: str, extension: str) -> bytes:
    response = client.get(dataset_url(cycle, slug, extension))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="qatysu-{cycle.unit.kato_code}-{cycle.fiscal_year}-'
        f'{slug}.{extension}"'
    )
    assert (
        response["Content-Type"]
        == {
            "csv": "text/csv; charset=utf-8",
            "json": "application/json; charset=utf-8",
        }[extension]
    )
    return consume(response)


def read_csv(body: bytes) -> tuple[list[str], list[dict]]:
    """The header and the rows of a CSV body: UTF-8 after one byte order mark."""
    assert body.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def read_json(body: bytes) -> list[dict]:
    # Amounts are read exactly, as decimals, never through a float.
    return json.loads(body.decode("utf-8"), parse_float=Decimal)


NUMBER_TEXT = re.compile(r"^-?\d+\.\d\d$")
MOMENT_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DAY_TEXT = re.compile(r"^\d{4}-\d\d-\d\d$")


def csv_value(text: str, type_: str):
    """A CSV field read back by its declared type; each type's text checked strictly."""
    if text == "":
        return None
    if type_ == "integer":
        assert re.fullmatch(r"-?\d+", text), text
        return int(text)
    if type_ == "number":
        assert NUMBER_TEXT.fullmatch(text), text
        return Decimal(text)
    if type_ == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    if type_ == "date":
        assert DAY_TEXT.fullmatch(text), text
        return datetime.date.fromisoformat(text)
    if type_ == "datetime":
        assert MOMENT_TEXT.fullmatch(text), text
        return datetime.datetime.fromisoformat(text)
    assert type_ == "string", type_
    return text


def json_value(value, type_: str):
    """A JSON value read back by its declared type."""
    if value is None:
        return None
    if type_ == "integer":
        assert type(value) is int, value
    elif type_ == "number":
        assert isinstance(value, Decimal), value
    elif type_ == "boolean":
        assert type(value) is bool, value
    elif type_ == "date":
        assert DAY_TEXT.fullmatch(value), value
        return datetime.date.fromisoformat(value)
    elif type_ == "datetime":
        assert MOMENT_TEXT.fullmatch(value), value
        return datetime.datetime.fromisoformat(value)
    else:
        assert type_ == "string" and isinstance(value, str), value
    return value


def typed_csv_rows(columns, rows: list[dict]) -> list[dict]:
    types = {column.name: column.type for column in columns}
    return [
        {name: csv_value(text, types[name]) for name, text in row.items()}
        for row in rows
    ]


def typed_json_rows(columns, rows: list[dict]) -> list[dict]:
    types = {column.name: column.type for column in columns}
    assert all(list(row) == list(types) for row in rows)
    return [
        {name: json_value(value, types[name]) for name, value in row.items()}
        for row in rows
    ]


def without_empty_text(rows: list[dict]) -> list[dict]:
    """Expected rows as CSV has them: an empty text is no value."""
    return [
        {name: None if value == "" else value for name, value in row.items()}
        for row in rows
    ]
