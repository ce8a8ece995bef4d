"""Every row lock the proposals' services take, in one fixed order.

A transaction takes its locks in this order and never back: the proposals it changes
(several in the order of their keys), then the row of their budget cycle (submissions
only), then their reviews (several in the order of their keys); or else one comment; and
last the reports of what a moderator hides, or the one report dismissed. Two
transactions that keep to the order never wait for each other in a circle. What is read
alongside (the cycle, the unit) is joined, not locked.
"""

from __future__ import annotations

from collections.abc import Sequence

from budgets.models import BudgetCycle
from proposals.models import ContentReport, Proposal, ProposalComment, Review


def proposal_lock(proposal: Proposal) -> Proposal:
    """The proposal's row, locked, with what the services read of it."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("cycle", "unit")
        .get(pk=proposal.pk)
    )


def proposals_lock(
    *, cycle_ids: Sequence[int], status: str, related: Sequence[str] = ()
) -> list[Proposal]:
    """The proposals of these cycles in a status, locked in the order of their keys."""
    return list(
        Proposal.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(cycle_id__in=cycle_ids, status=status)
        .order_by("pk")
    )


def proposal_keys_lock(*, cycle_ids: Sequence[int], status: str) -> list[int]:
    """The keys of the proposals of these cycles in a status, their rows locked in the
    order of their keys (for a change written over them all at once)."""
    return list(
        Proposal.objects.select_for_update()
        .filter(cycle_id__in=cycle_ids, status=status)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def submissions_lock(cycle: BudgetCycle) -> None:
    """The cycle's row, so that the submissions of one cycle go one at a time and the
    limit of proposals per person holds for requests at the same moment. Taken after the
    proposal's row, when there is one."""
    BudgetCycle.objects.select_for_update().filter(pk=cycle.pk).first()


def proposal_and_review_lock(proposal: Proposal) -> tuple[Proposal, Review | None]:
    """The proposal's row, then its review's (None before the review starts)."""
    proposal = proposal_lock(proposal)
    review = Review.objects.select_for_update().filter(proposal=proposal).first()
    return proposal, review


def reviews_lock(**conditions) -> list[Review]:
    """The reviews matching the conditions, locked in the order of their keys, with
    their proposal and its unit (read, not locked: the clock's jobs change reviews
    only)."""
    return list(
        Review.objects.select_for_update(of=("self",))
        .select_related("proposal__unit")
        .filter(**conditions)
        .order_by("pk")
    )


def comment_lock(comment: ProposalComment) -> ProposalComment:
    return ProposalComment.objects.select_for_update().get(pk=comment.pk)


def report_lock(report: ContentReport) -> ContentReport:
    return ContentReport.objects.select_for_update().get(pk=report.pk)
