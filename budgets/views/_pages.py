"""What the pages of budgets share: the cycle a page is about and the version of its draft
the visitor may read."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from budgets import selectors
from budgets.models import BudgetCycle, DraftBudget, DraftStatus


def cycle_of(kato_code: str, fiscal_year: int) -> BudgetCycle:
    """The cycle with what its pages read (`selectors.cycle_get`); 404 when there is none."""
    return selectors.cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)


def draft_of(cycle: BudgetCycle, version: int, user) -> DraftBudget:
    """A version of the cycle's draft the user may read; 404 when there is none."""
    draft = selectors.draft_get(cycle=cycle, version=version)
    # A version in preparation is the akimat's working copy, not yet public.
    if draft.status == DraftStatus.PREPARING and not user.has_perm(
        "budgets.manage_cycle", cycle
    ):
        raise Http404
    return draft


def login_url() -> str:
    return reverse("account_login")
