"""`make run` loads the demo with load_demo; running it again changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Residency, ResidencyStatus, RoleMembership, User
from community import selectors as community_selectors
from community.models import GatheringStatus, MeetingSitting, SittingStatus
from portal.models import AdministrativeUnit, AuditEvent


def _counts():
    return (
        AdministrativeUnit.objects.count(),
        User.objects.count(),
        RoleMembership.objects.count(),
        Residency.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_loads_once_and_a_second_run_changes_nothing(db):
    call_command("load_demo", stdout=StringIO())
    first = _counts()

    call_command("load_demo", stdout=StringIO())

    assert _counts() == first
    burabay = AdministrativeUnit.objects.get(kato_code="117000000")
    assert (burabay.name_kk, burabay.name_ru) == ("Бурабай ауданы", "Бурабайский район")
    assert (
        AdministrativeUnit.objects.holding_own_budget(2026)
        .filter(parent=burabay)
        .count()
        == 11
    )
    assert Residency.objects.get(user__email="resident@demo.qatysu.kz").status == (
        ResidencyStatus.VERIFIED
    )
    assert Residency.objects.get(user__email="newcomer@demo.qatysu.kz").status == (
        ResidencyStatus.PENDING
    )
    assert (
        User.objects.get(email="akim@demo.qatysu.kz").memberships.get().role == "akim"
    )
    # The law's chain in Zlatopolye: a gathering held with its minutes, one announced,
    # the meeting's members it elected and the meeting's sittings.
    unit = AdministrativeUnit.objects.get(kato_code="117051000")  # Zlatopolye
    assert set(unit.gatherings.values_list("status", flat=True)) == {
        GatheringStatus.HELD,
        GatheringStatus.ANNOUNCED,
    }
    members = community_selectors.members_in_office(unit=unit, day=timezone.localdate())
    assert members.count() == 7
    assert {member.elected_by.status for member in members} == {GatheringStatus.HELD}
    sittings = MeetingSitting.objects.filter(unit=unit)
    assert sorted(sittings.values_list("status", flat=True)) == sorted(
        [SittingStatus.CALLED, SittingStatus.HELD]
    )
    assert (
        sittings.get(status=SittingStatus.HELD).roll.filter(present=True).count() == 6
    )
