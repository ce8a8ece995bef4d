"""A resident names their place; the akimat of its budget unit confirms or refuses it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.iin import check_digit, iin_digest
from accounts.models import Residency, ResidencyStatus, Role, User
from portal.errors import DomainError
from portal.mail import SITE_NAME
from portal.models import AuditEvent, Notification
from tests.accounts.factories import (
    MembershipFactory,
    ResidencyFactory,
    UserFactory,
    make_iin,
)

IIN = make_iin(4242)


def test_a_claim_with_an_iin_waits_for_the_akimat_of_the_budget_unit(
    client, territory, staff, user_without_iin
):
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": f" {IIN[:6]} {IIN[6:]} ", "place": territory["village"].kato_code},
    )

    assert response.status_code == 302
    residency = Residency.objects.get(user=user_without_iin)
    assert (residency.place, residency.budget_unit, residency.status) == (
        territory["village"],
        territory["rural_district"],
        ResidencyStatus.PENDING,
    )
    user = User.objects.get(pk=user_without_iin.pk)
    assert (user.iin_digest, user.iin_last4) == (iin_digest(IIN), IIN[-4:])
    assert list(AuditEvent.objects.values_list("verb", flat=True).order_by("pk")) == [
        "user.iin_set",
        "residency.claimed",
    ]
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (staff.pk, "residency_requested")
    ]


def test_the_iin_is_never_stored_in_a_readable_form(territory, user_without_iin):
    services.residency_claim(user=user_without_iin, place=territory["village"], iin=IIN)

    stored = User.objects.filter(pk=user_without_iin.pk).values().get()
    assert not any(IIN in str(value) for value in stored.values())
    assert not AuditEvent.objects.filter(details__icontains=IIN[:8]).exists()


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("12345", "iin_not_twelve_digits"),
        ("901301300017", "iin_birth_date"),
        ("900101300018", "iin_check_digit"),
        ("991301800001", "iin_century_digit"),
    ],
)
def test_a_bad_iin_is_refused_with_its_code_and_nothing_is_saved(
    client, territory, user_without_iin, iin, code
):
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": iin, "place": territory["village"].kato_code},
    )

    assert response.status_code == 400
    assert [
        error.code for error in response.context["form"].errors.as_data()["iin"]
    ] == [code]
    assert response.context["form"]["iin"].value() == iin  # what they typed is kept
    assert not Residency.objects.exists()
    assert User.objects.get(pk=user_without_iin.pk).iin_digest is None
    assert not AuditEvent.objects.exists()


def test_a_second_account_with_the_same_iin_is_refused_and_nothing_is_saved(
    client, territory, user_without_iin
):
    UserFactory(with_iin=True, iin=IIN)
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": IIN, "place": territory["village"].kato_code},
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["iin"]] == [
        "iin_taken"
    ]
    assert (
        "Another account is already registered with this IIN"
        in (response.context["form"].errors["iin"][0])
    )
    assert not Residency.objects.exists()
    assert User.objects.get(pk=user_without_iin.pk).iin_digest is None
    assert not AuditEvent.objects.exists()
    assert not Notification.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC))
def test_an_iin_born_in_the_future_is_refused_and_nothing_is_saved(
    client, territory, user_without_iin
):
    tomorrow = "2611265" + "0001"
    iin = tomorrow + str(check_digit(tomorrow))
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": iin, "place": territory["village"].kato_code},
    )

    assert [e.code for e in response.context["form"].errors.as_data()["iin"]] == [
        "iin_birth_date_future"
    ]
    assert not Residency.objects.exists()
    assert User.objects.get(pk=user_without_iin.pk).iin_digest is None
    assert not AuditEvent.objects.exists()


def test_a_search_keeps_the_typed_iin_out_of_the_url(
    client, territory, user_without_iin
):
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"), {"q": "акколь", "iin": IIN, "search": "1"}
    )

    assert response.status_code == 200
    assert [u.kato_code for u in response.context["candidates"]] == ["115633100"]
    assert f'value="{IIN}"' in response.content.decode()
    assert not response.context["form"].errors
    assert not Residency.objects.exists()


def test_the_service_refuses_a_duplicate_iin_with_its_code(territory, user_without_iin):
    UserFactory(with_iin=True, iin=IIN)

    with pytest.raises(DomainError) as refusal:
        services.residency_claim(
            user=user_without_iin, place=territory["village"], iin=IIN
        )

    assert refusal.value.code == "iin_taken"
    assert not Residency.objects.exists()


def test_a_place_above_local_government_is_not_a_residence(
    client, territory, user_without_iin
):
    client.force_login(user_without_iin)

    response = client.post(
        reverse("accounts:residency_claim"),
        {"iin": IIN, "place": territory["district"].kato_code},
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["place"]] == [
        "invalid_choice"
    ]
    assert not Residency.objects.exists()


def test_the_claim_form_finds_places_by_kazakh_name_typed_without_kazakh_letters(
    client, territory, user_without_iin
):
    client.force_login(user_without_iin)

    response = client.get(reverse("accounts:residency_claim"), {"q": "акколь"})

    assert [unit.kato_code for unit in response.context["candidates"]] == ["115633100"]


def test_a_new_claim_replaces_the_old_one(territory, resident):
    old = Residency.objects.get(user=resident)

    new = services.residency_claim(
        user=resident, place=territory["village_administration"]
    )

    old.refresh_from_db()
    assert old.status == ResidencyStatus.SUPERSEDED
    assert (new.status, new.budget_unit) == (
        ResidencyStatus.PENDING,
        territory["village_administration"],
    )


@pytest.fixture
def claim(territory):
    return ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
        user__language="ru",
    )


def test_staff_confirm_a_claim_and_the_resident_is_told_in_their_language(
    client, claim, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:residency_verify", args=[claim.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ResidencyStatus.VERIFIED, staff)
    assert (
        AuditEvent.objects.filter(verb="residency.verified", actor=staff).count() == 1
    )
    notice = Notification.objects.get(recipient=claim.user)
    assert notice.kind == "residency_verified"
    assert notice.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [claim.user.email]
    with translation.override("ru"):
        site_ru = str(SITE_NAME)
    assert (
        mail.outbox[0].subject
        == f"[{site_ru}] Ваше проживание в Ортакский сельский округ подтверждено"
    )


def test_staff_refuse_a_claim_with_a_reason(client, claim, staff):
    client.force_login(staff)

    response = client.post(
        reverse("accounts:residency_refuse", args=[claim.pk]),
        {"reason": "No such resident in the household register."},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.refusal_reason) == (
        ResidencyStatus.REFUSED,
        "No such resident in the household register.",
    )
    assert Notification.objects.get(recipient=claim.user).context == {
        "reason": "No such resident in the household register."
    }


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_refusal_without_a_reason_is_refused_and_nothing_changes(
    client, claim, staff, reason
):
    client.force_login(staff)

    response = client.post(
        reverse("accounts:residency_refuse", args=[claim.pk]), {"reason": reason}
    )

    assert response.status_code == 400
    codes = [
        e.code for e in response.context["refusal_form"].errors.as_data()["reason"]
    ]
    assert codes == ["refusal_reason_required"]
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.PENDING
    assert not Notification.objects.filter(recipient=claim.user).exists()
    assert not AuditEvent.objects.filter(verb="residency.refused").exists()


def test_the_service_refuses_a_refusal_without_a_reason(claim, staff):
    with pytest.raises(DomainError) as refusal:
        services.residency_refuse(residency=claim, actor=staff, reason="  ")

    assert refusal.value.code == "refusal_reason_required"
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.PENDING


def test_a_decided_claim_cannot_be_decided_again(claim, staff):
    services.residency_verify(residency=claim, actor=staff)

    with pytest.raises(DomainError) as refusal:
        services.residency_refuse(
            residency=claim, actor=staff, reason="Changed my mind"
        )

    assert refusal.value.code == "residency_not_pending"
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.VERIFIED


@pytest.mark.parametrize(
    "action", ["residency_detail", "residency_verify", "residency_refuse"]
)
def test_staff_of_another_unit_are_refused_with_a_reason(
    client, claim, other_staff, action
):
    client.force_login(other_staff)
    method = client.get if action == "residency_detail" else client.post

    response = method(reverse(f"accounts:{action}", args=[claim.pk]), {"reason": "x"})

    assert response.status_code == 403
    assert (
        "Only the akimat staff of the resident&#x27;s own unit"
        in response.content.decode()
    )
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.PENDING


def test_staff_cannot_decide_their_own_claim(territory, staff):
    own = ResidencyFactory(
        user=staff,
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )

    with pytest.raises(DomainError) as refusal:
        services.residency_verify(residency=own, actor=staff)

    assert refusal.value.code == "residency_own_claim"
    own.refresh_from_db()
    assert own.status == ResidencyStatus.PENDING


def test_naming_the_same_place_again_is_refused(territory, resident):
    with pytest.raises(DomainError) as refusal:
        services.residency_claim(user=resident, place=territory["village"])

    assert refusal.value.code == "residency_unchanged"
    assert Residency.objects.get(user=resident).status == ResidencyStatus.VERIFIED


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (Role.AKIM, "rural_district", 302),
        (Role.AKIMAT_STAFF, "rural_district", 302),
        (Role.AKIMAT_STAFF, "other_rural_district", 403),
        (Role.AKIM, "other_rural_district", 403),
        (Role.MODERATOR, "region", 403),
        (Role.MASLIKHAT_DEPUTY, "district", 403),
        (Role.MASLIKHAT_CHAIRMAN, "district", 403),
    ],
)
def test_who_may_confirm_a_claim(client, claim, territory, role, unit, status):
    user = MembershipFactory(role=role, unit=territory[unit]).user
    client.force_login(user)

    response = client.post(reverse("accounts:residency_verify", args=[claim.pk]))

    assert response.status_code == status
    claim.refresh_from_db()
    expected = ResidencyStatus.VERIFIED if status == 302 else ResidencyStatus.PENDING
    assert claim.status == expected


def test_the_queue_shows_only_claims_of_the_staffs_own_unit(
    client, claim, staff, other_staff, territory
):
    ResidencyFactory(
        place=territory["other_rural_district"],
        budget_unit=territory["other_rural_district"],
        status=ResidencyStatus.PENDING,
    )
    client.force_login(staff)

    response = client.get(reverse("accounts:residency_queue"))

    assert [c.pk for c in response.context["page"]] == [claim.pk]


def test_a_resident_without_a_staff_role_is_refused_the_queue(client, resident):
    client.force_login(resident)

    response = client.get(reverse("accounts:residency_queue"))

    assert response.status_code == 403
    assert "Only akimat staff see the queue" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, claim):
    response = client.get(reverse("accounts:residency_queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_profile_shows_the_state_of_the_claim(client, claim):
    client.force_login(claim.user)

    response = client.get(reverse("accounts:profile"))

    page = response.content.decode()
    assert "awaiting confirmation" in page
    assert "Ортақ ауылдық округі" in page


class RecordingBackend:
    calls = []

    def residency_requested(self, residency):
        self.calls.append(residency.pk)


def test_the_setting_picks_the_verification_backend(
    settings, territory, user_without_iin
):
    settings.RESIDENCY_VERIFICATION_BACKEND = (
        "tests.accounts.test_residency.RecordingBackend"
    )

    residency = services.residency_claim(
        user=user_without_iin, place=territory["village"], iin=IIN
    )

    assert RecordingBackend.calls == [residency.pk]
    assert not Notification.objects.exists()
