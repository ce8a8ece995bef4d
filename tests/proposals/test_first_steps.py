"""What a person new to proposals meets on the pages: the acts they are offered and, where
they are not, why; who is offered as a reviewer; a new proposal's page out of its phase."""

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from proposals import services
from tests.accounts.factories import MembershipFactory
from tests.proposals.conftest import PROPOSAL_ROWS, at
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
