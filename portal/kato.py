"""Importing KATO, the classifier of administrative-territorial units, and populations.

The Bureau of National Statistics publishes KATO as a table with the columns
`TE, AB, CD, EF, HIJ, K, NAME_KAZ, NAME_RUS, NN`: TE is the nine-digit code,
AB/CD/EF/HIJ its parts. The classifier states neither a unit's level nor its parent;
both are read off the code's structure and the abbreviation in the Russian name:

    AB 00 00 000  a region ("... область") or a city of republican significance ("г.")
    AB CD 00 000  a city administration ("Семей Г.А.", CD 10-29) or a district
                  ("район", CD 30-79); under a city of republican significance, a city
                  district
    AB CD EF 000  under a city administration: the city itself ("г.Семей", EF 10) or a
                  city district ("р.а."); under a district: a town administration
                  ("г.а.", EF 20-29); anywhere: a rural district ("с.о."), a village
                  administration ("с.а.") or a settlement administration ("п.а.")
    AB CD EF H00  a town ("г."), a settlement ("п."), a city district ("район") or
                  otherwise a village ("с.", stations, sidings, farms)
    AB CD EF Hnn  a minor locality under the village H00: a settlement ("п.") or else
                  a village

The parent is the nearest code above that exists: ABCDEFH00, ABCDEF000, ABCD00000,
AB0000000. Both rules reproduce every parent of the 2022 classifier (see
tests/portal/test_import_kato.py).

Both imports read CSV or XLSX the same way (`read_table`). All nine columns must be
there, K and NN may be empty; AB, CD, EF and HIJ, where given, must repeat TE's digits.

Imports run in one transaction: a broken row stops the import, with the row's number
(the header is row 1) and the reason, and nothing is written. Every refusal is an
`ImportFailed` with a stable code (`kato_...`, `population_...`; listed in `CODES`) and
a translated message; the management commands raise it as an `ImportCommandError`,
which keeps the code.
"""

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
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import search
from portal.errors import DomainError
from portal.models import AdministrativeUnit, Level

BATCH_SIZE = 1000
KATO_COLUMNS = ("te", "ab", "cd", "ef", "hij", "k", "name_kaz", "name_rus", "nn")
# The parts of TE, each with where its digits sit in the code.
KATO_PARTS = (("ab", 0, 2), ("cd", 2, 4), ("ef", 4, 6), ("hij", 6, 9))
POPULATION_COLUMNS = ("kato", "population", "year")
FIRST_CENSUS_YEAR = 1989
_NAME_MAX_LENGTH = AdministrativeUnit._meta.get_field("name_ru").max_length
_CODE = re.compile(r"^\d{9}\Z")


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
        *(f"{kind}_{code}" for kind in ("kato", "population") for code in FILE_CODES),
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


def _wrong_format(path: Path, kind: str) -> ImportFailed:
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
        raise _wrong_format(path, kind) from error
    if "\x00" in text:
        raise _wrong_format(path, kind)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise _wrong_format(path, kind) from error


def _xlsx_records(path: Path, kind: str) -> Iterator[list[object]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise _wrong_format(path, kind) from error
    try:
        records = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                record = next(records, None)
            except Exception as error:  # a damaged sheet fails in many ways
                raise _wrong_format(path, kind) from error
            if record is None:
                return
            yield list(record)
    finally:
        workbook.close()


def read_table(path: Path, required: Iterable[str], *, kind: str) -> Iterator[Row]:
    """Rows of a CSV or XLSX file as dicts keyed by lower-cased column name.

    Column names match case-insensitively and extra columns are ignored; a missing
    required column, or a file that is not a readable table, stops the import with a
    code prefixed by `kind` ("kato" or "population"). Blank rows are skipped, also
    above the header; rows keep the numbers a spreadsheet shows.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records: Iterator[list] = _csv_records(path, kind)
    elif suffix == ".xlsx":
        records = _xlsx_records(path, kind)
    else:
        raise _wrong_format(path, kind)

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


def _row_error(row: Row, code: str, reason: str) -> ImportFailed:
    return ImportFailed(
        code,
        _("Row %(row)d: %(reason)s Nothing was imported.")
        % {"row": row.number, "reason": reason},
    )


# The code's structure and the name's abbreviation


def depth(code: str) -> int:
    """0 for AB, 1 for CD, 2 for EF, 3 for a village H00, 4 for a minor locality Hnn."""
    if code[7:] != "00":
        return 4
    if code[6] != "0":
        return 3
    if code[4:6] != "00":
        return 2
    if code[2:4] != "00":
        return 1
    return 0


def parent_candidates(code: str) -> list[str]:
    """The codes above `code`, nearest first: ABCDEFH00, ABCDEF000, ABCD00000, ..."""
    above = [
        code[:7] + "00",
        code[:6] + "000",
        code[:4] + "00000",
        code[:2] + "0000000",
    ]
    return [candidate for candidate in above[4 - depth(code) :] if candidate != code]


def _abbreviation(abbr: str) -> re.Pattern:
    # "с.о" in "Абралинский с.о.", "с.о.Акмол", "с.о. Бастау" and "Жиеналинский с.о".
    return re.compile(rf"(?<![^\W\d_]){re.escape(abbr)}(?:\.|\s|$)")


_CITY_ADMINISTRATION = re.compile(
    rf"{_abbreviation('Г.А').pattern}|{_abbreviation('г.а').pattern}"
)
_CITY_DISTRICT_ADMINISTRATION = _abbreviation("р.а")
_RURAL_DISTRICT = _abbreviation("с.о")
_VILLAGE_ADMINISTRATION = _abbreviation("с.а")
_SETTLEMENT_ADMINISTRATION = _abbreviation("п.а")
_DISTRICT = re.compile(r"\bрайон\b|\bауданы\b", re.IGNORECASE)
_REGION = re.compile(r"\bобласт|\bоблысы\b", re.IGNORECASE)
_REPUBLICAN_CITY = re.compile(r"^г\.|\bқаласы\b")


def _town(name: str) -> bool:
    return name.startswith("г.")


def _settlement(name: str) -> bool:
    return name.startswith("п.")


def infer_level(
    code: str, name_ru: str, name_kk: str, parent_level: str | None
) -> Level | None:
    """The level the code's structure and the name's abbreviation give, or None."""
    row_depth = depth(code)
    if row_depth == 0:
        if _REPUBLICAN_CITY.search(name_ru) or _REPUBLICAN_CITY.search(name_kk):
            return Level.CITY_OF_REPUBLICAN_SIGNIFICANCE
        if _REGION.search(name_ru) or _REGION.search(name_kk):
            return Level.REGION
        return None
    if row_depth == 1:
        return _infer_cd(code, name_ru, parent_level)
    if row_depth == 2:
        return _infer_ef(code, name_ru, parent_level)
    # H00 and Hnn: the localities.
    if _DISTRICT.search(name_ru):
        return Level.DISTRICT_IN_CITY
    if _town(name_ru):
        return Level.CITY_OF_DISTRICT_SIGNIFICANCE
    if _settlement(name_ru):
        return Level.SETTLEMENT
    # "с.", and places without a status of their own: stations, sidings, farms,
    # wintering places.
    return Level.VILLAGE


def _infer_cd(code: str, name: str, parent_level: str | None) -> Level | None:
    if parent_level == Level.CITY_OF_REPUBLICAN_SIGNIFICANCE:
        return Level.DISTRICT_IN_CITY
    if _CITY_ADMINISTRATION.search(name) or _town(name):
        return Level.CITY_OF_REGIONAL_SIGNIFICANCE
    if _DISTRICT.search(name):
        return Level.DISTRICT
    cd = int(code[2:4])
    if 10 <= cd <= 29:
        return Level.CITY_OF_REGIONAL_SIGNIFICANCE
    if 30 <= cd <= 79:
        return Level.DISTRICT
    return None


def _infer_ef(code: str, name: str, parent_level: str | None) -> Level | None:
    ef = int(code[4:6])
    if parent_level == Level.CITY_OF_REPUBLICAN_SIGNIFICANCE:
        return Level.DISTRICT_IN_CITY
    if _CITY_DISTRICT_ADMINISTRATION.search(name) or _DISTRICT.search(name):
        return Level.DISTRICT_IN_CITY
    if _RURAL_DISTRICT.search(name):
        return Level.RURAL_DISTRICT
    if _VILLAGE_ADMINISTRATION.search(name):
        return Level.VILLAGE
    if _SETTLEMENT_ADMINISTRATION.search(name):
        return Level.SETTLEMENT
    city_itself = parent_level == Level.CITY_OF_REGIONAL_SIGNIFICANCE and ef == 10
    if _CITY_ADMINISTRATION.search(name) or _town(name):
        if city_itself and not _CITY_ADMINISTRATION.search(name):
            return Level.CITY_OF_REGIONAL_SIGNIFICANCE
        return Level.CITY_OF_DISTRICT_SIGNIFICANCE
    if city_itself:
        return Level.CITY_OF_REGIONAL_SIGNIFICANCE
    if 20 <= ef <= 29:
        return Level.CITY_OF_DISTRICT_SIGNIFICANCE
    return None


# import_kato


@dataclass(frozen=True)
class KatoResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Entry:
    row: Row
    code: str
    name_kk: str
    name_ru: str


@dataclass
class _Known:
    """A unit as the import knows it: from the database, or about to be written."""

    pk: int | None
    level: str


def _note_first_row(
    row: Row, code: str, first_row: dict[str, int], *, kind: str
) -> None:
    """Remember where a code first appears; a second appearance stops the import."""
    if code in first_row:
        raise _row_error(
            row,
            f"{kind}_code_repeated",
            _("the code %(code)s already appears on row %(first)d.")
            % {"code": code, "first": first_row[code]},
        )
    first_row[code] = row.number


def _check_parts(row: Row, code: str) -> None:
    """AB, CD, EF and HIJ, where given, repeat TE's digits.

    A spreadsheet may hold a part as a number and drop its leading zeros (CD 00 as
    0): such a part is read padded to its width.
    """
    for column, start, end in KATO_PARTS:
        value = row.values.get(column, "")
        expected = code[start:end]
        if not value or value == expected:
            continue
        given = value.zfill(end - start) if value.isdigit() else value
        if given != expected:
            raise _row_error(
                row,
                "kato_parts_mismatch",
                _(
                    "%(column)s is %(value)s, but the code %(code)s has "
                    "%(expected)s there."
                )
                % {
                    "column": column.upper(),
                    "value": value,
                    "code": code,
                    "expected": expected,
                },
            )


def _parse_classifier(path: Path) -> list[_Entry]:
    entries: list[_Entry] = []
    first_row: dict[str, int] = {}
    for row in read_table(path, KATO_COLUMNS, kind="kato"):
        code = row.values.get("te", "")
        name_kk = row.values.get("name_kaz", "")
        name_ru = row.values.get("name_rus", "")
        if not _CODE.match(code):
            raise _row_error(
                row,
                "kato_code_not_nine_digits",
                _("the code %(code)s is not nine digits.") % {"code": code or '""'},
            )
        _check_parts(row, code)
        _note_first_row(row, code, first_row, kind="kato")
        for column, name in (("NAME_KAZ", name_kk), ("NAME_RUS", name_ru)):
            if not name:
                raise _row_error(
                    row,
                    "kato_name_empty",
                    _("%(column)s is empty.") % {"column": column},
                )
            if len(name) > _NAME_MAX_LENGTH:
                raise _row_error(
                    row,
                    "kato_name_too_long",
                    _("%(column)s is longer than %(limit)d characters.")
                    % {"column": column, "limit": _NAME_MAX_LENGTH},
                )
        entries.append(_Entry(row, code, name_kk, name_ru))
    return entries


def import_classifier(path: Path) -> KatoResult:
    """Create or update the units of a KATO file in one transaction (see the module)."""
    entries = _parse_classifier(Path(path))
    entries.sort(key=lambda entry: (depth(entry.code), entry.code))
    with transaction.atomic():
        existing = {
            unit.kato_code: unit
            for unit in AdministrativeUnit.objects.only(
                "pk", "kato_code", "level", "name_kk", "name_ru", "parent_id"
            )
        }
        known: dict[str, _Known] = {
            code: _Known(unit.pk, unit.level) for code, unit in existing.items()
        }
        created = updated = unchanged = 0
        for level_entries in _by_depth(entries):
            to_create: list[AdministrativeUnit] = []
            to_update: list[AdministrativeUnit] = []
            for entry in level_entries:
                parent = _resolve_parent(entry, known)
                level = infer_level(
                    entry.code,
                    entry.name_ru,
                    entry.name_kk,
                    parent.level if parent else None,
                )
                if level is None:
                    raise _row_error(
                        entry.row,
                        "kato_level_unknown",
                        _(
                            "the level of %(code)s «%(name)s» cannot be told from its "
                            "code and name."
                        )
                        % {"code": entry.code, "name": entry.name_ru},
                    )
                level = level.value  # a plain string, as the database gives it back
                parent_pk = parent.pk if parent else None
                unit = existing.get(entry.code)
                if unit is None:
                    unit = AdministrativeUnit(
                        kato_code=entry.code,
                        level=level,
                        name_kk=entry.name_kk,
                        name_ru=entry.name_ru,
                        parent_id=parent_pk,
                    )
                    unit.search_text = search.index_text(
                        entry.code, entry.name_kk, entry.name_ru
                    )
                    to_create.append(unit)
                    created += 1
                elif (unit.level, unit.name_kk, unit.name_ru, unit.parent_id) != (
                    level,
                    entry.name_kk,
                    entry.name_ru,
                    parent_pk,
                ):
                    unit.level = level
                    unit.name_kk = entry.name_kk
                    unit.name_ru = entry.name_ru
                    unit.parent_id = parent_pk
                    unit.search_text = search.index_text(
                        entry.code, entry.name_kk, entry.name_ru
                    )
                    to_update.append(unit)
                    updated += 1
                else:
                    unchanged += 1
                known[entry.code] = _Known(unit.pk, level)
            _write(to_create, to_update, known)
    return KatoResult(created=created, updated=updated, unchanged=unchanged)


def _by_depth(entries: list[_Entry]) -> Iterator[list[_Entry]]:
    batch: list[_Entry] = []
    for entry in entries:
        if batch and depth(batch[0].code) != depth(entry.code):
            yield batch
            batch = []
        batch.append(entry)
    if batch:
        yield batch


def _resolve_parent(entry: _Entry, known: dict[str, _Known]) -> _Known | None:
    candidates = parent_candidates(entry.code)
    if not candidates:
        return None
    for candidate in candidates:
        if candidate in known:
            return known[candidate]
    raise _row_error(
        entry.row,
        "kato_parent_missing",
        _("no unit above %(code)s exists: %(missing)s is missing.")
        % {"code": entry.code, "missing": candidates[-1]},
    )


def _write(
    to_create: list[AdministrativeUnit],
    to_update: list[AdministrativeUnit],
    known: dict[str, _Known],
) -> None:
    """Write one depth; the next depth's parents need the primary keys of its units."""
    if to_update:
        _update(to_update, ["level", "name_kk", "name_ru", "parent", "search_text"])
    if not to_create:
        return
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if not connection.features.can_return_rows_from_bulk_insert:
        # Databases that cannot return new keys (SQLite before 3.35): read them back.
        codes = [unit.kato_code for unit in to_create]
        pks = dict(
            AdministrativeUnit.objects.filter(kato_code__in=codes).values_list(
                "kato_code", "pk"
            )
        )
        for unit in to_create:
            unit.pk = pks[unit.kato_code]
    for unit in to_create:
        known[unit.kato_code].pk = unit.pk


def _update(units: list[AdministrativeUnit], fields: list[str]) -> None:
    """Write `fields` of `units`, one parametrised UPDATE executed for many rows.

    QuerySet.bulk_update builds a CASE expression per field and row in Python, which
    takes tens of seconds for a whole classifier; executemany takes a second.
    """
    if not units:
        return
    meta = AdministrativeUnit._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    # Identifiers come from the model's options, values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    params = [
        [
            field.get_db_prep_save(getattr(unit, field.attname), connection)
            for field in columns
        ]
        + [unit.pk]
        for unit in units
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])


# import_population


@dataclass(frozen=True)
class PopulationResult:
    updated: int
    unchanged: int


POPULATION_MAX = 2_147_483_647  # the largest PositiveIntegerField on every database


def _integer(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def import_population(path: Path) -> PopulationResult:
    """Set the population and its year of units from a `kato,population,year` table.

    CSV or XLSX, read as the classifier is (`read_table`).
    """
    path = Path(path)
    last_year = timezone.now().year
    rows = list(read_table(path, POPULATION_COLUMNS, kind="population"))
    with transaction.atomic():
        units = {
            unit.kato_code: unit
            for unit in AdministrativeUnit.objects.only(
                "pk", "kato_code", "population", "population_year"
            )
        }
        first_row: dict[str, int] = {}
        to_update: list[AdministrativeUnit] = []
        unchanged = 0
        for row in rows:
            code = row.values.get("kato", "")
            population = _integer(row.values.get("population", ""))
            year = _integer(row.values.get("year", ""))
            unit = units.get(code)
            if unit is None:
                raise _row_error(
                    row,
                    "population_unknown_code",
                    _("no unit has the KATO code %(code)s.") % {"code": code or '""'},
                )
            _note_first_row(row, code, first_row, kind="population")
            if population is None or population > POPULATION_MAX:
                raise _row_error(
                    row,
                    "population_not_a_number",
                    _("the population %(value)s is not a whole number of people.")
                    % {"value": row.values.get("population", "") or '""'},
                )
            if population < 0:
                raise _row_error(
                    row,
                    "population_negative",
                    _("the population %(value)d is negative.") % {"value": population},
                )
            if year is None or not FIRST_CENSUS_YEAR <= year <= last_year:
                raise _row_error(
                    row,
                    "population_year_out_of_range",
                    _("the year %(value)s is not between %(first)d and %(last)d.")
                    % {
                        "value": row.values.get("year", "") or '""',
                        "first": FIRST_CENSUS_YEAR,
                        "last": last_year,
                    },
                )
            if (unit.population, unit.population_year) == (population, year):
                unchanged += 1
                continue
            unit.population = population
            unit.population_year = year
            to_update.append(unit)
        _update(to_update, ["population", "population_year"])
    return PopulationResult(updated=len(to_update), unchanged=unchanged)
