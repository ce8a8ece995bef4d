"""A gathering from preparing to its minutes: announced with its rules frozen and its
residents told, attendance by IIN against the household register (of age, of the
territory, once each, however often it is sent), the votes, the quorum and the minutes
in Kazakh and Russian read back from the PDF."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import ResidencyStatus
from community import selectors, services
from community.models import Attendance, Convener, GatheringRules, GatheringStatus
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import ResidencyFactory
from tests.community.conftest import ADULTS, CHILD, NOT_LISTED, data


def on_the_day(gathering):
    return time_machine.travel(
        datetime.datetime.combine(gathering.held_on, datetime.time(19, 0)).astimezone(
            timezone.get_default_timezone()
        ),
        tick=False,
    )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_announcing_freezes_the_rules_sets_the_minutes_day_and_tells_the_residents(
    territory, gathering, akim
):
    told = ResidencyFactory(
        place=territory["village"], budget_unit=territory["rural_district"]
    )
    ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )

    announced = services.gathering_announce(gathering=gathering, actor=akim)
    services.gathering_rules_set(
        unit=territory["rural_district"],
        actor=akim,
        values={
            "notice_days": 5,
            "quorum_percent": 60,
            "majority_percent": 50,
            "minutes_working_days": 5,
            "initiative_percent": 10,
            "min_age": 18,
        },
    )

    announced.refresh_from_db()
    assert announced.status == GatheringStatus.ANNOUNCED
    assert (announced.quorum_percent, announced.notice_days) == (10, 10)
    assert announced.minutes_due_on > announced.held_on
    assert list(
        Notification.objects.filter(kind="gathering_announced").values_list(
            "recipient", flat=True
        )
    ) == [told.user.pk]


def test_a_gathering_is_announced_its_days_of_notice_ahead(
    territory, staff, register, akim
):
    soon = services.gathering_prepare(
        unit=territory["rural_district"],
        actor=staff,
        data=data(territory, held_on=timezone.localdate() + datetime.timedelta(days=9)),
    )

    with pytest.raises(DomainError) as refused:
        services.gathering_announce(gathering=soon, actor=akim)

    assert refused.value.code == "notice_too_short"


def test_residents_convene_with_the_share_of_signatures_the_rules_set(
    territory, staff, register, akim
):
    # Ten adults in the register: 10% is one signature; a street of nine needs one too.
    few = services.gathering_prepare(
        unit=territory["rural_district"],
        actor=staff,
        data=data(territory, convener=Convener.RESIDENTS, signatures=1),
    )
    GatheringRules.objects.create(
        unit=territory["rural_district"], initiative_percent=30
    )

    with pytest.raises(DomainError) as refused:
        services.gathering_announce(gathering=few, actor=akim)
    few.signatures = 3
    few.save()
    services.gathering_announce(gathering=few, actor=akim)

    assert refused.value.code == "signatures_too_few"
    assert "at least 3 signatures" in refused.value.message


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"items": ["", "  "]}, "agenda_empty"),
        ({"place": None, "street": "Абай"}, "street_without_place"),
        ({"street": "", "house": "4"}, "street_without_place"),
        ({"held_on": datetime.date(2020, 1, 1)}, "gathering_not_yet"),
    ],
)
def test_a_gathering_that_cannot_be_held_so_is_refused(
    territory, staff, register, changes, code
):
    with pytest.raises(DomainError) as refused:
        services.gathering_prepare(
            unit=territory["rural_district"],
            actor=staff,
            data=data(territory, **changes),
        )
    assert refused.value.code == code


def test_a_separate_gathering_is_held_in_a_settlement_of_its_unit(
    territory, staff, register
):
    with pytest.raises(DomainError) as refused:
        services.gathering_prepare(
            unit=territory["rural_district"],
            actor=staff,
            data=data(territory, place=territory["village_administration"]),
        )
    assert refused.value.code == "place_not_in_unit"


def test_attendance_counts_residents_of_age_of_the_territory_once_each(
    announced, staff
):
    with on_the_day(announced):
        report = services.attendance_record(
            gathering=announced,
            actor=staff,
            iins=[
                ADULTS[1],
                f" {ADULTS[2][:6]} {ADULTS[2][6:]} ",
                ADULTS[1],
                CHILD,
                NOT_LISTED,
                "12345",
                "",
            ],
        )
        again = services.attendance_record(
            gathering=announced, actor=staff, iins=[ADULTS[2], ADULTS[3]]
        )

    assert report.added == [ADULTS[1][-4:], ADULTS[2][-4:]]
    assert report.repeated == 1
    assert [(line, reason) for line, _masked, reason in report.refused] == [
        (4, "Under 18 on the day of the gathering."),
        (5, "Not in the household register of this gathering's territory."),
        (6, "An IIN is exactly 12 digits."),
    ]
    assert (again.added, again.repeated) == ([ADULTS[3][-4:]], 1)
    assert Attendance.objects.filter(gathering=announced).count() == 3
    assert not AuditEvent.objects.filter(details__icontains=ADULTS[1][:8]).exists()


def test_a_street_gathering_counts_the_register_of_its_street(
    territory, staff, register, akim
):
    street = services.gathering_prepare(
        unit=territory["rural_district"],
        actor=staff,
        data=data(territory, street="абай"),
    )
    services.gathering_announce(gathering=street, actor=akim)

    with on_the_day(street):
        report = services.attendance_record(
            gathering=street, actor=staff, iins=[ADULTS[0], ADULTS[1]]
        )
        page_figures = selectors.gathering_figures(gathering=street)

    # ADULTS[0] lives on Жібек жолы; the child on Абай is not of age.
    assert report.added == [ADULTS[1][-4:]]
    assert page_figures["eligible"] == 9


def test_attendance_waits_for_the_day(announced, staff):
    with pytest.raises(DomainError) as refused:
        services.attendance_record(gathering=announced, actor=staff, iins=[ADULTS[0]])
    assert refused.value.code == "attendance_not_open"


def _close(gathering, staff, votes):
    items = list(gathering.items.all())
    return services.gathering_close(
        gathering=gathering,
        actor=staff,
        votes={
            item.pk: services.ItemVotes(*counts)
            for item, counts in zip(items, votes, strict=True)
        },
    )


def test_a_quorate_gathering_decides_by_the_majority_of_those_present(announced, staff):
    with on_the_day(announced):
        services.attendance_record(gathering=announced, actor=staff, iins=ADULTS[:3])
        with pytest.raises(DomainError) as missing:
            _close(announced, staff, [(2, 1, 0, ""), (None, None, None, "")])
        with pytest.raises(DomainError) as too_many:
            _close(announced, staff, [(2, 1, 1, ""), (1, 1, 1, "")])
        held = _close(announced, staff, [(2, 1, 0, "Жоба мақұлданды"), (1, 1, 1, "")])

    assert (missing.value.code, too_many.value.code) == (
        "votes_missing",
        "votes_above_present",
    )
    assert (held.status, held.eligible, held.present) == (GatheringStatus.HELD, 10, 3)
    with on_the_day(announced), pytest.raises(DomainError):
        services.attendance_record(gathering=held, actor=staff, iins=[ADULTS[5]])


def test_the_minutes_say_it_all_in_kazakh_and_in_russian(client, announced, staff):
    with on_the_day(announced):
        services.attendance_record(gathering=announced, actor=staff, iins=ADULTS[:3])
        _close(announced, staff, [(2, 1, 0, ""), (1, 1, 1, "")])
    base = [announced.unit.kato_code, announced.pk]

    kk = pdf_text(
        client.get(reverse("community:gathering_minutes", args=[*base, "kk"])).content
    )
    ru = pdf_text(
        client.get(reverse("community:gathering_minutes", args=[*base, "ru"])).content
    )
    missing = client.get(reverse("community:gathering_minutes", args=[*base, "en"]))

    assert "Жиын хаттамасы" in kk and "Протокол схода" in ru
    assert "Көше жарығы жобасы" in kk and "Көше жарығы жобасы" in ru
    assert "қабылданды" in kk and "принято" in ru
    assert "не принято" in ru
    assert "10" in ru and "3" in ru
    assert missing.status_code == 404


def test_without_a_quorum_nothing_is_decided(announced, staff):
    with on_the_day(announced):
        held = _close(
            announced, staff, [(None, None, None, ""), (None, None, None, "")]
        )

    assert (held.present, held.eligible) == (0, 10)


def test_the_notice_is_printed_while_the_gathering_is_ahead(
    client, announced, gathering
):
    url = reverse(
        "community:gathering_notice", args=[announced.unit.kato_code, announced.pk]
    )

    text = pdf_text(client.get(url).content)

    assert "Күн тәртібі" in text and "Повестка" in text
    assert "Қауымдастық жиналысына өкіл сайлау" in text


def test_a_cancelled_gathering_tells_the_residents_why(territory, announced, akim):
    resident = ResidencyFactory(
        place=territory["village"], budget_unit=territory["rural_district"]
    )

    with pytest.raises(DomainError):
        services.gathering_cancel(gathering=announced, actor=akim, reason="  ")
    services.gathering_cancel(gathering=announced, actor=akim, reason="Су тасқыны")

    notice = Notification.objects.get(kind="gathering_cancelled")
    assert (notice.recipient, notice.context["reason"]) == (resident.user, "Су тасқыны")
