"""manage.py import_kato: the classifier; levels and parents from codes and names."""

import csv
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from portal import search
from portal.kato import CODES, ImportCommandError, infer_level
from portal.models import AdministrativeUnit, Level
from tests.portal.factories import UnitFactory
from tests.refusals import unchanged

L = Level
REPUBLICAN_CITY = Level.CITY_OF_REPUBLICAN_SIGNIFICANCE
REGIONAL_CITY = Level.CITY_OF_REGIONAL_SIGNIFICANCE
TOWN = Level.CITY_OF_DISTRICT_SIGNIFICANCE
CITY_DISTRICT = Level.DISTRICT_IN_CITY
OFFICIAL_HEADER = ["TE", "AB", "CD", "EF", "HIJ", "K", "NAME_KAZ", "NAME_RUS", "NN"]
# The real classifier of 17 October 2022 (shared/data/kato/README.md), beside the repo.
SHARED_KATO = (
    Path(__file__).resolve().parents[3] / "shared/data/kato/kato-2022-10-17-ru.csv"
)

# Real codes and Russian names of Akmola region and Astana; (code, Kazakh, Russian).
TINY_CLASSIFIER = [
    ("110000000", "Ақмола облысы", "Акмолинская область"),
    ("111000000", "Көкшетау Қ.Ә.", "Кокшетау Г.А."),
    ("111010000", "Көкшетау қ.", "г.Кокшетау"),
    ("111037000", "Станционный к.ә.", "Станционная п.а."),
    ("111037100", "Станционный к.", "п.Станционный"),
    ("113200000", "Ақкөл ауданы", "Аккольский район"),
    ("113220000", "Ақкөл қ.ә.", "Аккольская г.а."),
    ("113220100", "Ақкөл қ.", "г.Акколь"),
    ("113220300", "Ерназар а.", "с.Ерназар"),
    ("113239000", "Азат а.ә.", "с.а.Азат"),
    ("113239100", "Азат а.", "с.Азат"),
    ("113241000", "Қарасай а.о.", "Карасайский с.о."),
    ("113241300", "Сазды бұлақ а.", "с.Сазды булак"),
    ("113241303", "Селета а.", "с.Селета"),
    ("113241305", "Қызылжар қыстауы", "зимовка Кызылжар"),
    # A minor locality whose village (113241900) is not in the classifier.
    ("113241905", "Бес нүктесі", "точка Бес"),
    ("710000000", "Астана қ.", "г.Астана"),
    ("711110000", "Алматы ауданы", "район Алматы"),
]
# code → (level, parent's code)
TINY_EXPECTED = {
    "110000000": (L.REGION, None),
    "111000000": (L.CITY_OF_REGIONAL_SIGNIFICANCE, "110000000"),
    "111010000": (L.CITY_OF_REGIONAL_SIGNIFICANCE, "111000000"),
    "111037000": (L.SETTLEMENT, "111000000"),
    "111037100": (L.SETTLEMENT, "111037000"),
    "113200000": (L.DISTRICT, "110000000"),
    "113220000": (L.CITY_OF_DISTRICT_SIGNIFICANCE, "113200000"),
    "113220100": (L.CITY_OF_DISTRICT_SIGNIFICANCE, "113220000"),
    "113220300": (L.VILLAGE, "113220000"),
    "113239000": (L.VILLAGE, "113200000"),
    "113239100": (L.VILLAGE, "113239000"),
    "113241000": (L.RURAL_DISTRICT, "113200000"),
    "113241300": (L.VILLAGE, "113241000"),
    "113241303": (L.VILLAGE, "113241300"),
    "113241305": (L.VILLAGE, "113241300"),
    "113241905": (L.VILLAGE, "113241000"),
    "710000000": (L.CITY_OF_REPUBLICAN_SIGNIFICANCE, None),
    "711110000": (L.DISTRICT_IN_CITY, "710000000"),
}


def official_row(code, name_kk, name_ru):
    return [code, code[:2], code[2:4], code[4:6], code[6:], "", name_kk, name_ru, ""]


def write_csv(path, rows, *, delimiter=",", bom=False, header=OFFICIAL_HEADER):
    """Rows: (code, Kazakh, Russian) triples, or whole rows of the official layout."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(row if len(row) == 9 else official_row(*row) for row in rows)
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OFFICIAL_HEADER)
    for row in rows:
        values = official_row(*row)
        # As a spreadsheet stores codes typed in: numbers, the parts' zeros dropped.
        values[:5] = [int(value) for value in values[:5]]
        sheet.append(values)
    workbook.save(path)
    return path


def import_kato(path):
    out = StringIO()
    call_command("import_kato", str(path), stdout=out)
    return out.getvalue().strip()


def refused(path):
    """The refusal of importing `path`, as the command raises it (a CommandError, not a
    DomainError), with every unit, the audit trail and the notices as they were, all
    their columns, and nothing scheduled on commit."""
    with unchanged(AdministrativeUnit), pytest.raises(ImportCommandError) as refusal:
        import_kato(path)
    assert isinstance(refusal.value, CommandError)
    assert refusal.value.code in CODES
    return refusal.value


def levels_and_parents():
    return {
        unit.kato_code: (unit.level, unit.parent.kato_code if unit.parent else None)
        for unit in AdministrativeUnit.objects.select_related("parent")
    }


# The rule, row by row

LEVEL_TABLE = [
    # (code, Russian name, parent's level) → level; names as in the 2022 classifier
    ("100000000", "область Абай", None, L.REGION),
    ("750000000", "г.Алматы", None, REPUBLICAN_CITY),
    ("101000000", "Семей Г.А.", L.REGION, REGIONAL_CITY),
    ("593600000", "Район Магжана Жумабаева", L.REGION, L.DISTRICT),
    ("596600000", "Район им.Габита Мусрепова", L.REGION, L.DISTRICT),
    ("751110000", "Алмалинский район", REPUBLICAN_CITY, CITY_DISTRICT),
    ("101010000", "г.Семей", REGIONAL_CITY, REGIONAL_CITY),
    ("351013000", "р.а. им.Казыбек би", REGIONAL_CITY, CITY_DISTRICT),
    ("351011000", "Әлихан Бөкейхан р.а.", REGIONAL_CITY, CITY_DISTRICT),
    ("103620000", "Аягоз г.а.", L.DISTRICT, TOWN),
    ("634820000", "г.а.Алтай", L.DISTRICT, TOWN),
    ("101033000", "Абралинский с.о.", REGIONAL_CITY, L.RURAL_DISTRICT),
    ("101049000", "Жиеналинский с.о", REGIONAL_CITY, L.RURAL_DISTRICT),
    ("104445000", "с.о.им.Койгельды Аухадиева", L.DISTRICT, L.RURAL_DISTRICT),
    ("113433000", "с.о. Жибек жолы", L.DISTRICT, L.RURAL_DISTRICT),
    ("433639000", "им.Бухарбай батыра с.о.", L.DISTRICT, L.RURAL_DISTRICT),
    ("113641000", "с.а. Каменка", L.DISTRICT, L.VILLAGE),
    ("355230000", "п.а.Нура", L.DISTRICT, L.SETTLEMENT),
    ("356451000", "С.Сейфуллинская п.а.", L.DISTRICT, L.SETTLEMENT),
    ("103620100", "г.Аягоз", TOWN, TOWN),
    ("113820100", "г.Атбасар", L.DISTRICT, TOWN),
    ("151011100", "район Астана", REGIONAL_CITY, CITY_DISTRICT),
    ("632400200", "п.Ульба", REGIONAL_CITY, L.SETTLEMENT),
    ("613843100", "п. Асыката", L.SETTLEMENT, L.SETTLEMENT),
    ("101033100", "с.Абралы", L.RURAL_DISTRICT, L.VILLAGE),
    ("395431100", "Заречное с.", L.RURAL_DISTRICT, L.VILLAGE),
    ("115635200", "ст.Жаманаши", L.SETTLEMENT, L.VILLAGE),
    ("103667700", "рзд.18 км", L.RURAL_DISTRICT, L.VILLAGE),
    ("101033102", "с.Акшабай", L.VILLAGE, L.VILLAGE),
    ("621039805", "зимовка Шоткара", L.VILLAGE, L.VILLAGE),
    ("115630103", "ДОЦ ЗЕРЕН", L.VILLAGE, L.VILLAGE),
    # Without an abbreviation, the code's ranges decide where the README defines them.
    ("101800000", "Курчатов", L.REGION, REGIONAL_CITY),
    ("103200000", "Абай", L.REGION, L.DISTRICT),
    ("103621000", "Шар", L.DISTRICT, TOWN),
    # ... and nowhere else.
    ("190000000", "Алматы", None, None),
    ("108500000", "Абай", L.REGION, None),
    ("103645000", "Тарбагатай", L.DISTRICT, None),
]


@pytest.mark.parametrize(("code", "name_ru", "parent_level", "level"), LEVEL_TABLE)
def test_level_is_read_off_the_code_and_the_russian_name(
    code, name_ru, parent_level, level
):
    assert infer_level(code, name_ru, name_ru, parent_level) == level


def test_kazakh_name_marks_a_region_or_a_city_when_the_russian_does_not():
    assert infer_level("100000000", "Абай", "Абай облысы", None) == L.REGION
    assert (
        infer_level("710000000", "Астана", "Астана қаласы", None)
        == L.CITY_OF_REPUBLICAN_SIGNIFICANCE
    )


# Importing


@pytest.mark.django_db
def test_imports_a_real_shaped_classifier_with_its_levels_and_parents(tmp_path):
    path = write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER)

    output = import_kato(path)

    assert output == "Created 18, updated 0, unchanged 0."
    assert levels_and_parents() == TINY_EXPECTED
    village = AdministrativeUnit.objects.get(kato_code="113241300")
    assert (village.name_kk, village.name_ru) == ("Сазды бұлақ а.", "с.Сазды булак")
    assert (village.population, village.population_year) == (None, None)


@pytest.mark.django_db
def test_search_text_is_derived_as_saving_a_unit_derives_it(tmp_path):
    path = write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER)

    import_kato(path)

    for unit in AdministrativeUnit.objects.all():
        assert unit.search_text == search.index_text(
            unit.kato_code, unit.name_kk, unit.name_ru
        )
    assert [
        unit.kato_code for unit in AdministrativeUnit.objects.matching("сазды булак")
    ] == ["113241300"]


@pytest.mark.django_db
def test_rows_may_come_children_first(tmp_path):
    path = write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER[::-1])

    import_kato(path)

    assert levels_and_parents() == TINY_EXPECTED


@pytest.mark.django_db
def test_reads_a_semicolon_separated_csv_with_a_byte_order_mark(tmp_path):
    path = write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER, delimiter=";", bom=True)

    output = import_kato(path)

    assert output == "Created 18, updated 0, unchanged 0."
    assert levels_and_parents() == TINY_EXPECTED


@pytest.mark.django_db
def test_columns_match_in_any_case_and_order_and_extra_columns_are_ignored(tmp_path):
    path = tmp_path / "kato.csv"
    path.write_text(
        "name_rus,Note,hij,te,nn,Name_Kaz,ab,Cd,k,EF\n"
        "Акмолинская область,first,000,110000000,,Ақмола облысы,11,00,,00\n"
        "Аккольский район,,000,113200000,1,Ақкөл ауданы,11,32,2,00\n",
        encoding="utf-8",
    )

    output = import_kato(path)

    assert output == "Created 2, updated 0, unchanged 0."
    assert levels_and_parents() == {
        "110000000": (L.REGION, None),
        "113200000": (L.DISTRICT, "110000000"),
    }


@pytest.mark.django_db
def test_the_parts_of_the_code_k_and_nn_may_be_empty(tmp_path):
    rows = [
        ["110000000", "", "", "", "", "", "Ақмола облысы", "Акмолинская область", ""],
        ["113200000", "11", "", "00", "", "", "Ақкөл ауданы", "Аккольский район", ""],
    ]
    path = write_csv(tmp_path / "kato.csv", rows)

    output = import_kato(path)

    assert output == "Created 2, updated 0, unchanged 0."
    assert levels_and_parents() == {
        "110000000": (L.REGION, None),
        "113200000": (L.DISTRICT, "110000000"),
    }


@pytest.mark.django_db
def test_reads_an_xlsx_file(tmp_path):
    path = write_xlsx(tmp_path / "kato.xlsx", TINY_CLASSIFIER)

    output = import_kato(path)

    assert output == "Created 18, updated 0, unchanged 0."
    assert levels_and_parents() == TINY_EXPECTED


@pytest.mark.django_db
def test_a_second_import_creates_nothing_and_leaves_every_unit_unchanged(tmp_path):
    path = write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER)
    import_kato(path)

    with unchanged(AdministrativeUnit):
        output = import_kato(path)

    assert output == "Created 0, updated 0, unchanged 18."


@pytest.mark.django_db
def test_a_renamed_unit_is_updated_in_place(tmp_path):
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    pk = AdministrativeUnit.objects.get(kato_code="113241000").pk
    renamed = [
        (row[0], "Қарасай ауылдық округі", row[2]) if row[0] == "113241000" else row
        for row in TINY_CLASSIFIER
    ]

    output = import_kato(write_csv(tmp_path / "renamed.csv", renamed))

    assert output == "Created 0, updated 1, unchanged 17."
    unit = AdministrativeUnit.objects.get(kato_code="113241000")
    assert (unit.pk, unit.name_kk) == (pk, "Қарасай ауылдық округі")
    assert "карасай ауылдык округи" in unit.search_text
    assert AdministrativeUnit.objects.count() == 18


@pytest.mark.django_db
def test_a_unit_whose_status_changes_gets_its_new_level(tmp_path):
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    reformed = [
        (row[0], "Азат а.о.", "Азатский с.о.") if row[0] == "113239000" else row
        for row in TINY_CLASSIFIER
    ]

    output = import_kato(write_csv(tmp_path / "reformed.csv", reformed))

    assert output == "Created 0, updated 1, unchanged 17."
    assert list(
        AdministrativeUnit.objects.filter(level="rural_district").values_list(
            "kato_code", "name_ru", "parent__kato_code"
        )
    ) == [
        ("113239000", "Азатский с.о.", "113200000"),
        ("113241000", "Карасайский с.о.", "113200000"),
    ]


@pytest.mark.django_db
def test_a_new_village_becomes_the_parent_of_its_minor_locality(tmp_path):
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    with_village = [*TINY_CLASSIFIER, ("113241900", "Бес а.", "с.Бес")]

    output = import_kato(write_csv(tmp_path / "more.csv", with_village))

    assert output == "Created 1, updated 1, unchanged 17."
    assert levels_and_parents()["113241900"] == (L.VILLAGE, "113241000")
    assert levels_and_parents()["113241905"] == (L.VILLAGE, "113241900")


@pytest.mark.django_db
def test_the_population_is_left_as_it_is(tmp_path):
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    AdministrativeUnit.objects.filter(kato_code="113241000").update(
        population=1800, population_year=2021
    )

    output = import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))

    assert output == "Created 0, updated 0, unchanged 18."
    unit = AdministrativeUnit.objects.get(kato_code="113241000")
    assert (unit.population, unit.population_year) == (1800, 2021)


@pytest.mark.django_db
def test_units_already_in_the_database_serve_as_parents(tmp_path):
    UnitFactory(kato_code="110000000", level=L.REGION, name_ru="Акмолинская область")
    path = write_csv(
        tmp_path / "kato.csv", [("113200000", "Ақкөл ауданы", "Аккольский район")]
    )

    output = import_kato(path)

    assert output == "Created 1, updated 0, unchanged 0."
    assert levels_and_parents()["113200000"] == (L.DISTRICT, "110000000")


# Refusals: the exact code and message, and nothing changes


def test_every_code_names_its_import():
    assert sorted(CODES) == [
        "kato_code_not_nine_digits",
        "kato_code_repeated",
        "kato_empty_file",
        "kato_level_unknown",
        "kato_missing_column",
        "kato_name_empty",
        "kato_name_too_long",
        "kato_parent_missing",
        "kato_parts_mismatch",
        "kato_wrong_format",
        "population_code_repeated",
        "population_empty_file",
        "population_missing_column",
        "population_negative",
        "population_not_a_number",
        "population_unknown_code",
        "population_wrong_format",
        "population_year_out_of_range",
        "register_empty_file",
        "register_missing_column",
        "register_wrong_format",
    ]


KARASAI = ("113241000", "Қарасай а.о.", "Карасайский с.о.")

BROKEN_ROWS = [
    # (the row that breaks the file, the code, the message)
    (
        ("11324100", "Қарасай а.о.", "Карасайский с.о."),
        "kato_code_not_nine_digits",
        "Row 5: the code 11324100 is not nine digits. Nothing was imported.",
    ),
    (
        ("11324100A", "Қарасай а.о.", "Карасайский с.о."),
        "kato_code_not_nine_digits",
        "Row 5: the code 11324100A is not nine digits. Nothing was imported.",
    ),
    (
        ["", "11", "32", "41", "000", "", *KARASAI[1:], ""],
        "kato_code_not_nine_digits",
        'Row 5: the code "" is not nine digits. Nothing was imported.',
    ),
    (
        ("113241000", "", "Карасайский с.о."),
        "kato_name_empty",
        "Row 5: NAME_KAZ is empty. Nothing was imported.",
    ),
    (
        ("113241000", "Қарасай а.о.", "  "),
        "kato_name_empty",
        "Row 5: NAME_RUS is empty. Nothing was imported.",
    ),
    (
        ("113241000", "Қарасай а.о.", "с" * 201),
        "kato_name_too_long",
        "Row 5: NAME_RUS is longer than 200 characters. Nothing was imported.",
    ),
    (
        ("113241000", "қ" * 201, "Карасайский с.о."),
        "kato_name_too_long",
        "Row 5: NAME_KAZ is longer than 200 characters. Nothing was imported.",
    ),
    (
        ("113220000", "Ақкөл қ.ә.", "Аккольская г.а."),
        "kato_code_repeated",
        "Row 5: the code 113220000 already appears on row 4. Nothing was imported.",
    ),
    (
        ("391033000", "Қарасай а.о.", "Карасайский с.о."),
        "kato_parent_missing",
        "Row 5: no unit above 391033000 exists: 390000000 is missing. "
        "Nothing was imported.",
    ),
    (
        ("113245000", "Қарасай", "Карасай"),
        "kato_level_unknown",
        "Row 5: the level of 113245000 «Карасай» cannot be told from its code and "
        "name. Nothing was imported.",
    ),
    # AB, CD, EF and HIJ must repeat TE's digits.
    (
        ["113241000", "12", "32", "41", "000", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: AB is 12, but the code 113241000 has 11 there. Nothing was imported.",
    ),
    (
        ["113241000", "11", "33", "41", "000", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: CD is 33, but the code 113241000 has 32 there. Nothing was imported.",
    ),
    (
        ["113241000", "11", "32", "14", "000", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: EF is 14, but the code 113241000 has 41 there. Nothing was imported.",
    ),
    (
        ["113241000", "11", "32", "41", "100", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: HIJ is 100, but the code 113241000 has 000 there. "
        "Nothing was imported.",
    ),
    (
        ["113241000", "11", "32", "41", "1", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: HIJ is 1, but the code 113241000 has 000 there. Nothing was imported.",
    ),
    (
        ["113241000", "11", "3 2", "41", "000", "", *KARASAI[1:], ""],
        "kato_parts_mismatch",
        "Row 5: CD is 3 2, but the code 113241000 has 32 there. Nothing was imported.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("broken", "code", "message"), BROKEN_ROWS)
def test_a_broken_row_stops_the_import_and_nothing_is_imported(
    tmp_path, broken, code, message
):
    rows = [
        ("110000000", "Ақмола облысы", "Акмолинская область"),
        ("113200000", "Ақкөл ауданы", "Аккольский район"),
        ("113220000", "Ақкөл қ.ә.", "Аккольская г.а."),
        broken,
        ("113241300", "Сазды бұлақ а.", "с.Сазды булак"),
    ]
    path = write_csv(tmp_path / "kato.csv", rows)

    refusal = refused(path)

    assert (refusal.code, str(refusal)) == (code, message)
    assert AdministrativeUnit.objects.count() == 0


@pytest.mark.django_db
def test_parts_that_disagree_with_the_code_in_an_xlsx_are_refused(tmp_path, territory):
    # Given a spreadsheet whose HIJ was typed as a number, once right and once wrong
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OFFICIAL_HEADER)
    sheet.append([115633100, 11, 56, 33, 100, None, "Ақкөл", "Акколь", None])
    sheet.append([115633101, 11, 56, 33, 100, None, "Бес", "с.Бес", None])
    path = tmp_path / "kato.xlsx"
    workbook.save(path)

    # When it is imported
    refusal = refused(path)

    # Then the second row is refused and nothing changed
    assert refusal.code == "kato_parts_mismatch"
    assert str(refusal) == (
        "Row 3: HIJ is 100, but the code 115633101 has 101 there. Nothing was imported."
    )


@pytest.mark.django_db
def test_a_broken_row_late_in_the_file_leaves_existing_units_as_they_were(
    tmp_path, territory
):
    rows = [
        ("110000000", "Ақмола облысы (жаңа)", "Акмолинская область"),
        *TINY_CLASSIFIER[1:],
        ("115633100", "Ақкөл", ""),
    ]
    path = write_csv(tmp_path / "kato.csv", rows)

    refusal = refused(path)

    assert refusal.code == "kato_name_empty"
    assert str(refusal) == "Row 20: NAME_RUS is empty. Nothing was imported."
    assert AdministrativeUnit.objects.count() == 6


@pytest.mark.django_db
def test_a_level_that_cannot_be_told_late_in_the_import_rolls_back_earlier_writes(
    tmp_path, territory
):
    # The unit is refused only when its depth is written, after regions and districts.
    rows = [
        ("110000000", "Ақмола облысы (жаңа)", "Акмолинская область"),
        ("113200000", "Ақкөл ауданы", "Аккольский район"),
        ("113245000", "Қарасай", "Карасай"),
    ]
    path = write_csv(tmp_path / "kato.csv", rows)

    refusal = refused(path)

    assert refusal.code == "kato_level_unknown"
    assert str(refusal) == (
        "Row 4: the level of 113245000 «Карасай» cannot be told from its code and "
        "name. Nothing was imported."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("column", OFFICIAL_HEADER)
def test_a_missing_column_is_named(tmp_path, territory, column):
    # Every one of the nine, even K and NN, which may be empty.
    header = [name for name in OFFICIAL_HEADER if name != column]
    path = tmp_path / "kato.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["x"] * len(header)) + "\n")

    refusal = refused(path)

    assert refusal.code == "kato_missing_column"
    assert str(refusal) == f"The column {column} is missing from kato.csv."


@pytest.mark.django_db
def test_a_missing_column_of_an_xlsx_is_named(tmp_path, territory):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["TE", "AB", "CD", "EF", "HIJ", "K", "NAME_KAZ", "NAME_RUS"])
    sheet.append([115633100, 11, 56, 33, 100, None, "Ақкөл (жаңа)", "Акколь", None])
    path = tmp_path / "kato.xlsx"
    workbook.save(path)

    refusal = refused(path)

    assert refusal.code == "kato_missing_column"
    assert str(refusal) == "The column NN is missing from kato.xlsx."


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kato.xlsx", PNG),
        ("kato.xlsx", bytes(range(256)) * 4),
        ("kato.xlsx", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip archive
        ("kato.csv", PNG),
        ("kato.csv", "TE,NAME_KAZ,NAME_RUS\n".encode("utf-16")),
        ("kato.txt", b"TE,NAME_KAZ,NAME_RUS\n110000000,A,B\n"),
        ("kato.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(
    tmp_path, territory, name, content
):
    path = tmp_path / name
    path.write_bytes(content)

    refusal = refused(path)

    assert refusal.code == "kato_wrong_format"
    assert str(refusal) == f"{name} is in a wrong format: expected a CSV or XLSX file."


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\n\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(tmp_path, territory, content):
    path = tmp_path / "kato.csv"
    path.write_bytes(content)

    refusal = refused(path)

    assert refusal.code == "kato_empty_file"
    assert str(refusal) == "kato.csv is empty."


@pytest.mark.django_db
def test_rows_below_blank_lines_keep_the_numbers_a_spreadsheet_shows(tmp_path):
    path = tmp_path / "kato.csv"
    path.write_text(
        "\n" + ",".join(OFFICIAL_HEADER) + "\n"
        "110000000,11,00,00,000,,Ақмола облысы,Акмолинская область,\n"
        "\n"
        "113200000,11,32,00,000,,,Аккольский район,\n",
        encoding="utf-8",
    )

    refusal = refused(path)

    assert refusal.code == "kato_name_empty"
    assert str(refusal) == "Row 5: NAME_KAZ is empty. Nothing was imported."
    assert AdministrativeUnit.objects.count() == 0


@pytest.mark.django_db
def test_an_empty_xlsx_is_refused(tmp_path, territory):
    path = tmp_path / "kato.xlsx"
    Workbook().save(path)

    refusal = refused(path)

    assert refusal.code == "kato_empty_file"
    assert str(refusal) == "kato.xlsx is empty."


# The whole real classifier


@pytest.fixture
def shared_kato_csv():
    """The real 2022 classifier, from the shared data beside the repo; never skipped."""
    if not SHARED_KATO.is_file():
        pytest.fail(f"The shared KATO copy is missing: {SHARED_KATO}")
    with SHARED_KATO.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def test_the_shared_classifier_is_the_documented_copy(shared_kato_csv):
    assert len(shared_kato_csv) == 16264
    assert list(shared_kato_csv[0]) == ["id", "parent_id", "code", "name"]


@pytest.mark.django_db
def test_the_whole_shared_classifier_gets_the_parents_it_states_and_sensible_levels(
    tmp_path, shared_kato_csv
):
    # Given the 2022 classifier in the official format (the copy has Russian names only)
    path = write_csv(
        tmp_path / "kato.csv",
        [(row["code"], row["name"], row["name"]) for row in shared_kato_csv],
    )
    code_of = {row["id"]: row["code"] for row in shared_kato_csv}
    stated = {row["code"]: code_of.get(row["parent_id"]) for row in shared_kato_csv}

    # When it is imported
    output = import_kato(path)

    # Then every parent is the one the copy states
    assert output == "Created 16264, updated 0, unchanged 0."
    inferred = {code: parent for code, (_level, parent) in levels_and_parents().items()}
    assert inferred == stated
    # and the levels add up. The official counts of 1 January 2026 are 2,157 rural
    # districts, 6,096 villages, 29 settlements and 48 towns of district significance.
    # In 2022, 48 towns ("г." at H00) sit beside 32 town administrations ("г.а." at
    # EF), 72 settlement administrations ("п.а.") beside 82 settlements ("п."), and 93
    # village administrations ("с.а.") beside 6,107 villages and 7,414 minor localities.
    assert Counter(AdministrativeUnit.objects.values_list("level", flat=True)) == {
        L.REGION: 17,
        L.CITY_OF_REPUBLICAN_SIGNIFICANCE: 3,
        L.DISTRICT: 166,
        L.CITY_OF_REGIONAL_SIGNIFICANCE: 76,
        L.DISTRICT_IN_CITY: 22,
        L.CITY_OF_DISTRICT_SIGNIFICANCE: 80,
        L.RURAL_DISTRICT: 2132,
        L.SETTLEMENT: 154,
        L.VILLAGE: 13614,
    }
    towns = AdministrativeUnit.objects.filter(level=L.CITY_OF_DISTRICT_SIGNIFICANCE)
    assert towns.exclude(kato_code__endswith="000").count() == 48

    # And a second import finds every unit unchanged.
    assert import_kato(path) == "Created 0, updated 0, unchanged 16264."


@pytest.mark.django_db
def test_an_xlsx_with_a_damaged_sheet_is_refused(tmp_path, territory):
    whole = write_xlsx(tmp_path / "whole.xlsx", TINY_CLASSIFIER)
    path = tmp_path / "kato.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as damaged:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(item, data)

    refusal = refused(path)

    assert refusal.code == "kato_wrong_format"
    assert (
        str(refusal) == "kato.xlsx is in a wrong format: expected a CSV or XLSX file."
    )
