"""Reads of the public discussion of a draft: its comments with their official replies,
the general ones and those on a line, and one comment to answer; and the questions of
the community meeting's sittings a decision on the draft may come from."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from budgets.models import BudgetCycle, CyclePhase, DraftBudget, DraftComment
from community.models import SittingItem, SittingStatus


def comments() -> QuerySet[DraftComment]:
    """Comments with their author and their replies, oldest first: what the draft's page
    shows of each."""
    return (
        DraftComment.objects.select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=DraftComment.objects.select_related("author"))
        )
        .order_by("created_at", "pk")
    )


def draft_general_comments(draft: DraftBudget) -> QuerySet[DraftComment]:
    return comments().filter(draft=draft, line__isnull=True, reply_to__isnull=True)


def comment_get(*, cycle: BudgetCycle, pk: int) -> DraftComment:
    """A comment on one of the cycle's versions, with its version and line, to answer;
    404 when the cycle has no such comment."""
    return get_object_or_404(
        DraftComment.objects.select_related("draft", "line"), pk=pk, draft__cycle=cycle
    )


def sitting_items_for_decision(cycle: BudgetCycle) -> QuerySet[SittingItem]:
    """The questions of the unit's meeting's sittings held after the public discussion
    ended that no decision on a draft comes from yet."""
    discussion_end = cycle.phases.get(kind=CyclePhase.PUBLIC_DISCUSSION).ends_on
    return (
        SittingItem.objects.filter(
            sitting__unit_id=cycle.unit_id,
            sitting__status=SittingStatus.HELD,
            sitting__held_on__gt=discussion_end,
            draft_decision__isnull=True,
        )
        .select_related("sitting", "sitting__unit")
        .order_by("-sitting__held_on", "position")
    )
