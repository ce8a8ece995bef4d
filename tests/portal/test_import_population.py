"""manage.py import_population: population counts by KATO code, all or nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from portal.kato import CODES, ImportCommandError
from portal.models import AdministrativeUnit
from tests.refusals import unchanged

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def import_population(path):
    out = StringIO()
    call_command("import_population", str(path), stdout=out)
    return out.getvalue().strip()


def refused(path):
    """The refusal of importing `path`, as the command raises it (a CommandError, not a
    DomainError), with every unit, the audit trail and the notices as they were, all
    their columns, and nothing scheduled on commit."""
    with (
        unchanged(AdministrativeUnit),
        pytest.raises(ImportCommandError) as refusal,
    ):
        import_population(path)
    assert isinstance(refusal.value, CommandError)
    assert refusal.value.code in CODES
    return refusal.value


def write(path, text, *, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def populations():
    return {
        code: (population, year)
        for code, population, year in AdministrativeUnit.objects.values_list(
            "kato_code", "population", "population_year"
        )
    }


@time_machine.travel(TODAY)
def test_sets_the_population_and_its_year(tmp_path, territory):
    path = write(
        tmp_path / "population.csv",
        "kato,population,year\n"
        "110000000,788000,2025\n"
        "115633000,1900,2025\n"
        "115633100,900,2021\n",
    )

    output = import_population(path)

    assert output == "Updated 2, unchanged 1."
    assert populations() == {
        "110000000": (788000, 2025),
        "115600000": (None, None),
        "115633000": (1900, 2025),
        "115633100": (900, 2021),
        "115641000": (2400, 2021),
        "115645000": (3100, 2021),
    }


@time_machine.travel(TODAY)
def test_reads_an_xlsx_file_the_way_it_reads_a_csv(tmp_path, territory):
    # Given a spreadsheet whose codes and counts are numbers, with an extra column
    path = write_xlsx(
        tmp_path / "population.xlsx",
        [
            ["KATO", "Name", "Population", "Year"],
            [110000000, "Ақмола облысы", 788000, 2025],
            [115633000, "Ортақ", 1900.0, "2025"],
            [None, None, None, None],
            ["115633100", None, "900", 2021],
        ],
    )

    # When it is imported
    output = import_population(path)

    # Then it sets what the same CSV would
    assert output == "Updated 2, unchanged 1."
    assert populations() == {
        "110000000": (788000, 2025),
        "115600000": (None, None),
        "115633000": (1900, 2025),
        "115633100": (900, 2021),
        "115641000": (2400, 2021),
        "115645000": (3100, 2021),
    }
    # and a second import finds every row unchanged.
    assert import_population(path) == "Updated 0, unchanged 3."


@time_machine.travel(TODAY)
def test_a_second_import_changes_nothing(tmp_path, territory):
    path = write(
        tmp_path / "population.csv",
        "kato,population,year\n110000000,788000,2025\n115633000,1900,2025\n",
    )
    import_population(path)

    with unchanged(AdministrativeUnit):
        output = import_population(path)

    assert output == "Updated 0, unchanged 2."


@time_machine.travel(TODAY)
def test_a_new_year_with_the_same_count_is_an_update(tmp_path, territory):
    path = write(
        tmp_path / "population.csv", "kato,population,year\n115633100,900,2022\n"
    )

    output = import_population(path)

    assert output == "Updated 1, unchanged 0."
    assert populations()["115633100"] == (900, 2022)


@time_machine.travel(TODAY)
def test_reads_semicolons_a_byte_order_mark_any_column_case_and_extra_columns(
    tmp_path, territory
):
    path = write(
        tmp_path / "population.csv",
        "Year;Name;KATO;Population\n2025;Ортақ;115633000;1950\n",
        encoding="utf-8-sig",
    )

    output = import_population(path)

    assert output == "Updated 1, unchanged 0."
    assert populations()["115633000"] == (1950, 2025)


@time_machine.travel(TODAY)
def test_zero_people_and_the_census_of_1989_are_accepted(tmp_path, territory):
    path = write(
        tmp_path / "population.csv", "kato,population,year\n115633100,0,1989\n"
    )

    output = import_population(path)

    assert output == "Updated 1, unchanged 0."
    assert populations()["115633100"] == (0, 1989)


BROKEN_ROWS = [
    # (the row that breaks the file, the code, the reason)
    (
        "999999999,100,2025",
        "population_unknown_code",
        "no unit has the KATO code 999999999.",
    ),
    (",100,2025", "population_unknown_code", 'no unit has the KATO code "".'),
    (
        "110000000,100,2025",
        "population_code_repeated",
        "the code 110000000 already appears on row 2.",
    ),
    (
        "115633100,12a,2025",
        "population_not_a_number",
        "the population 12a is not a whole number of people.",
    ),
    (
        "115633100,1.5,2025",
        "population_not_a_number",
        "the population 1.5 is not a whole number of people.",
    ),
    (
        "115633100,,2025",
        "population_not_a_number",
        'the population "" is not a whole number of people.',
    ),
    (
        "115633100,3000000000,2025",
        "population_not_a_number",
        "the population 3000000000 is not a whole number of people.",
    ),
    ("115633100,-3,2025", "population_negative", "the population -3 is negative."),
    (
        "115633100,100,1988",
        "population_year_out_of_range",
        "the year 1988 is not between 1989 and 2026.",
    ),
    (
        "115633100,100,2027",
        "population_year_out_of_range",
        "the year 2027 is not between 1989 and 2026.",
    ),
    (
        "115633100,100,last",
        "population_year_out_of_range",
        "the year last is not between 1989 and 2026.",
    ),
]


@time_machine.travel(TODAY)
@pytest.mark.parametrize(("broken", "code", "reason"), BROKEN_ROWS)
def test_a_broken_row_stops_the_import_and_nothing_changes(
    tmp_path, territory, broken, code, reason
):
    path = write(
        tmp_path / "population.csv",
        f"kato,population,year\n110000000,788000,2025\n{broken}\n115633000,1900,2025\n",
    )

    refusal = refused(path)

    assert refusal.code == code
    assert str(refusal) == f"Row 3: {reason} Nothing was imported."
    assert AdministrativeUnit.objects.count() == 6


XLSX_BROKEN_ROWS = [
    # (the cells that break the sheet, the code, the reason)
    (
        [999999999, 100, 2025],
        "population_unknown_code",
        "no unit has the KATO code 999999999.",
    ),
    (
        [110000000, 100, 2025],
        "population_code_repeated",
        "the code 110000000 already appears on row 2.",
    ),
    (
        [115633100, 1.5, 2025],
        "population_not_a_number",
        "the population 1.5 is not a whole number of people.",
    ),
    ([115633100, -3, 2025], "population_negative", "the population -3 is negative."),
    (
        [115633100, 100, 2027],
        "population_year_out_of_range",
        "the year 2027 is not between 1989 and 2026.",
    ),
]


@time_machine.travel(TODAY)
@pytest.mark.parametrize(("broken", "code", "reason"), XLSX_BROKEN_ROWS)
def test_a_broken_row_of_an_xlsx_stops_the_import_and_nothing_changes(
    tmp_path, territory, broken, code, reason
):
    path = write_xlsx(
        tmp_path / "population.xlsx",
        [
            ["kato", "population", "year"],
            [110000000, 788000, 2025],
            broken,
            [115633000, 1900, 2025],
        ],
    )

    refusal = refused(path)

    assert refusal.code == code
    assert str(refusal) == f"Row 3: {reason} Nothing was imported."
    assert AdministrativeUnit.objects.count() == 6


@pytest.mark.parametrize("column", ["kato", "population", "year"])
def test_a_missing_column_is_named(tmp_path, territory, column):
    header = ",".join(name for name in ["kato", "population", "year"] if name != column)
    path = write(tmp_path / "population.csv", f"{header}\n115633000,1900\n")

    refusal = refused(path)

    assert refusal.code == "population_missing_column"
    assert str(refusal) == (
        f"The column {column.upper()} is missing from population.csv."
    )


def test_a_missing_column_of_an_xlsx_is_named(tmp_path, territory):
    path = write_xlsx(
        tmp_path / "population.xlsx", [["kato", "population"], [115633000, 1950]]
    )

    refusal = refused(path)

    assert refusal.code == "population_missing_column"
    assert str(refusal) == "The column YEAR is missing from population.xlsx."


@pytest.mark.parametrize("name", ["population.csv", "population.xlsx"])
def test_an_empty_file_is_refused(tmp_path, territory, name):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        Workbook().save(path)
    else:
        path.write_bytes(b"")

    refusal = refused(path)

    assert refusal.code == "population_empty_file"
    assert str(refusal) == f"{name} is empty."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("population.xlsx", b"PK\x05\x06" + b"\x00" * 18),
        ("population.xlsx", b"kato,population,year\n115633000,1900,2025\n"),
        ("population.txt", b"kato,population,year\n115633000,1900,2025\n"),
        ("population.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("population.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(
    tmp_path, territory, name, content
):
    path = tmp_path / name
    path.write_bytes(content)

    refusal = refused(path)

    assert refusal.code == "population_wrong_format"
    assert str(refusal) == f"{name} is in a wrong format: expected a CSV or XLSX file."
