"""Reading the tables both imports take (CSV or XLSX), the codes of a refused import and
the error that carries them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.models import AdministrativeUnit

BATCH_SIZE = 1000
KATO_COLUMNS = ("te", "ab", "cd", "ef", "hij", "k", "name_kaz", "name_rus", "nn")
# The parts of TE, each with where its digits sit in the code.
KATO_PARTS = (("ab", 0, 2), ("cd", 2, 4), ("ef", 4, 6), ("hij", 6, 9))
POPULATION_COLUMNS = ("kato", "population", "year")
FIRST_CENSUS_YEAR = 1989
NAME_MAX_LENGTH = AdministrativeUnit._meta.get_field("name_ru").max_length
KATO_CODE = re.compile(r"^\d{9}\Z")


# The codes of refusals. A file's own faults are the same for both imports and take
# the import's prefix: `kato_wrong_format`, `population_wrong_format`.
FILE_CODES = ("wrong_format", "empty_file", "missing_column")
KATO_CODES = (
    "kato_code_not_nine_digits",
    "kato_parts_mismatch",
    "kato_code_repeated",
    "kato_name_empty",
    "kato_name_too_long",
    "kato_parent_missing",
    "kato_level_unknown",
)
POPULATION_CODES = (
    "population_unknown_code",
    "population_code_repeated",
    "population_not_a_number",
    "population_negative",
    "population_year_out_of_range",
)
CODES = frozenset(
    (
        *(
            f"{kind}_{code}"
            for kind in ("kato", "population", "register")
            for code in FILE_CODES
        ),
        *KATO_CODES,
        *POPULATION_CODES,
    )
)


# The codes of a refused import, declared once (CODES).
ImportCode = StrEnum("ImportCode", {code.upper(): code for code in sorted(CODES)})


class ImportFailed(DomainError):
    """An import stopped: a stable `code` from CODES and a translated message."""

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(code)  # a programming error, not the file's
        super().__init__(ImportCode(code), message)


class ImportCommandError(CommandError):
    """A refused import as a management command reports it; `code` stays readable."""

    def __init__(self, failure: ImportFailed) -> None:
        super().__init__(str(failure))
        self.code = failure.code


# Reading tables: CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX.


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]  # lower-cased column name → stripped text


def wrong_format(path: Path, kind: str) -> ImportFailed:
    return ImportFailed(
        f"{kind}_wrong_format",
        _("%(file)s is in a wrong format: expected %(accepted)s.")
        % {"file": path.name, "accepted": _("a CSV or XLSX file")},
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A code typed into a spreadsheet is a number: 100000000.0 is "100000000".
        return str(int(value))
    return str(value).strip()


def _csv_records(path: Path, kind: str) -> Iterator[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (UnicodeDecodeError, OSError) as error:
        raise wrong_format(path, kind) from error
    if "\x00" in text:
        raise wrong_format(path, kind)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise wrong_format(path, kind) from error


def _xlsx_records(path: Path, kind: str) -> Iterator[list[object]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise wrong_format(path, kind) from error
    try:
        records = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                record = next(records, None)
            except Exception as error:  # a damaged sheet fails in many ways
                raise wrong_format(path, kind) from error
            if record is None:
                return
            yield list(record)
    finally:
        workbook.close()


def read_table(path: Path, required: Iterable[str], *, kind: str) -> Iterator[Row]:
    """Rows of a CSV or XLSX file as dicts keyed by lower-cased column name.

    Column names match case-insensitively and extra columns are ignored; a missing
    required column, or a file that is not a readable table, stops the import with a
    code prefixed by `kind` ("kato", "population" or "register"). Blank rows are skipped, also
    above the header; rows keep the numbers a spreadsheet shows.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records: Iterator[list] = _csv_records(path, kind)
    elif suffix == ".xlsx":
        records = _xlsx_records(path, kind)
    else:
        raise wrong_format(path, kind)

    numbered = enumerate(records, start=1)
    for _number, header in numbered:
        columns = [_cell_text(name).lower() for name in header]
        if any(columns):
            break
    else:
        raise ImportFailed(
            f"{kind}_empty_file", _("%(file)s is empty.") % {"file": path.name}
        )
    for column in required:
        if column not in columns:
            raise ImportFailed(
                f"{kind}_missing_column",
                _("The column %(column)s is missing from %(file)s.")
                % {"column": column.upper(), "file": path.name},
            )
    for number, record in numbered:
        texts = [_cell_text(value) for value in record]
        if not any(texts):
            continue
        yield Row(number, dict(zip(columns, texts, strict=False)))


def row_error(row: Row, code: str, reason: str) -> ImportFailed:
    return ImportFailed(
        code,
        _("Row %(row)d: %(reason)s Nothing was imported.")
        % {"row": row.number, "reason": reason},
    )
