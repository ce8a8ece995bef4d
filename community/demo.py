"""The demo's gatherings in Zlatopolye rural district: its household register, a separate
gathering of the village held three weeks ago with its minutes, and a gathering of the
whole district announced for two weeks ahead; the community meeting that gathering
elected, seven members by name, with a sitting held ten days ago and its minutes and one
called for next week. Loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.iin import check_digit, kept_iin
from accounts.models import RegisterEntry, User
from accounts.register import RegisterRow
from community import services
from community.models import (
    AgendaItem,
    Attendance,
    Convener,
    Gathering,
    GatheringStatus,
    Mandate,
    MeetingMember,
    MeetingSitting,
    SittingItem,
    SittingRoll,
    SittingStatus,
)
from portal.models import AdministrativeUnit
from portal.workdays import add_working_days

RESIDENTS = 60
STREETS = ("Абай", "Бейбітшілік", "Жастар", "Орталық")


def demo_iins(count: int) -> list[str]:
    """Valid IINs of adults born 1950-1999, serials 8000 and up (the demo accounts' own
    are below)."""
    iins, serial = [], 8000
    while len(iins) < count:
        born = f"{50 + serial % 50:02d}{1 + serial % 12:02d}{1 + serial % 28:02d}"
        first = f"{born}{3 + serial % 2}{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            iins.append(f"{first}{digit}")
        serial += 1
    return iins


@transaction.atomic
def load_gatherings_demo(
    *, unit_code: str, village_code: str, staff: User, akim: User, residents: list[str]
) -> None:
    units = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.filter(
            kato_code__in=[unit_code, village_code]
        )
    }
    unit, village = units.get(unit_code), units.get(village_code)
    if unit is None or village is None or Gathering.objects.filter(unit=unit).exists():
        return
    iins = [*residents, *demo_iins(RESIDENTS)]
    if not RegisterEntry.objects.filter(unit=unit).exists():
        rows = [
            RegisterRow(
                line=line,
                **kept_iin(iin),
                place_id=village.pk,
                street=STREETS[line % len(STREETS)],
                house=str(1 + line // len(STREETS)),
                flat="",
                phone="",
            )
            for line, iin in enumerate(iins, start=2)
        ]
        account_services.register_import(
            unit=unit, actor=staff, rows=rows, filename="pokhozyaistvennaya-kniga.xlsx"
        )
    held = _held(unit, village, staff, iins)
    _meeting(unit, held, staff, iins)
    ahead = services.gathering_prepare(
        unit=unit,
        actor=staff,
        data=services.GatheringData(
            place=None,
            street="",
            house="",
            subject="Келесі жылғы бюджет жобасы және көше жарығы",
            held_on=timezone.localdate() + datetime.timedelta(days=14),
            starts_at=datetime.time(18, 0),
            venue="Златополье ауылы, Мәдениет үйі, Орталық көшесі 5",
            convener=Convener.AKIM,
            signatures=None,
            items=[
                "Ауылдық округтің келесі жылға арналған бюджет жобасын талқылау",
                "Орталық көшесін жарықтандыру",
                "Жергілікті қоғамдастық жиналысына өкілдер сайлау",
            ],
        ),
    )
    services.gathering_announce(gathering=ahead, actor=akim)


def _held(unit, village, staff, iins) -> Gathering:
    """A separate gathering of the village three weeks ago, its minutes published."""
    held_on = timezone.localdate() - datetime.timedelta(days=21)
    now = timezone.now()
    gathering = Gathering.objects.create(
        unit=unit,
        place=village,
        subject="Абай көшесіндегі балалар алаңы",
        held_on=held_on,
        starts_at=datetime.time(18, 30),
        venue="Златополье ауылы, мектеп залы",
        convener=Convener.AKIM,
        status=GatheringStatus.HELD,
        created_by=staff,
        created_at=now - datetime.timedelta(days=40),
        announced_at=now - datetime.timedelta(days=35),
        minutes_due_on=add_working_days(held_on, 5),
        eligible=len(iins),
        present=14,
        closed_at=now - datetime.timedelta(days=20),
        closed_by=staff,
    )
    for position, (title, votes, decision) in enumerate(
        [
            (
                "Абай көшесінде балалар алаңын салу",
                (11, 2, 1),
                "Ұсыныс ретінде бюджет жобасына енгізу.",
            ),
            (
                "Жергілікті қоғамдастық жиналысына өкіл сайлау",
                (9, 3, 2),
                "Жиналысқа жеті өкіл сайланды: " + ", ".join(MEMBERS) + ".",
            ),
        ],
        start=1,
    ):
        AgendaItem.objects.create(
            gathering=gathering,
            position=position,
            title=title,
            votes_for=votes[0],
            votes_against=votes[1],
            votes_abstain=votes[2],
            decision=decision,
        )
    Attendance.objects.bulk_create(
        Attendance(
            gathering=gathering,
            **kept_iin(iin),
            recorded_by=staff,
            recorded_at=gathering.closed_at - datetime.timedelta(hours=2),
        )
        for iin in iins[:14]
    )
    return gathering


MEMBERS = (
    "Айнұр Бекова",
    "Ерболат Сейітов",
    "Ольга Кравченко",
    "Нұржан Әлиев",
    "Гүлмира Тоқтарова",
    "Сергей Пак",
    "Динара Мұхамедиярова",
)


def _meeting(unit, gathering: Gathering, staff: User, iins: list[str]) -> None:
    """The members the village's gathering elected, a sitting held ten days ago with
    six of them and one called for next week."""
    for name, iin in zip(MEMBERS, iins[2:], strict=False):
        services.member_add(
            unit=unit,
            actor=staff,
            data=services.MemberData(
                full_name=name,
                iin=iin,
                mandate=Mandate.ELECTED,
                elected_by=gathering,
                basis="",
                term_starts=gathering.held_on + datetime.timedelta(days=1),
                term_ends=None,
            ),
        )
    members = list(MeetingMember.objects.filter(unit=unit).order_by("pk"))
    held_on = timezone.localdate() - datetime.timedelta(days=10)
    now = timezone.now()
    sitting = MeetingSitting.objects.create(
        unit=unit,
        held_on=held_on,
        starts_at=datetime.time(17, 0),
        venue="Златополье ауылдық округінің әкімдігі, мәжіліс залы",
        status=SittingStatus.HELD,
        created_by=staff,
        created_at=now - datetime.timedelta(days=17),
        members_total=len(members),
        members_present=len(members) - 1,
        closed_at=now - datetime.timedelta(days=9),
        closed_by=staff,
    )
    for position, (title, votes, decision) in enumerate(
        [
            (
                "Жиналыстың төрағасы мен хатшысын сайлау",
                (6, 0, 0),
                "Төраға — Айнұр Бекова, хатшы — Ольга Кравченко.",
            ),
            (
                "Абай көшесіндегі балалар алаңы туралы тұрғындардың ұсынысы",
                (5, 1, 0),
                "Ұсынысты бюджет жобасына енгізуді әкімдікке ұсыну.",
            ),
        ],
        start=1,
    ):
        SittingItem.objects.create(
            sitting=sitting,
            position=position,
            title=title,
            votes_for=votes[0],
            votes_against=votes[1],
            votes_abstain=votes[2],
            decision=decision,
        )
    SittingRoll.objects.bulk_create(
        SittingRoll(sitting=sitting, member=member, present=member != members[-1])
        for member in members
    )
    services.sitting_call(
        unit=unit,
        actor=staff,
        data=services.SittingData(
            held_on=timezone.localdate() + datetime.timedelta(days=7),
            starts_at=datetime.time(17, 0),
            venue="Златополье ауылдық округінің әкімдігі, мәжіліс залы",
            items=[
                "Ауылдық округтің келесі жылға арналған бюджет жобасын келісу",
                "Көше жарығы жобасының орындалуы туралы әкімнің ақпараты",
            ],
        ),
    )
