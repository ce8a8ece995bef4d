"""What a person new to proposals meets on the pages: the acts they are offered and, where
they are not, why; who is offered as a reviewer; a new proposal's page out of its phase."""

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from proposals import services
from tests.accounts.factories import MembershipFactory
from tests.proposals.conftest import DAY_IN, PROPOSAL_ROWS, at, proposal_input
from tests.refusals import refused, unchanged

REVIEW_DAY = at(2026, 5, 6)
ONLY_STAFF_REVIEW = (
    "Choose one of the akimat staff of this unit as the reviewer: the akim decides on "
    "the proposals and does not review them."
)


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Who reviews: the akimat staff, never the akim, who decides.


def test_the_reviewer_is_chosen_among_the_staff_and_never_the_akim(
    client, under_review, staff, akim
):
    # Given a proposal under review, the unit's akimat staff and its akim
    client.force_login(staff)
    # When a staff member opens its review page
    with time_machine.travel(REVIEW_DAY, tick=False):
        response = client.get(reverse("proposals:review", args=[under_review.pk]))
    # Then only the staff are offered as its reviewer
    assert response.status_code == 200
    reviewers = response.context["assign_form"].fields["reviewer"].queryset
    assert list(reviewers) == [staff]
    assert f'value="{akim.pk}"' not in response.content.decode()


def test_a_staff_member_who_is_also_the_akim_is_not_offered_as_reviewer(
    client, under_review, staff, territory
):
    # Given a second member of the akimat who is the akim as well
    both = MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user
    MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"], user=both
    )
    client.force_login(staff)
    # When the review page is opened
    with time_machine.travel(REVIEW_DAY, tick=False):
        response = client.get(reverse("proposals:review", args=[under_review.pk]))
    # Then the akim is not among the reviewers offered
    assert list(response.context["assign_form"].fields["reviewer"].queryset) == [staff]


def test_assigning_the_akim_as_reviewer_by_a_forged_post_is_refused(
    client, under_review, staff, akim
):
    # Given a staff member on the review page of a proposal under review
    client.force_login(staff)
    # When they post the akim as its reviewer, whom the page does not offer
    with (
        time_machine.travel(REVIEW_DAY, tick=False),
        unchanged(*PROPOSAL_ROWS),
    ):
        response = client.post(
            reverse("proposals:review", args=[under_review.pk]),
            {"assign": "1", "reviewer": str(akim.pk)},
        )
    # Then the page says why, on the reviewer's field, and nobody is assigned
    assert response.status_code == 400
    assert response.context["assign_form"].errors == {"reviewer": [ONLY_STAFF_REVIEW]}
    assert escape(ONLY_STAFF_REVIEW) in response.content.decode()


def test_the_service_refuses_the_akim_as_reviewer(under_review, staff, akim):
    # Given a proposal under review
    # When the akim is assigned as its reviewer, whatever the interface
    with (
        time_machine.travel(REVIEW_DAY, tick=False),
        refused("reviewer_not_staff", *PROPOSAL_ROWS) as refusal,
    ):
        services.review_assign(proposal=under_review, actor=staff, reviewer=akim)
    # Then it is refused with the reason
    assert str(refusal.value.message) == ONLY_STAFF_REVIEW


# Writing a proposal, offered from the unit's list of proposals.


def unit_list(cycle) -> str:
    return reverse("proposals:unit_list", args=[cycle.unit.kato_code])


def create_url(cycle) -> str:
    return reverse("proposals:create", args=[cycle.unit.kato_code, 2027])


def test_the_units_proposals_offer_a_resident_to_write_one_while_they_are_taken(
    client, cycle, resident
):
    # Given a verified resident of the unit, signed in
    client.force_login(resident)
    for day in ("planned", "proposals_open"):
        # When they open the unit's proposals while the cycle takes them
        with time_machine.travel(DAY_IN[day], tick=False):
            response = client.get(unit_list(cycle))
        # Then they are offered to write one for the cycle
        assert response.status_code == 200
        assert response.context["may_create"] is True, day
        assert f'href="{create_url(cycle)}"' in response.content.decode()


def test_the_units_proposals_ask_a_visitor_to_sign_in_to_write_one(client, cycle):
    # Given a visitor who is not signed in
    # When they open the unit's proposals while the cycle takes them
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        response = client.get(unit_list(cycle))
    # Then they are asked to sign in, and offered no form
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<a href="/en/accounts/login/?next={unit_list(cycle)}">Sign in</a> as a '
        "verified resident to write a proposal."
    ) in html
    assert create_url(cycle) not in html


def test_the_units_proposals_tell_others_how_to_become_a_verified_resident(
    client, cycle, outsider, user_without_iin
):
    for person in (outsider, user_without_iin):
        # Given a resident of another unit, and a person without a residency
        client.force_login(person)
        # When they open the unit's proposals while the cycle takes them
        with time_machine.travel(DAY_IN["proposals_open"], tick=False):
            response = client.get(unit_list(cycle))
        # Then they are told who writes proposals and how to become one of them
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["may_create"] is False
        assert (
            "Only verified residents of this unit make proposals for its budget. Give "
            "your place of residence on your profile and wait for the akimat to "
            "confirm it."
        ) in html
        claim = reverse("accounts:residency_claim")
        assert f'href="{claim}?place={cycle.unit.kato_code}"' in html
        assert create_url(cycle) not in html


def test_the_units_proposals_offer_nothing_once_proposals_are_closed(
    client, cycle, resident
):
    # Given a verified resident of the unit, signed in
    client.force_login(resident)
    # When they open the unit's proposals during the review
    with time_machine.travel(DAY_IN["review"], tick=False):
        response = client.get(unit_list(cycle))
    # Then no proposal is offered to be written, and nobody is told how to
    html = response.content.decode()
    assert (response.context["may_create"], response.context["is_open"]) == (
        False,
        False,
    )
    assert create_url(cycle) not in html
    assert "Only verified residents" not in html


# The new proposal's page, out of the phase that takes proposals.

CLOSED = (
    "Proposals for the 2027 budget were taken from 1 March 2026 to 30 April 2026. "
    "The budget is now at: review of proposals."
)


def test_the_new_proposal_page_after_the_deadline_says_when_proposals_were_taken(
    client, cycle, resident
):
    # Given a verified resident, signed in, after the proposals have closed
    client.force_login(resident)
    with time_machine.travel(DAY_IN["review"], tick=False):
        # When they open the page of a new proposal
        response = client.get(create_url(cycle))
    # Then they are sent back to the cycle's proposals, told when they were taken
    cycle_list = reverse("proposals:cycle_list", args=[cycle.unit.kato_code, 2027])
    assert (response.status_code, response.url) == (302, cycle_list)
    assert message_texts(response) == [CLOSED]


def test_a_new_proposal_posted_after_the_deadline_is_refused_at_the_page(
    client, cycle, resident, function
):
    # Given a verified resident, signed in, after the proposals have closed
    client.force_login(resident)
    # When they post a new proposal
    with (
        time_machine.travel(DAY_IN["review"], tick=False),
        unchanged(*PROPOSAL_ROWS),
    ):
        response = client.post(
            create_url(cycle),
            {
                "title": "A playground",
                "description": "Children have nowhere to play.",
                "function": str(function.pk),
                "place": str(cycle.unit.pk),
                "address": "",
                "cost_estimate": "",
            },
        )
    # Then it is refused for the same reason, and nothing is written
    cycle_list = reverse("proposals:cycle_list", args=[cycle.unit.kato_code, 2027])
    assert (response.status_code, response.url) == (302, cycle_list)
    assert message_texts(response) == [CLOSED]


def test_the_service_still_refuses_a_proposal_after_the_deadline(
    cycle, resident, function
):
    # Given a verified resident after the proposals have closed
    # When a proposal is written for them, whatever the interface
    with (
        time_machine.travel(DAY_IN["review"], tick=False),
        refused("proposals_closed", *PROPOSAL_ROWS) as refusal,
    ):
        services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit),
        )
    # Then it is refused
    assert (
        str(refusal.value.message) == "Proposals for this budget are no longer taken."
    )


# Support and comments: who may, and why others may not.

ONLY_RESIDENTS_SUPPORT = (
    "Only verified residents of Ортақ ауылдық округі support its proposals."
)
ONLY_RESIDENTS_COMMENT = (
    "Only verified residents of Ортақ ауылдық округі and its akimat comment on its "
    "proposals."
)


def test_a_resident_of_another_unit_is_told_why_they_neither_support_nor_comment(
    client, submitted, outsider
):
    # Given a submitted proposal, and a verified resident of another unit, signed in
    client.force_login(outsider)
    # When they read it while proposals are taken
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        response = client.get(submitted.get_absolute_url())
    # Then where the support and the comment would be, they are told who may
    html = response.content.decode()
    assert (response.context["may_support"], response.context["may_comment"]) == (
        False,
        False,
    )
    assert ONLY_RESIDENTS_SUPPORT in html
    assert ONLY_RESIDENTS_COMMENT in html
    assert reverse("proposals:support", args=[submitted.pk]) not in html


def test_under_review_a_resident_of_another_unit_is_told_only_who_comments(
    client, under_review, outsider
):
    # Given a proposal under review, which nobody supports any more
    client.force_login(outsider)
    # When a resident of another unit reads it
    with time_machine.travel(REVIEW_DAY, tick=False):
        response = client.get(under_review.get_absolute_url())
    # Then they are told who comments, and nothing of a support nobody may give
    html = response.content.decode()
    assert ONLY_RESIDENTS_SUPPORT not in html
    assert ONLY_RESIDENTS_COMMENT in html


def test_a_visitor_is_asked_to_sign_in_to_support_and_comment(client, submitted):
    # Given a submitted proposal, and a visitor who is not signed in
    # When they read it while proposals are taken
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        response = client.get(submitted.get_absolute_url())
    # Then they are asked to sign in to support and to comment
    html = response.content.decode()
    login = f'<a href="/en/accounts/login/?next={submitted.get_absolute_url()}">'
    assert (
        f"{login}Sign in</a> as a verified resident of the unit to support it." in html
    )
    assert f"{login}Sign in</a> as a verified resident of the unit to comment." in html
    assert ONLY_RESIDENTS_SUPPORT not in html
    assert ONLY_RESIDENTS_COMMENT not in html
