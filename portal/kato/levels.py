"""A KATO code's structure and the abbreviation in its Russian name: a unit's depth, its
possible parents and its level (see the package's docstring)."""

from __future__ import annotations

import re

from portal.models import Level

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
