"""Sign up → confirm the e-mail → give IIN and residence → staff confirm → profile verified."""

import re

import pytest
from django.core import mail

from accounts.models import Residency, ResidencyStatus
from tests.accounts.factories import make_iin

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_newcomer_becomes_a_verified_resident(new_page, territory, staff):
    iin = make_iin(777)
    resident = new_page()

    # Sign up; the confirmation e-mail arrives.
    resident.goto("/en/accounts/signup/")
    resident.get_by_label("First name").fill("Aigerim")
    resident.get_by_label("Surname").fill("Serikova")
    resident.get_by_label("Email").fill("aigerim@example.kz")
    resident.get_by_label("Password", exact=True).fill("a-long-village-password")
    resident.get_by_label("Password (again)").fill("a-long-village-password")
    resident.get_by_role("button", name="Sign up").click()
    resident.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)

    # Confirm the address, which signs the newcomer in.
    resident.goto(link)
    resident.get_by_role("button", name="Confirm").click()
    resident.wait_for_url(re.compile(r"/en/accounts/profile/$"))
    resident.get_by_role("link", name="Give my IIN and residence").click()

    # Find the village by typing its name without Kazakh letters, and claim it.
    resident.get_by_label("Find your place").fill("акколь")
    resident.get_by_role("button", name="Search").click()
    resident.get_by_label(re.compile("Ақкөл")).check()
    resident.get_by_label("IIN").fill(iin)
    resident.get_by_role("button", name="Send to the akimat").click()
    resident.wait_for_url(re.compile(r"/en/accounts/profile/$"))
    assert resident.get_by_test_id("residency-status").inner_text() == (
        "awaiting confirmation"
    )

    # The akimat's staff confirm the claim from their queue.
    akimat = new_page(user=staff)
    akimat.goto("/en/accounts/residency/queue/")
    akimat.get_by_role("link", name=re.compile("Review")).click()
    akimat.get_by_role("button", name="Confirm residency").click()
    akimat.wait_for_url(re.compile(r"/en/accounts/residency/queue/$"))
    assert "No claims are waiting" in akimat.content()

    # The resident sees the verified unit, and a notification.
    resident.reload()
    assert resident.get_by_test_id("residency-status").inner_text() == "verified"
    assert "Ортақ ауылдық округі" in resident.content()
    assert resident.get_by_role("link", name=re.compile("Notifications 1")).is_visible()
    residency = Residency.objects.get(user__email="aigerim@example.kz")
    assert (residency.status, residency.budget_unit) == (
        ResidencyStatus.VERIFIED,
        territory["rural_district"],
    )


def test_a_refusal_needs_a_reason_and_the_resident_reads_it(new_page, territory, staff):
    from tests.accounts.factories import ResidencyFactory

    claim = ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )
    akimat = new_page(user=staff, javascript=False)
    akimat.goto(f"/en/accounts/residency/{claim.pk}/")

    akimat.get_by_role("button", name="Refuse residency").click()
    assert "Give the resident a reason for the refusal." in akimat.content()
    akimat.get_by_label("Reason for refusal").fill("Not in the household register.")
    akimat.get_by_role("button", name="Refuse residency").click()
    akimat.wait_for_url(re.compile(r"/en/accounts/residency/queue/$"))

    resident = new_page(user=claim.user, javascript=False)
    resident.goto("/en/accounts/profile/")
    assert resident.get_by_test_id("residency-status").inner_text() == "refused"
    assert "Not in the household register." in resident.content()
