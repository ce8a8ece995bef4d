"""The execution of an adopted budget: the akimat's quarterly reports and corrections, plan
against actual on a known data set, the pages in three languages, bad input on the forms
and the queries the pages cost.

The adopted budget is tests.budgets.conftest.ADOPTED, approved on 10 December 2026; its
execution runs from 1 January to 31 December 2027 and its books close on 1 March 2028.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from budgets import execution, selectors, services
from budgets.models import (
    BudgetClassification,
    BudgetLine,
    ClassificationKind,
    ExecutionEntry,
)
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import UserFactory
from tests.budgets.conftest import DAY_IN, PDF, SUBMITTED_ON, at
from tests.budgets.factories import phase_dates
from tests.kept import without_token
from tests.refusals import refused, unchanged

D = Decimal


def on(year: int, month: int, day: int):
    """Travel to noon of a day in Kazakhstan's time."""
    return time_machine.travel(at(year, month, day), tick=False)


def line_of(draft, code: str) -> BudgetLine:
    return draft.lines.select_related("classification", "draft__cycle__unit").get(
        classification__code=code
    )


def assert_refused(code: str, act) -> DomainError:
    with refused(code, ExecutionEntry) as refusal:
        act()
    return refusal.value


def report(line, quarter, amount, actor, note=""):
    return execution.execution_record(
        line=line, quarter=quarter, amount=D(amount), note=note, actor=actor
    )


def totals(line) -> dict[int, Decimal]:
    """The total of each reported quarter of a line, from its entries."""
    sums: dict[int, Decimal] = {}
    for quarter, amount in ExecutionEntry.objects.filter(line=line).values_list(
        "quarter", "amount"
    ):
        sums[quarter] = sums.get(quarter, D(0)) + amount
    return sums


# Reports


def test_a_quarter_report_is_recorded_with_its_note_and_audit_event(adopted, staff):
    # Given the adopted budget in its second quarter
    land_tax = line_of(adopted, "1 04 3")

    notices = Notification.objects.count()

    # When the akimat reports the first quarter of the land tax
    with on(2027, 4, 10):
        entry = report(
            land_tax, 1, "250000.50", staff, note="  По данным казначейства "
        )

    # Then the entry holds the report as given, and the act is on the record
    entry.refresh_from_db()
    assert (
        entry.line,
        entry.quarter,
        entry.amount,
        entry.note,
        entry.corrects,
        entry.recorded_by,
        entry.recorded_at,
    ) == (
        land_tax,
        1,
        D("250000.50"),
        "По данным казначейства",
        None,
        staff,
        at(2027, 4, 10),
    )
    event = AuditEvent.objects.get(verb="execution.recorded")
    assert (event.actor, event.target_id, event.unit, event.details) == (
        staff,
        str(entry.pk),
        adopted.cycle.unit,
        {
            "version": 1,
            "line": "1 04 3",
            "kind": "revenue",
            "quarter": 1,
            "amount": "250000.50",
        },
    )
    assert Notification.objects.count() == notices


def test_a_report_of_zero_is_a_report(adopted, staff):
    greening = line_of(adopted, "124 011")

    with on(2027, 4, 10):
        report(greening, 1, "0", staff, note="Работы начнутся весной")

    assert totals(greening) == {1: D("0.00")}


def test_a_quarter_is_reported_from_its_first_day(adopted, akim):
    # The akim is staff of the unit too
    with on(2027, 4, 1):
        report(line_of(adopted, "124 001"), 2, "100", akim)

    assert totals(line_of(adopted, "124 001")) == {2: D("100.00")}


def test_a_second_report_of_the_same_line_and_quarter_is_refused(adopted, staff):
    # Given the first quarter of the property tax reported
    tax = line_of(adopted, "1 04 1 02")
    with on(2027, 4, 10):
        report(tax, 1, "400000", staff)

        # When it is reported again, then it is refused: a change is a correction
        error = assert_refused(
            "execution_already_reported", lambda: report(tax, 1, "410000", staff)
        )
        # and the second quarter of the same line is its own report
        report(tax, 2, "1000", staff)

    assert str(error) == (
        "Line 1 04 1 02 is already reported for quarter 1: correct the report instead."
    )
    assert totals(tax) == {1: D("400000.00"), 2: D("1000.00")}


@pytest.mark.parametrize(
    ("day", "quarter", "begins"),
    [
        ((2027, 3, 31), 2, "1 April 2027"),
        ((2027, 6, 30), 3, "1 July 2027"),
        ((2027, 9, 30), 4, "1 October 2027"),
        ((2027, 1, 5), 4, "1 October 2027"),
    ],
)
def test_a_quarter_that_has_not_begun_is_refused(adopted, staff, day, quarter, begins):
    with on(*day):
        error = assert_refused(
            "execution_quarter_not_begun",
            lambda: report(line_of(adopted, "124 001"), quarter, "1", staff),
        )

    assert str(error) == (
        f"Quarter {quarter} begins on {begins}: it cannot be reported before."
    )


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_a_quarter_outside_the_year_is_refused(adopted, staff, quarter):
    with on(2027, 5, 15):
        assert_refused(
            "execution_quarter_invalid",
            lambda: report(line_of(adopted, "124 001"), quarter, "1", staff),
        )


def test_before_the_execution_starts_reporting_is_refused(adopted, staff):
    # Given the budget adopted, on 28 December 2026
    with on(2026, 12, 28):
        # When the akimat reports, then it is refused: the execution has not started
        error = assert_refused(
            "execution_not_started",
            lambda: report(line_of(adopted, "124 001"), 1, "1", staff),
        )

    assert str(error) == (
        "The budget is adopted; its execution starts on 1 January 2027, and is recorded "
        "from then on."
    )


def test_in_the_grace_period_after_closing_the_year_is_still_reported_and_corrected(
    adopted, staff
):
    # Given the year closed on 31 December 2027 with the third quarter reported
    roads = line_of(adopted, "124 013")
    with on(2027, 7, 10):
        third = report(roads, 3, "1000000", staff)

    # When the akimat reports the fourth quarter in January and corrects the third on the
    # last day of February (2028 is a leap year)
    with on(2028, 1, 20):
        assert selectors.cycle_state(adopted.cycle).phase == "closed"
        report(roads, 4, "2500000", staff)
    with on(2028, 2, 29):
        execution.execution_correct(
            entry=third,
            new_total=D("1200000"),
            reason="Акт выполненных работ",
            actor=staff,
        )

    # Then both are recorded
    assert totals(roads) == {3: D("1200000.00"), 4: D("2500000.00")}


def test_once_the_books_close_reporting_and_correcting_are_refused(adopted, staff):
    # Given the first quarter reported
    roads = line_of(adopted, "124 013")
    with on(2027, 4, 10):
        first = report(roads, 1, "1000000", staff)

    # When the akimat reports or corrects on 1 March 2028, then both are refused
    with on(2028, 3, 1):
        error = assert_refused("execution_closed", lambda: report(roads, 2, "1", staff))
        assert_refused(
            "execution_closed",
            lambda: execution.execution_correct(
                entry=first, new_total=D("1"), reason="Поздно", actor=staff
            ),
        )

    assert str(error) == (
        "The books of 2027 closed on the last day of February 2028: its execution can "
        "no longer change."
    )


def test_a_line_of_a_draft_that_is_not_adopted_is_refused(published, submitted, staff):
    # Given version 1 submitted to the maslikhat but not approved
    line = line_of(submitted, "E701")

    # When the akimat reports a line of it, in the year of the budget, then it is refused
    with on(2027, 4, 10):
        error = assert_refused(
            "line_not_adopted", lambda: report(line, 1, "100", staff)
        )

    assert str(error) == (
        "Line E701 is not a line of the adopted budget: only the adopted budget is "
        "executed."
    )


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (D("-1"), "execution_amount_negative"),
        (D("1.005"), "amount_invalid"),
        (1.5, "amount_invalid"),
        ("100", "amount_invalid"),
        (D("NaN"), "amount_invalid"),
        (D("Infinity"), "amount_invalid"),
        (D("1e14"), "amount_invalid"),
        (True, "amount_invalid"),
    ],
    ids=[
        "negative",
        "three-decimals",
        "float",
        "text",
        "nan",
        "infinity",
        "too-large",
        "bool",
    ],
)
def test_an_amount_that_is_not_tenge_and_tiyn_is_refused(adopted, staff, amount, code):
    with on(2027, 5, 15):
        assert_refused(
            code,
            lambda: execution.execution_record(
                line=line_of(adopted, "124 001"),
                quarter=1,
                amount=amount,
                note="",
                actor=staff,
            ),
        )


def test_a_note_of_more_than_2000_characters_is_refused(adopted, staff):
    with on(2027, 5, 15):
        report(line_of(adopted, "124 008"), 1, "1", staff, note="я" * 2000)
        assert_refused(
            "execution_note_too_long",
            lambda: report(line_of(adopted, "124 006"), 1, "1", staff, note="я" * 2001),
        )


def test_a_quarter_of_several_lines_is_recorded_all_at_once_or_not_at_all(
    adopted, staff
):
    # Given the first quarter of the lighting already reported
    lighting, culture = line_of(adopted, "124 008"), line_of(adopted, "124 006")
    with on(2027, 4, 10):
        report(lighting, 1, "2100000", staff)

        # When a quarter's reports include it again, then none of them is recorded
        assert_refused(
            "execution_already_reported",
            lambda: execution.execution_record_quarter(
                cycle=adopted.cycle,
                quarter=1,
                reports=[
                    execution.ReportInput(line=culture, amount=D("2600000")),
                    execution.ReportInput(line=lighting, amount=D("1")),
                ],
                actor=staff,
            ),
        )
        # and without any line there is nothing to record
        assert_refused(
            "execution_nothing_reported",
            lambda: execution.execution_record_quarter(
                cycle=adopted.cycle, quarter=1, reports=[], actor=staff
            ),
        )

        # When the quarter's reports are all new, then each is recorded
        entries = execution.execution_record_quarter(
            cycle=adopted.cycle,
            quarter=1,
            reports=[
                execution.ReportInput(line=culture, amount=D("2600000"), note="Той"),
                execution.ReportInput(line=line_of(adopted, "124 013"), amount=D(0)),
            ],
            actor=staff,
        )

    assert [(e.line.classification.code, e.amount, e.note) for e in entries] == [
        ("124 006", D("2600000"), "Той"),
        ("124 013", D("0"), ""),
    ]
    assert AuditEvent.objects.filter(verb="execution.recorded").count() == 3


# Corrections


def test_a_correction_adds_the_difference_and_keeps_the_history(adopted, staff, akim):
    # Given the first quarter of the subventions reported
    subventions = line_of(adopted, "4 02 3 03")
    with on(2027, 4, 10):
        first = report(subventions, 1, "10000000", staff, note="Субвенция за квартал")

    # When the akimat corrects its total to 9,500,000, then the akim to 9,750,000.25
    with on(2027, 7, 15):
        down = execution.execution_correct(
            entry=first,
            new_total=D("9500000"),
            reason=" Часть субвенции пришла в апреле ",
            actor=staff,
        )
    with on(2027, 7, 16):
        up = execution.execution_correct(
            entry=down,
            new_total=D("9750000.25"),
            reason="Сверка с казначейством",
            actor=akim,
        )

    # Then the report and both corrections are kept, each with its signed difference,
    # and the quarter's total is their sum
    assert list(
        ExecutionEntry.objects.filter(line=subventions)
        .order_by("pk")
        .values_list("quarter", "amount", "note", "corrects_id", "recorded_by_id")
    ) == [
        (1, D("10000000.00"), "Субвенция за квартал", None, staff.pk),
        (1, D("-500000.00"), "Часть субвенции пришла в апреле", first.pk, staff.pk),
        (1, D("250000.25"), "Сверка с казначейством", down.pk, akim.pk),
    ]
    assert totals(subventions) == {1: D("9750000.25")}
    assert execution.line_quarter_total(subventions, 1) == D("9750000.25")
    assert list(
        AuditEvent.objects.filter(verb="execution.corrected")
        .order_by("pk")
        .values_list("actor_id", "target_id", "details")
    ) == [
        (
            staff.pk,
            str(down.pk),
            {
                "version": 1,
                "line": "4 02 3 03",
                "kind": "revenue",
                "quarter": 1,
                "corrects": first.pk,
                "from": "10000000.00",
                "to": "9500000",
                "difference": "-500000.00",
                "reason": "Часть субвенции пришла в апреле",
            },
        ),
        (
            akim.pk,
            str(up.pk),
            {
                "version": 1,
                "line": "4 02 3 03",
                "kind": "revenue",
                "quarter": 1,
                "corrects": down.pk,
                "from": "9500000.00",
                "to": "9750000.25",
                "difference": "250000.25",
                "reason": "Сверка с казначейством",
            },
        ),
    ]


def test_a_correction_takes_its_difference_from_the_total_whichever_entry_it_names(
    adopted, staff
):
    # Given a report already corrected once
    tax = line_of(adopted, "1 04 1 02")
    with on(2027, 4, 10):
        first = report(tax, 1, "400000", staff)
        execution.execution_correct(
            entry=first, new_total=D("300000"), reason="Возврат", actor=staff
        )

        # When a second correction names the report itself (a page drawn before the first
        # correction), then the difference is still taken from the present total
        again = execution.execution_correct(
            entry=first, new_total=D("350000"), reason="Доплата", actor=staff
        )

    assert (again.amount, again.corrects) == (D("50000.00"), first)
    assert totals(tax) == {1: D("350000.00")}


def test_a_correction_to_a_negative_total_is_refused(adopted, staff):
    # Given the first quarter of the land tax reported
    land_tax = line_of(adopted, "1 04 3")
    with on(2027, 4, 10):
        first = report(land_tax, 1, "250000.50", staff)

        # When a correction states a total below zero, then it is refused
        error = assert_refused(
            "execution_total_negative",
            lambda: execution.execution_correct(
                entry=first, new_total=D("-0.01"), reason="Возврат", actor=staff
            ),
        )

        # and a total of exactly zero is a correction like any other
        zero = execution.execution_correct(
            entry=first, new_total=D("0"), reason="Ошибка в отчёте", actor=staff
        )

    assert str(error) == (
        "Line 1 04 3: the total of a quarter cannot be negative; nothing is received or "
        "spent below zero."
    )
    assert zero.amount == D("-250000.50")
    assert totals(land_tax) == {1: D("0.00")}


def test_a_correction_that_changes_nothing_is_refused(adopted, staff):
    land_tax = line_of(adopted, "1 04 3")
    with on(2027, 4, 10):
        first = report(land_tax, 1, "250000.50", staff)

        error = assert_refused(
            "execution_correction_unchanged",
            lambda: execution.execution_correct(
                entry=first, new_total=D("250000.5"), reason="Проверка", actor=staff
            ),
        )

    assert str(error) == (
        "Line 1 04 3 already totals 250000.50 ₸ for quarter 1: nothing to correct."
    )


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_correction_without_a_reason_is_refused(adopted, staff, reason):
    land_tax = line_of(adopted, "1 04 3")
    with on(2027, 4, 10):
        first = report(land_tax, 1, "250000.50", staff)

        assert_refused(
            "execution_reason_required",
            lambda: execution.execution_correct(
                entry=first, new_total=D("1"), reason=reason, actor=staff
            ),
        )


@pytest.mark.parametrize(
    ("new_total", "code"),
    [
        (D("1.001"), "amount_invalid"),
        (2.5, "amount_invalid"),
        (D("1e14"), "amount_invalid"),
        (D("-1e14"), "amount_invalid"),
    ],
)
def test_a_correction_to_a_total_that_is_not_tenge_and_tiyn_is_refused(
    adopted, staff, new_total, code
):
    land_tax = line_of(adopted, "1 04 3")
    with on(2027, 4, 10):
        first = report(land_tax, 1, "250000.50", staff)

        assert_refused(
            code,
            lambda: execution.execution_correct(
                entry=first, new_total=new_total, reason="Причина", actor=staff
            ),
        )


def _create(**fields):
    with transaction.atomic():
        ExecutionEntry.objects.create(**fields)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        (
            {"quarter": 1},
            # SQLite names the columns of a unique constraint rather than its name
            "execution_one_report_per_line_and_quarter|UNIQUE constraint failed: "
            "budgets_executionentry.line_id, budgets_executionentry.quarter",
        ),
        ({"quarter": 5}, "execution_quarter_of_the_year"),
        ({"quarter": 2, "amount": D("-1")}, "execution_report_not_negative"),
        ({"quarter": 1, "amount": D(0), "corrects": "report"}, "execution_correction"),
    ],
)
def test_the_database_keeps_the_rules_of_the_entries(
    adopted, staff, fields, constraint
):
    # Given a report of the first quarter
    roads = line_of(adopted, "124 013")
    with on(2027, 4, 10):
        first = report(roads, 1, "1000", staff)
    values = {"line": roads, "amount": D(1), "recorded_by": staff, **fields}
    if values.get("corrects") == "report":
        values["corrects"] = first

    # When an entry that breaks a rule is written past the services, then the database
    # refuses it
    with pytest.raises(IntegrityError, match=constraint):
        _create(**values)

    assert ExecutionEntry.objects.count() == 1


# Plan against actual, on a known data set

Q1 = {
    "1 04 1 02": "400000",
    "1 04 3": "250000.50",
    "4 02 3 03": "10000000",
    "4 02 3 01": "1500000",
    "124 001": "4800000",
    "124 008": "2100000",
    "124 011": "0",
    "124 006": "2600000",
    "124 013": "1000000",
}
Q2 = {
    "1 04 1 02": "450000",
    "4 02 3 03": "10000000",
    "124 001": "5200000",
    "124 008": "1900000.50",
    "124 028": "150000",
}
CORRECTIONS = {
    "1 04 3": ("260000.50", "Платёж марта зачислен в апреле"),
    "4 02 3 03": ("9500000", "Субвенция марта пришла двумя частями"),
}


def execute_known(adopted, staff) -> None:
    """The first quarter reported on 10 April, the second on 10 July, and two of the first
    quarter's lines corrected on 15 July."""
    for day, quarter, amounts in (((2027, 4, 10), 1, Q1), ((2027, 7, 10), 2, Q2)):
        with on(*day):
            execution.execution_record_quarter(
                cycle=adopted.cycle,
                quarter=quarter,
                reports=[
                    execution.ReportInput(line=line_of(adopted, code), amount=D(amount))
                    for code, amount in amounts.items()
                ],
                actor=staff,
            )
    with on(2027, 7, 15):
        for code, (total, reason) in CORRECTIONS.items():
            entry = ExecutionEntry.objects.get(line=line_of(adopted, code), quarter=1)
            execution.execution_correct(
                entry=entry, new_total=D(total), reason=reason, actor=staff
            )


def _view(adopted):
    return selectors.execution_view(
        selectors.cycle_get(kato_code=adopted.cycle.unit.kato_code, fiscal_year=2027)
    )


def test_plan_against_actual_per_line_on_a_known_data_set(adopted, staff):
    # Given two quarters reported and two lines corrected
    execute_known(adopted, staff)

    # When the execution is read
    with on(2027, 7, 20):
        view = _view(adopted)

    # Then each line has its plan, each quarter's total, its actual and its percentage
    def rows(lines):
        return {
            e.line.classification.code: (
                e.plan,
                [q.total for q in e.quarters],
                e.actual,
                e.percentage,
            )
            for e in lines
        }

    none = None
    assert rows(view.revenue) == {
        "1 04 1 02": (
            D("2000000"),
            [D("400000"), D("450000"), none, none],
            D("850000"),
            D("42.5"),
        ),
        "1 04 3": (
            D("1500000"),
            [D("260000.50"), none, none, none],
            D("260000.50"),
            D("17.3"),
        ),
        # 48.75% is rounded half up
        "4 02 3 03": (
            D("40000000"),
            [D("19500000") - D("10000000"), D("10000000"), none, none],
            D("19500000"),
            D("48.8"),
        ),
        "4 02 3 01": (
            D("6500000"),
            [D("1500000"), none, none, none],
            D("1500000"),
            D("23.1"),
        ),
    }
    assert rows(view.expenditure) == {
        "124 001": (
            D("20000000"),
            [D("4800000"), D("5200000"), none, none],
            D("10000000"),
            D("50.0"),
        ),
        "124 008": (
            D("8000000"),
            [D("2100000"), D("1900000.50"), none, none],
            D("4000000.50"),
            D("50.0"),
        ),
        "124 011": (D("4000000"), [D("0"), none, none, none], D("0"), D("0.0")),
        "124 006": (
            D("10000000"),
            [D("2600000"), none, none, none],
            D("2600000"),
            D("26.0"),
        ),
        # Nothing was planned: no percentage
        "124 028": (D("0"), [none, D("150000"), none, none], D("150000"), None),
        "124 013": (
            D("8000000"),
            [D("1000000"), none, none, none],
            D("1000000"),
            D("12.5"),
        ),
    }


def test_revenue_split_and_totals_on_a_known_data_set(adopted, staff):
    execute_known(adopted, staff)

    with on(2027, 7, 20):
        view = _view(adopted)

    def figures(item):
        return (
            item.plan,
            item.actual,
            item.percentage,
            item.plan_share,
            item.actual_share,
        )

    assert figures(view.total_revenue) == (
        D("50000000"),
        D("22110000.50"),
        D("44.2"),
        None,
        None,
    )
    # Own revenue and transfers: shares of the plan and of what was received, adding up
    # to 100.0
    assert figures(view.own_revenue) == (
        D("3500000"),
        D("1110000.50"),
        D("31.7"),
        D("7.0"),
        D("5.0"),
    )
    assert figures(view.transfers) == (
        D("46500000"),
        D("21000000"),
        D("45.2"),
        D("93.0"),
        D("95.0"),
    )
    assert figures(view.total_expenditure) == (
        D("50000000"),
        D("17750000.50"),
        D("35.5"),
        None,
        None,
    )
    assert view.by_quarter == [
        (1, D("11660000.50"), D("10500000")),
        (2, D("10450000"), D("7250000.50")),
        (3, D("0"), D("0")),
        (4, D("0"), D("0")),
    ]


def test_spending_by_function_on_a_known_data_set(adopted, staff):
    execute_known(adopted, staff)

    with on(2027, 7, 20):
        view = _view(adopted)

    assert [
        (
            f.group,
            str(f.label),
            f.plan,
            f.actual,
            f.percentage,
            f.plan_share,
            f.actual_share,
        )
        for f in view.functions
    ] == [
        (
            1,
            "General public services",
            D("20000000"),
            D("10000000"),
            D("50.0"),
            D("40.0"),
            D("56.3"),
        ),
        (
            7,
            "Housing and communal services",
            D("12000000"),
            D("4000000.50"),
            D("33.3"),
            D("24.0"),
            D("22.5"),
        ),
        (
            8,
            "Culture, sport, tourism and the information space",
            D("10000000"),
            D("2750000"),
            D("27.5"),
            D("20.0"),
            D("15.5"),
        ),
        (
            12,
            "Transport and communications",
            D("8000000"),
            D("1000000"),
            D("12.5"),
            D("16.0"),
            D("5.6"),
        ),
    ]


def test_an_expenditure_without_a_functional_group_is_summed_apart(
    published, submitted, staff
):
    # Given a budget adopted with test entries whose position names no group (0 and 1700)
    BudgetClassification.objects.filter(code="E701").update(position=50)
    BudgetClassification.objects.filter(code="E801").update(position=1700)
    with on(2026, 12, 10):
        services.draft_approve(draft=submitted, actor=None)

    with on(2027, 1, 10):
        view = _view(submitted)

    assert [(f.group, str(f.label), f.plan) for f in view.functions] == [
        (None, "Not assigned to a function", D("46000000")),
    ]


def test_before_anything_is_reported_every_actual_is_zero_and_shares_are_unknown(
    adopted,
):
    with on(2027, 1, 10):
        view = _view(adopted)

    assert [e.percentage for e in view.lines] == [
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
        None,
        D("0.0"),
    ]
    assert (view.own_revenue.plan_share, view.transfers.plan_share) == (
        D("7.0"),
        D("93.0"),
    )
    assert (view.own_revenue.actual_share, view.transfers.actual_share) == (None, None)
    assert view.has_entries is False


def test_each_line_keeps_its_history_with_the_quarter_total_after_each_entry(
    adopted, staff
):
    execute_known(adopted, staff)

    with on(2027, 7, 20):
        subventions = _view(adopted).line(line_of(adopted, "4 02 3 03").pk)

    assert [
        (e.quarter, e.is_correction, e.amount, e.total_after, e.note)
        for e in subventions.history
    ] == [
        (1, False, D("10000000"), D("10000000"), ""),
        (2, False, D("10000000"), D("10000000"), ""),
        (1, True, D("-500000"), D("9500000"), "Субвенция марта пришла двумя частями"),
    ]


def test_there_is_no_execution_before_a_draft_is_adopted(published):
    assert _view(published) is None


# The pages

PAGE_TITLE = {
    "en": "Execution of the budget of Ортақ ауылдық округі for 2027",
    "ru": "Ортакский сельский округ: исполнение бюджета на 2027 год",
    "kk": "Ортақ ауылдық округі: 2027 жылғы бюджеттің атқарылуы",
}


def _url(name, cycle, **extra):
    return reverse(
        name, kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": 2027, **extra}
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_execution_page_shows_plan_against_actual_in_each_language(
    client, adopted, staff, language
):
    # Given two quarters reported and two lines corrected
    execute_known(adopted, staff)

    # When anyone reads the execution page in a language
    with on(2027, 7, 20), translation.override(language):
        response = client.get(_url("budgets:execution", adopted.cycle))

    # Then it shows, in that language, every line with its bar and percentage, the split
    # of revenue, spending by function and each line's history
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{escape(PAGE_TITLE[language])}</h1>" in html
    assert html.count('id="execution-line-') == 10
    assert html.count("<meter ") == 10 - 1 + 2 * 2 + 2 + 4
    # Django writes decimals with a comma in Russian; it has no Kazakh formats
    comma = {"kk": ".", "ru": ",", "en": "."}[language]
    assert '<meter min="0" max="100" value="48.8" aria-hidden="true">' in html
    assert f"48{comma}8%" in html
    assert html.count('class="correction"') == 2
    assert "Субвенция марта пришла двумя частями" in html
    assert 'id="execution-split"' in html
    assert 'id="execution-functions"' in html
    assert "Record a quarter" not in html


def test_the_execution_page_is_the_same_for_residents_and_offers_staff_their_acts(
    client, adopted, staff, resident
):
    execute_known(adopted, staff)
    with on(2027, 7, 20):
        client.force_login(resident)
        public = client.get(_url("budgets:execution", adopted.cycle)).content.decode()
        client.force_login(staff)
        for_staff = client.get(
            _url("budgets:execution", adopted.cycle)
        ).content.decode()

    record = _url("budgets:execution_record", adopted.cycle)
    assert record not in public
    assert f'href="{record}"' in for_staff
    # One correction link per reported line-quarter: 9 in the first quarter, 5 in the
    # second
    assert for_staff.count("/correct/") == 14
    assert "/correct/" not in public


def test_the_cycle_page_links_to_the_execution_once_adopted(client, published, adopted):
    with on(2026, 12, 12):
        html = client.get(adopted.cycle.get_absolute_url()).content.decode()

    assert f'href="{_url("budgets:execution", adopted.cycle)}"' in html


def test_the_cycle_page_does_not_link_to_an_execution_before_adoption(
    client, published
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        html = client.get(published.cycle.get_absolute_url()).content.decode()
        missing = client.get(_url("budgets:execution", published.cycle))

    assert "/execution/" not in html
    assert missing.status_code == 404


def _report_form(view, quarter: int, typed: dict[str, tuple[str, str]]) -> dict:
    """The record page's form as posted: every unreported line, `typed` (amount, note) by
    code, the others left empty."""
    rows = [e for e in view.lines if not e.quarters[quarter - 1].is_reported]
    data = {
        "quarter": str(quarter),
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        amount, note = typed.get(row.line.classification.code, ("", ""))
        data[f"lines-{index}-line"] = str(row.line.pk)
        data[f"lines-{index}-amount"] = amount
        data[f"lines-{index}-note"] = note
    return data


def test_staff_record_a_quarter_through_the_form(client, adopted, staff):
    with on(2027, 5, 15):
        client.force_login(staff)
        page = client.get(_url("budgets:execution_record", adopted.cycle))
        response = client.post(
            _url("budgets:execution_record", adopted.cycle),
            _report_form(
                _view(adopted),
                2,
                {"1 04 3": ("300000.25", "Весенние платежи"), "124 028": ("0", "")},
            ),
        )

    # The page offers the quarter just ended, one row per line
    assert page.status_code == 200
    assert page.context["quarter"] == 1
    assert len(page.context["formset"].forms) == 10
    assert response.status_code == 302
    assert response.url == _url("budgets:execution", adopted.cycle)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Quarter 2 is reported for 2 lines."
    ]
    assert list(
        ExecutionEntry.objects.order_by("line__classification__code").values_list(
            "line__classification__code", "quarter", "amount", "note"
        )
    ) == [
        ("1 04 3", 2, D("300000.25"), "Весенние платежи"),
        ("124 028", 2, D("0"), ""),
    ]


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        ((2027, 1, 20), 1),  # none has ended yet: the first, which has begun
        ((2027, 4, 1), 1),
        ((2027, 5, 15), 1),
        ((2027, 7, 1), 2),
        ((2027, 12, 31), 3),
        ((2028, 1, 20), 4),  # the year is over, the books still open
    ],
)
def test_the_record_page_preselects_the_quarter_just_ended(
    client, adopted, staff, day, quarter
):
    # Given the adopted budget's year, a day of it or of the grace period after it
    with on(*day):
        client.force_login(staff)

        # When staff open the record page without asking for a quarter
        page = client.get(_url("budgets:execution_record", adopted.cycle))

    # Then the quarter preselected is the last one ended, the one reports are made for
    assert page.status_code == 200
    assert page.context["quarter"] == quarter
    assert page.context["quarter_form"]["quarter"].value() == quarter


def test_the_record_page_offers_only_the_lines_not_yet_reported(client, adopted, staff):
    with on(2027, 4, 10):
        report(line_of(adopted, "124 001"), 1, "10", staff)
    with on(2027, 5, 15):
        client.force_login(staff)
        first = client.get(
            _url("budgets:execution_record", adopted.cycle), {"quarter": "1"}
        )
        future = client.get(
            _url("budgets:execution_record", adopted.cycle), {"quarter": "4"}
        )

    assert first.context["quarter"] == 1
    assert len(first.context["formset"].forms) == 9
    assert [e.line.classification.code for e in first.context["reported"]] == [
        "124 001"
    ]
    # A quarter that has not begun is not offered: the quarter just ended is
    assert future.context["quarter"] == 1
    assert future.context["quarters"] == [1, 2]


BAD_AMOUNTS = [
    ("-5", "An amount cannot be negative."),
    ("много", "Write the amount in tenge as digits, for example 1250000.50."),
    ("12.345", "Tenge have at most two decimal places (tiyn)."),
]


@pytest.mark.parametrize(("typed", "message"), BAD_AMOUNTS)
def test_a_bad_amount_in_the_quarter_form_is_shown_again_with_its_message(
    client, adopted, staff, typed, message
):
    with on(2027, 5, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _url("budgets:execution_record", adopted.cycle),
            _report_form(
                _view(adopted),
                2,
                {"1 04 3": (typed, "Весна"), "124 001": ("100", "Зарплата")},
            ),
        )

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(message) in html
    assert f'value="{escape(typed)}"' in html
    assert 'value="Весна"' in html
    assert 'value="100"' in html


def test_an_empty_quarter_form_records_nothing(client, adopted, staff):
    with on(2027, 5, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _url("budgets:execution_record", adopted.cycle),
            _report_form(_view(adopted), 2, {}),
        )

    assert response.status_code == 400
    assert "Write the amount of at least one line." in response.content.decode()


def test_a_quarter_not_begun_posted_to_the_form_is_refused_by_the_service(
    client, adopted, staff
):
    with on(2027, 5, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _url("budgets:execution_record", adopted.cycle),
            _report_form(_view(adopted), 3, {"124 001": ("100", "")}),
        )

    assert response.status_code == 400
    assert (
        "Quarter 3 begins on 1 July 2027: it cannot be reported before."
        in response.content.decode()
    )


def test_a_line_reported_meanwhile_is_refused_and_nothing_of_the_form_is_saved(
    client, adopted, staff, akim
):
    # Given the page drawn with every line of the second quarter, and the akim reporting
    # one of them before the staff member sends it
    with on(2027, 5, 15):
        client.force_login(staff)
        form = _report_form(
            _view(adopted), 2, {"124 001": ("100", ""), "124 013": ("200", "")}
        )
        report(line_of(adopted, "124 013"), 2, "150", akim)

        # When the staff member sends the form
        url = _url("budgets:execution_record", adopted.cycle)
        with unchanged(ExecutionEntry):
            response = client.post(url, form)

    # Then it is refused, and nothing of it is saved
    assert response.status_code == 400
    assert (
        "Line 124 013 is already reported for quarter 2: correct the report instead."
        in response.content.decode()
    )


@pytest.mark.parametrize("posted", ["999999", "abc", ""])
def test_a_posted_line_that_is_not_of_this_budget_is_refused(
    client, adopted, staff, posted
):
    form = _report_form(_view(adopted), 2, {"124 001": ("100", "")})
    form["lines-0-line"] = posted
    form["lines-0-amount"] = "5"
    with on(2027, 5, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(_url("budgets:execution_record", adopted.cycle), form)

    assert response.status_code == 400
    assert "A line is not in the adopted budget." in response.content.decode()


@pytest.mark.parametrize("posted", ["7", "0", "deux", ""])
def test_a_posted_quarter_outside_the_year_is_refused(client, adopted, staff, posted):
    form = _report_form(_view(adopted), 2, {"124 001": ("100", "")})
    form["quarter"] = posted
    with on(2027, 5, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(_url("budgets:execution_record", adopted.cycle), form)

    assert response.status_code == 400
    assert response.context["quarter_form"].errors == {
        "quarter": [
            "This field is required." if not posted else "A quarter is 1, 2, 3 or 4."
        ]
    }


def test_the_record_page_of_a_budget_not_adopted_sends_back_to_the_cycle(
    client, published, staff
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        client.force_login(staff)
        response = client.get(_url("budgets:execution_record", published.cycle))

    assert (response.status_code, response.url) == (
        302,
        published.cycle.get_absolute_url(),
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The budget is not adopted yet: its execution is recorded once the maslikhat "
        "has approved it."
    ]


def test_the_correction_page_once_the_books_close_sends_back_with_the_reason(
    client, adopted, staff
):
    with on(2027, 4, 10):
        report(line_of(adopted, "1 04 3"), 1, "250000.50", staff)
    with on(2028, 3, 1):
        client.force_login(staff)
        response = client.get(_correct_url(adopted, "1 04 3", 1))

    assert (response.status_code, response.url) == (
        302,
        _url("budgets:execution", adopted.cycle),
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The books of 2027 closed on the last day of February 2028: its execution can "
        "no longer change."
    ]


def test_a_quarter_s_reports_for_a_line_of_another_cycle_are_refused(adopted, staff):
    # Given the budget cycle of the next year, opened in January 2027
    with on(2027, 1, 20):
        next_year = services.cycle_open(
            unit=adopted.cycle.unit,
            fiscal_year=2028,
            actor=staff,
            dates=phase_dates(2028),
        )

        # When the 2027 budget's line is reported as the 2028 cycle's, then it is refused
        assert_refused(
            "line_not_adopted",
            lambda: execution.execution_record_quarter(
                cycle=next_year,
                quarter=1,
                reports=[
                    execution.ReportInput(line=line_of(adopted, "124 001"), amount=D(1))
                ],
                actor=staff,
            ),
        )


def _correct_url(adopted, code, quarter):
    return _url(
        "budgets:execution_correct",
        adopted.cycle,
        line=line_of(adopted, code).pk,
        quarter=quarter,
    )


def test_staff_correct_a_quarter_after_confirming_it(client, adopted, staff):
    # Given the first quarter of the land tax reported
    with on(2027, 4, 10):
        first = report(line_of(adopted, "1 04 3"), 1, "250000.50", staff)
    url = _correct_url(adopted, "1 04 3", 1)
    typed = {"new_total": "260000.50", "reason": "Платёж марта"}

    with on(2027, 7, 15):
        client.force_login(staff)
        # When the staff member sends the new total, then the page asks to confirm it
        # and nothing is recorded yet
        page = client.get(url)
        confirm = client.post(url, typed)
        assert ExecutionEntry.objects.count() == 1
        # and "change it" shows the form again with what was typed
        change = client.post(url, {**typed, "edit": "1"})
        # When they confirm, then the correction is recorded
        done = client.post(url, {**typed, "confirm": "1"})

    assert page.status_code == 200
    assert confirm.status_code == 200
    summary = _text(confirm.content.decode()).replace("\xa0", " ")
    assert (
        "The total of quarter 1 changes from 250 000.50 ₸ to 260 000.50 ₸." in summary
    )
    assert "A new entry of 10 000 ₸ is added" in summary
    assert change.status_code == 200
    assert 'value="260000.50"' in change.content.decode()
    assert "Платёж марта</textarea>" in change.content.decode()
    assert done.status_code == 302
    assert done.url.endswith(f"#history-{first.line_id}")
    assert list(
        ExecutionEntry.objects.order_by("pk").values_list("amount", "corrects_id")
    ) == [(D("250000.50"), None), (D("10000.00"), first.pk)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        *BAD_AMOUNTS,
        ("", "This field is required."),
    ],
)
def test_a_bad_new_total_in_the_correction_form_is_refused(
    client, adopted, staff, typed, message
):
    with on(2027, 4, 10):
        report(line_of(adopted, "1 04 3"), 1, "250000.50", staff)
    with on(2027, 7, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _correct_url(adopted, "1 04 3", 1),
            {"new_total": typed, "reason": "Причина", "confirm": "1"},
        )

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(message) in html
    assert "Причина</textarea>" in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_form_without_a_reason_is_refused(client, adopted, staff, reason):
    with on(2027, 4, 10):
        report(line_of(adopted, "1 04 3"), 1, "250000.50", staff)
    with on(2027, 7, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _correct_url(adopted, "1 04 3", 1),
            {"new_total": "1", "reason": reason, "confirm": "1"},
        )

    assert response.status_code == 400
    assert "Give the public the reason for the correction." in (
        response.content.decode()
    )


def test_a_correction_to_the_same_total_is_refused_on_its_field(client, adopted, staff):
    with on(2027, 4, 10):
        report(line_of(adopted, "1 04 3"), 1, "250000.50", staff)
    with on(2027, 7, 15), unchanged(ExecutionEntry):
        client.force_login(staff)
        response = client.post(
            _correct_url(adopted, "1 04 3", 1),
            {"new_total": "250000.50", "reason": "Сверка", "confirm": "1"},
        )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "new_total": [
            "Line 1 04 3 already totals 250000.50 ₸ for quarter 1: nothing to correct."
        ]
    }


def test_a_quarter_not_reported_cannot_be_corrected(client, adopted, staff):
    with on(2027, 7, 15):
        client.force_login(staff)
        response = client.get(_correct_url(adopted, "1 04 3", 2))
        elsewhere = client.get(
            _url("budgets:execution_correct", adopted.cycle, line=999999, quarter=1)
        )
        no_quarter = client.get(_correct_url(adopted, "1 04 3", 5))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Quarter 2 of this line is not reported yet: report it first."
    ]
    assert (elsewhere.status_code, no_quarter.status_code) == (404, 404)


# Queries: the pages cost the same with 10 lines as with 200.

SIZES = (10, 200)


def build_executed_budget(*, cycle, staff, akim, size: int) -> None:
    """A budget of `size` lines adopted, its first quarter reported for every line and
    every fifth line corrected."""
    half = size // 2
    BudgetClassification.objects.bulk_create(
        [
            BudgetClassification(
                kind=ClassificationKind.REVENUE,
                code=f"XR{index:04d}",
                name_kk=f"Кіріс {index}",
                name_ru=f"Доход {index}",
                is_transfer=index % 4 == 0,
                position=3000 + index,
            )
            for index in range(half)
        ]
        + [
            BudgetClassification(
                kind=ClassificationKind.EXPENDITURE,
                code=f"XE{index:04d}",
                name_kk=f"Шығыс {index}",
                name_ru=f"Расход {index}",
                position=100 * (index % 13 + 1) + 50,
            )
            for index in range(size - half)
        ]
    )
    entries = list(
        BudgetClassification.objects.filter(code__startswith="X").order_by("pk")
    )
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=draft,
            lines=[
                services.LineInput(
                    classification=entry,
                    amount=D(1_000_000 if entry.kind == "revenue" else 900_000),
                )
                for entry in entries
            ],
            cash_balance_used=D(0),
            note="",
            actor=staff,
        )
        services.draft_publish(draft=draft, actor=staff)
    with time_machine.travel(SUBMITTED_ON, tick=False):
        services.meeting_record(
            draft=draft,
            actor=staff,
            held_on=at(2026, 11, 11).date(),
            members_total=15,
            members_present=12,
            decision="coordinated",
            remarks="",
            minutes=SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        )
        services.draft_submit(draft=draft, actor=akim)
    with time_machine.travel(DAY_IN["maslikhat_vote"], tick=False):
        services.draft_approve(draft=draft, actor=None)
    lines = list(draft.lines.select_related("classification", "draft__cycle"))
    with on(2027, 4, 10):
        execution.execution_record_quarter(
            cycle=cycle,
            quarter=1,
            reports=[
                execution.ReportInput(line=line, amount=D(200_000 + index))
                for index, line in enumerate(lines)
            ],
            actor=staff,
        )
    with on(2027, 4, 20):
        for line in lines[::5]:
            execution.execution_correct(
                entry=ExecutionEntry.objects.get(line=line, quarter=1),
                new_total=D(150_000),
                reason="Сверка",
                actor=staff,
            )


# The queries each page costs whatever the number of lines and entries: the public reads
# the cycle, its phases and drafts, the lines and the entries (and, on the execution page,
# what the lines pay for: budgets.extensions, one query for the proposals); staff add the
# session, the user, their roles and their unread notices.
PINNED = {
    # (+1: the cycle's keys, for the key of a visitor's kept page)
    ("execution", "anonymous"): 7,
    ("execution", "staff"): 10,
    ("record", "staff"): 9,
    ("correct", "staff"): 9,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("page", "who"), list(PINNED))
def test_page_costs_the_same_queries_at_10_and_200_lines(
    client, cycle, staff, akim, django_assert_num_queries, size, page, who
):
    # Given an adopted budget of `size` lines, its first quarter reported and corrected
    build_executed_budget(cycle=cycle, staff=staff, akim=akim, size=size)
    first = cycle.drafts.get().lines.order_by("pk").first()
    url = {
        "execution": _url("budgets:execution", cycle),
        "record": _url("budgets:execution_record", cycle) + "?quarter=2",
        "correct": _url("budgets:execution_correct", cycle, line=first.pk, quarter=1),
    }[page]
    with on(2027, 5, 15):
        if who == "staff":
            client.force_login(staff)
        # Content types are cached for the life of the process: a first request fills
        # the cache, as it is filled on a running server.
        assert client.get(url).status_code == 200

        # When the page is read, drawn anew (nothing of it kept: portal.fragments)
        cache.clear()
        with django_assert_num_queries(PINNED[page, who]):
            response = client.get(url)
        # and, by a visitor, read again from what was kept of it, at no query
        if who == "anonymous":
            with django_assert_num_queries(0):
                kept = client.get(url)
            assert without_token(kept) == without_token(response)

    # Then it shows every line (the record page: every line, none yet reported for the
    # second quarter)
    assert response.status_code == 200
    html = response.content.decode()
    if page == "execution":
        assert html.count('id="execution-line-') == size
        assert html.count('class="correction"') == len(range(0, size, 5))
    elif page == "record":
        assert len(response.context["formset"].forms) == size


# The admin


def test_the_admin_shows_the_entries_but_never_adds_changes_or_deletes_them(
    client, adopted, staff
):
    with on(2027, 4, 10):
        entry = report(line_of(adopted, "124 001"), 1, "100", staff)
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        name = "admin:budgets_executionentry"

        listed = client.get(reverse(f"{name}_changelist"))
        shown = client.get(reverse(f"{name}_change", args=[entry.pk]))
        added = client.get(reverse(f"{name}_add"))
        changed = client.post(
            reverse(f"{name}_change", args=[entry.pk]), {"amount": "5", "quarter": "1"}
        )
        deleted = client.post(reverse(f"{name}_delete", args=[entry.pk]))

    assert (listed.status_code, shown.status_code) == (200, 200)
    assert (added.status_code, changed.status_code, deleted.status_code) == (
        403,
        403,
        403,
    )
    entry.refresh_from_db()
    assert entry.amount == D("100.00")
