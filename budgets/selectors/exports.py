"""Reads of the open data (budgets.opendata, budgets.fiscal_data_package): each a single
query of plain values, public columns only, to be read in chunks."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from budgets.models import (
    ZERO,
    BudgetCycle,
    BudgetLine,
    DraftBudget,
    DraftStatus,
    ExecutionEntry,
)


def export_draft_lines(cycle: BudgetCycle) -> QuerySet:
    """The lines of every public version of the cycle's draft, version by version."""
    return (
        BudgetLine.objects.filter(draft__cycle=cycle)
        .exclude(draft__status=DraftStatus.PREPARING)
        .order_by(
            "draft__version",
            "classification__kind",
            "classification__position",
            "classification__code",
        )
        .values(
            "draft__version",
            "draft__status",
            "classification__kind",
            "classification__code",
            "classification__name_kk",
            "classification__name_ru",
            "classification__position",
            "classification__is_transfer",
            "amount",
            "explanation",
        )
    )


def export_execution_entries(cycle: BudgetCycle) -> QuerySet:
    """Every execution entry on the cycle's adopted draft, line by line, oldest first."""
    return (
        ExecutionEntry.objects.filter(
            line__draft__cycle=cycle, line__draft__status=DraftStatus.APPROVED
        )
        .order_by(
            "line__classification__kind",
            "line__classification__position",
            "line__classification__code",
            "quarter",
            "recorded_at",
            "pk",
        )
        .values(
            "pk",
            "line__classification__kind",
            "line__classification__code",
            "line__classification__name_kk",
            "line__classification__name_ru",
            "quarter",
            "amount",
            "note",
            "corrects_id",
            "recorded_at",
        )
    )


def has_execution_entries(draft: DraftBudget) -> bool:
    return ExecutionEntry.objects.filter(line__draft=draft).exists()


def export_fiscal_lines(
    draft: DraftBudget, *, kind: str, with_execution: bool
) -> QuerySet:
    """The draft's lines of one kind, for the Fiscal Data Package; with execution, each
    with `executed`, the sum of its entries (0 when none), computed by the database."""
    lines = (
        BudgetLine.objects.filter(draft=draft, classification__kind=kind)
        .order_by("classification__position", "classification__code")
        .values(
            "classification__code",
            "classification__name_kk",
            "classification__name_ru",
            "classification__position",
            "classification__is_transfer",
            "amount",
        )
    )
    if not with_execution:
        return lines
    money = models.DecimalField(max_digits=16, decimal_places=2)
    total = (
        ExecutionEntry.objects.filter(line=models.OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    # The output field brings SQLite's float sum back to tenge and tiyn.
    return lines.annotate(
        executed=Coalesce(
            models.Subquery(total, output_field=money),
            models.Value(ZERO),
            output_field=money,
        )
    )
