"""The public shell: home, unit search, unit pages, errors, languages."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.urls import path, reverse
from django.utils import translation

from portal.models import AdministrativeUnit, Level
from portal.search import index_text
from tests.accounts.factories import UserFactory
from tests.portal.factories import UnitFactory


def test_home_lists_the_regions_and_offers_search(client, territory):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert list(response.context["regions"]) == [territory["region"]]
    assert 'name="q"' in response.content.decode()


def test_the_unit_page_shows_names_breadcrumb_population_and_budget(client, territory):
    response = client.get(territory["village_administration"].get_absolute_url())

    page = response.content.decode()
    assert "Қызылсая ауылы" in page and "Кызылсая" in page
    assert [a.kato_code for a in response.context["unit"].ancestors] == [
        "110000000",
        "115600000",
    ]
    assert "2,400 people (2021)" in page
    assert response.context["budget_status"].holds is True


def test_a_population_of_one_is_one_person(client, territory):
    # Given a winter camp counted with one inhabitant
    camp = UnitFactory(
        kato_code="115633300",
        level=Level.VILLAGE,
        name_kk="Қыстау",
        name_ru="Зимовка",
        parent=territory["rural_district"],
        population=1,
        population_year=2021,
    )

    page = client.get(camp.get_absolute_url()).content.decode()

    assert "1 person (2021)" in page
    assert "1 people" not in page


def test_a_village_of_a_rural_district_points_to_the_budget_it_takes_part_in(
    client, territory
):
    response = client.get(territory["village"].get_absolute_url())

    assert response.context["budget_status"].holds is False
    assert response.context["budget_unit"] == territory["rural_district"]
    assert "takes part in its budget" in response.content.decode()


def test_a_district_page_lists_its_units_with_their_own_budget(client, territory):
    response = client.get(territory["district"].get_absolute_url())

    assert {u.kato_code for u in response.context["budget_children"]} == {
        "115633000",
        "115641000",
        "115645000",
    }


@pytest.mark.parametrize(
    ("language", "name"),
    [("kk", "Зеренді ауданы"), ("ru", "Зерендинский район"), ("en", "Зеренді ауданы")],
)
def test_the_unit_name_follows_the_language(client, territory, language, name):
    with translation.override(language):
        response = client.get(territory["district"].get_absolute_url())

    assert f"<h1>{name} " in response.content.decode()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ақкөл", ["115633100"]),
        ("акколь", ["115633100"]),
        ("АККОЛ", ["115633100"]),
        ("зеренді", ["115600000"]),
        ("зерендинский", ["115600000"]),
        ("115641000", ["115641000"]),
        ("ауылдық", ["115633000", "115645000"]),
    ],
)
def test_search_finds_units_in_kazakh_or_russian_spelling(
    client, territory, text, found
):
    response = client.get(reverse("portal:unit_search"), {"q": text})

    assert sorted(u.kato_code for u in response.context["page"]) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Russian romanisations
        ("Zlatopolye", ["117051100"]),
        ("zlatopol", ["117051100"]),
        ("Shchuchinsk", ["117020000"]),
        ("Zhanaarka", ["117061100"]),
        # The Kazakh Latin alphabet of 2021, and without its letters
        ("Qatarkol", ["117057100"]),
        ("Qatarköl", ["117057100"]),
        ("Jañaarqa", ["117061100"]),
        ("Baiqoñyr", ["117063100"]),
        ("Baykonyr", ["117063100"]),
        # Latin that is no Cyrillic name still finds the Latin one
        ("Green", ["117065100"]),
    ],
)
def test_search_finds_units_typed_in_latin_letters(client, db, text, found):
    # Given places with Kazakh and Russian names
    for kato_code, name_kk, name_ru in [
        ("117051100", "Златополье ауылы", "село Златополье"),
        ("117057100", "Қатаркөл ауылы", "село Катарколь"),
        ("117020000", "Щучинск қаласы", "город Щучинск"),
        ("117061100", "Жаңаарқа ауылы", "село Жанаарка"),
        ("117063100", "Байқоңыр ауылы", "село Байконыр"),
        ("117065100", "Green Village", "Green Village"),
    ]:
        UnitFactory(kato_code=kato_code, name_kk=name_kk, name_ru=name_ru)

    # When a resident types a name in Latin letters
    response = client.get(reverse("portal:unit_search"), {"q": text})

    # Then the place is found by its Cyrillic names
    assert sorted(u.kato_code for u in response.context["page"]) == found


def test_a_search_for_the_separator_finds_nothing(client, territory):
    response = client.get(reverse("portal:unit_search"), {"q": "|"})

    assert response.context["page"].paginator.count == 0


def test_home_lists_the_units_with_their_own_budget_in_a_chosen_district(
    client, territory
):
    response = client.get(reverse("portal:home"), {"district": "115600000"})

    assert [d.kato_code for d in response.context["districts"]] == ["115600000"]
    assert [u.kato_code for u in response.context["budget_units"]] == [
        "115633000",  # Ортақ
        "115645000",  # Садовый
        "115641000",  # Қызылсая: Kazakh letters sort after the Russian alphabet
    ]


def test_search_with_no_match_says_what_to_do(client, territory):
    response = client.get(reverse("portal:unit_search"), {"q": "Атлантида"})

    assert response.context["page"].paginator.count == 0
    assert "Check the spelling" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "There is no such page."),
        ("ru", "Такой страницы нет."),
        ("kk", "Мұндай бет жоқ."),
    ],
)
def test_an_unknown_kato_code_is_a_404_in_the_users_language(
    client, db, language, text
):
    response = client.get(f"/{language}/units/999999999/")

    assert response.status_code == 404
    assert text in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_language_switcher_keeps_the_page_and_remembers_the_choice(
    client, territory
):
    page = territory["district"].get_absolute_url()

    response = client.post("/en/i18n/setlang/", {"language": "ru", "next": page})

    assert response.status_code == 302
    assert response.url == "/ru/units/115600000/"
    assert response.cookies["django_language"].value == "ru"
    assert client.get("/", follow=False).url == "/ru/"


def test_a_signed_in_users_language_is_remembered_for_their_emails(client, db):
    user = UserFactory(language="en")
    client.force_login(user)

    client.get("/kk/")

    user.refresh_from_db()
    assert user.language == "kk"


def _bulk_territory(size: int) -> AdministrativeUnit:
    """A district with `size` units in four levels below it, for query counts."""
    region = UnitFactory(kato_code="110000000", level=Level.REGION)
    district = UnitFactory(kato_code="115600000", level=Level.DISTRICT, parent=region)
    rural = [
        AdministrativeUnit(
            kato_code=f"1156{30 + n:02d}000",
            level=Level.RURAL_DISTRICT,
            name_kk=f"Ауылдық округ {n}",
            name_ru=f"Сельский округ {n}",
            parent=district,
            search_text=index_text(f"1156{30 + n:02d}000", f"округ {n}", f"округ {n}"),
        )
        for n in range(50)
    ]
    AdministrativeUnit.objects.bulk_create(rural)
    rural = list(AdministrativeUnit.objects.filter(level=Level.RURAL_DISTRICT))
    villages = []
    for n in range(size - len(rural) - 2):
        parent = rural[n % len(rural)]
        code = f"{parent.kato_code[:6]}{n // len(rural) + 100:03d}"
        villages.append(
            AdministrativeUnit(
                kato_code=code,
                level=Level.VILLAGE,
                name_kk=f"Ауыл {n}",
                name_ru=f"Село {n}",
                parent=parent,
                population=n,
                population_year=2021,
                search_text=index_text(code, f"ауыл {n}", f"село {n}"),
            )
        )
    AdministrativeUnit.objects.bulk_create(villages, batch_size=2000)
    assert AdministrativeUnit.objects.count() == size
    return district


# Each page: the unit with its ancestors, the children's count and, if any, their page.
UNIT_PAGE_QUERIES = {"district": 3, "rural district": 3, "village": 2}
# The search: the count of matches and their page, each with its ancestors.
SEARCH_QUERIES = 2


@pytest.mark.parametrize("size", [100, 10_000])
def test_the_unit_page_costs_the_same_queries_at_any_size(
    client, db, size, django_assert_num_queries
):
    district = _bulk_territory(size)
    village = AdministrativeUnit.objects.filter(level=Level.VILLAGE).last()

    pages = {"district": district, "rural district": village.parent, "village": village}
    for kind, unit in pages.items():
        with django_assert_num_queries(UNIT_PAGE_QUERIES[kind]):
            response = client.get(unit.get_absolute_url())
        assert response.status_code == 200


@pytest.mark.parametrize("size", [100, 10_000])
def test_the_unit_search_costs_the_same_queries_at_any_size(
    client, db, size, django_assert_num_queries
):
    _bulk_territory(size)

    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("portal:unit_search"), {"q": "ауыл"})

    assert response.context["page"].paginator.count == size - 50  # all but the okrugs
    assert len(response.context["page"]) == 20


def _broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = i18n_patterns(path("broken/", _broken_view))


@pytest.mark.urls("tests.portal.test_pages")
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Something went wrong on our side"),
        ("ru", "Что-то пошло не так на нашей стороне"),
        ("kk", "Біз жақта бірдеңе дұрыс болмады"),
    ],
)
def test_a_server_error_is_shown_in_the_users_language(client, db, language, text):
    client.raise_request_exception = False

    response = client.get(f"/{language}/broken/")

    assert response.status_code == 500
    assert text in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()
