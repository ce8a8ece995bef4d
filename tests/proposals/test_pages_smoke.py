"""Every page of proposals answers, for the people it is for."""

import time_machine
from django.urls import reverse

from proposals.models import ProposalStatus
from tests.proposals.conftest import DAY_IN, at


def test_the_lists_and_the_page_render(client, submitted, cycle):
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        unit = cycle.unit
        for url in (
            reverse("proposals:cycle_list", args=[unit.kato_code, 2027]),
            reverse("proposals:cycle_list", args=[unit.kato_code, 2027])
            + "?q=lights&sort=supported",
            reverse("proposals:unit_list", args=[unit.kato_code]),
            submitted.get_absolute_url(),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Street lights on Abai street" in response.content.decode()


def test_a_resident_writes_and_submits_through_the_pages(
    client, resident, cycle, function
):
    client.force_login(resident)
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        url = reverse("proposals:create", args=[cycle.unit.kato_code, 2027])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "title": "A playground",
                "description": "Children have nowhere to play.",
                "function": function.pk,
                "place": cycle.unit.pk,
                "address": "",
                "cost_estimate": "",
            },
        )
        assert response.status_code == 302
        proposal = resident.proposals.get()
        assert proposal.status == ProposalStatus.DRAFT
        page = client.get(proposal.get_absolute_url())
        assert page.status_code == 200
        assert (
            client.get(reverse("proposals:submit", args=[proposal.pk])).status_code
            == 200
        )
        client.post(reverse("proposals:submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_staff_and_the_akim_pages(client, under_review, staff, akim):
    with time_machine.travel(at(2026, 5, 6), tick=False):
        client.force_login(staff)
        unit = under_review.unit
        assert (
            client.get(
                reverse("proposals:review_queue", args=[unit.kato_code])
            ).status_code
            == 200
        )
        assert (
            client.get(reverse("proposals:review", args=[under_review.pk])).status_code
            == 200
        )
        response = client.post(
            reverse("proposals:review", args=[under_review.pk]),
            {
                "assess": "1",
                "assessment": "recommended",
                "is_within_competence": "yes",
                "assessed_cost": "100",
                "feasibility": "",
                "reasons": "Fine.",
            },
        )
        assert response.status_code == 302
        client.force_login(akim)
        assert (
            client.get(reverse("proposals:decide", args=[under_review.pk])).status_code
            == 200
        )
        response = client.post(
            reverse("proposals:decide", args=[under_review.pk]),
            {"decision": "approved", "reason": "Good.", "confirm": "on"},
        )
        assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == ProposalStatus.APPROVED
    assert client.get(under_review.get_absolute_url()).status_code == 200


def test_a_page_for_an_act_the_status_does_not_allow_is_never_offered(
    client, submitted, akim, staff
):
    # given a proposal that is only submitted
    client.force_login(akim)
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        # when the akim opens its decision page
        response = client.get(reverse("proposals:decide", args=[submitted.pk]))
    # then they are taken back to the proposal, told why
    assert response.status_code == 302
    assert response["Location"] == submitted.get_absolute_url()
    page = client.get(response["Location"])
    assert (
        "This cannot be done now: the proposal is submitted." in page.content.decode()
    )
    client.force_login(staff)
    for name in ("review", "include", "start", "implement"):
        response = client.get(reverse(f"proposals:{name}", args=[submitted.pk]))
        assert response.status_code == 302, name
