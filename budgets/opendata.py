"""Open data of a budget cycle: the registry of the data sets that can be downloaded, their
columns as the public documentation page shows them, and the CSV and JSON writers that
stream them.

A data set declares its columns once; the downloads, their header and the documentation
page are all read from that declaration. Budgets registers its data sets here; the
maslikhat and proposals, which budgets never imports, register theirs from their
AppConfig.ready().

Formats, the same for every data set:
- CSV: UTF-8 starting with a byte order mark (without it Excel reads the file in the
  system's legacy code page and garbles Cyrillic; CSV readers that follow the Data
  Package specs, frictionless among them, skip it), comma-separated, a header row of the
  column names, lines ended by CRLF and fields quoted where needed (RFC 4180).
- JSON: an array of objects, one per row, keyed by the column names.
- No value: an empty field in CSV, null in JSON. Amounts: tenge with a decimal point and
  two decimals (a number in JSON, written exactly). Booleans: true / false. Dates:
  YYYY-MM-DD. Moments: ISO 8601 in Kazakhstan's time with its offset.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from budgets import selectors
from budgets.models import (
    BudgetCycle,
    ClassificationKind,
    DraftStatus,
    functional_group_of,
)

# Rows fetched from the database at a time, and rows written to the response at a time.
CHUNK_SIZE = 500
ROWS_PER_WRITE = 200

# The column types, by the names of the Table Schema (Frictionless Data) types.
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)
TYPE_FORMATS = {
    STRING: _("text"),
    INTEGER: _("a whole number"),
    NUMBER: _(
        "an amount in tenge: a decimal point and two decimals, no grouping of thousands "
        "(2400000.00); a number in JSON"
    ),
    BOOLEAN: _("true or false"),
    DATE: _("a day: YYYY-MM-DD"),
    DATETIME: _(
        "a moment: ISO 8601 in Kazakhstan's time with its offset "
        "(2027-04-10T12:00:00+05:00)"
    ),
}

# The licence the open data is published under; the Open Definition identifier for the
# Fiscal Data Package's descriptor.
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Promise | str
    # The codes the column takes, with their labels, for the documentation page.
    choices: Sequence[tuple[str, Promise | str]] = ()

    @property
    def format(self) -> Promise:
        return TYPE_FORMATS[self.type]


@dataclass(frozen=True)
class Dataset:
    """A table of one cycle's public data, downloadable as CSV and JSON."""

    slug: str
    title: Promise | str
    description: Promise | str
    columns: tuple[Column, ...]
    # The rows of a cycle, each a dict keyed by the column names, read in chunks.
    rows: Callable[[BudgetCycle], Iterable[dict]]
    # Whether the cycle has this data yet, from what `selectors.cycle_get` prefetched.
    is_available: Callable[[BudgetCycle], bool] = field(default=lambda cycle: True)
    # The order of the data sets on the pages.
    position: int = 100

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


_registry: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _registry:
        raise ValueError(f"The data set {dataset.slug!r} is registered twice.")
    _registry[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return sorted(
        _registry.values(), key=lambda dataset: (dataset.position, dataset.slug)
    )


def dataset_get(slug: str) -> Dataset | None:
    return _registry.get(slug)


# Writers


TIYN = Decimal("0.01")


def _tenge(amount: Decimal) -> str:
    # Every amount with its two decimals, whatever the database handed back (SQLite
    # gives a sum of nothing as 0).
    return format(amount.quantize(TIYN), "f")


# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection): a
# resident's "=HYPERLINK(…)" would be a live link. Such a text is written in the CSV after
# an apostrophe, which spreadsheets show as text and do not run; numbers are numbers, and
# the JSON keeps every text exact (documented on the open data page).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _tenge(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(str(value))


def _json_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Written as the exact decimal, not through a float.
        return _tenge(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return json.dumps(_csv_value(value))
    return json.dumps(str(value), ensure_ascii=False)


class _Echo:
    """A file that hands back what is written to it, so that csv.writer returns lines."""

    def write(self, value: str) -> str:
        return value


def _batched(parts: Iterator[str]) -> Iterator[str]:
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) >= ROWS_PER_WRITE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


BYTE_ORDER_MARK = "\ufeff"


def csv_stream(columns: Sequence[Column], rows: Iterable[dict]) -> Iterator[str]:
    """The CSV text of the rows, a few hundred lines at a time: the byte order mark and
    the header first."""
    writer = csv.writer(_Echo())
    names = [column.name for column in columns]

    def lines() -> Iterator[str]:
        yield BYTE_ORDER_MARK + writer.writerow(names)
        for row in rows:
            yield writer.writerow([_csv_value(row[name]) for name in names])

    return _batched(lines())


def json_stream(columns: Sequence[Column], rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array of the rows, one object per row, a few hundred rows at a time."""
    keys = [(column.name, json.dumps(column.name)) for column in columns]

    def parts() -> Iterator[str]:
        yield "["
        separator = "\n"
        for row in rows:
            yield (
                separator
                + "{"
                + ", ".join(f"{key}: {_json_value(row[name])}" for name, key in keys)
                + "}"
            )
            separator = ",\n"
        yield "\n]\n"

    return _batched(parts())


def export_csv(dataset: Dataset, cycle: BudgetCycle) -> Iterator[str]:
    return csv_stream(dataset.columns, dataset.rows(cycle))


def export_json(dataset: Dataset, cycle: BudgetCycle) -> Iterator[str]:
    return json_stream(dataset.columns, dataset.rows(cycle))


# The data sets of budgets


def choices_of(choices: type[TextChoices]) -> tuple:
    return tuple(choices.choices)


CLASSIFICATION_COLUMNS = (
    Column(
        "kind",
        STRING,
        _("Revenue or expenditure."),
        choices_of(ClassificationKind),
    ),
    Column(
        "code",
        STRING,
        _("The code of the line in the budget classification."),
    ),
    Column("name_kk", STRING, _("The name of the line in Kazakh.")),
    Column("name_ru", STRING, _("The name of the line in Russian.")),
)


def _public_draft_statuses() -> tuple:
    return tuple(
        (value, label)
        for value, label in DraftStatus.choices
        if value != DraftStatus.PREPARING
    )


def draft_line_rows(cycle: BudgetCycle) -> Iterator[dict]:
    for line in selectors.export_draft_lines(cycle).iterator(chunk_size=CHUNK_SIZE):
        yield {
            "version": line["draft__version"],
            "status": line["draft__status"],
            "kind": line["classification__kind"],
            "code": line["classification__code"],
            "name_kk": line["classification__name_kk"],
            "name_ru": line["classification__name_ru"],
            "functional_group": functional_group_of(
                line["classification__kind"], line["classification__position"]
            ),
            "is_transfer": line["classification__is_transfer"],
            "amount": line["amount"],
            "explanation": line["explanation"],
        }


DRAFT_LINES = register(
    Dataset(
        slug="draft_lines",
        title=_("Draft budget lines, by version"),
        description=_(
            "Every line of every version of the draft budget made public, from the first "
            "published to the one the maslikhat approved: one row per version and line. "
            "A version still being prepared by the akimat is not public and not here."
        ),
        columns=(
            Column("version", INTEGER, _("The version of the draft, from 1.")),
            Column(
                "status",
                STRING,
                _("Where the version stands."),
                _public_draft_statuses(),
            ),
            *CLASSIFICATION_COLUMNS,
            Column(
                "functional_group",
                INTEGER,
                _(
                    "For an expenditure, its functional group (1 to 15) of the budget "
                    "classification; empty when not known and for revenue."
                ),
            ),
            Column(
                "is_transfer",
                BOOLEAN,
                _("Whether the revenue is a transfer from the district budget."),
            ),
            Column("amount", NUMBER, _("The amount of the line, in tenge.")),
            Column("explanation", STRING, _("The akimat's explanation of the line.")),
        ),
        rows=draft_line_rows,
        is_available=lambda cycle: bool(selectors.public_drafts(cycle)),
        position=20,
    )
)


def execution_rows(cycle: BudgetCycle) -> Iterator[dict]:
    entries = selectors.export_execution_entries(cycle)
    for entry in entries.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "entry": entry["pk"],
            "kind": entry["line__classification__kind"],
            "code": entry["line__classification__code"],
            "name_kk": entry["line__classification__name_kk"],
            "name_ru": entry["line__classification__name_ru"],
            "quarter": entry["quarter"],
            "amount": entry["amount"],
            "note": entry["note"],
            "corrects": entry["corrects_id"],
            "recorded_at": entry["recorded_at"],
        }


EXECUTION = register(
    Dataset(
        slug="execution",
        title=_("Execution of the adopted budget"),
        description=_(
            "Every report and correction the akimat recorded on a line of the adopted "
            "budget, quarter by quarter, oldest first. A report holds what was received "
            "or spent; a correction holds the signed difference it made, so that a "
            "line's total for a quarter is the sum of its entries."
        ),
        columns=(
            Column("entry", INTEGER, _("The number of the entry.")),
            *CLASSIFICATION_COLUMNS,
            Column("quarter", INTEGER, _("The quarter of the fiscal year, 1 to 4.")),
            Column(
                "amount",
                NUMBER,
                _(
                    "A report: the amount received or spent. A correction: the signed "
                    "difference it makes to the quarter's total."
                ),
            ),
            Column("note", STRING, _("The akimat's note, or the correction's reason.")),
            Column(
                "corrects",
                INTEGER,
                _("For a correction, the entry it corrects; empty for a report."),
            ),
            Column("recorded_at", DATETIME, _("When the entry was recorded.")),
        ),
        rows=execution_rows,
        is_available=lambda cycle: selectors.adopted_draft(cycle) is not None,
        position=40,
    )
)
