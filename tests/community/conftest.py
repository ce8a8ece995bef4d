"""A rural district with a household register, its staff and akim, a gathering prepared
for a day ahead, and the community meeting its gathering elects."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.iin import kept_iin
from accounts.models import RegisterEntry, RegisterImport, Role
from community import services
from community.models import Convener, Mandate
from tests.accounts.factories import MembershipFactory, make_iin

# Ten adults of the village and two children; one adult on another street.
ADULTS = [make_iin(700 + n) for n in range(10)]
CHILD = make_iin(790, born="150601", century_sex=5)
NOT_LISTED = make_iin(799)


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def register(territory, staff):
    return make_register(territory, staff)


def make_register(territory, staff):
    unit = territory["rural_district"]
    record = RegisterImport.objects.create(
        unit=unit,
        filename="r.csv",
        imported_by=staff,
        rows=11,
        added=11,
        changed=0,
        removed=0,
        confirmed=0,
    )
    for index, iin in enumerate([*ADULTS, CHILD]):
        RegisterEntry.objects.create(
            unit=unit,
            **kept_iin(iin),
            place=territory["village"],
            street="Абай" if index else "Жібек жолы",
            street_key="абай" if index else "жібек жолы",
            house=str(index),
            house_key=str(index),
            imported_in=record,
        )
    return unit


def data(territory, **changes) -> services.GatheringData:
    values = {
        "place": territory["village"],
        "street": "",
        "house": "",
        "subject": "Көше жарығы",
        "held_on": timezone.localdate() + datetime.timedelta(days=14),
        "starts_at": datetime.time(18, 30),
        "venue": "Мәдениет үйі, Абай к-сі 1",
        "convener": Convener.AKIM,
        "signatures": None,
        "items": ["Көше жарығы жобасы", "Қауымдастық жиналысына өкіл сайлау"],
    }
    values.update(changes)
    return services.GatheringData(**values)


@pytest.fixture
def gathering(territory, staff, register):
    return services.gathering_prepare(
        unit=territory["rural_district"], actor=staff, data=data(territory)
    )


@pytest.fixture
def announced(gathering, akim):
    return services.gathering_announce(gathering=gathering, actor=akim)


# The members the demo's and the tests' meeting is made of: adults of the register.
NAMES = [
    "Айгүл Сәрсенова",
    "Ерлан Омаров",
    "Мария Ковальчук",
    "Нұрлан Бекұлы",
    "Сәуле Жақсылықова",
    "Виктор Ли",
    "Гүлнар Әбенова",
]


def at_noon(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12, 0)).astimezone(
            timezone.get_default_timezone()
        ),
        tick=False,
    )


def elect_members(territory, staff, akim, *, day: datetime.date, count: int = 7):
    """A separate gathering of the village announced on `day` and held two weeks later
    with five of its ten adults, which elects `count` of them to the meeting from the
    next day."""
    unit = territory["rural_district"]
    held_on = day + datetime.timedelta(days=14)
    with at_noon(day):
        gathering = services.gathering_prepare(
            unit=unit, actor=staff, data=data(territory, held_on=held_on)
        )
        services.gathering_announce(gathering=gathering, actor=akim)
    with at_noon(held_on):
        services.attendance_record(gathering=gathering, actor=staff, iins=ADULTS[:5])
        gathering = services.gathering_close(
            gathering=gathering,
            actor=staff,
            votes={
                item.pk: services.ItemVotes(5, 0, 0) for item in gathering.items.all()
            },
        )
        members = [
            services.member_add(
                unit=unit,
                actor=staff,
                data=member_data(
                    name, ADULTS[index], gathering, held_on + datetime.timedelta(days=1)
                ),
            )
            for index, name in enumerate(NAMES[:count])
        ]
    return gathering, members


def member_data(name, iin, gathering, starts, **changes) -> services.MemberData:
    values = {
        "full_name": name,
        "iin": iin,
        "mandate": Mandate.ELECTED,
        "elected_by": gathering,
        "basis": "",
        "term_starts": starts,
        "term_ends": None,
    }
    values.update(changes)
    return services.MemberData(**values)


def sitting_data(held_on: datetime.date, **changes) -> services.SittingData:
    values = {
        "held_on": held_on,
        "starts_at": datetime.time(17, 0),
        "venue": "Әкімдік, мәжіліс залы",
        "items": ["2027 жылғы бюджет жобасын келісу", "Көше жарығы туралы"],
    }
    values.update(changes)
    return services.SittingData(**values)
