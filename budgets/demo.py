"""The demo district's budget cycles, one in each public phase, made through the services.

Burabay district (117000000): Vedenovka rural district open for proposals, Zlatopolye rural
district in public discussion of the second version of its draft, Abylaikhan rural district
with its budget adopted, Katarkol rural district executing this year's budget. Dates are
counted from the day the demo is loaded, so each cycle is in its phase on that day. A cycle
that exists is left as it is, so loading twice changes nothing.

Each cycle's past is replayed as it would have happened: every act is done through
budgets.services at a moment of its phase (the cycle opened before its proposals end, the
draft published while it is being drafted or discussed, the meeting held after the
discussion, the draft submitted in coordination and approved during the vote), and the clock
job's run at the start of each phase records the phases that change on a date. So the public
history has every phase in order, and no act done late. The replay travels in time with
time_machine, a development dependency (requirements-dev.txt) that `make run` installs; it is
imported only when a past moment is replayed, so that serving the site never needs it.

Comments are made at the moment of loading, in the discussion that is open then: the demo
resident's residency is confirmed when the demo's accounts are made, and a resident comments
only once confirmed. The demo has no resident of Abylaikhan or Katarkol, so their past
discussions have no comments.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleMembership, User
from budgets import lifecycle, services
from budgets.models import (
    DATED_PHASES,
    BudgetClassification,
    BudgetCycle,
    CyclePhase,
    DraftBudget,
    MeetingDecision,
)
from portal.models import AdministrativeUnit

VEDENOVKA = "117037000"  # open for proposals
ZLATOPOLYE = "117051000"  # public discussion, two versions
ABYLAIKHAN = "117033000"  # adopted
KATARKOL = "117057000"  # execution of this year's budget

# (classification code, amount in tenge, explanation)
Line = tuple[str, int, str]

ZLATOPOLYE_V1: list[Line] = [
    ("1 01 2 02", 380_000, ""),
    ("1 04 1 02", 1_150_000, ""),
    ("1 04 3", 820_000, ""),
    ("1 04 4 02", 3_400_000, "Жеке тұлғаларға тіркелген 1 140 көлік құралы."),
    ("1 04 4 01", 610_000, ""),
    ("1 05 3", 95_000, ""),
    ("2 01 5", 240_000, "Мәдениет үйінің екі бөлмесін жалға беру."),
    ("2 04 1", 60_000, ""),
    ("4 02 3 03", 44_560_000, ""),
    (
        "4 02 3 01",
        6_200_000,
        "Мемлекеттік қызметшілердің жалақысын көтеруге және көшелерді жөндеуге.",
    ),
    ("124 001", 31_480_000, "Әкім аппаратының 14 қызметкері."),
    ("124 005", 1_240_000, "Сотниковка мен Түлкіліден 23 оқушыны тасымалдау."),
    ("124 014", 1_900_000, ""),
    ("124 008", 4_300_000, "312 шам: электр энергиясы және қызмет көрсету."),
    ("124 009", 2_150_000, "Қоқыс шығару, санкцияланбаған қоқыс үйінділерін жою."),
    ("124 010", 450_000, ""),
    ("124 011", 5_600_000, "Орталық саябақты көгалдандыру, 150 көшет."),
    ("124 006", 3_100_000, ""),
    ("124 013", 7_800_000, "Қысқы кезеңде көшелерді қардан тазарту, 42 км."),
]
ZLATOPOLYE_V1_CASH = 600_000

# The second version, after the first days of discussion: greening up by a million for
# the children's playground, roads down, a sports line added, the advertising fee dropped.
ZLATOPOLYE_V2_CHANGES: dict[str, Line | None] = {
    "1 05 3": None,
    "124 011": (
        "124 011",
        6_600_000,
        "Орталық саябақты көгалдандыру, 150 көшет; мектеп жанындағы балалар алаңы.",
    ),
    "124 013": ("124 013", 7_200_000, "Қысқы кезеңде көшелерді қардан тазарту, 40 км."),
    "124 028": ("124 028", 350_000, "Ауылдық спорт ойындары, шағын футбол турнирі."),
}
ZLATOPOLYE_V2_CASH = 1_400_000

ABYLAIKHAN_LINES: list[Line] = [
    ("1 01 2 02", 520_000, ""),
    ("1 04 1 02", 1_870_000, ""),
    ("1 04 3", 1_240_000, ""),
    ("1 04 4 02", 5_150_000, ""),
    ("1 04 4 01", 980_000, ""),
    ("1 05 3", 140_000, ""),
    ("2 01 5", 410_000, ""),
    ("2 06 1", 150_000, "Кәсіпкерлердің балалар алаңына ерікті қайырмалдығы."),
    ("3 01 1", 300_000, "Есептен шығарылған қызметтік көлікті сату."),
    ("4 02 3 03", 58_900_000, ""),
    ("4 02 3 01", 9_400_000, ""),
    ("124 001", 38_640_000, ""),
    ("124 022", 1_200_000, "Аппаратқа екі компьютер және көшірме құрылғысы."),
    ("124 005", 2_350_000, ""),
    ("124 003", 1_480_000, "Үйде күтімдегі 9 жалғыз басты қарт адам."),
    ("124 014", 2_600_000, ""),
    ("124 008", 6_100_000, ""),
    ("124 009", 3_050_000, ""),
    ("124 010", 620_000, ""),
    ("124 011", 8_400_000, ""),
    ("124 006", 4_200_000, ""),
    ("124 028", 520_000, ""),
    ("124 013", 9_900_000, ""),
]

KATARKOL_LINES: list[Line] = [
    ("1 01 2 02", 640_000, ""),
    ("1 04 1 02", 2_310_000, ""),
    ("1 04 3", 1_560_000, ""),
    ("1 04 4 02", 6_280_000, ""),
    ("1 04 4 01", 1_420_000, ""),
    ("1 05 3", 210_000, ""),
    ("1 08 1", 45_000, "Әкім аппаратында жасалатын нотариаттық әрекеттер."),
    ("2 01 5", 520_000, ""),
    ("2 04 1", 85_000, ""),
    ("4 02 3 03", 61_300_000, ""),
    ("4 02 3 01", 8_700_000, ""),
    ("4 02 3 02", 14_500_000, "Қатаркөл ауылындағы су құбырын қайта жаңарту."),
    ("124 001", 41_250_000, ""),
    ("124 005", 2_900_000, ""),
    ("124 003", 1_960_000, ""),
    ("124 014", 3_400_000, ""),
    ("124 008", 7_350_000, ""),
    ("124 009", 3_800_000, ""),
    ("124 010", 700_000, ""),
    ("124 011", 9_100_000, ""),
    ("124 006", 4_950_000, ""),
    ("124 028", 760_000, ""),
    ("124 013", 8_400_000, ""),
    (
        "124 057",
        14_500_000,
        "«Ауыл — Ел бесігі»: Қатаркөл ауылындағы су құбырын қайта жаңарту.",
    ),
]
KATARKOL_CASH = 1_500_000

RESIDENT_COMMENT = (
    "Көгалдандыруға қосылған қаражаттың бір бөлігін мектеп жанындағы балалар алаңына "
    "бөлуді сұраймыз: әткеншектер сынған, кешке жарық жоқ."
)
OFFICIAL_REPLY = (
    "Ұсынысыңызға рахмет. Қосылған 1 000 000 теңгенің 600 000 теңгесі мектеп "
    "жанындағы балалар алаңын жөндеуге бағытталады, алаңның жарығы көшелерді "
    "жарықтандыру бағдарламасына енгізілді."
)


DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Actors:
    """Who does a unit's acts: its own staff, akim and maslikhat chairman when the demo
    has them, the demo's administrator when it does not. Looked up on the day of loading,
    when the demo's roles hold."""

    staff: User
    akim: User
    chairman: User

    @classmethod
    def of(cls, unit: AdministrativeUnit, admin: User) -> Actors:
        return cls(
            staff=_member(unit, Role.AKIMAT_STAFF) or admin,
            akim=_member(unit, Role.AKIM) or admin,
            chairman=_member(unit.parent, Role.MASLIKHAT_CHAIRMAN) or admin,
        )


def load_budget_demo(
    *, admin: User, staff: User, akim: User, resident: User
) -> list[BudgetCycle]:
    """The four demo cycles, made once.

    `staff` and `akim` are Zlatopolye's: its staff compile and publish its draft and
    answer the `resident`'s comment; its akim has no act while the draft is discussed.
    The other units' acts are done by their own staff, akim and the district maslikhat's
    chairman when the demo has them, and by `admin` when it does not.
    """
    today = timezone.localdate()
    next_year, this_year = today.year + 1, today.year
    units = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.with_ancestors().filter(
            kato_code__in=[VEDENOVKA, ZLATOPOLYE, ABYLAIKHAN, KATARKOL]
        )
    }
    return [
        _once(
            units[VEDENOVKA],
            next_year,
            _proposals_open,
            actors=Actors.of(units[VEDENOVKA], admin),
        ),
        _once(
            units[ZLATOPOLYE],
            next_year,
            _public_discussion,
            staff=staff,
            resident=resident,
        ),
        _once(
            units[ABYLAIKHAN],
            next_year,
            _adopted,
            actors=Actors.of(units[ABYLAIKHAN], admin),
        ),
        _once(
            units[KATARKOL],
            this_year,
            _execution,
            actors=Actors.of(units[KATARKOL], admin),
        ),
    ]


def _once(unit: AdministrativeUnit, fiscal_year: int, build, **people) -> BudgetCycle:
    existing = BudgetCycle.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        cycle = build(unit, fiscal_year, **people)
        # The clock job's run at the moment of loading: the record is up to date.
        services.cycle_announce(cycle=cycle)
        return cycle


# Replaying the past.


@contextlib.contextmanager
def _on(day: datetime.date, hour: int = 10) -> Iterator[None]:
    """Travel to `hour` o'clock on a past `day`, Kazakhstan's time, for the acts done then."""
    import time_machine  # a development dependency: see the module's docstring

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    if moment >= timezone.now():
        raise ValueError(f"The demo replays only the past, not {moment.isoformat()}.")
    with time_machine.travel(moment, tick=True):
        yield


def _clock(cycle: BudgetCycle, *days: datetime.date) -> None:
    """The clock job's run at 00:05 on each day (the first day of a phase), as beat runs
    it every five minutes; a day still to come is left to the real job."""
    import time_machine

    for day in days:
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(0, 5))
        )
        if moment >= timezone.now():
            return
        with time_machine.travel(moment, tick=True):
            services.cycles_announce(cycles=[cycle])


def _starts(dates) -> dict[str, datetime.date]:
    return {kind: starts_on for kind, (starts_on, _ends_on) in dates.items()}


def _ends(dates) -> dict[str, datetime.date]:
    return {kind: ends_on for kind, (_starts_on, ends_on) in dates.items()}


# The four cycles' stories.


def _proposals_open(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # Opened three days before the proposals open, a week ago.
    dates = _timeline(fiscal_year, proposals_from=-7, ends=(10, 15, 20, 25, 28, 31))
    starts = _starts(dates)
    with _on(starts[CyclePhase.PROPOSALS_OPEN] - 3 * DAY):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=actors.staff, dates=dates
        )
    _clock(cycle, starts[CyclePhase.PROPOSALS_OPEN])
    return cycle


def _public_discussion(unit, fiscal_year, *, staff, resident) -> BudgetCycle:
    # The first version was published twelve days ago, two days before the drafting's
    # end, which opened the discussion at once; the second, after the first days of
    # discussion, four days ago. The resident comments today and is answered.
    dates = _timeline(
        fiscal_year, proposals_from=-150, ends=(-120, -90, -10, 14, 28, 35)
    )
    starts, today = _starts(dates), timezone.localdate()
    with _on(starts[CyclePhase.PROPOSALS_OPEN] - 5 * DAY):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=staff, dates=dates
        )
    _clock(
        cycle,
        starts[CyclePhase.PROPOSALS_OPEN],
        starts[CyclePhase.REVIEW],
        starts[CyclePhase.DRAFTING],
    )
    with _on(today - 20 * DAY):
        first = _draft(
            cycle,
            staff,
            ZLATOPOLYE_V1,
            cash=ZLATOPOLYE_V1_CASH,
            note="Ауылдық округ бюджетінің жобасы: бірінші нұсқа.",
        )
    with _on(today - 12 * DAY, hour=11):
        services.draft_publish(draft=first, actor=staff)
    _clock(cycle, starts[CyclePhase.PUBLIC_DISCUSSION])
    second_lines = {line[0]: line for line in ZLATOPOLYE_V1}
    for code, line in ZLATOPOLYE_V2_CHANGES.items():
        if line is None:
            del second_lines[code]
        else:
            second_lines[code] = line
    with _on(today - 5 * DAY, hour=15):
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
    with _on(today - 4 * DAY):
        second = services.draft_publish(draft=second, actor=staff)
    greening = second.lines.get(classification__code="124 011")
    comment = services.comment_post(
        draft=second, author=resident, body=RESIDENT_COMMENT, line=greening
    )
    services.comment_reply(comment=comment, author=staff, body=OFFICIAL_REPLY)
    return cycle


def _adopted(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # Next year's budget, prepared earlier this year on a calendar that ends three days
    # ago: the maslikhat approved it eight days ago, and it is executed from 1 January.
    dates = _timeline(
        fiscal_year, proposals_from=-215, ends=(-185, -155, -60, -30, -15, -3)
    )
    draft = _prepared_and_adopted(
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
    return draft.cycle


def _execution(unit, fiscal_year, *, actors: Actors) -> BudgetCycle:
    # This year's budget, on the region's calendar: prepared last year from February to
    # December, executed since 1 January.
    dates = lifecycle.default_phase_dates(
        fiscal_year=fiscal_year, calendar_row=services.calendar_for(unit)
    )
    draft = _prepared_and_adopted(
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
    _clock(draft.cycle, _starts(dates)[CyclePhase.EXECUTION])
    _executed(draft, actors)
    return draft.cycle


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
        with _on(reported_on, hour=11):
            entries = execution.execution_record_quarter(
                cycle=draft.cycle, quarter=quarter, reports=reports, actor=actors.staff
            )
        if quarter == 2 and reported_on + 30 * DAY < today:
            entry = next(
                e for e in entries if e.line.classification.code == CORRECTED_LINE
            )
            with _on(reported_on + 30 * DAY, hour=15):
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


def _prepared_and_adopted(
    unit, fiscal_year, dates, actors: Actors, lines, *, cash, members, decision, remarks
) -> DraftBudget:
    """A cycle's whole preparation, each act in its phase: opened two weeks before the
    proposals, the draft published two weeks before the drafting's end, the community
    meeting held a week after the discussion, the draft submitted five days before the
    coordination's end and approved in the vote's second week."""
    starts, ends = _starts(dates), _ends(dates)
    with _on(starts[CyclePhase.PROPOSALS_OPEN] - 14 * DAY):
        cycle = services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=actors.staff, dates=dates
        )
    _clock(
        cycle,
        starts[CyclePhase.PROPOSALS_OPEN],
        starts[CyclePhase.REVIEW],
        starts[CyclePhase.DRAFTING],
    )
    with _on(ends[CyclePhase.DRAFTING] - 25 * DAY):
        draft = _draft(cycle, actors.staff, lines, cash=cash, note="")
    with _on(ends[CyclePhase.DRAFTING] - 14 * DAY, hour=11):
        draft = services.draft_publish(draft=draft, actor=actors.staff)
    _clock(cycle, starts[CyclePhase.COORDINATION])
    held_on = ends[CyclePhase.PUBLIC_DISCUSSION] + 7 * DAY
    with _on(held_on + DAY):
        _meeting(
            draft,
            actors.staff,
            held_on=held_on,
            members=members,
            decision=decision,
            remarks=remarks,
        )
    with _on(ends[CyclePhase.COORDINATION] - 5 * DAY, hour=16):
        draft = services.draft_submit(draft=draft, actor=actors.akim)
    _clock(cycle, starts[CyclePhase.MASLIKHAT_VOTE])
    with _on(starts[CyclePhase.MASLIKHAT_VOTE] + 9 * DAY, hour=15):
        draft = services.draft_approve(draft=draft, actor=actors.chairman)
    return draft


def _timeline(
    fiscal_year: int, *, proposals_from: int, ends: Sequence[int]
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Phase dates counted in days from today: proposals open from `proposals_from`, then
    each preparation phase until its end in `ends`, each starting the day after the one
    before; the execution is the fiscal year (from the day after the vote if it runs late).
    """
    today = timezone.localdate()
    dates = {}
    start = today + datetime.timedelta(days=proposals_from)
    for phase, end in zip(DATED_PHASES[:-1], ends, strict=True):
        dates[phase] = (start, today + datetime.timedelta(days=end))
        start = dates[phase][1] + datetime.timedelta(days=1)
    dates[CyclePhase.EXECUTION] = (
        max(datetime.date(fiscal_year, 1, 1), start),
        datetime.date(fiscal_year, 12, 31),
    )
    return dates


def _draft(cycle, actor, lines: Sequence[Line], *, cash: int, note: str) -> DraftBudget:
    entries = {
        entry.code: entry
        for entry in BudgetClassification.objects.filter(
            code__in=[code for code, _amount, _explanation in lines]
        )
    }
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


def _member(unit, role: str) -> User | None:
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
