"""`make run` loads the demo with load_demo; running it again changes nothing."""

from io import StringIO

from django.core.management import call_command

from accounts.models import Residency, ResidencyStatus, RoleMembership, User
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
