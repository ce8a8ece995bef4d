"""Open data of a budget cycle: the draft lines, the roll calls and the execution in CSV and
JSON, read back and compared with the known data; the budget as a Fiscal Data Package,
validated against its published JSON schema with its files resolved and read by their
declared fields; the data page and the documentation page; what never appears; the 404s;
and the queries each download costs at two data sizes."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin, urlparse

import jsonschema
import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from budgets import execution, fiscal_data_package, opendata, services
from budgets.models import (
    BudgetClassification,
    BudgetLine,
    ClassificationKind,
    DraftStatus,
    MeetingDecision,
)
from maslikhat import opendata as maslikhat_opendata
from maslikhat import services as maslikhat_services
from tests.budgets.conftest import ADOPTED, DAY_IN, PDF, SUBMITTED_ON, at
from tests.budgets.factories import ClassificationFactory
from tests.budgets.opendata_helpers import (
    consume,
    dataset_url,
    download,
    read_csv,
    read_json,
    typed_csv_rows,
    typed_json_rows,
    without_empty_text,
)
from tests.concurrency import postgresql_required
from tests.maslikhat.factories import (
    CLOSES,
    DURING,
    ballots_cast,
    deputies_of,
    session_open,
)

postgresql = postgresql_required("server-side cursors in autocommit are PostgreSQL's")

D = Decimal
SCHEMA_PATH = (
    Path(__file__).resolve().parents[2]
    / "budgets"
    / "schemas"
    / "fiscal-data-package.json"
)
REVENUE, EXPENDITURE = ClassificationKind.REVENUE, ClassificationKind.EXPENDITURE


def on(moment):
    return time_machine.travel(moment, tick=False)


# The known data set: three versions of a draft, the third still being prepared.


@pytest.fixture
def entries(db):
    """Classification entries of the test, named and placed as a data set would be."""
    make = ClassificationFactory
    return {
        "own": make(
            kind=REVENUE,
            code="OD 1 04 1",
            name_kk="Мүлік салығы",
            name_ru="Налог на имущество",
            position=10,
        ),
        "subvention": make(
            kind=REVENUE,
            code="OD 4 02 3",
            name_kk="Субвенциялар",
            name_ru="Субвенции",
            is_transfer=True,
            position=40,
        ),
        "office": make(
            kind=EXPENDITURE,
            code="OD 124 001",
            name_kk="Әкім аппаратының қызметі",
            name_ru="Услуги аппарата акима",
            position=101,
        ),
        "lighting": make(
            kind=EXPENDITURE,
            code="OD 124 008",
            name_kk="Көшелерді жарықтандыру",
            name_ru="Освещение улиц",
            position=708,
        ),
        "other": make(
            kind=EXPENDITURE,
            code="OD 124 999",
            name_kk="Басқа",
            name_ru="Прочее",
            position=5,
        ),
        "secret": make(
            kind=EXPENDITURE,
            code="OD 124 777",
            name_kk="Құпия жол",
            name_ru="Секретная строка",
            position=1377,
        ),
    }


OFFICE_NOTE = 'Жалақы, "аудит"\nи связь'


def _version(cycle, staff, amounts: dict, *, publish: bool, explanations=None):
    draft = services.draft_create(cycle=cycle, actor=staff)
    services.draft_update(
        draft=draft,
        lines=[
            services.LineInput(
                classification=entry,
                amount=D(amount),
                explanation=(explanations or {}).get(entry.code, ""),
            )
            for entry, amount in amounts
        ],
        cash_balance_used=D(0),
        note="",
        actor=staff,
    )
    return services.draft_publish(draft=draft, actor=staff) if publish else draft


@pytest.fixture
def versions(cycle, staff, entries):
    """Version 1 published in drafting, version 2 in the public discussion, version 3 being
    prepared (private) with a line of its own."""
    e = entries
    with on(DAY_IN["drafting"]):
        first = _version(
            cycle,
            staff,
            [
                (e["own"], "3000000"),
                (e["subvention"], "45000000"),
                (e["office"], "20000000"),
                (e["lighting"], "28000000"),
            ],
            publish=True,
            explanations={"OD 124 001": OFFICE_NOTE},
        )
    with on(DAY_IN["public_discussion"]):
        second = _version(
            cycle,
            staff,
            [
                (e["own"], "3000000"),
                (e["subvention"], "45000000"),
                (e["office"], "20000000"),
                (e["lighting"], "27999999.50"),
                (e["other"], "0.50"),
            ],
            publish=True,
        )
        third = _version(
            cycle,
            staff,
            [(e["secret"], "1000"), (e["own"], "1")],
            publish=False,
            explanations={"OD 124 777": "Құпия түсіндірме"},
        )
    assert third.status == DraftStatus.PREPARING
    return first, second, third


def line_row(version, status, entry, amount, explanation="", group=None):
    return {
        "version": version,
        "status": status,
        "kind": entry.kind,
        "code": entry.code,
        "name_kk": entry.name_kk,
        "name_ru": entry.name_ru,
        "functional_group": group,
        "is_transfer": entry.is_transfer,
        "amount": D(amount),
        "explanation": explanation,
    }


def expected_draft_lines(e) -> list[dict]:
    # Version by version; expenditure before revenue (by the kind's code), then by
    # position and code.
    return [
        line_row(1, "published", e["office"], "20000000.00", OFFICE_NOTE, group=1),
        line_row(1, "published", e["lighting"], "28000000.00", group=7),
        line_row(1, "published", e["own"], "3000000.00"),
        line_row(1, "published", e["subvention"], "45000000.00"),
        line_row(2, "published", e["other"], "0.50"),
        line_row(2, "published", e["office"], "20000000.00", group=1),
        line_row(2, "published", e["lighting"], "27999999.50", group=7),
        line_row(2, "published", e["own"], "3000000.00"),
        line_row(2, "published", e["subvention"], "45000000.00"),
    ]


def test_draft_lines_in_csv_are_every_public_version_s_lines_exactly(
    client, cycle, versions, entries
):
    # Given two published versions and a third being prepared
    # When the CSV is downloaded
    body = download(client, cycle, "draft_lines", "csv")

    # Then its header is the declared columns, and its rows read back as the lines of the
    # two public versions, the explanation with its comma, quotes and line break intact
    header, rows = read_csv(body)
    assert header == opendata.DRAFT_LINES.column_names
    assert typed_csv_rows(opendata.DRAFT_LINES.columns, rows) == without_empty_text(
        expected_draft_lines(entries)
    )
    assert body.startswith(
        b"\xef\xbb\xbfversion,status,kind,code,name_kk,name_ru,functional_group,"
        b"is_transfer,amount,explanation\r\n"
    )
    # And nothing of the version being prepared is in it
    assert "OD 124 777" not in body.decode()
    assert "Құпия" not in body.decode()


# Each CSV download, the first line it starts with after the mark, and a name in it.
CSV_DOWNLOADS = (
    ("draft_lines", "version,status,kind,code,", "Жол 0"),
    ("roll_calls", "session,version,opens_at,", "Deputy001 Seat001"),
    ("execution", "entry,", "Строка 0"),
    ("fiscal:revenue", "code,", "Жол 0"),
    ("fiscal:expenditure", "code,", "Строка 1"),
)


@pytest.mark.parametrize(("what", "header", "name"), CSV_DOWNLOADS)
def test_every_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf_8(
    client, cycle, staff, akim, chairman, territory, what, header, name
):
    # Given an adopted budget, voted and reported, named in Kazakh and Russian
    build_adopted(
        cycle=cycle,
        staff=staff,
        akim=akim,
        chairman=chairman,
        district=territory["district"],
        size=2,
    )

    # When a CSV file is downloaded
    if what.startswith("fiscal:"):
        response = client.get(fiscal_url(cycle, what.removeprefix("fiscal:")))
        assert response.status_code == 200
        body = consume(response)
    else:
        body = download(client, cycle, what, "csv")

    # Then it starts with UTF-8's byte order mark, once, and its header follows it
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1
    assert body.removeprefix(b"\xef\xbb\xbf").startswith(header.encode())
    # And the names, Cyrillic ones too, are intact
    assert name in body.decode("utf-8-sig")


def test_draft_lines_in_json_are_every_public_version_s_lines_exactly(
    client, cycle, versions, entries
):
    body = download(client, cycle, "draft_lines", "json")

    rows = read_json(body)
    assert typed_json_rows(opendata.DRAFT_LINES.columns, rows) == expected_draft_lines(
        entries
    )
    # Written as exact decimals and real booleans, not strings
    assert '"amount": 27999999.50' in body.decode()
    assert '"is_transfer": true' in body.decode()
    assert "Құпия" not in body.decode()


def test_the_downloads_are_the_same_in_every_language(client, cycle, versions):
    bodies = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            bodies[language] = (
                download(client, cycle, "draft_lines", "csv"),
                download(client, cycle, "draft_lines", "json"),
            )
    assert bodies["kk"] == bodies["ru"] == bodies["en"]
    assert dataset_url(cycle, "draft_lines", "csv").startswith("/en/")


def test_a_cycle_whose_only_draft_is_being_prepared_has_no_draft_lines(
    client, cycle, draft
):
    # Given a draft still being prepared: nothing is public
    for extension in ("csv", "json"):
        assert client.get(dataset_url(cycle, "draft_lines", extension)).status_code == (
            404
        )


def test_the_rows_are_read_and_written_in_chunks_to_the_same_file(
    client, cycle, versions, monkeypatch
):
    # Given the whole file read with the usual chunks
    whole = {
        ext: download(client, cycle, "draft_lines", ext) for ext in ("csv", "json")
    }

    # When the rows are fetched two at a time and written three at a time
    monkeypatch.setattr(opendata, "CHUNK_SIZE", 2)
    monkeypatch.setattr(opendata, "ROWS_PER_WRITE", 3)
    for extension in ("csv", "json"):
        response = client.get(dataset_url(cycle, "draft_lines", extension))
        chunks = list(response.streaming_content)

        # Then the response comes in pieces (nine rows and the header or the brackets)
        # that make the same file
        assert len(chunks) == 4
        assert b"".join(chunks) == whole[extension]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_download_streams_outside_any_transaction(
    postgresql, client, cycle, versions, entries, monkeypatch
):
    # Given rows fetched two at a time through PostgreSQL's server-side cursor, in
    # autocommit as on a server (no request is atomic)
    monkeypatch.setattr(opendata, "CHUNK_SIZE", 2)
    assert connection.get_autocommit() and not connection.in_atomic_block

    # When the CSV is read, then it holds every row of the public versions
    header, rows = read_csv(download(client, cycle, "draft_lines", "csv"))
    assert header == opendata.DRAFT_LINES.column_names
    assert typed_csv_rows(opendata.DRAFT_LINES.columns, rows) == without_empty_text(
        expected_draft_lines(entries)
    )


# Roll calls


@pytest.fixture
def closed_session(submitted, maslikhat, chairman):
    """A session of the ten-seat maslikhat with one deputy absent; six vote for, one
    against, one abstains and one does not vote; it closes at its closing time."""
    session = session_open(
        submitted, chairman, absences={maslikhat[9].pk: "Іссапарда, командировка"}
    )
    ballots_cast(
        session,
        [(deputy, "for") for deputy in maslikhat[:6]]
        + [(maslikhat[6], "against"), (maslikhat[7], "abstain")],
    )
    with on(CLOSES + datetime.timedelta(minutes=1)):
        assert maslikhat_services.session_close(session=session) is True
    session.refresh_from_db()
    return session


def expected_roll_call(session, maslikhat) -> list[dict]:
    votes = ["for"] * 6 + ["against", "abstain", None, None]
    common = {
        "session": session.pk,
        "version": 1,
        "opens_at": session.opens_at,
        "closes_at": CLOSES,
        "closed_at": CLOSES + datetime.timedelta(minutes=1),
        "outcome": "passed",
        "total_deputies": 10,
    }
    # The chairman (Abenova) sorts before the deputies (Seat001…Seat009), as on the page.
    return [
        {
            **common,
            "deputy": f"{deputy.first_name} {deputy.last_name}",
            "is_present": index != 9,
            "absence_reason": "Іссапарда, командировка" if index == 9 else "",
            "vote": vote,
        }
        for index, (deputy, vote) in enumerate(zip(maslikhat, votes, strict=True))
    ]


def test_roll_calls_hold_every_deputy_of_a_closed_session_exactly(
    client, cycle, closed_session, maslikhat
):
    expected = expected_roll_call(closed_session, maslikhat)
    assert expected[0]["deputy"] == "Aigerim Abenova"
    assert expected[1]["deputy"] == "Deputy001 Seat001"

    csv_body = download(client, cycle, "roll_calls", "csv")
    json_body = download(client, cycle, "roll_calls", "json")

    header, rows = read_csv(csv_body)
    assert header == maslikhat_opendata.ROLL_CALLS.column_names
    assert typed_csv_rows(
        maslikhat_opendata.ROLL_CALLS.columns, rows
    ) == without_empty_text(expected)
    assert (
        typed_json_rows(maslikhat_opendata.ROLL_CALLS.columns, read_json(json_body))
        == expected
    )
    # The deputies are named as the roll call names them, never by their e-mail
    for deputy in maslikhat:
        for body in (csv_body, json_body):
            assert deputy.email.encode() not in body
            assert b"@" not in body


def test_a_session_still_open_is_not_in_the_roll_calls_until_it_closes(
    client, cycle, submitted, maslikhat, chairman
):
    # Given an open session where two deputies have voted
    session = session_open(submitted, chairman)
    ballots_cast(session, [(maslikhat[0], "for"), (maslikhat[1], "against")])

    # When the roll calls are downloaded, they hold only the header (and an empty array)
    header, rows = read_csv(download(client, cycle, "roll_calls", "csv"))
    assert (header, rows) == (maslikhat_opendata.ROLL_CALLS.column_names, [])
    assert read_json(download(client, cycle, "roll_calls", "json")) == []


def test_roll_calls_before_any_draft_is_submitted_are_not_found(
    client, cycle, published
):
    assert client.get(dataset_url(cycle, "roll_calls", "csv")).status_code == 404


# Execution


def _entry(draft, code):
    return draft.lines.select_related("classification", "draft__cycle__unit").get(
        classification__code=code
    )


@pytest.fixture
def executed(adopted, staff, akim):
    """The first quarter of the adopted budget reported on 10 April 2027, the subventions
    corrected on 15 July."""
    land_tax = _entry(adopted, "1 04 3")
    subventions = _entry(adopted, "4 02 3 03")
    lighting = _entry(adopted, "124 008")
    with on(at(2027, 4, 10)):
        reported = execution.execution_record_quarter(
            cycle=adopted.cycle,
            quarter=1,
            reports=[
                execution.ReportInput(
                    land_tax, D("250000.50"), "По данным казначейства"
                ),
                execution.ReportInput(subventions, D("10000000"), "Субвенция"),
                execution.ReportInput(lighting, D("1500000"), ""),
            ],
            actor=staff,
        )
    by_code = {entry.line.classification.code: entry for entry in reported}
    with on(at(2027, 7, 15)):
        correction = execution.execution_correct(
            entry=by_code["4 02 3 03"],
            new_total=D("9500000"),
            reason="Часть пришла в апреле",
            actor=akim,
        )
    return {**by_code, "correction": correction}


def execution_row(entry, line, amount, note, corrects, recorded_at):
    classification = BudgetClassification.objects.get(pk=line.classification_id)
    return {
        "entry": entry.pk,
        "kind": classification.kind,
        "code": classification.code,
        "name_kk": classification.name_kk,
        "name_ru": classification.name_ru,
        "quarter": 1,
        "amount": D(amount),
        "note": note,
        "corrects": corrects,
        "recorded_at": recorded_at,
    }


def test_execution_holds_every_report_and_correction_exactly(
    client, cycle, adopted, executed
):
    e = executed
    land_tax, subventions = e["1 04 3"], e["4 02 3 03"]
    april, july = at(2027, 4, 10), at(2027, 7, 15)
    # Expenditure before revenue; in a line and quarter, the oldest first
    expected = [
        execution_row(e["124 008"], e["124 008"].line, "1500000.00", "", None, april),
        execution_row(
            land_tax, land_tax.line, "250000.50", "По данным казначейства", None, april
        ),
        execution_row(
            subventions, subventions.line, "10000000.00", "Субвенция", None, april
        ),
        execution_row(
            e["correction"],
            subventions.line,
            "-500000.00",
            "Часть пришла в апреле",
            subventions.pk,
            july,
        ),
    ]

    csv_body = download(client, cycle, "execution", "csv")
    header, rows = read_csv(csv_body)
    assert header == opendata.EXECUTION.column_names
    assert typed_csv_rows(opendata.EXECUTION.columns, rows) == without_empty_text(
        expected
    )
    json_rows = read_json(download(client, cycle, "execution", "json"))
    assert typed_json_rows(opendata.EXECUTION.columns, json_rows) == expected
    # The moments are Kazakhstan's time with its offset
    assert rows[0]["recorded_at"] == json_rows[0]["recorded_at"]
    assert datetime.datetime.fromisoformat(rows[0]["recorded_at"]) == april
    # And whoever recorded an entry is not in it
    assert b"@" not in csv_body


def test_execution_before_a_budget_is_adopted_is_not_found(client, cycle, submitted):
    for extension in ("csv", "json"):
        assert client.get(dataset_url(cycle, "execution", extension)).status_code == 404


# The Fiscal Data Package


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def fiscal_url(cycle, name: str | None = None) -> str:
    kwargs = {"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year}
    if name is None:
        return reverse("budgets:fiscal_descriptor", kwargs=kwargs)
    return reverse("budgets:fiscal_resource", kwargs={**kwargs, "name": name})


def schema_errors(descriptor: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(schema())
    return [error.message for error in validator.iter_errors(descriptor)]


def read_package(client, cycle) -> tuple[dict, dict[str, list[dict]]]:
    """The descriptor, validated against the published schema, and each resource read
    from its path beside it: its header is the fields' names and each value parses as
    its field's type."""
    url = "http://testserver" + fiscal_url(cycle)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    descriptor = json.loads(response.content)
    assert schema_errors(descriptor) == []
    tables = {}
    for resource in descriptor["resources"]:
        # The path resolves relative to the descriptor, to the CSV file beside it
        resolved = urljoin(url, resource["path"])
        assert resolved.startswith(url.removesuffix("datapackage.json"))
        file = client.get(urlparse(resolved).path)
        assert file.status_code == 200
        assert file["Content-Type"] == "text/csv; charset=utf-8"
        assert file["Content-Disposition"] == (
            f'attachment; filename="{resource["path"]}"'
        )
        header, rows = read_csv(consume(file))
        fields = resource["schema"]["fields"]
        assert header == [field["name"] for field in fields]
        tables[resource["name"]] = [
            _typed_by_fields(fields, row, resource["schema"]["primaryKey"])
            for row in rows
        ]
        codes = [
            row[resource["schema"]["primaryKey"]] for row in tables[resource["name"]]
        ]
        assert len(codes) == len(set(codes))
    return descriptor, tables


def _typed_by_fields(fields: list[dict], row: dict, primary_key: str) -> dict:
    typed = {}
    for field in fields:
        text = row[field["name"]]
        if field.get("constraints", {}).get("required") or field["name"] == primary_key:
            assert text != "", field["name"]
        if text == "":
            typed[field["name"]] = None
        elif field["type"] == "number":
            assert re.fullmatch(r"-?\d+\.\d\d", text), text
            typed[field["name"]] = D(text)
        elif field["type"] == "integer":
            typed[field["name"]] = int(text)
        elif field["type"] == "boolean":
            assert text in field["trueValues"] + field["falseValues"], text
            typed[field["name"]] = text in field["trueValues"]
        else:
            assert field["type"] == "string", field
            typed[field["name"]] = text
    return typed


def _names(code: str) -> tuple[str, str]:
    entry = BudgetClassification.objects.get(code=code)
    return entry.name_kk, entry.name_ru


def adopted_rows(*, executed: dict | None = None):
    """The ADOPTED lines as the package's two tables, in the classification's order."""
    tables = {"revenue": [], "expenditure": []}
    for kind in (REVENUE, EXPENDITURE):
        for entry in BudgetClassification.objects.filter(
            kind=kind, code__in=ADOPTED[kind]
        ).order_by("position", "code"):
            row = {
                "code": entry.code,
                "name_kk": entry.name_kk,
                "name_ru": entry.name_ru,
            }
            if kind == REVENUE:
                row["is_transfer"] = entry.is_transfer
            else:
                row["functional_group"] = entry.functional_group
            row["amount"] = D(ADOPTED[kind][entry.code]).quantize(D("0.01"))
            if executed is not None:
                row["executed"] = executed.get(entry.code, D("0.00"))
            tables[kind].append(row)
    return tables


def test_the_adopted_budget_with_its_execution_is_a_valid_fiscal_data_package(
    client, cycle, adopted, executed
):
    # When the package is read as a tool reads it
    descriptor, tables = read_package(client, cycle)

    # Then it is the fiscal package of the approved budget with its execution
    assert {
        key: descriptor[key]
        for key in (
            "profile",
            "name",
            "countryCode",
            "granularity",
            "fiscalPeriod",
            "version",
            "licenses",
            "homepage",
        )
    } == {
        "profile": "tabular-data-package",
        "name": "qatysu-115633000-2027-budget",
        "countryCode": "KZ",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": "2027-01-01", "end": "2027-12-31"},
        "version": "1",
        "licenses": [opendata.LICENCE],
        "homepage": "http://testserver/en/units/115633000/budget/2027/",
    }
    assert descriptor["model"]["measures"] == {
        f"{name}_{phase}": {
            "source": "amount" if phase == "approved" else "executed",
            "resource": name,
            "currency": "KZT",
            "factor": 1,
            "direction": name,
            "phase": phase,
        }
        for name in ("revenue", "expenditure")
        for phase in ("approved", "executed")
    }
    dimensions = descriptor["model"]["dimensions"]
    assert {
        name: (d["primaryKey"], d["dimensionType"], d["classificationType"])
        for name, d in dimensions.items()
    } == {
        "revenue_classification": ("code", "classification", "economic"),
        "expenditure_classification": ("code", "classification", "functional"),
    }
    # Every attribute of the model names a column of its resource
    fields = {
        resource["name"]: {field["name"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    for measure in descriptor["model"]["measures"].values():
        assert measure["source"] in fields[measure["resource"]]
    for dimension in dimensions.values():
        for attribute in dimension["attributes"].values():
            assert attribute["source"] in fields[attribute["resource"]]
    # And the files hold the adopted lines, each with what it received or spent
    assert tables == adopted_rows(
        executed={
            "1 04 3": D("250000.50"),
            "4 02 3 03": D("9500000.00"),
            "124 008": D("1500000.00"),
        }
    )


def test_the_adopted_budget_before_any_report_has_no_executed_measure(
    client, cycle, adopted
):
    descriptor, tables = read_package(client, cycle)

    assert sorted(descriptor["model"]["measures"]) == [
        "expenditure_approved",
        "revenue_approved",
    ]
    assert tables == adopted_rows()
    assert all(
        "executed" not in {field["name"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    )


def test_before_the_maslikhat_approves_the_package_holds_the_newest_public_version(
    client, cycle, versions, entries
):
    descriptor, tables = read_package(client, cycle)

    assert {m["phase"] for m in descriptor["model"]["measures"].values()} == {
        "proposed"
    }
    assert sorted(descriptor["model"]["measures"]) == [
        "expenditure_proposed",
        "revenue_proposed",
    ]
    assert descriptor["version"] == "2"
    e = entries

    def row(entry, amount, **extra):
        return {
            "code": entry.code,
            "name_kk": entry.name_kk,
            "name_ru": entry.name_ru,
            **extra,
            "amount": D(amount),
        }

    assert tables == {
        "revenue": [
            row(e["own"], "3000000.00", is_transfer=False),
            row(e["subvention"], "45000000.00", is_transfer=True),
        ],
        "expenditure": [
            row(e["other"], "0.50", functional_group=None),
            row(e["office"], "20000000.00", functional_group=1),
            row(e["lighting"], "27999999.50", functional_group=7),
        ],
    }


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("model"), "model"),
        (lambda d: d.update(profile="fiscal-data-package"), "profile"),
        (lambda d: d.update(countryCode="Kazakhstan"), "countryCode"),
        (
            lambda d: d["model"]["measures"]["revenue_approved"].update(
                currency="tenge"
            ),
            "currency",
        ),
        (
            lambda d: d["model"]["measures"]["revenue_approved"].update(
                phase="planned"
            ),
            "phase",
        ),
        (lambda d: d["resources"][0].update(path="../revenue.csv"), "path"),
    ],
)
def test_the_schema_refuses_a_package_that_breaks_it(
    client, cycle, adopted, change, path
):
    # Given the valid descriptor of the adopted budget
    descriptor = json.loads(client.get(fiscal_url(cycle)).content)
    assert schema_errors(descriptor) == []

    # When one of its parts is broken, the published schema refuses it
    change(descriptor)
    assert schema_errors(descriptor) != [], path


def test_a_cycle_without_a_public_draft_has_no_fiscal_data_package(
    client, cycle, draft
):
    assert client.get(fiscal_url(cycle)).status_code == 404
    for name in ("revenue", "expenditure"):
        assert client.get(fiscal_url(cycle, name)).status_code == 404


def test_an_unknown_resource_of_the_package_is_not_found(client, cycle, adopted):
    assert client.get(fiscal_url(cycle, "debt")).status_code == 404


# Not found


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_an_unknown_data_set_or_cycle_is_not_found(client, cycle, adopted, extension):
    assert client.get(dataset_url(cycle, "ballots", extension)).status_code == 404
    kwargs = {"slug": "draft_lines"}
    for kato, year in (("115633000", 2031), ("999999999", 2027)):
        url = reverse(
            f"budgets:dataset_{extension}",
            kwargs={"kato_code": kato, "fiscal_year": year, **kwargs},
        )
        assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse(
                "budgets:fiscal_descriptor",
                kwargs={"kato_code": "115633000", "fiscal_year": 2031},
            )
        ).status_code
        == 404
    )


# Pages


def data_page(client, cycle):
    return client.get(
        reverse(
            "budgets:cycle_data",
            kwargs={
                "kato_code": cycle.unit.kato_code,
                "fiscal_year": cycle.fiscal_year,
            },
        )
    )


def test_the_data_page_links_every_data_set_the_cycle_has_and_the_package(
    client, cycle, adopted, executed
):
    response = data_page(client, cycle)

    assert response.status_code == 200
    html = response.content.decode()
    # (A cycle without a residents' vote has none of its data: tests/votes/test_pages.py)
    for dataset in opendata.datasets():
        if dataset.slug.startswith("vote_"):
            assert f'data-dataset="{dataset.slug}"' not in html
            continue
        assert f'data-dataset="{dataset.slug}"' in html
        for extension in ("csv", "json"):
            assert f'href="{dataset_url(cycle, dataset.slug, extension)}"' in html
    assert f'href="{fiscal_url(cycle)}"' in html
    for resource in fiscal_data_package.RESOURCES:
        assert f'href="{fiscal_url(cycle, resource.name)}"' in html


def test_the_data_page_of_a_cycle_with_nothing_public_offers_only_the_proposals(
    client, cycle, draft
):
    html = data_page(client, cycle).content.decode()

    assert re.findall(r'data-dataset="(\w+)"', html) == ["proposals"]
    assert f'href="{fiscal_url(cycle)}"' not in html
    assert "It appears once the akimat publishes a draft budget." in html


def test_the_cycle_page_links_its_data_page_and_the_footer_the_documentation(
    client, cycle
):
    html = client.get(cycle.get_absolute_url()).content.decode()

    assert (
        f'href="{reverse("budgets:cycle_data", args=[cycle.unit.kato_code, 2027])}"'
        in html
    )
    assert f'href="{reverse("budgets:opendata_docs")}"' in html


def test_the_documentation_page_describes_every_data_set_and_column(client, db):
    response = client.get(reverse("budgets:opendata_docs"))

    assert response.status_code == 200
    html = response.content.decode()
    slugs = [dataset.slug for dataset in opendata.datasets()]
    assert slugs == [
        "proposals",
        "vote_projects",
        "vote_ballots",
        "draft_lines",
        "roll_calls",
        "execution",
    ]
    for dataset in opendata.datasets():
        section = html.split(f'data-dataset="{dataset.slug}"', 1)[1].split(
            "</section>", 1
        )[0]
        assert escape(str(dataset.description)) in section
        assert re.findall(r'data-column="(\w+)"', section) == dataset.column_names
        for column in dataset.columns:
            for value, _label in column.choices:
                assert f"<code>{value}</code>" in section
    package = html.split('id="fiscal-data-package"', 1)[1]
    for resource in fiscal_data_package.RESOURCES:
        table = package.split(f'id="fiscal-{resource.name}"', 1)[1].split(
            "</table>", 1
        )[0]
        assert re.findall(r'data-column="(\w+)"', table) == [
            column.name for column in resource.columns
        ]
    assert 'data-column="executed"' in package
    assert opendata.LICENCE["path"] in html
    assert "UTF-8, starting with a byte order mark so that Excel opens" in html


def test_the_documentation_page_is_in_the_language_of_its_address(client, db):
    with translation.override("ru"):
        url = reverse("budgets:opendata_docs")
    assert url == "/ru/open-data/"
    assert client.get(url).status_code == 200


# Never public


def test_no_e_mail_or_iin_is_in_any_download(
    client, cycle, adopted, executed, staff, akim
):
    bodies = [
        download(client, cycle, dataset.slug, extension)
        for dataset in opendata.datasets()
        if dataset.is_available(cycle)
        for extension in ("csv", "json")
    ]
    bodies.append(client.get(fiscal_url(cycle)).content)
    bodies += [
        consume(client.get(fiscal_url(cycle, r.name)))
        for r in fiscal_data_package.RESOURCES
    ]
    users = list(User.objects.all())
    assert users
    for body in bodies:
        for user in users:
            assert user.email.encode() not in body
            if user.iin_digest:
                assert user.iin_digest.encode() not in body
        assert b"@" not in body


# Queries: the same at 5 and at 50 lines, entries and deputies.

SIZES = (5, 50)


def build_adopted(*, cycle, staff, akim, chairman, district, size: int) -> None:
    """A budget of `size` revenue and `size` expenditure lines, approved by a maslikhat of
    `size` deputies all voting for it, and every line reported for the first quarter."""
    made = BudgetClassification.objects.bulk_create(
        [
            BudgetClassification(
                kind=kind,
                code=f"QQ{kind[0]}{index:03d}",
                name_kk=f"Жол {index}",
                name_ru=f"Строка {index}",
                is_transfer=kind == REVENUE and index % 2 == 0,
                position=100 + index,
            )
            for kind in (REVENUE, EXPENDITURE)
            for index in range(size)
        ]
    )
    assert len(made) == 2 * size
    entries = BudgetClassification.objects.filter(code__startswith="QQ").order_by("pk")
    deputies = [chairman, *deputies_of(district, size - 1)]
    with on(DAY_IN["drafting"]):
        draft = _version(
            cycle,
            staff,
            [(entry, "1000000") for entry in entries],
            publish=True,
        )
    with on(SUBMITTED_ON):
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.meeting_record(
            draft=draft,
            actor=staff,
            held_on=at(2026, 11, 11).date(),
            members_total=15,
            members_present=12,
            decision=MeetingDecision.COORDINATED,
            remarks="",
            minutes=SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        )
        services.draft_submit(draft=draft, actor=akim)
    session = session_open(draft, chairman)
    ballots_cast(session, [(deputy, "for") for deputy in deputies], now=DURING)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    with on(at(2027, 4, 10)):
        execution.execution_record_quarter(
            cycle=cycle,
            quarter=1,
            reports=[
                execution.ReportInput(line, D("1000"), "")
                for line in BudgetLine.objects.filter(draft=draft).select_related(
                    "classification", "draft__cycle"
                )
            ],
            actor=staff,
        )


# The queries of each download for the public: the cycle with its unit (1), its phases
# (1) and its drafts (1), then the download's own.
PINNED = {
    ("draft_lines", "csv"): 4,
    ("draft_lines", "json"): 4,
    ("roll_calls", "csv"): 4,
    ("roll_calls", "json"): 4,
    ("execution", "csv"): 4,
    ("execution", "json"): 4,
    ("fiscal", "datapackage.json"): 4,
    ("fiscal", "revenue"): 5,
    ("fiscal", "expenditure"): 5,
    # (+1: whether the cycle has a counted residents' vote, for its two data sets)
    ("page", "data"): 5,
    ("page", "docs"): 0,
}
ROWS = {
    "draft_lines": lambda size: 2 * size,
    "roll_calls": lambda size: size,
    "execution": lambda size: 2 * size,
}


def _read(client, cycle, what, form):
    if what == "fiscal":
        url = fiscal_url(cycle, None if form == "datapackage.json" else form)
    elif what == "page":
        url = (
            reverse("budgets:opendata_docs")
            if form == "docs"
            else reverse(
                "budgets:cycle_data", args=[cycle.unit.kato_code, cycle.fiscal_year]
            )
        )
    else:
        url = dataset_url(cycle, what, form)
    response = client.get(url)
    assert response.status_code == 200
    return consume(response) if response.streaming else response.content


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("what", "form"), list(PINNED))
def test_each_download_costs_the_same_queries_at_5_and_50(
    client,
    cycle,
    staff,
    akim,
    chairman,
    territory,
    django_assert_num_queries,
    size,
    what,
    form,
):
    # Given an adopted budget of `size` lines of each kind, voted by `size` deputies,
    # every line reported
    build_adopted(
        cycle=cycle,
        staff=staff,
        akim=akim,
        chairman=chairman,
        district=territory["district"],
        size=size,
    )
    _read(client, cycle, what, form)

    # When it is downloaded, the whole stream read
    with django_assert_num_queries(PINNED[what, form]):
        body = _read(client, cycle, what, form)

    # Then it holds every row
    if what in ROWS:
        if form == "csv":
            assert len(read_csv(body)[1]) == ROWS[what](size)
        else:
            assert len(read_json(body)) == ROWS[what](size)
    elif what == "fiscal" and form != "datapackage.json":
        assert len(read_csv(body)[1]) == size
