"""What the pages of budgets share: the cycle a page is about, the version of its draft the
visitor may read, and the version an act is about."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from budgets import selectors
from budgets.models import BudgetCycle, DraftBudget, DraftStatus
from portal.permissions import require


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


def draft_acted_on(cycle: BudgetCycle, version: int, user, rule: str) -> DraftBudget:
    """The version an act is about, once the rule's role allows the user (else 403, even
    for a version in preparation they may not read), then as `draft_of`."""
    require(user, rule, selectors.draft_get(cycle=cycle, version=version))
    return draft_of(cycle, version, user)


def login_url() -> str:
    return reverse("account_login")
