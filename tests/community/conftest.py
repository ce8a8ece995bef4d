"""A rural district with a household register, its staff and akim, and a gathering
prepared for a day ahead."""

import datetime

import pytest
from django.utils import timezone

from accounts.iin import kept_iin
from accounts.models import RegisterEntry, RegisterImport, Role
from community import services
from community.models import Convener
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
