"""Reads of the public API: only what the pages show everyone, in a fixed number of
queries. A `*_api_get` answers None when nothing matches; the API turns it into its
NotFound."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import (
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    DraftBudget,
    DraftStatus,
    Phase,
)
from budgets.selectors.cycles import with_state_days
from budgets.selectors.drafts import Totals


def _public_versions() -> Prefetch:
    """The cycle's versions the public reads, newest first, as `public_versions`: a
    version being prepared is never even read."""
    return Prefetch(
        "drafts",
        queryset=DraftBudget.objects.exclude(status=DraftStatus.PREPARING)
        .select_related("meeting")
        .order_by("-version"),
        to_attr="public_versions",
    )


def cycle_api_list() -> QuerySet[BudgetCycle]:
    """Cycles with their unit, phases, public versions and what their state is derived
    from: three queries a page."""
    return (
        with_state_days(BudgetCycle.objects.all())
        .select_related("unit")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            _public_versions(),
        )
        .order_by("-fiscal_year", "unit__kato_code")
    )


def cycle_api_get(*, kato_code: str, fiscal_year: int) -> BudgetCycle | None:
    return (
        cycle_api_list()
        .filter(unit__kato_code=kato_code, fiscal_year=fiscal_year)
        .first()
    )


def _lines_total(**conditions) -> Coalesce:
    money = models.DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(
        Subquery(
            BudgetLine.objects.filter(draft=OuterRef("pk"), **conditions)
            .order_by()
            .values("draft")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=money,
        ),
        Value(ZERO),
        output_field=money,
    )


def draft_api_list() -> QuerySet[DraftBudget]:
    """Public versions with their cycle, unit, meeting and totals: one query a page."""
    later = DraftBudget.objects.filter(
        cycle=OuterRef("cycle"), version__gt=OuterRef("version")
    ).exclude(status=DraftStatus.PREPARING)
    return (
        DraftBudget.objects.exclude(status=DraftStatus.PREPARING)
        .select_related("cycle__unit", "meeting")
        .annotate(
            revenue_total=_lines_total(classification__kind=ClassificationKind.REVENUE),
            transfers_total=_lines_total(
                classification__kind=ClassificationKind.REVENUE,
                classification__is_transfer=True,
            ),
            expenditure_total=_lines_total(
                classification__kind=ClassificationKind.EXPENDITURE
            ),
            has_later_version=Exists(later),
        )
        .order_by("-cycle__fiscal_year", "cycle__unit__kato_code", "-version")
    )


def draft_api_get(
    *, kato_code: str, fiscal_year: int, version: int
) -> DraftBudget | None:
    return (
        draft_api_list()
        .filter(
            cycle__unit__kato_code=kato_code,
            cycle__fiscal_year=fiscal_year,
            version=version,
        )
        .first()
    )


def totals_annotated(draft: DraftBudget) -> Totals:
    """The totals `draft_api_list` annotated on a draft."""
    return Totals(
        revenue=draft.revenue_total,
        expenditure=draft.expenditure_total,
        transfers=draft.transfers_total,
    )


def classification_api_list() -> QuerySet[BudgetClassification]:
    """The whole classification, retired entries included, by kind, position and code."""
    return BudgetClassification.objects.order_by("kind", "position", "code")
