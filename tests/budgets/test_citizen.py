"""The citizen's budget: a public version of the draft, or the adopted budget, in plain
words — its figures computed by hand, who may read it, the page in three languages, and
the one A4 page of PDF for the akimat's notice board with its QR code."""

import io
import re
from decimal import Decimal
from html import unescape

import pytest
import segno
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from budgets import citizen_pdf, selectors, services
from budgets.classification import functional_group_of
from budgets.models import BudgetClassification, ClassificationKind
from portal.printed import qr_modules
from tests.budgets.conftest import DAY_IN, draft_published
from tests.budgets.factories import ClassificationFactory, lines
from tests.budgets.test_demo_and_admin import superuser  # noqa: F401

UNIT, YEAR = "115633000", 2027
D = Decimal


def url(name: str, language: str = "en", **extra) -> str:
    with translation.override(language):
        return reverse(
            f"budgets:{name}", kwargs={"kato_code": UNIT, "fiscal_year": YEAR, **extra}
        )


def budget_of(draft, language: str = "en"):
    cycle = selectors.cycle_get(kato_code=UNIT, fiscal_year=YEAR)
    with translation.override(language):
        return selectors.citizen_budget(
            next(d for d in cycle.drafts.all() if d.pk == draft.pk)
            if draft
            else selectors.citizen_draft(cycle)
        )


def text_of(html: str) -> str:
    """The page's text as a reader reads it: inline tags dropped, others a space."""
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", html)
    text = unescape(re.sub(r"<[^>]+>", " ", inline))
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text).replace("\xa0", " ")


# The figures, by hand, of the ADOPTED budget (tests.budgets.conftest) of a rural
# district of 1 800 residents:
#   revenue 50 000 000: own 2 000 000 + 1 500 000 = 3 500 000 (7.0%),
#                       transfers 40 000 000 + 6 500 000 = 46 500 000 (93.0%)
#   spending 50 000 000, per resident 50 000 000 / 1 800 = 27 777.78 → 27 778
#   01 general services 20 000 000 (40.0%, 11 111 per resident)
#   07 lighting 8 000 000 + greening 4 000 000 = 12 000 000 (24.0%, 6 667)
#   08 culture 10 000 000 + sport 0 = 10 000 000 (20.0%, 5 556)
#   12 roads 8 000 000 (16.0%, 4 444)


def test_the_adopted_budget_in_figures_computed_by_hand(adopted):
    budget = budget_of(None)

    assert budget.draft.pk == adopted.pk
    assert budget.is_adopted
    assert (budget.revenue, budget.own_revenue, budget.transfers) == (
        D("50000000"),
        D("3500000"),
        D("46500000"),
    )
    assert (budget.own_share, budget.transfer_share) == (D("7.0"), D("93.0"))
    assert budget.expenditure == D("50000000")
    assert budget.per_resident == D("27778")
    assert [
        (g.code, g.amount, g.share, g.per_resident, g.plain_names)
        for g in budget.groups
    ] == [
        ("01", D("20000000"), D("40.0"), D("11111"), ["Running the akim's office"]),
        (
            "07",
            D("12000000"),
            D("24.0"),
            D("6667"),
            ["Lighting the streets", "Trees, parks and playgrounds"],
        ),
        (
            "08",
            D("10000000"),
            D("20.0"),
            D("5556"),
            ["House of culture and celebrations"],
        ),
        (
            "12",
            D("8000000"),
            D("16.0"),
            D("4444"),
            ["Clearing snow and looking after roads"],
        ),
    ]
    assert [item.classification.code for item in budget.own_items] == [
        "1 04 1 02",
        "1 04 3",
    ]
    assert [item.classification.code for item in budget.transfer_items] == [
        "4 02 3 03",
        "4 02 3 01",
    ]
    assert budget.projects == []


def test_plain_names_follow_the_language_and_an_entry_without_one_keeps_its_official_name(
    adopted,
):
    BudgetClassification.objects.filter(code="124 013").update(
        plain_name_kk="", plain_name_ru="", plain_name_en=""
    )

    kk = budget_of(None, "kk")
    ru = budget_of(None, "ru")

    with translation.override("kk"):
        assert kk.groups[1].plain_names == [
            "Көшелерді жарықтандыру",
            "Ағаштар, саябақтар мен алаңдар",
        ]
        assert kk.groups[3].plain_names == [
            "Аудандық маңызы бар қалаларда, ауылдарда, кенттерде, ауылдық "
            "округтерде автомобиль жолдарының жұмыс істеуін қамтамасыз ету"
        ]
    with translation.override("ru"):
        assert ru.groups[1].plain_names == [
            "Освещение улиц",
            "Деревья, парки и детские площадки",
        ]
        assert ru.groups[3].items[0].plain_name == ""


def test_the_seeded_classification_has_plain_names_in_three_languages(db):
    lighting = BudgetClassification.objects.get(kind="expenditure", code="124 008")
    roads = BudgetClassification.objects.get(kind="expenditure", code="124 013")

    assert (lighting.plain_name_kk, lighting.plain_name_ru, lighting.plain_name_en) == (
        "Көшелерді жарықтандыру",
        "Освещение улиц",
        "Lighting the streets",
    )
    assert roads.plain_name_kk.startswith("Қар тазалау")
    assert roads.plain_name_ru.startswith("Уборка снега")
    assert not BudgetClassification.objects.filter(plain_name_kk="").exists()
    assert not BudgetClassification.objects.filter(purpose_ru="").exists()


def test_an_unknown_population_gives_no_amount_per_resident_and_the_page_says_so(
    adopted, client, territory
):
    unit = territory["rural_district"]
    unit.population = unit.population_year = None
    unit.save()

    budget = budget_of(None)
    response = client.get(url("citizen"))

    assert budget.per_resident is None
    assert all(group.per_resident is None for group in budget.groups)
    assert response.status_code == 200
    assert (
        "The population of this unit is not known, so no amount per resident is "
        "given." in text_of(response.content.decode())
    )


def test_a_budget_without_transfers_is_all_own_revenue(cycle, staff):
    draft_published(
        cycle,
        staff,
        {"revenue": {"R101": "300"}, "expenditure": {"E701": "100", "E801": "200"}},
    )

    budget = budget_of(None)

    assert (budget.own_share, budget.transfer_share) == (D("100.0"), D("0.0"))
    assert (budget.revenue, budget.own_revenue, budget.transfers) == (
        D("300"),
        D("300"),
        D("0"),
    )
    assert budget.expenditure == D("300")


def test_the_page_shows_the_figures_in_plain_words_in_every_language(adopted, client):
    pages = {}
    for language in ("kk", "ru", "en"):
        response = client.get(url("citizen", language))
        assert response.status_code == 200
        assert response["Content-Language"] == language
        pages[language] = text_of(response.content.decode())

    en = pages["en"]
    assert "The budget of Ортақ ауылдық округі for 2027 in plain words" in en
    assert "The budget spends 50 000 000 ₸" in en
    assert "Per resident 27 778 ₸ (1 800 residents, counted in 2021)" in en
    assert "From the district 93.0% of the revenue" in en
    assert "Lighting the streets: 8 000 000 ₸" in en
    assert "Officially: 124 008 Елді мекендердегі көшелерді жарықтандыру" in en
    assert "Officially: 07 Housing and communal services" in en
    assert "The adopted budget: version 1, approved by the district maslikhat." in en
    # Largest group first
    assert en.index("Running the akim's office") < en.index("Lighting the streets")
    assert en.index("Lighting the streets") < en.index("Clearing snow")
    assert "Көшелерді жарықтандыру: 8 000 000 ₸" in pages["kk"]
    assert "Ортақ ауылдық округі" in pages["kk"]
    assert "Освещение улиц: 8 000 000 ₸" in pages["ru"]
    assert "Ортакский сельский округ" in pages["ru"]
    assert "Уборка снега и содержание дорог" in pages["ru"]


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_lines(
    cycle, staff, client, django_assert_num_queries
):
    def lines_of(count):
        return {f"E9{n:02d}": "1000" for n in range(count)}

    draft_published(
        cycle, staff, {"revenue": {"R101": "100000"}, "expenditure": lines_of(3)}
    )
    client.get(url("citizen"))  # warm the caches (content types, sessions)
    with django_assert_num_queries(5) as small:
        assert client.get(url("citizen")).status_code == 200
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        second = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=second,
            lines=lines(revenue={"R101": "100000"}, expenditure=lines_of(30)),
            cash_balance_used=D(0),
            note="",
            actor=staff,
        )
        services.draft_publish(draft=second, actor=staff)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("citizen"))
    # one heading per functional group of the lines (the factory's positions may cross
    # a group's hundred, depending on what earlier tests of the worker made)
    groups = {
        functional_group_of(ClassificationKind.EXPENDITURE, position)
        for position in BudgetClassification.objects.filter(
            code__startswith="E9"
        ).values_list("position", flat=True)
    }
    assert response.content.decode().count('data-testid="citizen-group"') == len(groups)
    assert text_of(response.content.decode()).count("1 000 ₸") >= 30


# Who may read it: the draft page's rule.


def test_no_public_version_yet_is_404_for_everyone_on_the_cycle_s_address(
    draft, client, staff
):
    assert client.get(url("citizen")).status_code == 404
    assert client.get(url("citizen_pdf")).status_code == 404
    client.force_login(staff)
    assert client.get(url("citizen")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("resident_of_another_unit", 404),
        ("resident", 404),
        ("staff_of_another_unit", 404),
        ("akim", 200),
        ("deputy", 404),
        ("moderator", 404),
        ("staff", 200),
    ],
)
def test_a_version_in_preparation_is_read_only_by_the_unit_s_akimat_and_akim(
    draft, client, people, role, status
):
    # The draft page's rule, for the draft page and the citizen's budget alike
    user = people[role]
    if user is not None:
        client.force_login(user)
    version = {"version": draft.version}

    assert client.get(url("draft_detail", **version)).status_code == status
    assert client.get(url("draft_citizen", **version)).status_code == status
    assert client.get(url("draft_citizen_pdf", **version)).status_code == status


def test_staff_reading_a_version_in_preparation_are_told_it_is_not_public(
    draft, client, staff
):
    client.force_login(staff)
    response = client.get(url("draft_citizen", version=draft.version))
    assert "Version 1 of the draft, being prepared: not yet public." in text_of(
        response.content.decode()
    )


def test_a_published_version_is_public_and_says_its_figures_may_change(
    published, client
):
    response = client.get(url("draft_citizen", version=1))

    assert response.status_code == 200
    assert (
        "Draft, version 1: published for discussion. The figures may still change "
        "before the maslikhat adopts the budget." in text_of(response.content.decode())
    )
    assert client.get(url("draft_citizen", version=9)).status_code == 404


def test_the_cycle_s_address_shows_the_newest_version_and_an_older_one_says_it_was_replaced(
    two_versions, client
):
    newest = text_of(client.get(url("citizen")).content.decode())
    older = text_of(client.get(url("draft_citizen", version=1)).content.decode())

    assert "Draft, version 2" in newest
    assert "Version 1 of the draft, replaced by a later version." in older


def test_the_draft_page_and_the_cycle_page_link_to_it(published, client):
    draft_page = client.get(url("draft_detail", version=1)).content.decode()
    cycle_page = client.get(url("cycle_detail")).content.decode()

    assert f'href="{url("draft_citizen", version=1)}"' in draft_page
    assert f'href="{url("citizen")}"' in cycle_page


def test_the_cycle_page_has_no_link_before_a_version_is_public(draft, client):
    assert (
        'data-testid="citizen-link"'
        not in client.get(url("cycle_detail")).content.decode()
    )


def test_writing_to_the_page_is_refused(published, client):
    assert client.post(url("citizen")).status_code == 405
    assert client.post(url("citizen_pdf")).status_code == 405


# The A4 page of PDF.


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_pdf_is_one_a4_page_with_the_unit_the_figures_and_the_address(
    adopted, client, settings, language
):
    settings.ALLOWED_HOSTS = ["qatysu.example.kz"]
    response = client.get(url("citizen_pdf", language), HTTP_HOST="qatysu.example.kz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="qatysu-{UNIT}-{YEAR}-budget-v1-{language}.pdf"'
    )
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) <= 1
    assert abs(float(box.height) - 841.89) <= 1
    page_url = f"http://qatysu.example.kz{url('citizen', language)}"
    assert page_url in text.replace(" ", "")
    assert "2027" in text
    assert "50 000 000 ₸" in text
    assert "27 778 ₸" in text
    names = {
        "kk": ("Ортақ ауылдық округі", "Көшелерді жарықтандыру"),
        "ru": ("Ортакский сельский округ", "Освещение улиц"),
        "en": ("Ортақ ауылдық округі", "Lighting the streets"),
    }[language]
    for name in names:
        assert name in text


def test_the_pdf_of_a_version_encodes_that_version_s_page(published, client):
    response = client.get(url("draft_citizen_pdf", "ru", version=1))

    _reader, text = pdf_text(response.content)
    assert response["Content-Disposition"].endswith('-budget-v1-ru.pdf"')
    assert f"http://testserver{url('draft_citizen', 'ru', version=1)}" in text.replace(
        " ", ""
    )


def qr_drawn(content: bytes) -> list[list[bool]]:
    """The QR code drawn on the page, read back from its filled rectangles (the only
    ones the sheet draws) as rows of dark and light modules."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    stream = page.get_contents().get_data().decode("latin-1")
    rectangles = [
        tuple(float(n) for n in match)
        for match in re.findall(
            r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re f", stream
        )
    ]
    assert rectangles
    step = min(abs(h) for *_xy, _w, h in rectangles)
    left = min(x for x, *_rest in rectangles)
    top = max(y for _x, y, *_rest in rectangles)
    size = round(citizen_pdf.QR_SIZE * 72 / 25.4 / step)
    modules = [[False] * size for _ in range(size)]
    for x, y, width, _height in rectangles:
        row = round((top - y) / step)
        start = round((x - left) / step)
        for column in range(start, start + round(width / step)):
            modules[row][column] = True
    return modules


def test_the_qr_code_on_the_page_encodes_the_absolute_address_of_the_page(
    adopted, client, settings
):
    settings.ALLOWED_HOSTS = ["qatysu.example.kz"]
    response = client.get(url("citizen_pdf", "kk"), HTTP_HOST="qatysu.example.kz")
    page_url = f"http://qatysu.example.kz{url('citizen', 'kk')}"

    expected = [
        [bool(module) for module in row]
        for row in segno.make(page_url, error="m").matrix_iter(scale=1, border=0)
    ]
    assert qr_modules(page_url) == expected
    assert qr_drawn(response.content) == expected
    assert qr_drawn(response.content) != [
        [bool(module) for module in row]
        for row in segno.make(page_url + "x", error="m").matrix_iter(scale=1, border=0)
    ]


# As long as a plain name may be (120 characters, with the "NN. " before it).
LONG_KK = (
    "Ауылдық елді мекендердегі әлеуметтік және инженерлік инфрақұрылымды дамыту, "
    "жөндеу және күтіп ұстау бағдарламасы"
)


def test_every_group_with_long_plain_names_and_a_long_unit_name_fits_on_one_page(
    cycle, staff, territory, client
):
    # Given 24 programmes spread over every functional group and beyond, each with a
    # long plain name, and a unit with a long name
    unit = territory["rural_district"]
    unit.name_kk = "Өте ұзақ атауы бар ауылдық округ " * 5
    unit.save()
    expenditure = {}
    for n in range(24):
        code = f"X{n:03d}"
        ClassificationFactory(
            kind=ClassificationKind.EXPENDITURE,
            code=code,
            position=(n % 16 + 1) * 100 + n,
            plain_name_kk=f"{n}. {LONG_KK}",
            purpose_kk=LONG_KK,
        )
        expenditure[code] = str(1000000 + n * 10000)
    draft_published(
        cycle, staff, {"revenue": {"TR1": "30000000"}, "expenditure": expenditure}
    )

    budget = budget_of(None, "kk")
    assert len(budget.groups) == 16
    response = client.get(url("citizen_pdf", "kk"))

    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    assert "Өте ұзақ атауы бар" in text
    assert "23. Ауылдық елді мекендердегі" in text  # the largest group's plain name
    assert "26 760 000 ₸" in text  # the total: 24 × 1 000 000 + 10 000 × (0 + … + 23)


def test_the_smaller_groups_are_summed_when_a_layout_shows_fewer():
    groups = [selectors.SpendingGroup(group=n, amount=D(100 - n)) for n in range(1, 17)]

    shown, rest = citizen_pdf.shown_groups(groups, 5)
    assert [g.group for g in shown] == [1, 2, 3, 4, 5]
    assert [g.group for g in rest] == list(range(6, 17))
    # One group more than the layout shows gets its own row rather than an "other" of one
    assert citizen_pdf.shown_groups(groups[:6], 5) == (groups[:6], [])
    assert citizen_pdf.shown_groups(groups, None) == (groups, [])


def test_a_missing_font_is_a_clear_error(adopted, settings, tmp_path):
    settings.QATYSU_PDF_FONTS = {
        "regular": tmp_path / "NotoSans_400Regular.ttf",
        "bold": tmp_path / "NotoSans_700Bold.ttf",
    }

    with pytest.raises(ImproperlyConfigured, match="npm ci"):
        citizen_pdf.citizen_pdf(
            budget_of(None), page_url="http://testserver/", language="kk"
        )


def test_the_admin_writes_an_entry_s_plain_names_and_the_page_shows_them(
    adopted,
    client,
    superuser,  # noqa: F811
):
    # Given an administrator who rewrites the plain names of street lighting
    client.force_login(superuser)
    entry = BudgetClassification.objects.get(kind="expenditure", code="124 008")
    form = client.get(
        reverse("admin:budgets_budgetclassification_change", args=[entry.pk])
    )
    assert 'name="plain_name_kk"' in form.content.decode()
    assert 'name="purpose_en"' in form.content.decode()

    response = client.post(
        reverse("admin:budgets_budgetclassification_change", args=[entry.pk]),
        {
            "name_kk": entry.name_kk,
            "name_ru": entry.name_ru,
            "position": entry.position,
            "is_active": "on",
            "plain_name_kk": "Шамдар",
            "plain_name_ru": "Фонари",
            "plain_name_en": "",
            "purpose_kk": "",
            "purpose_ru": "",
            "purpose_en": "",
        },
    )
    assert response.status_code == 302

    # Then the citizen's budget shows them, and only the official name where none is
    # written
    client.logout()
    assert "Фонари: 8 000 000 ₸" in text_of(
        client.get(url("citizen", "ru")).content.decode()
    )
    english = text_of(client.get(url("citizen", "en")).content.decode())
    assert "124 008 Елді мекендердегі көшелерді жарықтандыру: 8 000 000 ₸" in english
    assert "Lighting the streets" not in english
