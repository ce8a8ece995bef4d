"""The demo district's budget cycles, one in each phase a user acts in, made through the
services at the moments they would have happened.

Burabay district (117000000), counted from the day the demo is loaded:

| unit | phase today | its story |
| --- | --- | --- |
| Vedenovka rural district | proposals open | opened a week ago; proposals.demo adds proposals |
| Atameken rural district | review | proposals.demo's: reviews due, two overdue, decisions due |
| Urumkai rural district | drafting | version 1 of the draft being prepared |
| Zlatopolye rural district | public discussion | version 2 published, a comment answered |
| Uspenoyurievka rural district | coordination | the discussion over, the meeting not yet recorded |
| Burabay settlement | maslikhat vote | submitted; a session open now (maslikhat.demo) |
| Abylaikhan rural district | adopted | next year's budget, passed by a recorded vote |
| Katarkol rural district | execution | this year's, adopted by a vote last December, reported |

(votes.demo adds Zeleny Bor's open residents' vote and Kenesary's counted one.) The phases
are derived from the dates and the acts (budgets.lifecycle), so each cycle's dates are
placed around today so that it is in its phase on any day of the year, 31 December and
29 February included; every timeline passes `lifecycle.phase_dates_error`, and the budgets
being prepared are next year's (a late-year timeline runs on into January, the execution
starting the day after the vote then).

Each cycle's past is replayed as it would have happened: every act is done through the
services at a moment of its phase (the cycle opened before its proposals, a draft published
while being drafted or discussed, the meeting held after the discussion, the draft
submitted in coordination and put to the maslikhat's vote), and the clock job's run at the
start of each phase records the phases that change on a date. So the public history has
every phase in order and no act done late. The maslikhat's part is given by the caller
(`MaslikhatVote`, maslikhat.demo), since budgets never imports the maslikhat. Time travel
(on, clock, timeline) is budgets/demo_clock.py's, the lines budgets/demo_lines.py's. A unit that already has a cycle is left as it is, so loading twice changes nothing. The
demo is placed around the day it is first loaded; to place it around a later day, load it
into a new database.

Comments are made at the moment of loading, in the discussion that is open then: the demo
resident's residency is confirmed when the demo's accounts are made, and a resident comments
only once confirmed. The other units have no demo resident, so their discussions have none.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleMembership, User
from budgets import lifecycle, services
from budgets.demo_clock import DAY, clock, ends_of, on, starts_of, timeline
from budgets.demo_lines import (
    ABYLAIKHAN_LINES,
    KATARKOL_CASH,
    KATARKOL_LINES,
    OFFICIAL_REPLY,
    RESIDENT_COMMENT,
    ZLATOPOLYE_V1,
    ZLATOPOLYE_V1_CASH,
    ZLATOPOLYE_V2_CASH,
    ZLATOPOLYE_V2_CHANGES,
    Line,
)
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    ClassificationKind,
    CyclePhase,
    DraftBudget,
    MeetingDecision,
)
from portal.models import AdministrativeUnit

VEDENOVKA = "117037000"  # open for proposals
ATAMEKEN = "117055000"  # review (made by proposals.demo)
URUMKAI = "117061000"  # drafting
ZLATOPOLYE = "117051000"  # public discussion, two versions
USPENOYURIEVKA = "117063000"  # coordination
BURABAY_SETTLEMENT = "117035000"  # the maslikhat's vote, a session open
ABYLAIKHAN = "117033000"  # adopted
KATARKOL = "117057000"  # execution of this year's budget


class MaslikhatVote(Protocol):
    """The district maslikhat's part of a cycle's story (maslikhat.demo.DemoMaslikhat)."""

    def held(self, draft: DraftBudget, *, day: datetime.date) -> DraftBudget:
        """A session on a past `day` in which the submitted draft passes: the draft
        returned approved."""

    def opened(self, draft: DraftBudget) -> object:
        """A session on the submitted draft, open now, in which deputies have still to
        vote."""


@dataclass(frozen=True)
class Actors:
    """Who does a unit's acts: its own staff and akim when the demo has them, the demo's
    administrator when it does not. Looked up on the day of loading, when the demo's
    roles hold."""

    staff: User
    akim: User

    @classmethod
    def of(cls, unit: AdministrativeUnit, admin: User) -> Actors:
        return cls(
            staff=member(unit, Role.AKIMAT_STAFF) or admin,
            akim=member(unit, Role.AKIM) or admin,
        )


def load_budget_demo(
    *, admin: User, staff: User, resident: User, maslikhat: MaslikhatVote
) -> list[BudgetCycle]:
    """The demo's cycles of budgets' own, each made once (Atameken's is proposals.demo's).

    `staff` is Zlatopolye's: they compile and publish its draft and answer the
    `resident`'s comment. The other units' acts are done by their own staff and akim when
    the demo has them, and by `admin` when it does not; `maslikhat` holds the votes.
    """
    next_year, this_year = timezone.localdate().year + 1, timezone.localdate().year
    units = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.with_ancestors().filter(
            kato_code__in=[
                VEDENOVKA,
                URUMKAI,
                ZLATOPOLYE,
                USPENOYURIEVKA,
                BURABAY_SETTLEMENT,
                ABYLAIKHAN,
                KATARKOL,
            ]
        )
    }

    def actors(code: str) -> Actors:
        return Actors.of(units[code], admin)

    stories: list[tuple[str, int, Callable[..., BudgetCycle], dict]] = [
        (VEDENOVKA, next_year, _proposals_open, {"actors": actors(VEDENOVKA)}),
        (URUMKAI, next_year, _drafting, {"actors": actors(URUMKAI)}),
        (
            ZLATOPOLYE,
            next_year,
            _public_discussion,
            {"staff": staff, "resident": resident},
        ),
        (
            USPENOYURIEVKA,
            next_year,
            _coordination,
            {"actors": actors(USPENOYURIEVKA)},
        ),
        (
            BURABAY_SETTLEMENT,
            next_year,
            _maslikhat_vote,
            {"actors": actors(BURABAY_SETTLEMENT), "maslikhat": maslikhat},
        ),
        (
            ABYLAIKHAN,
            next_year,
            _adopted,
            {"actors": actors(ABYLAIKHAN), "maslikhat": maslikhat},
        ),
        (
            KATARKOL,
            this_year,
            _execution,
            {"actors": actors(KATARKOL), "maslikhat": maslikhat},
        ),
    ]
    return [
        once(
            units[code],
            lambda unit, build=build, year=year, people=people: build(
                unit, year, **people
            ),
        )
        for code, year, build, people in stories
    ]


def once(
    unit: AdministrativeUnit, build: Callable[[AdministrativeUnit], BudgetCycle]
) -> BudgetCycle:
    """The unit's demo cycle: made by `build` in one transaction if the unit has no cycle
    yet, else the one it has, left as it is."""
    existing = BudgetCycle.objects.filter(unit=unit).order_by("-fiscal_year").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        cycle = build(unit)
        # The clock job's run at the moment of loading: the record is up to date.
        services.cycle_announce(cycle=cycle)
        return cycle


def cycle_opened(
    unit, fiscal_year, dates, actor: User, *, days_before: int = 14
) -> BudgetCycle:
    """The cycle opened `days_before` the proposals open, and the clock's runs at the
    start of each phase that has begun up to the drafting."""
    starts = starts_of(dates)
    with on(starts[CyclePhase.PROPOSALS_OPEN] - days_before * DAY):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=actor, dates=dates
        )
    clock(
        cycle,
        starts[CyclePhase.PROPOSALS_OPEN],
        starts[CyclePhase.REVIEW],
        starts[CyclePhase.DRAFTING],
    )
    return cycle


# The cycles' stories.


def _proposals_open(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # Opened three days before the proposals open, a week ago.
    dates = timeline(fiscal_year, proposals_from=-7, ends=(10, 15, 20, 25, 28, 31))
    return cycle_opened(unit, fiscal_year, dates, actors.staff, days_before=3)


def _drafting(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # The proposals closed ten weeks ago and the review a month later; the drafting
    # runs three weeks more. The akimat began version 1 six days ago and is still at it.
    dates = timeline(fiscal_year, proposals_from=-100, ends=(-70, -40, 20, 40, 50, 60))
    cycle = cycle_opened(unit, fiscal_year, dates, actors.staff)
    with on(timezone.localdate() - 6 * DAY):
        _draft(
            cycle,
            actors.staff,
            scaled(KATARKOL_LINES, percent=80, without=WATER_SUPPLY),
            cash=None,
            note="Бірінші нұсқа: әкімдік жобаны дайындап жатыр.",
        )
    return cycle


def _public_discussion(unit, fiscal_year, *, staff, resident) -> BudgetCycle:
    # The first version was published twelve days ago, two days before the drafting's
    # end, which opened the discussion at once; the second, after the first days of
    # discussion, four days ago. The resident comments today and is answered.
    dates = timeline(
        fiscal_year, proposals_from=-150, ends=(-120, -90, -10, 14, 28, 35)
    )
    starts, today = starts_of(dates), timezone.localdate()
    cycle = cycle_opened(unit, fiscal_year, dates, staff, days_before=5)
    with on(today - 20 * DAY):
        first = _draft(
            cycle,
            staff,
            ZLATOPOLYE_V1,
            cash=ZLATOPOLYE_V1_CASH,
            note="Ауылдық округ бюджетінің жобасы: бірінші нұсқа.",
        )
    with on(today - 12 * DAY, hour=11):
        services.draft_publish(draft=first, actor=staff)
    clock(cycle, starts[CyclePhase.PUBLIC_DISCUSSION])
    second_lines = {line[0]: line for line in ZLATOPOLYE_V1}
    for code, line in ZLATOPOLYE_V2_CHANGES.items():
        if line is None:
            del second_lines[code]
        else:
            second_lines[code] = line
    with on(today - 5 * DAY, hour=15):
        second = _draft(
            cycle,
            staff,
            list(second_lines.values()),
            cash=ZLATOPOLYE_V2_CASH,
            note=(
                "Екінші нұсқа: тұрғындардың ұсыныстары бойынша көгалдандыру "
                "ұлғайтылды, спорт іс-шаралары қосылды."
            ),
        )
    with on(today - 4 * DAY):
        second = services.draft_publish(draft=second, actor=staff)
    greening = second.lines.get(classification__code="124 011")
    comment = services.comment_post(
        draft=second, author=resident, body=RESIDENT_COMMENT, line=greening
    )
    services.comment_reply(comment=comment, author=staff, body=OFFICIAL_REPLY)
    return cycle


def _coordination(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # The draft was published seven weeks ago, during the drafting; its discussion ended
    # four days ago. The community meeting is to be held and recorded within twelve days.
    dates = timeline(
        fiscal_year, proposals_from=-160, ends=(-130, -100, -35, -4, 12, 25)
    )
    cycle = cycle_opened(unit, fiscal_year, dates, actors.staff)
    draft = _published(
        cycle,
        actors.staff,
        scaled(ABYLAIKHAN_LINES, percent=90),
        drafting_ends=ends_of(dates)[CyclePhase.DRAFTING],
    )
    clock(cycle, starts_of(dates)[CyclePhase.COORDINATION])
    return draft.cycle


def _maslikhat_vote(
    unit, fiscal_year, *, actors: Actors, maslikhat: MaslikhatVote
) -> BudgetCycle:
    # Discussed until 25 days ago, coordinated by the meeting and submitted by the akim
    # two weeks ago; the vote runs ten days more, its session opened yesterday.
    dates = timeline(
        fiscal_year, proposals_from=-170, ends=(-140, -110, -50, -25, -8, 10)
    )
    draft = _prepared_and_submitted(
        unit,
        fiscal_year,
        dates,
        actors,
        scaled(KATARKOL_LINES, percent=150, without=WATER_SUPPLY),
        cash=None,
        members=(21, 17),
        decision=MeetingDecision.COORDINATED,
        remarks="",
    )
    maslikhat.opened(draft)
    return draft.cycle


def _adopted(unit, fiscal_year, *, actors: Actors, maslikhat: MaslikhatVote):
    # Next year's budget, prepared earlier this year on a calendar that ends three days
    # ago: the maslikhat passed it five days ago, and it is executed from 1 January.
    dates = timeline(
        fiscal_year, proposals_from=-215, ends=(-185, -155, -60, -30, -15, -3)
    )
    draft = _prepared_and_submitted(
        unit,
        fiscal_year,
        dates,
        actors,
        ABYLAIKHAN_LINES,
        cash=0,
        members=(15, 12),
        decision=MeetingDecision.COORDINATED_WITH_REMARKS,
        remarks=(
            "Көшелерді жарықтандыруды Баянбай ауылына дейін кеңейту келесі жылдың "
            "жобасында қарастырылсын."
        ),
    )
    return _voted(draft, dates, maslikhat).cycle


def _execution(unit, fiscal_year, *, actors: Actors, maslikhat: MaslikhatVote):
    # This year's budget, on the region's calendar: prepared last year from February to
    # December, passed by the maslikhat in December, executed since 1 January.
    dates = lifecycle.default_phase_dates(
        fiscal_year=fiscal_year, calendar_row=services.calendar_for(unit)
    )
    draft = _prepared_and_submitted(
        unit,
        fiscal_year,
        dates,
        actors,
        KATARKOL_LINES,
        cash=KATARKOL_CASH,
        members=(11, 9),
        decision=MeetingDecision.COORDINATED,
        remarks="",
    )
    draft = _voted(draft, dates, maslikhat)
    clock(draft.cycle, starts_of(dates)[CyclePhase.EXECUTION])
    _executed(draft, actors)
    return draft.cycle


def _voted(draft: DraftBudget, dates, maslikhat: MaslikhatVote) -> DraftBudget:
    """The maslikhat's session in the vote's second week, in which the draft passes."""
    starts = starts_of(dates)
    clock(draft.cycle, starts[CyclePhase.MASLIKHAT_VOTE])
    return maslikhat.held(draft, day=starts[CyclePhase.MASLIKHAT_VOTE] + 9 * DAY)


# Quarterly shares of a line's plan in the demo's execution reports, in per cent: the
# transfers come in equal quarters, taxes mostly after the spring and autumn deadlines,
# and the water supply's reconstruction is paid as the work goes on.
EXECUTION_PROFILE: dict[str, tuple[int, int, int, int]] = {
    "4 02 3 01": (25, 25, 25, 25),
    "4 02 3 02": (0, 20, 45, 35),
    "4 02 3 03": (25, 25, 25, 25),
    "124 057": (0, 18, 44, 38),
    "124 011": (5, 30, 40, 25),
}
TAX_PROFILE = (14, 31, 22, 33)
SPENDING_PROFILE = (23, 26, 24, 27)
CORRECTED_LINE = "124 008"


def _executed(draft: DraftBudget, actors: Actors) -> None:
    """The akimat's quarterly reports on every line, ten days after each quarter that has
    ended, and one correction of the second quarter's street lighting a month later."""
    from budgets import execution

    today = timezone.localdate()
    lines = list(draft.lines.select_related("draft__cycle", "classification"))
    for quarter in execution.QUARTERS:
        reported_on = execution.quarter_starts_on(
            draft.cycle.fiscal_year, quarter
        ) + datetime.timedelta(days=100)
        if reported_on >= today:
            return
        reports = [
            execution.ReportInput(line=line, amount=_share(line, quarter))
            for line in lines
        ]
        with on(reported_on, hour=11):
            entries = execution.execution_record_quarter(
                cycle=draft.cycle, quarter=quarter, reports=reports, actor=actors.staff
            )
        if quarter == 2 and reported_on + 30 * DAY < today:
            entry = next(
                e for e in entries if e.line.classification.code == CORRECTED_LINE
            )
            with on(reported_on + 30 * DAY, hour=15):
                execution.execution_correct(
                    entry=entry,
                    new_total=entry.amount + 120_000,
                    reason=(
                        "Шілдедегі жарықтандыру шотының 120 000 теңгесі есепке "
                        "кешігіп енгізілді."
                    ),
                    actor=actors.staff,
                )


def _share(line, quarter: int) -> Decimal:
    code = line.classification.code
    if code in EXECUTION_PROFILE:
        percent = EXECUTION_PROFILE[code][quarter - 1]
    elif line.classification.kind == "revenue":
        percent = TAX_PROFILE[quarter - 1]
    else:
        percent = SPENDING_PROFILE[quarter - 1]
    return (line.amount * percent / 100).quantize(Decimal(1000))


def _published(cycle, staff, lines, *, drafting_ends: datetime.date) -> DraftBudget:
    """Version 1 prepared from 25 days before the drafting's end and published eleven
    days later, two weeks before it: the discussion opens at once."""
    with on(drafting_ends - 25 * DAY):
        draft = _draft(cycle, staff, lines, cash=None, note="")
    with on(drafting_ends - 14 * DAY, hour=11):
        return services.draft_publish(draft=draft, actor=staff)


def _prepared_and_submitted(
    unit, fiscal_year, dates, actors: Actors, lines, *, cash, members, decision, remarks
) -> DraftBudget:
    """A cycle's preparation up to the maslikhat, each act in its phase: opened two weeks
    before the proposals, the draft published two weeks before the drafting's end, the
    community meeting held a week after the discussion, the draft submitted by the akim
    five days before the coordination's end."""
    starts, ends = starts_of(dates), ends_of(dates)
    cycle = cycle_opened(unit, fiscal_year, dates, actors.staff)
    with on(ends[CyclePhase.DRAFTING] - 25 * DAY):
        draft = _draft(cycle, actors.staff, lines, cash=cash, note="")
    with on(ends[CyclePhase.DRAFTING] - 14 * DAY, hour=11):
        draft = services.draft_publish(draft=draft, actor=actors.staff)
    clock(cycle, starts[CyclePhase.COORDINATION])
    held_on = ends[CyclePhase.PUBLIC_DISCUSSION] + 7 * DAY
    with on(held_on + DAY):
        _meeting(
            draft,
            actors.staff,
            held_on=held_on,
            members=members,
            decision=decision,
            remarks=remarks,
        )
    with on(ends[CyclePhase.COORDINATION] - 5 * DAY, hour=16):
        return services.draft_submit(draft=draft, actor=actors.akim)


# The water supply's reconstruction, Katarkol's own: left out of the lines other units
# borrow from Katarkol's budget.
WATER_SUPPLY = frozenset({"4 02 3 02", "124 057"})


def scaled(
    lines: Sequence[Line], *, percent: int, without: frozenset[str] = frozenset()
) -> list[Line]:
    """Another unit's lines at `percent` of their amounts, to the thousand tenge, without
    their explanations (which name the other unit's villages)."""
    return [
        (code, amount * percent // 100 // 1000 * 1000, "")
        for code, amount, _explanation in lines
        if code not in without
    ]


def _draft(
    cycle, actor, lines: Sequence[Line], *, cash: int | None, note: str
) -> DraftBudget:
    """A new version with `lines`; `cash` None uses the cash balances the lines need to
    balance (none when the revenues cover the spending)."""
    entries = {
        entry.code: entry
        for entry in BudgetClassification.objects.filter(
            code__in=[code for code, _amount, _explanation in lines]
        )
    }
    if cash is None:
        totals = {ClassificationKind.REVENUE: 0, ClassificationKind.EXPENDITURE: 0}
        for code, amount, _explanation in lines:
            totals[entries[code].kind] += amount
        cash = max(
            0,
            totals[ClassificationKind.EXPENDITURE] - totals[ClassificationKind.REVENUE],
        )
    draft = services.draft_create(cycle=cycle, actor=actor)
    return services.draft_update(
        draft=draft,
        lines=[
            services.LineInput(
                classification=entries[code],
                amount=Decimal(amount).quantize(Decimal("0.01")),
                explanation=explanation,
            )
            for code, amount, explanation in lines
        ],
        cash_balance_used=Decimal(cash).quantize(Decimal("0.01")),
        note=note,
        actor=actor,
    )


def _meeting(draft, actor, *, held_on, members, decision, remarks) -> None:
    total, present = members
    unit = draft.cycle.unit
    title = (
        f"Minutes of the local community meeting, KATO {unit.kato_code}: "
        f"draft budget {draft.cycle.fiscal_year}, version {draft.version}, "
        f"held on {held_on.isoformat()}, {present} of {total} members present."
    )
    services.meeting_record(
        draft=draft,
        actor=actor,
        held_on=held_on,
        members_total=total,
        members_present=present,
        decision=decision,
        remarks=remarks,
        minutes=ContentFile(minutes_pdf(title), name="minutes.pdf"),
    )


def member(unit, role: str) -> User | None:
    """The unit's first member in the role today, if the demo has one."""
    membership = (
        RoleMembership.objects.current()
        .filter(unit=unit, role=role, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def minutes_pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text, its cross-reference table exact."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"").replace(b"(", b"")
    safe = safe.replace(b")", b"")
    content = b"BT /F1 11 Tf 56 780 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
