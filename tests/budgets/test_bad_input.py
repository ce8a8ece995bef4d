"""Bad input on the pages of budgets: each gets a clear message on the page, what was typed
is shown again, and nothing is saved; addresses that name nothing are 404."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from budgets import selectors
from budgets.models import BudgetClassification, DraftBudget
from tests.budgets.conftest import BUDGET_ROWS, DAY_IN
from tests.budgets.factories import phase_dates
from tests.refusals import unchanged

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _at(day: str):
    return time_machine.travel(DAY_IN[day], tick=False)


def media_files() -> list[str]:
    """The files stored under MEDIA_ROOT (the test's tmp dir)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def nothing_saved():
    """The block (a refused form) leaves every row of the cycles and drafts, the audit
    trail, the notices and the stored files as they were, and schedules nothing."""
    return unchanged(*BUDGET_ROWS, also=media_files)


def _kwargs(cycle, **extra) -> dict:
    return {
        "kato_code": cycle.unit.kato_code,
        "fiscal_year": cycle.fiscal_year,
        **extra,
    }


# The draft's lines


def edit_form(draft: DraftBudget, typed: dict[str, str]) -> tuple[dict, dict[str, int]]:
    """The edit form as the page posts it, with `typed` over the saved amounts; and the
    row of each code."""
    entries = list(selectors.classifications())
    amounts = {line.classification_id: line.amount for line in draft.lines.all()}
    data = {
        "lines-TOTAL_FORMS": str(len(entries)),
        "lines-INITIAL_FORMS": str(len(entries)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "cash_balance_used": "0",
        "note": "Пояснительная записка",
        "save": "",
    }
    row = {}
    for index, entry in enumerate(entries):
        row[entry.code] = index
        data[f"lines-{index}-classification"] = str(entry.pk)
        data[f"lines-{index}-amount"] = typed.get(entry.code, amounts.get(entry.pk, ""))
        data[f"lines-{index}-explanation"] = ""
    return data, row


def post_edit(client, draft, staff, data):
    with _at("drafting"):
        client.force_login(staff)
        return client.post(
            reverse("budgets:draft_edit", kwargs=_kwargs(draft.cycle, version=1)), data
        )


def assert_typed_values_kept(html: str, data: dict, row: dict) -> None:
    for code in ("R101", "E701", "E801"):
        typed = data[f"lines-{row[code]}-amount"]
        assert f'name="lines-{row[code]}-amount"' in html
        assert f'value="{escape(typed)}"' in html
    assert "Пояснительная записка" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("-100", "An amount cannot be negative.", id="negative"),
        pytest.param(
            "12abc",
            "Write the amount in tenge as digits, for example 1250000.50.",
            id="letters",
        ),
        pytest.param(
            "100.123",
            "Tenge have at most two decimal places (tiyn).",
            id="three_decimal_places",
        ),
    ],
)
def test_a_bad_amount_is_refused_with_its_reason_and_what_was_typed_stays(
    client, draft, staff, typed, message
):
    # Given the draft in preparation, and staff typing new amounts and one bad one
    data, row = edit_form(draft, {"R101": "3100000", "E701": "20500000", "E801": typed})

    # When they save
    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then the bad amount's row says why, every typed value is on the page, nothing saved
    assert response.status_code == 400
    assert response.context["formset"].forms[row["E801"]].errors == {
        "amount": [message]
    }
    html = response.content.decode()
    assert escape(message) in html
    assert_typed_values_kept(html, data, row)


def test_an_explanation_too_long_is_refused_with_its_reason_on_its_row(
    client, draft, staff
):
    # Given an explanation of 2,001 characters on the E701 row (the browser's maxlength
    # bypassed)
    data, row = edit_form(draft, {"E701": "20500000"})
    data[f"lines-{row['E701']}-explanation"] = "ә" * 2001

    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then the row says why, next to the field, and nothing is saved
    assert response.status_code == 400
    message = "Ensure this value has at most 2000 characters (it has 2001)."
    assert response.context["formset"].forms[row["E701"]].errors == {
        "explanation": [message]
    }
    html = response.content.decode()
    field = f"id_lines-{row['E701']}-explanation"
    assert f'aria-describedby="{field}-error"' in html
    assert (
        f'<span class="usa-error-message" id="{field}-error">{message} </span>' in html
    )


def test_a_classification_row_given_twice_is_refused(client, draft, staff):
    # Given the hidden field of the E801 row tampered to name E701 again
    data, row = edit_form(draft, {"R101": "3100000", "E701": "20500000", "E801": "7"})
    data[f"lines-{row['E801']}-classification"] = data[
        f"lines-{row['E701']}-classification"
    ]

    # When staff save
    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then the formset says each code appears once, and nothing is lost or saved
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors() == [
        "Each classification code appears once."
    ]
    html = response.content.decode()
    assert "Each classification code appears once." in html
    assert_typed_values_kept(html, data, row)


def test_an_unknown_classification_is_refused_on_its_row(client, draft, staff):
    # Given the hidden field of the E801 row tampered to an entry that does not exist
    data, row = edit_form(draft, {"R101": "3100000", "E701": "20500000", "E801": "7"})
    data[f"lines-{row['E801']}-classification"] = "987654"

    # When staff save
    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then the row says the choice is not valid, and nothing is lost or saved
    message = "Select a valid choice. That choice is not one of the available choices."
    assert response.status_code == 400
    assert response.context["formset"].forms[row["E801"]].errors == {
        "classification": [message]
    }
    html = response.content.decode()
    assert escape(message) in html
    assert_typed_values_kept(html, data, row)


def test_an_entry_retired_while_the_page_was_open_is_refused_on_its_own_row(
    client, draft, staff
):
    # Given the page drawn, then the E801 entry retired by an administrator
    data, row = edit_form(draft, {"R101": "3100000", "E701": "20500000", "E801": "7"})
    BudgetClassification.objects.filter(code="E801").update(is_active=False)

    # When staff save
    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then its row, still named E801, says the choice is not valid; nothing is saved
    assert response.status_code == 400
    retired = response.context["formset"].forms[row["E801"]]
    assert retired.entry.code == "E801"
    assert list(retired.errors) == ["classification"]
    assert_typed_values_kept(response.content.decode(), data, row)


CUT_SHORT = (
    "The page sent an incomplete list of the draft's lines (it was changed or cut short "
    "on the way): nothing was saved."
)


@pytest.mark.parametrize(
    "management",
    [
        pytest.param({"lines-TOTAL_FORMS": "-1"}, id="negative_count"),
        pytest.param({"lines-TOTAL_FORMS": "0"}, id="no_rows"),
        pytest.param({"lines-TOTAL_FORMS": "3"}, id="fewer_rows"),
        pytest.param({"lines-TOTAL_FORMS": "many"}, id="not_a_number"),
        pytest.param(
            {"lines-TOTAL_FORMS": None, "lines-INITIAL_FORMS": None}, id="missing"
        ),
    ],
)
def test_a_tampered_list_of_lines_deletes_nothing_and_says_why(
    client, draft, staff, management
):
    # Given the draft with its lines, and the editor's post with its row count tampered
    # (it used to answer "saved" and delete every line the count left out)
    data, _row = edit_form(draft, {"R101": "3100000"})
    for key, value in management.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    lines_before = list(draft.lines.values_list("classification__code", "amount"))
    assert lines_before

    # When staff save
    with nothing_saved():
        response = post_edit(client, draft, staff, data)

    # Then nothing is saved, and the editor shows the draft as saved with the reason
    assert response.status_code == 302
    assert list(draft.lines.values_list("classification__code", "amount")) == (
        lines_before
    )
    with _at("drafting"):
        page = client.get(response["Location"]).content.decode()
    assert escape(CUT_SHORT) in page


# Opening a cycle


def _open_data(**overrides) -> dict:
    data = {"fiscal_year": "2028"}
    for phase, (starts_on, ends_on) in phase_dates(2028).items():
        data[f"{phase}_starts_on"] = starts_on.isoformat()
        data[f"{phase}_ends_on"] = ends_on.isoformat()
    return data | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"review_starts_on": "2027-05-31", "review_ends_on": "2027-05-01"},
            "review of proposals ends before it starts.",
            id="phase_ends_before_it_starts",
        ),
        pytest.param(
            {"drafting_starts_on": "2027-05-20"},
            "drafting the budget starts before the phase before it ends.",
            id="phases_overlap",
        ),
    ],
)
def test_a_cycle_with_dates_out_of_order_is_not_opened(
    client, territory, staff, overrides, message
):
    # Given staff typing the dates of the 2028 cycle, two of them out of order
    # When they open it
    with _at("planned"), nothing_saved():
        client.force_login(staff)
        response = client.post(
            reverse("budgets:cycle_open", args=[territory["rural_district"].kato_code]),
            _open_data(**overrides),
        )

    # Then the form says which phase is wrong, keeps the typed dates, and opens nothing
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    html = response.content.decode()
    assert message in html
    for value in overrides.values():
        assert f'value="{value}"' in html


# The community meeting


def meeting_data(**overrides) -> dict:
    held_on = DAY_IN["coordination"].date() - datetime.timedelta(days=1)
    return {
        "held_on": held_on.isoformat(),
        "members_total": "15",
        "members_present": "12",
        "decision": "coordinated_with_remarks",
        "remarks": "Добавить освещение на улице Абая",
        "minutes": SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"minutes": ""},
            "minutes",
            "Attach the minutes of the meeting as a PDF.",
            id="no_file",
        ),
        pytest.param(
            {
                "minutes": SimpleUploadedFile(
                    "minutes.docx", b"PK\x03\x04 not a pdf", "application/msword"
                )
            },
            "minutes",
            "The minutes must be a PDF file.",
            id="not_a_pdf",
        ),
        pytest.param(
            {
                "minutes": SimpleUploadedFile(
                    "minutes.pdf", b"<html>not a pdf</html>", "application/pdf"
                )
            },
            "minutes",
            "The minutes must be a PDF file.",
            id="pdf_name_without_pdf_content",
        ),
        pytest.param(
            {"members_total": "4", "members_present": "4"},
            "members_total",
            "A community meeting has from 5 to 25 members.",
            id="four_members",
        ),
        pytest.param(
            {"members_total": "26"},
            "members_total",
            "A community meeting has from 5 to 25 members.",
            id="twenty_six_members",
        ),
        pytest.param(
            {"members_total": "10", "members_present": "11"},
            "members_present",
            "More members are present than the meeting has.",
            id="more_present_than_members",
        ),
    ],
)
def test_a_bad_meeting_record_is_refused_with_its_reason(
    client, published, staff, overrides, field, message
):
    # Given the published draft in coordination
    data = meeting_data(**overrides)

    # When staff record the meeting with one bad field
    with _at("coordination"), nothing_saved():
        client.force_login(staff)
        response = client.post(
            reverse(
                "budgets:meeting_record", kwargs=_kwargs(published.cycle, version=1)
            ),
            data,
        )

    # Then the field says why, the other typed values stay, and nothing is recorded
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert escape(message) in html
    assert f'value="{data["held_on"]}"' in html
    assert f'value="{data["members_present"]}"' in html
    assert "Добавить освещение на улице Абая" in html
    assert re.search(r'<input[^>]*value="coordinated_with_remarks"[^>]*checked', html)


# Extending a phase


def test_a_phase_cannot_be_extended_to_an_earlier_date(client, published, staff):
    # Given the public discussion, which ends on 31 October 2026
    # When staff "extend" it to 20 October
    with _at("public_discussion"), nothing_saved():
        client.force_login(staff)
        response = client.post(
            reverse("budgets:phase_extend", kwargs=_kwargs(published.cycle)),
            {
                "phase": "public_discussion",
                "ends_on": "2026-10-20",
                "reason": "Сход перенесён",
            },
        )

    # Then the date's field says a phase only moves later; the reason typed stays
    message = "A phase's end may only be moved later, never earlier: it ends on 31 October 2026."
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_on": [message]}
    html = response.content.decode()
    assert escape(message) in html
    assert 'value="2026-10-20"' in html
    assert "Сход перенесён" in html


# Commenting


def test_a_comment_of_only_spaces_is_refused_and_the_line_stays_chosen(
    client, published, resident
):
    # Given the draft under discussion and a line of it
    line = published.lines.get(classification__code="E701")

    # When a resident sends a comment of spaces on that line
    with _at("public_discussion"), nothing_saved():
        client.force_login(resident)
        response = client.post(
            reverse("budgets:draft_detail", kwargs=_kwargs(published.cycle, version=1)),
            {"body": "   \n  ", "line": str(line.pk)},
        )

    # Then the form asks for a comment, with the line still chosen; nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": ["Write a comment first."]}
    html = response.content.decode()
    assert "Write a comment first." in html
    assert f'<option value="{line.pk}" selected>' in html


# Addresses that name nothing


@pytest.fixture
def two_versions_cycle(two_versions):
    return two_versions[0].cycle


def test_an_unknown_version_is_not_found(client, two_versions_cycle):
    with _at("public_discussion"):
        response = client.get(
            reverse(
                "budgets:draft_detail", kwargs=_kwargs(two_versions_cycle, version=9)
            )
        )
    assert response.status_code == 404


def test_an_unknown_fiscal_year_is_not_found(client, two_versions_cycle):
    with _at("public_discussion"):
        response = client.get(
            reverse(
                "budgets:cycle_detail",
                kwargs={
                    "kato_code": two_versions_cycle.unit.kato_code,
                    "fiscal_year": 2031,
                },
            )
        )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({"from": "7", "to": "2"}, id="from_does_not_exist"),
        pytest.param({"from": "1", "to": "9"}, id="to_does_not_exist"),
        pytest.param({"from": "abc", "to": "2"}, id="from_in_letters"),
        pytest.param({"from": "1", "to": "two"}, id="to_in_letters"),
    ],
)
def test_a_diff_of_versions_that_do_not_exist_is_not_found(
    client, two_versions_cycle, query
):
    with _at("public_discussion"):
        url = reverse("budgets:draft_diff", kwargs=_kwargs(two_versions_cycle))
        assert client.get(url, {"from": "1", "to": "2"}).status_code == 200
        response = client.get(url, query)
    assert response.status_code == 404


def test_minutes_whose_file_is_missing_are_not_found(client, submitted):
    # Given the meeting's record whose stored file is gone (media restored without it)
    submitted.meeting.minutes.delete(save=False)

    response = client.get(
        reverse("budgets:meeting_minutes", kwargs=_kwargs(submitted.cycle, version=1))
    )

    # Then not found, never a server error (found by tests/hostile/)
    assert response.status_code == 404
