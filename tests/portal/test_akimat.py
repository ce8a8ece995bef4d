"""The akimat's contacts: what the administrator may keep (a Kazakhstan telephone number,
stored normalised; every text in both languages or neither), the admin that keeps them,
and the unit's page that shows them without a query more."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from portal.demo import AKIMATS, load_akimat_demo
from portal.models import Akimat
from portal.phones import phone_display, phone_normalise
from tests.accounts.factories import UserFactory
from tests.portal.factories import AkimatFactory
from votes.management.commands.load_demo import DEMO_DIR

FORMAT_ERROR = (
    "Enter a Kazakhstan telephone number: +7 and ten digits, for example "
    "+7 701 234 56 78 or 8 (71636) 2-14-71."
)
NOT_KAZAKHSTAN_ERROR = "This is not a Kazakhstan number: after +7 (or 8) Kazakhstan's numbers begin with 7."
ONE_LANGUAGE_ERROR = "Fill this in too, or leave it empty in both languages."
EMPTY_STATE = "The akimat's contact details have not been published yet."


# The telephone number.


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("+7 701 234 56 78", "+77012345678"),
        ("+77012345678", "+77012345678"),
        ("8 (71636) 2-14-71", "+77163621471"),
        ("8 7172 55 12 34", "+77172551234"),
        ("87012345678", "+77012345678"),
        ("7 (727) 255-12-34", "+77272551234"),
        ("701.234.56.78", "+77012345678"),
        ("7012345678", "+77012345678"),
        (" +7\u00a0701\u2011234\u201356\u201478 ", "+77012345678"),
    ],
)
def test_a_number_written_as_people_write_it_is_stored_as_plus_seven_and_ten_digits(
    written, stored
):
    assert phone_normalise(written) == stored


@pytest.mark.parametrize(
    ("written", "message", "code"),
    [
        # Russia shares the country code: its numbers begin with 3, 4, 8 or 9
        ("+7 916 123 45 67", NOT_KAZAKHSTAN_ERROR, "phone_not_kazakhstan"),
        ("8 (495) 123-45-67", NOT_KAZAKHSTAN_ERROR, "phone_not_kazakhstan"),
        ("79161234567", NOT_KAZAKHSTAN_ERROR, "phone_not_kazakhstan"),
        # Another country
        ("+996 312 123 456", NOT_KAZAKHSTAN_ERROR, "phone_not_kazakhstan"),
        # A digit missing or one too many
        ("+7 701 234 56 7", FORMAT_ERROR, "phone_format"),
        ("+7 701 234 56 789", FORMAT_ERROR, "phone_format"),
        ("8 701 234 56 7", FORMAT_ERROR, "phone_format"),
        ("123456", FORMAT_ERROR, "phone_format"),
        # Ten digits that are no Kazakh number are taken as a digit missed
        ("9161234567", FORMAT_ERROR, "phone_format"),
        # Letters, an extension, digits of another script
        ("+7 701 CALL NOW", FORMAT_ERROR, "phone_format"),
        ("+7 701 234 56 78 ext. 2", FORMAT_ERROR, "phone_format"),
        ("+7 ٧٠١ ٢٣٤ ٥٦ ٧٨", FORMAT_ERROR, "phone_format"),
        ("+", FORMAT_ERROR, "phone_format"),
    ],
)
def test_a_number_that_is_no_kazakhstan_number_is_refused_with_the_reason(
    written, message, code
):
    with pytest.raises(ValidationError) as refused:
        phone_normalise(written)

    assert refused.value.messages == [message]
    assert refused.value.code == code


def test_a_stored_number_is_shown_grouped_for_reading():
    assert phone_display("+77163621471") == "+7 716 362 14 71"
    assert phone_display("+77012345678") == "+7 701 234 56 78"


# The model's rules.


def test_the_model_stores_the_number_normalised_when_checked(territory):
    akimat = AkimatFactory.build(
        unit=territory["rural_district"], phone="8 (71632) 2-14-71"
    )

    akimat.full_clean()
    akimat.save()

    akimat.refresh_from_db()
    assert akimat.phone == "+77163221471"
    assert akimat.phone_display == "+7 716 322 14 71"


def test_the_model_refuses_a_russian_number_on_the_phone_field(territory):
    akimat = AkimatFactory.build(
        unit=territory["rural_district"], phone="+7 916 123 45 67"
    )

    with pytest.raises(ValidationError) as refused:
        akimat.full_clean()

    assert refused.value.message_dict == {"phone": [NOT_KAZAKHSTAN_ERROR]}


@pytest.mark.parametrize("text", ["akim_name", "address", "working_hours", "in_person"])
@pytest.mark.parametrize("given", ["kk", "ru"])
def test_a_text_given_in_one_language_only_is_refused_on_the_other(
    territory, text, given
):
    missing = "ru" if given == "kk" else "kk"
    akimat = AkimatFactory.build(
        unit=territory["rural_district"], **{f"{text}_{missing}": ""}
    )

    with pytest.raises(ValidationError) as refused:
        akimat.full_clean()

    assert refused.value.message_dict == {f"{text}_{missing}": [ONE_LANGUAGE_ERROR]}


def test_only_the_names_are_required(territory):
    akimat = Akimat(
        unit=territory["rural_district"],
        name_kk="Әкім аппараты",
        name_ru="Аппарат акима",
    )

    akimat.full_clean()

    nameless = Akimat(unit=territory["village"], name_kk="Әкім аппараты")
    with pytest.raises(ValidationError) as refused:
        nameless.full_clean()
    assert refused.value.message_dict == {"name_ru": ["This field cannot be blank."]}


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "87012345678"},
        {"phone": "+79161234567"},
        {"address_ru": ""},
        {"name_kk": ""},
    ],
)
def test_the_database_refuses_what_the_model_refuses(territory, fields):
    # Given a row written past the model's checks (a raw save, a script)
    with pytest.raises(IntegrityError):
        AkimatFactory(unit=territory["rural_district"], **fields)


def test_a_unit_has_one_akimat(territory):
    AkimatFactory(unit=territory["rural_district"])

    with pytest.raises(IntegrityError):
        AkimatFactory(unit=territory["rural_district"])


# The admin.


@pytest.fixture
def admin_client(client, db):
    # The admin has no language prefix: the browser's language picks English here.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_form(unit, **changes) -> dict:
    form = {
        "unit": unit.pk,
        "name_kk": "Ортақ ауылдық округі әкімінің аппараты",
        "name_ru": "Аппарат акима Ортакского сельского округа",
        "akim_name_kk": "Жұмабаев Ерлан Серікұлы",
        "akim_name_ru": "Жумабаев Ерлан Серикович",
        "address_kk": "Ортақ ауылы, Мектеп көшесі, 3",
        "address_ru": "с. Ортак, ул. Школьная, 3",
        "working_hours_kk": "Дс–Жм 9:00–18:30, түскі үзіліс 13:00–14:30",
        "working_hours_ru": "Пн–Пт 9:00–18:30, обед 13:00–14:30",
        "in_person_kk": "1-қабат, қабылдау бөлмесі",
        "in_person_ru": "1-й этаж, приёмная",
        "phone": "8 (71632) 2-14-71",
        "email": "ortak@example.kz",
    }
    return {**form, **changes}


def contacts(akimat: Akimat) -> tuple:
    akimat.refresh_from_db()
    return (akimat.name_ru, akimat.working_hours_ru, akimat.phone, akimat.email)


def test_the_admin_publishes_a_unit_s_contacts(admin_client, territory):
    add = reverse("admin:portal_akimat_add")

    assert admin_client.get(add).status_code == 200
    response = admin_client.post(add, admin_form(territory["rural_district"]))

    assert response.status_code == 302
    akimat = Akimat.objects.get(unit=territory["rural_district"])
    assert contacts(akimat) == (
        "Аппарат акима Ортакского сельского округа",
        "Пн–Пт 9:00–18:30, обед 13:00–14:30",
        "+77163221471",
        "ortak@example.kz",
    )


def test_the_admin_changes_the_contacts_through_the_change_form(
    admin_client, territory
):
    akimat = AkimatFactory(unit=territory["rural_district"])
    change = reverse("admin:portal_akimat_change", args=[akimat.pk])

    shown = admin_client.get(change)
    response = admin_client.post(
        change,
        admin_form(
            territory["rural_district"],
            working_hours_ru="Пн–Пт 9:00–18:00, обед 13:00–14:00",
            phone="+7 701 234 56 78",
            email="",
        ),
    )

    assert shown.status_code == 200
    assert 'type="tel"' in shown.content.decode()
    assert response.status_code == 302
    assert contacts(akimat) == (
        "Аппарат акима Ортакского сельского округа",
        "Пн–Пт 9:00–18:00, обед 13:00–14:00",
        "+77012345678",
        "",
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"phone": "+7 916 123 45 67"}, {"phone": [NOT_KAZAKHSTAN_ERROR]}),
        ({"phone": "8 701 234"}, {"phone": [FORMAT_ERROR]}),
        ({"address_ru": ""}, {"address_ru": [ONE_LANGUAGE_ERROR]}),
        ({"in_person_kk": ""}, {"in_person_kk": [ONE_LANGUAGE_ERROR]}),
        ({"email": "ortak at example.kz"}, {"email": ["Enter a valid email address."]}),
        ({"name_kk": ""}, {"name_kk": ["This field is required."]}),
    ],
)
def test_the_admin_refuses_bad_contacts_with_the_reason(
    admin_client, territory, changes, errors
):
    akimat = AkimatFactory(unit=territory["rural_district"])
    before = contacts(akimat)

    response = admin_client.post(
        reverse("admin:portal_akimat_change", args=[akimat.pk]),
        admin_form(territory["rural_district"], **changes),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    page = response.content.decode()
    for messages in errors.values():
        assert messages[0].replace("'", "&#x27;") in page
    assert contacts(akimat) == before


def test_the_admin_finds_an_akimat_by_the_unit_s_kato_code_or_name(
    admin_client, territory
):
    AkimatFactory(unit=territory["rural_district"])
    AkimatFactory(
        unit=territory["other_rural_district"],
        name_kk="Садовый ауылдық округі әкімінің аппараты",
        name_ru="Аппарат акима Садового сельского округа",
    )
    changelist = reverse("admin:portal_akimat_changelist")

    def found(query: str) -> list[str]:
        response = admin_client.get(changelist, {"q": query})
        return [a.unit.kato_code for a in response.context["cl"].result_list]

    assert found("115633000") == ["115633000"]
    assert found("Ортакский") == ["115633000"]
    assert found("Садовый ауылдық") == ["115645000"]
    assert found("115") == ["115633000", "115645000"]


@pytest.fixture
def staff_member(client, db):
    """Staff of the admin with no permission on the akimats."""
    user = UserFactory(is_staff=True)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(user)
    return user


def test_staff_without_the_permission_may_not_add_or_change_contacts(
    client, staff_member, territory
):
    akimat = AkimatFactory(unit=territory["rural_district"])
    before = contacts(akimat)
    add = reverse("admin:portal_akimat_add")
    change = reverse("admin:portal_akimat_change", args=[akimat.pk])

    assert client.get(add).status_code == 403
    assert client.post(add, admin_form(territory["village"])).status_code == 403
    assert client.get(change).status_code == 403
    assert (
        client.post(
            change, admin_form(territory["rural_district"], phone="+77012345678")
        ).status_code
        == 403
    )

    assert contacts(akimat) == before
    assert Akimat.objects.count() == 1


def test_staff_given_the_permission_change_the_contacts(
    client, staff_member, territory
):
    staff_member.user_permissions.add(
        Permission.objects.get(codename="change_akimat"),
        Permission.objects.get(codename="view_administrativeunit"),
    )
    akimat = AkimatFactory(unit=territory["rural_district"])

    response = client.post(
        reverse("admin:portal_akimat_change", args=[akimat.pk]),
        admin_form(territory["rural_district"], phone="+7 701 234 56 78"),
    )

    assert response.status_code == 302
    assert contacts(akimat)[2] == "+77012345678"


# The unit's page.


def test_the_unit_page_shows_the_akimat_s_contacts(client, territory):
    AkimatFactory(unit=territory["rural_district"])

    with translation.override("ru"):
        page = client.get(
            territory["rural_district"].get_absolute_url()
        ).content.decode()

    assert 'data-testid="akimat"' in page
    for text in (
        "Аппарат акима Ортакского сельского округа",
        "Жумабаев Ерлан Серикович",
        "Акмолинская область, Зерендинский район, с. Ортак, ул. Школьная, 3",
        "Понедельник–пятница 9:00–18:30, обед 13:00–14:30",
        "1-й этаж, приёмная",
        '<a href="mailto:ortak.akimat@example.kz">ortak.akimat@example.kz</a>',
    ):
        assert text in page
    assert (
        '<a href="tel:+77163221471" data-testid="akimat-phone">+7 716 322 14 71</a>'
        in page
    )
    assert EMPTY_STATE not in page


def test_the_contacts_follow_the_language_and_english_reads_the_kazakh_marked_so(
    client, territory
):
    AkimatFactory(unit=territory["rural_district"])
    url = territory["rural_district"].get_absolute_url

    with translation.override("kk"):
        kazakh = client.get(url()).content.decode()
    english = client.get(url()).content.decode()

    for page in (kazakh, english):
        assert "Ортақ ауылдық округі әкімінің аппараты" in page
        assert "Жұмабаев Ерлан Серікұлы" in page
        assert "Жумабаев Ерлан Серикович" not in page
    assert '<dd lang="kk">Жұмабаев Ерлан Серікұлы</dd>' in english
    assert '<dd lang="kk">' not in kazakh
    assert "<dt>Where to go in person</dt>" in english


def test_only_what_was_published_is_shown(client, territory):
    AkimatFactory(
        unit=territory["rural_district"],
        akim_name_kk="",
        akim_name_ru="",
        in_person_kk="",
        in_person_ru="",
        phone="",
        email="",
    )

    page = client.get(territory["rural_district"].get_absolute_url()).content.decode()

    assert "Ортақ ауылдық округі әкімінің аппараты" in page
    assert "<dt>Address</dt>" in page and "<dt>Working hours</dt>" in page
    for absent in ("<dt>Akim</dt>", "tel:", "mailto:", "Where to go in person"):
        assert absent not in page


def test_a_unit_without_published_contacts_says_so(client, territory):
    page = client.get(territory["rural_district"].get_absolute_url()).content.decode()

    assert 'data-testid="akimat"' in page
    assert EMPTY_STATE in page
    assert "tel:" not in page


def test_another_unit_s_contacts_are_not_shown(client, territory):
    AkimatFactory(unit=territory["other_rural_district"])

    page = client.get(territory["rural_district"].get_absolute_url()).content.decode()

    assert EMPTY_STATE in page
    assert "tel:" not in page


@pytest.mark.parametrize("published", [True, False])
def test_the_unit_page_costs_its_pinned_queries_with_or_without_contacts(
    client, territory, django_assert_num_queries, published
):
    if published:
        AkimatFactory(unit=territory["rural_district"])

    # The unit with its ancestors and akimat, the count of its children, the page of
    # them: reading the contacts (or that there are none) costs nothing more.
    with django_assert_num_queries(3):
        response = client.get(territory["rural_district"].get_absolute_url())

    assert ("tel:+77163221471" in response.content.decode()) is published


# The demo.


def test_the_demo_publishes_its_akimats_contacts_and_a_second_run_changes_nothing(db):
    call_command("import_kato", DEMO_DIR / "kato-demo.csv", stdout=StringIO())

    load_akimat_demo()
    first = list(Akimat.objects.order_by("pk").values())
    load_akimat_demo()

    assert list(Akimat.objects.order_by("pk").values()) == first
    assert {akimat.unit.kato_code for akimat in Akimat.objects.all()} == {
        code for code, *_rest in AKIMATS
    }
    zlatopolye = Akimat.objects.get(unit__kato_code="117051000")
    assert zlatopolye.phone == "+77163672145"
    assert zlatopolye.akim_name_kk == "Сейітов Болат Ерланұлы"
    assert zlatopolye.address_ru == (
        "Акмолинская область, Бурабайский район, с. Златополье, ул. Центральная, 15"
    )
    assert all(akimat.phone.startswith("+77163") for akimat in Akimat.objects.all())
