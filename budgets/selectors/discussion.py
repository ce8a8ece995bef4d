"""Reads of the public discussion of a draft: its comments with their official replies,
the general ones and those on a line, and one comment to answer."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from budgets.models import BudgetCycle, DraftBudget, DraftComment


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
