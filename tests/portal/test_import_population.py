"""manage.py import_population: population counts by KATO code, all or nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from portal.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def import_population(path):
    out = StringIO()
    call_command("import_population", str(path), stdout=out)
    return out.getvalue().strip()


def write(path, text, *, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
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
def test_a_second_import_changes_nothing(tmp_path, territory):
    path = write(
        tmp_path / "population.csv",
        "kato,population,year\n110000000,788000,2025\n115633000,1900,2025\n",
    )
    import_population(path)
    before = populations()

    output = import_population(path)

    assert output == "Updated 0, unchanged 2."
    assert populations() == before


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
    # (the row that breaks the file, the reason)
    ("999999999,100,2025", "no unit has the KATO code 999999999."),
    (",100,2025", 'no unit has the KATO code "".'),
    ("110000000,100,2025", "the code 110000000 already appears on row 2."),
    ("115633100,12a,2025", "the population 12a is not a whole number of people."),
    ("115633100,1.5,2025", "the population 1.5 is not a whole number of people."),
    ("115633100,,2025", 'the population "" is not a whole number of people.'),
    (
        "115633100,3000000000,2025",
        "the population 3000000000 is not a whole number of people.",
    ),
    ("115633100,-3,2025", "the population -3 is negative."),
    ("115633100,100,1988", "the year 1988 is not between 1989 and 2026."),
    ("115633100,100,2027", "the year 2027 is not between 1989 and 2026."),
    ("115633100,100,last", "the year last is not between 1989 and 2026."),
]


@time_machine.travel(TODAY)
@pytest.mark.parametrize(("broken", "reason"), BROKEN_ROWS)
def test_a_broken_row_stops_the_import_and_nothing_changes(
    tmp_path, territory, broken, reason
):
    before = populations()
    path = write(
        tmp_path / "population.csv",
        f"kato,population,year\n110000000,788000,2025\n{broken}\n115633000,1900,2025\n",
    )

    with pytest.raises(CommandError) as refusal:
        import_population(path)

    assert str(refusal.value) == f"Row 3: {reason} Nothing was imported."
    assert AdministrativeUnit.objects.count() == 6
    assert populations() == before


@pytest.mark.parametrize("column", ["kato", "population", "year"])
def test_a_missing_column_is_named(tmp_path, territory, column):
    header = ",".join(name for name in ["kato", "population", "year"] if name != column)
    path = write(tmp_path / "population.csv", f"{header}\n115633000,1900\n")
    before = populations()

    with pytest.raises(CommandError) as refusal:
        import_population(path)

    assert str(refusal.value) == (
        f"The column {column.upper()} is missing from population.csv."
    )
    assert populations() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("population.xlsx", b"PK\x05\x06" + b"\x00" * 18),
        ("population.txt", b"kato,population,year\n115633000,1900,2025\n"),
        ("population.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
)
def test_a_file_that_is_not_csv_is_refused(tmp_path, territory, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    before = populations()

    with pytest.raises(CommandError) as refusal:
        import_population(path)

    assert str(refusal.value) == f"{name} is in a wrong format: expected a CSV file."
    assert populations() == before
