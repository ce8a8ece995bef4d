"""The API's administrative units: the list with its search and filters, a unit by its KATO
code with its ancestors and whether it holds its own budget."""

from __future__ import annotations

import time_machine

from tests.api.conftest import get
from tests.budgets.conftest import at
from tests.portal.factories import AkimatFactory


def codes(body) -> list[str]:
    return [unit["kato_code"] for unit in body["results"]]


def test_the_units_are_listed_in_kato_order_with_their_parent_s_code(api, territory):
    response, body = get(api, "/api/v1/units/")

    assert response.status_code == 200
    assert body["count"] == 6
    assert body["results"][2] == {
        "kato_code": "115633000",
        "level": "rural_district",
        "name_kk": "Ортақ ауылдық округі",
        "name_ru": "Ортакский сельский округ",
        "parent": "115600000",
        "population": 1800,
        "population_year": 2021,
    }
    assert codes(body) == [
        "110000000",
        "115600000",
        "115633000",
        "115633100",
        "115641000",
        "115645000",
    ]
    assert body["results"][0]["parent"] is None


def test_units_are_searched_by_name_in_either_script_and_filtered(api, territory):
    # Kazakh typed without Kazakh letters finds the Kazakh name
    assert codes(get(api, "/api/v1/units/", q="Акколь")[1]) == ["115633100"]
    assert codes(get(api, "/api/v1/units/", q="садовый")[1]) == ["115645000"]
    assert codes(get(api, "/api/v1/units/", level="rural_district")[1]) == [
        "115633000",
        "115645000",
    ]
    assert codes(get(api, "/api/v1/units/", parent="115633000")[1]) == ["115633100"]


def test_units_holding_their_own_budget_in_a_year_follow_the_reform(api, territory):
    # 2019: only units of more than 2,000 people; 2020 on: every administration
    assert codes(get(api, "/api/v1/units/", own_budget_year=2019)[1]) == [
        "115641000",
        "115645000",
    ]
    assert codes(get(api, "/api/v1/units/", own_budget_year=2020)[1]) == [
        "115633000",
        "115641000",
        "115645000",
    ]
    assert codes(get(api, "/api/v1/units/", own_budget_year=2017)[1]) == []


def test_a_unit_comes_with_its_ancestors_and_its_own_budget_this_year(api, territory):
    with time_machine.travel(at(2027, 6, 15), tick=False):
        response, body = get(api, "/api/v1/units/115633100/")

    assert response.status_code == 200
    assert body == {
        "kato_code": "115633100",
        "level": "village",
        "name_kk": "Ақкөл",
        "name_ru": "Акколь",
        "parent": "115633000",
        "population": 900,
        "population_year": 2021,
        "ancestors": [
            {
                "kato_code": "110000000",
                "name_kk": "Ақмола облысы",
                "name_ru": "Акмолинская область",
            },
            {
                "kato_code": "115600000",
                "name_kk": "Зеренді ауданы",
                "name_ru": "Зерендинский район",
            },
            {
                "kato_code": "115633000",
                "name_kk": "Ортақ ауылдық округі",
                "name_ru": "Ортакский сельский округ",
            },
        ],
        "own_budget": {
            "fiscal_year": 2027,
            "holds": False,
            "reason": "part_of_larger_unit",
            "budget_unit": {
                "kato_code": "115633000",
                "name_kk": "Ортақ ауылдық округі",
                "name_ru": "Ортакский сельский округ",
            },
        },
        "children_count": 0,
        "akimat": None,
    }


def test_a_unit_comes_with_its_akimat_s_contacts_in_both_languages(api, territory):
    AkimatFactory(unit=territory["rural_district"], email="")

    response, body = get(api, "/api/v1/units/115633000/")

    assert response.status_code == 200
    assert body["akimat"] == {
        "name_kk": "Ортақ ауылдық округі әкімінің аппараты",
        "name_ru": "Аппарат акима Ортакского сельского округа",
        "akim_name_kk": "Жұмабаев Ерлан Серікұлы",
        "akim_name_ru": "Жумабаев Ерлан Серикович",
        "address_kk": "Ақмола облысы, Зеренді ауданы, Ортақ ауылы, Мектеп көшесі, 3",
        "address_ru": "Акмолинская область, Зерендинский район, с. Ортак, ул. Школьная, 3",
        "working_hours_kk": "Дүйсенбі–жұма 9:00–18:30, түскі үзіліс 13:00–14:30",
        "working_hours_ru": "Понедельник–пятница 9:00–18:30, обед 13:00–14:30",
        "in_person_kk": "1-қабат, қабылдау бөлмесі",
        "in_person_ru": "1-й этаж, приёмная",
        "phone": "+77163221471",
        "office_email": "",
    }
    # Another unit's contacts are its own
    assert get(api, "/api/v1/units/115645000/")[1]["akimat"] is None


def test_the_api_reads_the_akimat_with_the_unit_in_one_query(
    api, territory, django_assert_num_queries
):
    AkimatFactory(unit=territory["rural_district"])

    with django_assert_num_queries(1):
        _response, body = get(api, "/api/v1/units/115633000/")

    assert body["akimat"]["phone"] == "+77163221471"


def test_the_api_s_contacts_are_read_only(api, territory):
    akimat = AkimatFactory(unit=territory["rural_district"])

    response = api.patch(
        "/api/v1/units/115633000/",
        {"akimat": {"phone": "+77012345678"}},
        format="json",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 405
    akimat.refresh_from_db()
    assert akimat.phone == "+77163221471"


def test_an_unknown_kato_code_is_a_404_in_the_api_s_shape(api, territory):
    response, body = get(api, "/api/v1/units/999999999/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert body == {"code": "not_found", "detail": "No unit has this KATO code."}


def test_a_path_that_is_no_kato_code_is_a_404_in_the_api_s_shape(api, territory):
    response, body = get(api, "/api/v1/units/11563/")

    assert response.status_code == 404
    assert body == {"code": "not_found", "detail": "The API has no such address."}
