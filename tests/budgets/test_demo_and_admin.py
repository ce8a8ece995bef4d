"""The seeded classification and calendar, the budgets admin, and the demo's cycles."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from budgets.admin import PhaseCalendarForm
from budgets.demo import minutes_pdf
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    CyclePhase,
    DraftBudget,
    DraftComment,
    DraftStatus,
    ExecutionEntry,
    Phase,
    PhaseCalendar,
)
from budgets.selectors import (
    cycle_state,
    draft_diff,
    draft_totals,
    execution_view,
)
from portal.models import AuditEvent
from tests.accounts.factories import UserFactory

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
LATE_NOVEMBER = datetime.datetime(2026, 11, 25, 12, tzinfo=ALMATY)

REVENUE_CODES = [
    "1 01 2 02",
    "1 04 1 02",
    "1 04 3",
    "1 04 4 02",
    "1 04 4 01",
    "1 05 3",
    "1 08 1",
    "2 01 5",
    "2 04 1",
    "2 06 1",
    "3 01 1",
    "4 02 3 03",
    "4 02 3 01",
    "4 02 3 02",
]
EXPENDITURE_CODES = [
    "124 001",
    "124 022",
    "124 005",
    "124 003",
    "124 014",
    "124 008",
    "124 009",
    "124 010",
    "124 011",
    "124 006",
    "124 028",
    "124 013",
    "124 045",
    "124 040",
    "124 057",
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # The demo uploads the minutes of its meetings.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def _codes(kind):
    return list(
        BudgetClassification.objects.filter(kind=kind)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )


def test_the_migration_seeds_the_revenue_categories_in_order(db):
    assert _codes("revenue") == REVENUE_CODES
    assert list(
        BudgetClassification.objects.filter(is_transfer=True)
        .order_by("position")
        .values_list("code", "name_ru")
    ) == [
        ("4 02 3 03", "Субвенции из районного бюджета"),
        ("4 02 3 01", "Целевые текущие трансферты из районного бюджета"),
        ("4 02 3 02", "Целевые трансферты на развитие из районного бюджета"),
    ]
    property_tax = BudgetClassification.objects.get(kind="revenue", code="1 04 1 02")
    assert (property_tax.name_kk, property_tax.name_ru, property_tax.is_active) == (
        "Жеке тұлғалардың мүлкіне салынатын салық",
        "Налог на имущество физических лиц",
        True,
    )


def test_the_migration_seeds_the_akim_apparatus_programmes_by_functional_group(db):
    assert _codes("expenditure") == EXPENDITURE_CODES
    lighting = BudgetClassification.objects.get(kind="expenditure", code="124 008")
    assert (lighting.name_kk, lighting.name_ru, lighting.position) == (
        "Елді мекендердегі көшелерді жарықтандыру",
        "Освещение улиц в населенных пунктах",
        702,
    )
    greening = BudgetClassification.objects.get(kind="expenditure", code="124 011")
    assert (greening.name_kk, greening.name_ru) == (
        "Елді мекендерді абаттандыру мен көгалдандыру",
        "Благоустройство и озеленение населенных пунктов",
    )
    assert not BudgetClassification.objects.filter(
        kind="expenditure", is_transfer=True
    ).exists()


def test_the_migration_creates_the_national_calendar_with_the_model_defaults(db):
    national = PhaseCalendar.objects.get(region=None)

    assert [
        national.proposals_open_start,
        national.proposals_open_end,
        national.review_end,
        national.drafting_end,
        national.public_discussion_end,
        national.coordination_end,
        national.maslikhat_vote_end,
    ] == ["03-01", "04-30", "05-31", "09-30", "10-31", "11-30", "12-25"]
    assert PhaseCalendar.objects.count() == 1


def test_the_admin_lists_the_classification(client, superuser):
    client.force_login(superuser)

    response = client.get(
        reverse("admin:budgets_budgetclassification_changelist"),
        {"kind": "expenditure"},
    )

    assert response.status_code == 200
    assert "Освещение улиц в населенных пунктах" in response.content.decode()
    assert len(response.context["cl"].result_list) == len(EXPENDITURE_CODES)


def test_the_admin_corrects_a_classification_entry(client, superuser):
    client.force_login(superuser)
    entry = BudgetClassification.objects.get(kind="expenditure", code="124 057")

    response = client.post(
        reverse("admin:budgets_budgetclassification_change", args=[entry.pk]),
        {
            "kind": "expenditure",
            "code": "124 058",
            "name_kk": entry.name_kk,
            "name_ru": entry.name_ru,
            "position": "1302",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.code, entry.is_transfer) == ("124 058", False)


def _demo_discussion_cycle():
    with time_machine.travel(LATE_NOVEMBER, tick=False):
        call_command("load_demo", stdout=StringIO())
    return BudgetCycle.objects.get(unit__kato_code="117051000", fiscal_year=2027)


def test_the_admin_refuses_to_change_a_cycle(client, superuser):
    cycle = _demo_discussion_cycle()
    client.force_login(superuser)
    url = reverse("admin:budgets_budgetcycle_change", args=[cycle.pk])

    viewed = client.get(url)
    refused = client.post(url, {"fiscal_year": "2030", "announced_phase": "closed"})

    assert viewed.status_code == 200
    assert refused.status_code == 403
    cycle.refresh_from_db()
    assert (cycle.fiscal_year, cycle.announced_phase) == (
        2027,
        CyclePhase.PUBLIC_DISCUSSION,
    )


@pytest.mark.parametrize(
    "model",
    [BudgetCycle, Phase, DraftBudget, BudgetLine, DraftComment, CommunityMeeting],
)
def test_the_admin_shows_but_never_adds_or_deletes_what_services_change(
    client, superuser, model
):
    _demo_discussion_cycle()
    client.force_login(superuser)
    name = f"admin:budgets_{model._meta.model_name}"
    some = model.objects.order_by("pk").first()

    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_change", args=[some.pk])).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[some.pk])).status_code == 403
    assert model.objects.filter(pk=some.pk).exists()


CALENDAR = {
    "proposals_open_start": "03-01",
    "proposals_open_end": "04-30",
    "review_end": "05-31",
    "drafting_end": "09-30",
    "public_discussion_end": "10-31",
    "coordination_end": "11-30",
    "maslikhat_vote_end": "12-25",
}


def test_a_calendar_in_order_is_accepted(db):
    form = PhaseCalendarForm(
        data={**CALENDAR, "proposals_open_end": "03-01"},
        instance=PhaseCalendar.objects.get(region=None),
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("review_end", "02-30", "02-30 is not a day of the year."),
        ("drafting_end", "13-01", "Write the day as MM-DD, for example 03-01."),
        ("drafting_end", "9-30", "Write the day as MM-DD, for example 03-01."),
        (
            "public_discussion_end",
            "09-30",
            "This day must come after “drafting until (MM-DD)” (09-30).",
        ),
        (
            "proposals_open_end",
            "02-28",
            "This day cannot come before “proposals open from (MM-DD)” (03-01).",
        ),
    ],
)
def test_a_calendar_with_a_wrong_day_is_refused(db, field, value, error):
    form = PhaseCalendarForm(
        data={**CALENDAR, field: value}, instance=PhaseCalendar.objects.get(region=None)
    )

    assert not form.is_valid()
    assert form.errors == {field: [error]}


def test_the_national_calendar_cannot_be_deleted(client, superuser):
    client.force_login(superuser)
    national = PhaseCalendar.objects.get(region=None)

    response = client.post(
        reverse("admin:budgets_phasecalendar_delete", args=[national.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 403
    assert PhaseCalendar.objects.filter(region=None).count() == 1


def test_the_minutes_of_the_demo_are_a_pdf_with_an_exact_cross_reference_table():
    pdf = minutes_pdf("Minutes (draft) of 2027")

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref\n0 6\n")
    offsets = pdf[xref:].split(b"\n")[3:8]
    for number, entry in enumerate(offsets, start=1):
        assert pdf[int(entry[:10]) :].startswith(b"%d 0 obj" % number)


def _counts():
    return (
        BudgetCycle.objects.count(),
        DraftBudget.objects.count(),
        BudgetLine.objects.count(),
        DraftComment.objects.count(),
        CommunityMeeting.objects.count(),
    )


def _phases():
    return {
        cycle.unit.kato_code: (
            cycle.fiscal_year,
            cycle_state(cycle).phase,
            cycle_state(cycle).is_overdue,
            cycle.announced_phase,
        )
        for cycle in BudgetCycle.objects.select_related("unit")
    }


@pytest.mark.parametrize(
    "moment",
    [
        LATE_NOVEMBER,
        datetime.datetime(2026, 12, 31, 18, tzinfo=ALMATY),
        datetime.datetime(2027, 1, 1, 9, tzinfo=ALMATY),
        datetime.datetime(2027, 6, 15, 12, tzinfo=ALMATY),
    ],
    ids=["late-november", "new-years-eve", "new-years-day", "mid-year"],
)
def test_the_demo_has_a_cycle_in_each_phase_and_a_second_run_changes_nothing(
    db, moment
):
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=StringIO())
        first = _counts()

        call_command("load_demo", stdout=StringIO())

        assert _counts() == first == (10, 7, 152, 2, 3)
        this_year = moment.year
        # The residents' votes' cycles (votes.demo): next year's while there is time
        # for its preparation, else the year after's.
        voting_year = this_year + (1 if moment.month < 9 else 2)
        assert _phases() == {
            "117037000": (this_year + 1, "proposals_open", False, "proposals_open"),
            "117055000": (this_year + 1, "review", False, "review"),
            "117061000": (this_year + 1, "drafting", False, "drafting"),
            "117063000": (this_year + 1, "coordination", False, "coordination"),
            "117035000": (this_year + 1, "maslikhat_vote", False, "maslikhat_vote"),
            "117051000": (
                this_year + 1,
                "public_discussion",
                False,
                "public_discussion",
            ),
            "117033000": (this_year + 1, "adopted", False, "adopted"),
            "117057000": (this_year, "execution", False, "execution"),
            "117049000": (voting_year, "residents_vote", False, "residents_vote"),
            "117053000": (voting_year, "drafting", False, "drafting"),
        }


def test_the_demo_discussion_has_two_versions_a_comment_and_an_official_reply(db):
    with time_machine.travel(LATE_NOVEMBER, tick=False):
        call_command("load_demo", stdout=StringIO())

    first, second = DraftBudget.objects.filter(
        cycle__unit__kato_code="117051000"
    ).order_by("version")
    assert (first.status, second.status) == (
        DraftStatus.PUBLISHED,
        DraftStatus.PUBLISHED,
    )
    changes = {
        change.classification.code: (change.kind, change.delta)
        for change in draft_diff(first, second).changed
    }
    assert changes == {
        "1 05 3": ("removed", Decimal("-95000.00")),
        "124 011": ("changed", Decimal("1000000.00")),
        "124 013": ("changed", Decimal("-600000.00")),
        "124 028": ("added", Decimal("350000.00")),
    }
    totals = draft_totals(second)
    assert (totals.revenue, totals.transfers, totals.expenditure) == (
        Decimal("57420000.00"),
        Decimal("50760000.00"),
        Decimal("58770000.00"),
    )
    assert second.cash_balance_used == Decimal("1400000.00")
    assert totals.transfer_share == Decimal("88.4")
    comment, reply = DraftComment.objects.order_by("pk")
    assert (comment.draft, comment.line.classification.code, comment.is_official) == (
        second,
        "124 011",
        False,
    )
    assert comment.author.email == "resident@demo.qatysu.kz"
    assert (reply.reply_to, reply.is_official, reply.author.email) == (
        comment,
        True,
        "staff@demo.qatysu.kz",
    )


def test_the_demo_adopted_and_executed_budgets_are_balanced_and_coordinated(db):
    with time_machine.travel(LATE_NOVEMBER, tick=False):
        call_command("load_demo", stdout=StringIO())

    adopted = DraftBudget.objects.get(cycle__unit__kato_code="117033000")
    executed = DraftBudget.objects.get(cycle__unit__kato_code="117057000")
    assert (adopted.status, executed.status) == (
        DraftStatus.APPROVED,
        DraftStatus.APPROVED,
    )
    adopted_totals, executed_totals = draft_totals(adopted), draft_totals(executed)
    assert (adopted_totals.revenue, adopted_totals.expenditure) == (
        Decimal("79060000.00"),
        Decimal("79060000.00"),
    )
    assert (
        executed_totals.revenue,
        executed_totals.expenditure,
        executed.cash_balance_used,
    ) == (Decimal("97570000.00"), Decimal("99070000.00"), Decimal("1500000.00"))
    meetings = {
        meeting.draft.cycle.unit.kato_code: (
            meeting.held_on,
            meeting.members_present,
            meeting.members_total,
            meeting.decision,
        )
        for meeting in CommunityMeeting.objects.select_related("draft__cycle__unit")
    }
    # A week after each discussion ended (26 October for the one prepared this year on
    # the demo's short calendar, 31 October last year on the national calendar; 31
    # October for the draft under the maslikhat's vote now)
    assert meetings == {
        "117035000": (datetime.date(2026, 11, 7), 17, 21, "coordinated"),
        "117033000": (
            datetime.date(2026, 11, 2),
            12,
            15,
            "coordinated_with_remarks",
        ),
        "117057000": (datetime.date(2025, 11, 7), 9, 11, "coordinated"),
    }
    with CommunityMeeting.objects.get(draft=adopted).minutes.open("rb") as minutes:
        assert minutes.read(5) == b"%PDF-"


# The acts of the demo and the phases in which the rules allow them.
ACT_PHASES = {
    "cycle.opened": {"planned"},
    "draft.created": {"drafting", "public_discussion"},
    "draft.edited": {"drafting", "public_discussion"},
    "draft.published": {"drafting", "public_discussion"},
    "draft.commented": {"public_discussion"},
    "draft.replied": {"public_discussion"},
    "meeting.recorded": {"coordination"},
    "draft.submitted": {"coordination"},
    "draft.approved": {"maslikhat_vote"},
}
IN_ORDER = [
    "proposals_open",
    "review",
    "drafting",
    "public_discussion",
    "coordination",
    "maslikhat_vote",
    "adopted",
    "execution",
]


def _story(cycle):
    """The cycle's acts, each with the day it was done and the phase recorded then."""
    phase, acts, changes = "planned", [], []
    for event in AuditEvent.objects.filter(unit=cycle.unit).order_by(
        "created_at", "pk"
    ):
        day = timezone.localdate(event.created_at)
        if event.verb == "cycle.phase_changed":
            assert event.details["from"] == phase
            phase = event.details["to"]
            changes.append(phase)
        elif event.verb in ACT_PHASES:
            acts.append((event.verb, day, phase))
    return acts, changes


@pytest.mark.parametrize(
    "moment",
    [
        LATE_NOVEMBER,
        datetime.datetime(2027, 1, 1, 9, tzinfo=ALMATY),
        datetime.datetime(2027, 6, 15, 12, tzinfo=ALMATY),
    ],
    ids=["late-november", "new-years-day", "mid-year"],
)
def test_the_demo_history_has_each_act_in_its_phase_and_every_phase_in_order(
    db, moment
):
    # When the demo is loaded
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=StringIO())

    # Then every act was done in the past, in a phase that allows it, before that
    # phase's end: nothing was done late, nothing is overdue, and every phase change
    # from the first to the current one is on the record, in order
    assert not AuditEvent.objects.filter(verb="cycle.overdue").exists()
    assert not AuditEvent.objects.filter(created_at__gt=moment).exists()
    expected = {
        "117037000": ["proposals_open"],
        "117055000": IN_ORDER[:2],
        "117061000": IN_ORDER[:3],
        "117051000": IN_ORDER[:4],
        "117063000": IN_ORDER[:5],
        "117035000": IN_ORDER[:6],
        "117033000": IN_ORDER[:7],
        "117057000": IN_ORDER,
        # The residents' votes' (votes.demo): one open, one over
        "117049000": ["proposals_open", "review", "residents_vote"],
        "117053000": ["proposals_open", "review", "residents_vote", "drafting"],
    }
    for cycle in BudgetCycle.objects.select_related("unit"):
        ends = {phase.kind: phase.ends_on for phase in cycle.phases.all()}
        starts = {phase.kind: phase.starts_on for phase in cycle.phases.all()}
        acts, changes = _story(cycle)
        assert changes == expected[cycle.unit.kato_code]
        assert acts[0][0] == "cycle.opened"
        assert acts[0][1] < starts["proposals_open"]
        for verb, day, phase in acts:
            assert phase in ACT_PHASES[verb], (cycle.unit.kato_code, verb, day)
            assert phase == "planned" or day <= ends[phase], (verb, day, phase)
    discussion = BudgetCycle.objects.get(unit__kato_code="117051000")
    acts, _changes = _story(discussion)
    assert [(verb, phase) for verb, _day, phase in acts if "published" in verb] == [
        ("draft.published", "drafting"),
        ("draft.published", "public_discussion"),
    ]
    for meeting in CommunityMeeting.objects.select_related("draft__cycle"):
        discussion_end = meeting.draft.cycle.phases.get(
            kind=CyclePhase.PUBLIC_DISCUSSION
        ).ends_on
        assert meeting.held_on == discussion_end + datetime.timedelta(days=7)


def test_the_demo_execution_reports_each_ended_quarter_and_one_correction(db):
    # Late November: the first three quarters have ended and been reported ten days on
    with time_machine.travel(LATE_NOVEMBER, tick=False):
        call_command("load_demo", stdout=StringIO())
        cycle = BudgetCycle.objects.get(unit__kato_code="117057000")
        view = execution_view(cycle)

    entries = ExecutionEntry.objects.filter(line__draft__cycle=cycle)
    lines = cycle.drafts.get(status=DraftStatus.APPROVED).lines.count()
    assert sorted(set(entries.values_list("quarter", flat=True))) == [1, 2, 3]
    assert entries.filter(corrects__isnull=True).count() == 3 * lines
    (correction,) = entries.filter(corrects__isnull=False)
    assert (correction.line.classification.code, correction.quarter) == ("124 008", 2)
    assert correction.amount == Decimal("120000.00")
    # The subventions come in equal quarters: three of four received by November
    subventions = next(
        line for line in view.lines if line.line.classification.code == "4 02 3 03"
    )
    assert subventions.actual == Decimal("45975000.00")
    assert subventions.percentage == Decimal("75.0")
