"""Reading the household register (похозяйственная книга) a unit's akimat keeps: a CSV or
XLSX file with a row a resident (the IIN and the address) that `register_import` takes.

Every row is checked before anything is written; a file with any bad row is refused whole,
with each bad row's number as the spreadsheet shows it, so that nothing is half-imported.
The IIN never leaves this module in clear: a row carries its keyed hash, its last four
digits and the date of birth it encodes.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.iin import kept_iin, normalize_iin, validate_iin
from portal.kato.tables import ImportFailed, Row, read_table
from portal.models import AdministrativeUnit
from portal.sms import kazakhstan_mobile

REGISTER_MAX_BYTES = 20 * 1024 * 1024
REGISTER_MAX_ROWS = 100_000
# Errors listed on the page; a file with more says how many were left out.
ERRORS_SHOWN = 50
ACCEPTED_SUFFIXES = (".csv", ".xlsx")

# Each column by the names an akimat's spreadsheet may give it, in any of the three
# languages; matched case-insensitively.
COLUMNS = {
    "iin": ("iin", "иин", "жсн"),
    "kato": ("kato", "като", "әаож", "қато"),
    "street": ("street", "улица", "көше"),
    "house": ("house", "дом", "үй"),
    "flat": ("flat", "квартира", "пәтер"),
    "phone": ("phone", "телефон"),
}
LIMITS = {"street": 100, "house": 20, "flat": 20}


def _label(column: str) -> str:
    return {"street": _("street"), "house": _("house"), "flat": _("flat")}[column]


@dataclass(frozen=True)
class RegisterRow:
    line: int
    iin_digest: str
    iin_last4: str
    birth_date: datetime.date
    place_id: int
    street: str
    house: str
    flat: str
    phone: str

    @property
    def address(self) -> tuple[int, str, str, str, str]:
        return (self.place_id, self.street, self.house, self.flat, self.phone)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class RegisterRefused(Exception):
    """The file has bad rows: all of them, in order."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def _value(row: Row, column: str) -> str:
    for name in COLUMNS[column]:
        if name in row.values:
            return row.values[name]
    return ""


def _places(unit: AdministrativeUnit) -> dict[str, int]:
    """The unit and every settlement in it, by KATO code."""
    places = {unit.kato_code: unit.pk}
    places.update(
        AdministrativeUnit.objects.filter(
            Q(parent=unit) | Q(parent__parent=unit)
        ).values_list("kato_code", "pk")
    )
    return places


def _row(row: Row, places: dict[str, int], default_place: int | None) -> RegisterRow:
    """The row read, or ValidationError saying what is wrong with it."""
    iin = normalize_iin(_value(row, "iin"))
    validate_iin(iin)
    kato = _value(row, "kato")
    if kato:
        if kato not in places:
            raise ValidationError(
                _("KATO code %(code)s is not a settlement of this unit.")
                % {"code": kato}
            )
        place = places[kato]
    elif default_place is not None:
        place = default_place
    else:
        raise ValidationError(
            _("Give the KATO code of the settlement: this unit has more than one.")
        )
    texts = {}
    for column, limit in LIMITS.items():
        texts[column] = " ".join(_value(row, column).split())
        if len(texts[column]) > limit:
            raise ValidationError(
                _("The %(column)s is longer than %(limit)d characters.")
                % {"column": _label(column), "limit": limit}
            )
    phone = _value(row, "phone")
    if phone:
        phone = kazakhstan_mobile(phone)
    return RegisterRow(
        line=row.number,
        **kept_iin(iin),
        place_id=place,
        phone=phone,
        **texts,
    )


def register_rows(upload, unit: AdministrativeUnit) -> list[RegisterRow]:
    """Every row of the uploaded file, or RegisterRefused with every bad row, or
    ImportFailed when the file itself cannot be read."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES or upload.size > REGISTER_MAX_BYTES:
        raise ImportFailed(
            "register_wrong_format",
            _("%(file)s is in a wrong format: expected %(accepted)s.")
            % {
                "file": name,
                "accepted": _("a CSV or XLSX file of at most 20 MB"),
            },
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"register{suffix}"
        with path.open("wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        return _read(path, name, unit)


def _read(path: Path, name: str, unit: AdministrativeUnit) -> list[RegisterRow]:
    places = _places(unit)
    # A unit that is one settlement needs no KATO column.
    default_place = unit.pk if len(places) == 1 else None
    rows: list[RegisterRow] = []
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    for number, row in enumerate(read_table(path, (), kind="register"), start=1):
        if number == 1 and not _has_column(row, "iin"):
            raise ImportFailed(
                "register_missing_column",
                _("The column %(column)s is missing from %(file)s.")
                % {"column": "IIN", "file": name},
            )
        if number > REGISTER_MAX_ROWS:
            errors.append(
                LineError(
                    row.number,
                    _("A register has at most %(count)d rows.")
                    % {"count": REGISTER_MAX_ROWS},
                )
            )
            break
        try:
            read = _row(row, places, default_place)
        except ValidationError as error:
            errors.append(LineError(row.number, " ".join(error.messages)))
            continue
        if read.iin_digest in first_line:
            errors.append(
                LineError(
                    row.number,
                    _("This IIN is already on row %(row)d.")
                    % {"row": first_line[read.iin_digest]},
                )
            )
            continue
        first_line[read.iin_digest] = row.number
        rows.append(read)
    if errors:
        raise RegisterRefused(errors)
    if not rows:
        raise ImportFailed(
            "register_empty_file", _("%(file)s is empty.") % {"file": name}
        )
    return rows


def _has_column(row: Row, column: str) -> bool:
    return any(name in row.values for name in COLUMNS[column])
