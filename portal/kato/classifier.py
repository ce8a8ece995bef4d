"""import_kato: the classifier written in one transaction, parents before children."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from portal import fragments, search
from portal.kato.levels import depth, infer_level, parent_candidates
from portal.kato.tables import (
    BATCH_SIZE,
    KATO_CODE,
    KATO_COLUMNS,
    KATO_PARTS,
    NAME_MAX_LENGTH,
    Row,
    read_table,
    row_error,
)
from portal.models import AdministrativeUnit

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


def note_first_row(
    row: Row, code: str, first_row: dict[str, int], *, kind: str
) -> None:
    """Remember where a code first appears; a second appearance stops the import."""
    if code in first_row:
        raise row_error(
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
            raise row_error(
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
        if not KATO_CODE.match(code):
            raise row_error(
                row,
                "kato_code_not_nine_digits",
                _("the code %(code)s is not nine digits.") % {"code": code or '""'},
            )
        _check_parts(row, code)
        note_first_row(row, code, first_row, kind="kato")
        for column, name in (("NAME_KAZ", name_kk), ("NAME_RUS", name_ru)):
            if not name:
                raise row_error(
                    row,
                    "kato_name_empty",
                    _("%(column)s is empty.") % {"column": column},
                )
            if len(name) > NAME_MAX_LENGTH:
                raise row_error(
                    row,
                    "kato_name_too_long",
                    _("%(column)s is longer than %(limit)d characters.")
                    % {"column": column, "limit": NAME_MAX_LENGTH},
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
                    raise row_error(
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
    raise row_error(
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
    if to_update or to_create:
        # Names and places shown on every page below them: draw them all again.
        fragments.everything_changed()
    if to_update:
        units_update(
            to_update, ["level", "name_kk", "name_ru", "parent", "search_text"]
        )
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


def units_update(units: list[AdministrativeUnit], fields: list[str]) -> None:
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
