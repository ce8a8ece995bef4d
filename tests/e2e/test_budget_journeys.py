"""Budget journeys in the browser: staff compile, publish and version the draft, residents
comment and the akimat replies, the meeting is recorded and the akim submits; every budgets
page passes axe in Kazakh, Russian and English.

The live server runs in a thread of the test process, so `time_machine.travel(tick=True)`
around a journey moves the server's clock to a day in the phase the journey needs.
"""

import re
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from budgets import services, tasks
from budgets.models import (
    BudgetClassification,
    CommunityMeeting,
    DraftBudget,
    DraftComment,
    DraftStatus,
    MeetingDecision,
)
from portal.models import Notification
from tests.accounts.factories import MembershipFactory
from tests.budgets.conftest import DAY_IN, at
from tests.budgets.factories import phase_dates

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["kk", "ru", "en"]
UNIT = "115633000"
CYCLE = f"/units/{UNIT}/budget/2027/"

# A small part of the unified budget classification, as the seed migration has it.
# (kind, code, Kazakh name, Russian name, is a transfer)
ENTRIES = [
    ("revenue", "1 04 1 02", "Жеке тұлғалардың мүлкіне салынатын салық",
     "Налог на имущество физических лиц", False),
    ("revenue", "1 04 3", "Жер салығы", "Земельный налог", False),
    ("revenue", "1 04 4 02", "Жеке тұлғалардан көлік құралдарына салынатын салық",
     "Налог на транспортные средства с физических лиц", False),
    ("revenue", "4 02 3 03", "Аудандық бюджеттен берілетін субвенциялар",
     "Субвенции из районного бюджета", True),
    ("expenditure", "124 001", "Ауылдық округ әкімінің қызметін қамтамасыз ету",
     "Обеспечение деятельности акима сельского округа", False),
    ("expenditure", "124 008", "Елді мекендердегі көшелерді жарықтандыру",
     "Освещение улиц в населенных пунктах", False),
    ("expenditure", "124 009", "Елді мекендердің санитариясын қамтамасыз ету",
     "Обеспечение санитарии населенных пунктов", False),
    ("expenditure", "124 011", "Елді мекендерді абаттандыру мен көгалдандыру",
     "Благоустройство и озеленение населенных пунктов", False),
    ("expenditure", "124 013", "Автомобиль жолдарының жұмыс істеуін қамтамасыз ету",
     "Обеспечение функционирования автомобильных дорог", False),
]  # fmt: skip
NAME = {code: name_kk for _kind, code, name_kk, _ru, _transfer in ENTRIES}

# Version 1 of the fixtures' draft: a rural district living mostly on its subvention.
VERSION_1 = {
    "1 04 1 02": "1200000",
    "1 04 3": "800000",
    "1 04 4 02": "2000000",
    "4 02 3 03": "36000000",
    "124 001": "18000000",
    "124 008": "4500000",
    "124 011": "5500000",
    "124 013": "12000000",
}


def spaced(text: str) -> str:
    """Page text with the no-break spaces of tenge amounts as plain spaces."""
    return text.replace("\xa0", " ")


def facts(page, selector: str = "dl.balance") -> dict[str, str]:
    listing = page.locator(selector).first
    return dict(
        zip(
            listing.locator("dt").all_inner_texts(),
            [spaced(text) for text in listing.locator("dd").all_inner_texts()],
            strict=True,
        )
    )


def cells(row) -> list[str]:
    return [spaced(text) for text in row.locator("th, td").all_inner_texts()]


def amount_input(page, code: str):
    return page.get_by_role("spinbutton", name=NAME[code], exact=True)


@pytest.fixture
def classification(db) -> dict[str, BudgetClassification]:
    """Only the entries above are in use, whatever the seed migration left."""
    BudgetClassification.objects.all().delete()
    return {
        code: BudgetClassification.objects.create(
            kind=kind,
            code=code,
            name_kk=name_kk,
            name_ru=name_ru,
            is_transfer=is_transfer,
            position=position,
        )
        for position, (kind, code, name_kk, name_ru, is_transfer) in enumerate(ENTRIES)
    }


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def cycle(territory, staff, classification):
    with time_machine.travel(at(2026, 1, 15), tick=False):
        return services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2027,
            actor=staff,
            dates=phase_dates(2027),
        )


def line_inputs(
    classification: dict[str, BudgetClassification], amounts: dict[str, str]
) -> list[services.LineInput]:
    return [
        services.LineInput(classification=classification[code], amount=Decimal(value))
        for code, value in amounts.items()
    ]


@pytest.fixture
def published(cycle, staff, classification) -> DraftBudget:
    """Version 1, balanced, published during drafting: the discussion opens on 1 October."""
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=line_inputs(classification, VERSION_1),
            cash_balance_used=Decimal("0"),
            note="",
            actor=staff,
        )
        return services.draft_publish(draft=draft, actor=staff)


def test_staff_compile_and_publish_a_draft_with_live_totals(new_page, cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=True):
        page = new_page(user=staff)
        page.goto(f"/en{CYCLE}")
        assert page.get_by_test_id("cycle-phase").inner_text() == "drafting the budget"

        # Start the draft; the totals follow what is typed.
        page.get_by_role("button", name="Start the draft budget").click()
        page.wait_for_url(re.compile(r"/2027/v1/edit/$"))
        total = {
            name: page.locator(f'[data-total="{name}"]')
            for name in ("revenue", "expenditure", "balance")
        }
        warning = page.locator("[data-balance-warning]")
        amount_input(page, "1 04 1 02").fill("1200000.5")
        expect(total["revenue"]).to_have_text("1\xa0200\xa0000.50")
        for code, value in [
            ("1 04 1 02", "1200000"),
            ("1 04 3", "800000"),
            ("1 04 4 02", "2000000"),
            ("4 02 3 03", "36000000"),
        ]:
            amount_input(page, code).fill(value)
        expect(total["revenue"]).to_have_text("40\xa0000\xa0000")
        expect(total["balance"]).to_have_text("40\xa0000\xa0000")
        expect(warning).to_be_hidden()
        for code, value in [
            ("124 001", "18000000"),
            ("124 008", "4500000"),
            ("124 011", "6000000"),
            ("124 013", "12000000"),
        ]:
            amount_input(page, code).fill(value)
        expect(total["expenditure"]).to_have_text("40\xa0500\xa0000")
        expect(total["balance"]).to_have_text("-500\xa0000")
        expect(warning).to_be_visible()
        page.get_by_role("textbox", name=f"Explanation: {NAME['124 008']}").fill(
            "LED lamps on Abai street"
        )
        page.get_by_label("Free cash balances used to finance a deficit").fill("500000")
        expect(total["balance"]).to_have_text("0")
        expect(warning).to_be_hidden()

        # Save; the page comes back with the saved amounts and the same totals.
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("The draft is saved.")
        assert amount_input(page, "4 02 3 03").input_value() == "36000000.00"
        assert amount_input(page, "1 04 4 02").input_value() == "2000000.00"
        assert page.get_by_label("Free cash balances used").input_value() == "500000.00"
        assert facts(page, "section.totals dl") == {
            "Total revenues": "40 000 000",
            "Total expenditures": "40 500 000",
            "Balance (revenues + cash balances − expenditures)": "0",
        }

        # Review for publication, then publish.
        page.get_by_role("button", name="Save and review for publication").click()
        page.wait_for_url(re.compile(r"/2027/v1/publish/$"))
        assert page.locator("h1").inner_text() == (
            "Publish version 1 for public discussion?"
        )
        page.get_by_role("button", name="Yes, publish it").click()
        page.wait_for_url(re.compile(r"/2027/v1/$"))
        expect(page.get_by_role("status")).to_have_text(
            "The draft is published for public discussion."
        )

        # The cycle page: public discussion, the tables, the totals, the transfers' share.
        page.goto(f"/en{CYCLE}")
        assert page.get_by_test_id("cycle-phase").inner_text() == "public discussion"
        assert cells(page.locator("#revenue tfoot tr")) == [
            "Total revenues",
            "40 000 000",
        ]
        assert cells(page.locator("#expenditure tfoot tr")) == [
            "Total expenditures",
            "40 500 000",
        ]
        assert cells(page.locator("#revenue tbody tr").nth(3)) == [
            "4 02 3 03",
            f"{NAME['4 02 3 03']} transfer",
            "36 000 000",
        ]
        assert facts(page) == {
            "Revenues": "40 000 000 ₸",
            "of which transfers from the district budget": "36 000 000 ₸ (90.0%)",
            "Own revenues (taxes, fees, other)": "4 000 000 ₸",
            "Expenditures": "40 500 000 ₸",
            "Deficit": "500 000 ₸",
            "Financed from free cash balances": "500 000 ₸",
        }

    draft = DraftBudget.objects.get(cycle=cycle)
    assert (draft.version, draft.status, draft.cash_balance_used) == (
        1,
        DraftStatus.PUBLISHED,
        Decimal("500000.00"),
    )
    assert draft.lines.count() == 8
    assert draft.lines.get(classification__code="124 008").explanation == (
        "LED lamps on Abai street"
    )


def test_staff_compile_and_publish_a_draft_without_javascript(new_page, cycle, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=True):
        page = new_page(user=staff, javascript=False)
        page.goto(f"/en{CYCLE}")
        page.get_by_role("button", name="Start the draft budget").click()
        page.wait_for_url(re.compile(r"/2027/v1/edit/$"))
        for code, value in [
            ("1 04 1 02", "1200000"),
            ("4 02 3 03", "36000000.50"),
            ("124 001", "18000000"),
            ("124 013", "20000000"),
        ]:
            amount_input(page, code).fill(value)

        # Nothing follows the typing; saving shows the totals and the imbalance.
        assert page.locator('[data-total="revenue"]').inner_text() == "0"
        page.get_by_role("button", name="Save", exact=True).click()
        assert page.get_by_role("status").inner_text() == "The draft is saved."
        assert facts(page, "section.totals dl") == {
            "Total revenues": "37 200 000.50",
            "Total expenditures": "38 000 000",
            "Balance (revenues + cash balances − expenditures)": "-799 999.50",
        }
        assert page.locator("[data-balance-warning]").is_visible()

        # The publication is refused while unbalanced.
        page.get_by_role("button", name="Save and review for publication").click()
        page.wait_for_url(re.compile(r"/2027/v1/publish/$"))
        assert page.get_by_role("alert").inner_text() == (
            "Expenditures exceed revenues plus the cash balances used: the draft "
            "cannot be published like this."
        )
        assert page.get_by_role("button", name="Yes, publish it").count() == 0
        page.get_by_role("link", name="Go back to editing").click()

        amount_input(page, "124 013").fill("19200000")
        page.get_by_role("button", name="Save and review for publication").click()
        page.wait_for_url(re.compile(r"/2027/v1/publish/$"))
        page.get_by_role("button", name="Yes, publish it").click()
        page.wait_for_url(re.compile(r"/2027/v1/$"))

        page.goto(f"/en{CYCLE}")
        assert page.get_by_test_id("cycle-phase").inner_text() == "public discussion"
        assert facts(page)["of which transfers from the district budget"] == (
            "36 000 000.50 ₸ (96.8%)"
        )
        assert facts(page)["Surplus"] == "0.50 ₸"

    assert DraftBudget.objects.get(cycle=cycle).status == DraftStatus.PUBLISHED


def test_a_resident_comments_on_a_line_and_the_akimat_replies_officially(
    new_page, published, staff, resident
):
    draft_url = f"/en{CYCLE}v1/"
    with time_machine.travel(DAY_IN["public_discussion"], tick=True):
        # The resident comments on the street lighting line.
        citizen = new_page(user=resident)
        citizen.goto(draft_url)
        citizen.get_by_role("link", name="Comment 124 008").click()
        assert citizen.get_by_label("About", exact=True).input_value() == str(
            published.lines.get(classification__code="124 008").pk
        )
        citizen.get_by_label("Your comment").fill(
            "Our street, Abai, has had no lamps for two winters."
        )
        citizen.get_by_role("button", name="Publish the comment").click()
        expect(citizen.get_by_role("status")).to_have_text("Your comment is published.")
        assert citizen.get_by_role("link", name="1 comment").is_visible()

        # The akimat answers officially.
        akimat = new_page(user=staff)
        akimat.goto(draft_url)
        akimat.get_by_label("Official reply").fill(
            "Abai street is in the lighting line: 42 LED lamps in May."
        )
        akimat.get_by_role("button", name="Publish the official reply").click()
        expect(akimat.get_by_role("status")).to_have_text(
            "Your official reply is published."
        )

        # The resident is told, opens the notice and reads the reply, marked official.
        citizen.reload()
        citizen.get_by_role("link", name=re.compile("Notifications 1")).click()
        expect(citizen.locator("main")).to_contain_text(
            "The akimat of Ортақ ауылдық округі answered your comment"
        )
        citizen.get_by_role("button", name="Open").click()
        citizen.wait_for_url(re.compile(r"/2027/v1/$"))
        comment = citizen.locator("article.comment").filter(has_text="Our street, Abai")
        reply = comment.locator("article.comment.official")
        assert reply.locator(".official-tag").inner_text() == (
            "official reply of the akimat"
        )
        assert "Abai street is in the lighting line: 42 LED lamps in May." in (
            reply.inner_text()
        )
        expect(
            citizen.get_by_role("heading", name=f"124 008 {NAME['124 008']}")
        ).to_be_visible()

    [question, answer] = DraftComment.objects.order_by("pk")
    assert (question.line.classification.code, question.is_official) == (
        "124 008",
        False,
    )
    assert (answer.reply_to, answer.author, answer.is_official) == (
        question,
        staff,
        True,
    )
    assert list(
        Notification.objects.filter(recipient=resident).values_list("kind", flat=True)
    ) == ["draft_comment_answered"]


def test_staff_record_the_meeting_and_the_akim_submits_the_draft(
    new_page, assert_accessible, published, staff, akim, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    with time_machine.travel(DAY_IN["coordination"], tick=True):
        # The clock job has announced the coordination, as beat does on 1 November.
        assert tasks.cycles_advance.delay().get() == 1
        akimat = new_page(user=staff)
        akimat.goto(f"/en{CYCLE}")
        assert akimat.get_by_test_id("cycle-phase").inner_text() == (
            "coordination by the community meeting"
        )
        akimat.get_by_role(
            "link", name="Record the community meeting's decision"
        ).click()
        # Sent empty, the form says what each field needs, accessibly.
        akimat.get_by_role("button", name="Record the decision").click()
        expect(akimat.locator(".usa-error-message")).to_have_text(
            ["This field is required."] * 4
            + ["Attach the minutes of the meeting as a PDF."]
        )
        assert_accessible(akimat)
        akimat.get_by_label("Date of the meeting").fill("2026-11-06")
        akimat.get_by_label("Members of the meeting").fill("15")
        akimat.get_by_label("Members present").fill("12")
        akimat.get_by_label("coordinated with remarks", exact=True).check()
        akimat.get_by_label("Remarks", exact=True).fill(
            "Light the school's street first."
        )
        akimat.get_by_label("Minutes (PDF, at most 10 MB)").set_input_files(minutes)
        akimat.get_by_role("button", name="Record the decision").click()
        akimat.wait_for_url(re.compile(r"/budget/2027/$"))
        expect(akimat.get_by_role("status")).to_have_text(
            "The community meeting's decision is recorded."
        )

        # The akim reviews what goes to the maslikhat and submits it.
        page = new_page(user=akim)
        page.goto(f"/en{CYCLE}")
        page.get_by_role("link", name="Submit the draft to the maslikhat").click()
        page.wait_for_url(re.compile(r"/2027/v1/submit/$"))
        assert page.locator("h1").inner_text() == (
            "Submit version 1 to the district maslikhat?"
        )
        assert cells(page.locator("#revenue tfoot tr")) == [
            "Total revenues",
            "40 000 000",
        ]
        page.get_by_role("button", name="Yes, submit it").click()
        page.wait_for_url(re.compile(r"/budget/2027/$"))
        expect(page.get_by_role("status")).to_have_text(
            "The draft is submitted to the district maslikhat."
        )
        assert page.get_by_test_id("cycle-phase").inner_text() == (
            "vote of the maslikhat"
        )
        history = page.locator("ul.history li").all_inner_texts()
        assert [re.sub(r"^.* — ", "", line) for line in history] == [
            "The cycle moved on to: vote of the maslikhat.",
            "Version 1 was submitted to the maslikhat.",
            "The community meeting decided on version 1: coordinated with remarks "
            "(12 of 15 members present).",
            "The cycle moved on to: coordination by the community meeting "
            "(from 1 November 2026).",
            "The cycle moved on to: public discussion.",
            "Version 1 of the draft was published.",
            "The akimat opened the budget cycle.",
        ]

    meeting = CommunityMeeting.objects.get(draft=published)
    assert (
        meeting.held_on.isoformat(),
        meeting.members_total,
        meeting.members_present,
        meeting.decision,
        meeting.remarks,
    ) == (
        "2026-11-06",
        15,
        12,
        MeetingDecision.COORDINATED_WITH_REMARKS,
        "Light the school's street first.",
    )
    assert meeting.minutes.name == "meetings/115633000/2027-v1.pdf"
    assert meeting.minutes.read() == minutes.read_bytes()
    published.refresh_from_db()
    assert published.status == DraftStatus.UNDER_VOTE


def test_the_diff_page_shows_what_a_second_version_changed(new_page, published, staff):
    with time_machine.travel(DAY_IN["public_discussion"], tick=True):
        akimat = new_page(user=staff)
        akimat.goto(f"/en{CYCLE}")
        akimat.get_by_role(
            "button", name="Make a new version from the last one"
        ).click()
        akimat.wait_for_url(re.compile(r"/2027/v2/edit/$"))
        assert amount_input(akimat, "124 008").input_value() == "4500000.00"
        amount_input(akimat, "4 02 3 03").fill("35000000")
        amount_input(akimat, "124 008").fill("5000000")
        amount_input(akimat, "124 011").fill("")
        amount_input(akimat, "124 009").fill("3000000")
        akimat.get_by_role("button", name="Save and review for publication").click()
        akimat.get_by_role("button", name="Yes, publish it").click()
        akimat.wait_for_url(re.compile(r"/2027/v2/$"))

        # Anyone compares the versions from the cycle page.
        page = new_page()
        page.goto(f"/en{CYCLE}")
        page.get_by_role("link", name="What changed since the previous version").click()
        page.wait_for_url(re.compile(r"/2027/diff/$"))
        changes = page.locator("table", has_text="Lines changed from version 1")
        rows = changes.locator("tbody tr")
        assert [row.get_attribute("data-change") for row in rows.all()] == [
            "changed",
            "added",
            "removed",
            "changed",
        ]
        assert [cells(row) for row in rows.all()] == [
            ["124 008", f"{NAME['124 008']} (expenditure)", "changed",
             "4 500 000", "5 000 000", "+500 000"],
            ["124 009", f"{NAME['124 009']} (expenditure)", "added",
             "—", "3 000 000", "+3 000 000"],
            ["124 011", f"{NAME['124 011']} (expenditure)", "removed",
             "5 500 000", "—", "-5 500 000"],
            ["4 02 3 03", f"{NAME['4 02 3 03']} (revenue)", "changed",
             "36 000 000", "35 000 000", "-1 000 000"],
        ]  # fmt: skip
        totals = page.locator("table", has_text="Totals before and after")
        assert [cells(row) for row in totals.locator("tr").all()] == [
            ["Total", "Version 1, ₸", "Version 2, ₸"],
            ["Revenues", "40 000 000", "39 000 000"],
            ["of which transfers", "36 000 000", "35 000 000"],
            ["Expenditures", "40 000 000", "38 000 000"],
            ["Free cash balances used", "0", "0"],
        ]


@pytest.fixture
def discussed(published, staff, resident, classification) -> DraftBudget:
    """Version 1 under discussion with comments and a reply; version 2 in preparation."""
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        line = published.lines.get(classification__code="124 008")
        question = services.comment_post(
            draft=published, author=resident, body="Когда будут фонари?", line=line
        )
        services.comment_reply(
            comment=question, author=staff, body="Көктемде, мамыр айында."
        )
        services.comment_post(draft=published, author=resident, body="Рахмет!")
        draft = services.draft_create(cycle=published.cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=line_inputs(
                classification,
                {**VERSION_1, "124 009": "3000000", "4 02 3 03": "39000000"},
            ),
            cash_balance_used=Decimal("0"),
            note="Санитарияға қосымша қаражат.",
            actor=staff,
        )
        return draft


def test_every_budgets_page_is_accessible_in_each_language(
    new_page, assert_accessible, published, discussed, staff, resident, akim
):
    line = published.lines.get(classification__code="124 008")
    with time_machine.travel(DAY_IN["public_discussion"], tick=True):
        # One page per role, reused across the languages: axe is the slow part.
        pages = {"staff": new_page(user=staff), "akim": new_page(user=akim)}
        pages["resident"] = new_page(user=resident)
        for language in LANGUAGES:
            for who, path in [
                ("staff", f"/units/{UNIT}/budget/"),
                ("staff", f"/units/{UNIT}/budget/new/"),
                ("staff", CYCLE),
                ("staff", f"{CYCLE}phases/extend/"),
                ("staff", f"{CYCLE}v1/"),
                ("staff", f"{CYCLE}v2/edit/"),
                ("staff", f"{CYCLE}v2/publish/"),
                ("staff", f"{CYCLE}diff/"),
                ("staff", f"{CYCLE}v1/meeting/"),
                ("akim", f"{CYCLE}v1/submit/"),
                # The draft as a resident reads it, with the form to comment on a line.
                ("resident", f"{CYCLE}v1/?line={line.pk}"),
            ]:
                page = pages[who]
                response = page.goto(f"/{language}{path}")
                assert response.status == 200, page.url
                assert page.locator("html").get_attribute("lang") == language
                assert_accessible(page)
        assert pages["resident"].locator("#comment-form").is_visible()

        # In Kazakh too, the live totals write amounts as the server does.
        page = pages["staff"]
        page.goto(f"/kk{CYCLE}v2/edit/")
        amount_input(page, "124 013").fill("12000000.5")
        expect(page.locator('[data-total="expenditure"]')).to_have_text(
            "43\xa0000\xa0000.50"
        )
