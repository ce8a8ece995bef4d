"""Factories and builders of budgets: classification entries, phase dates, draft lines, and
budgets written straight to the database."""

import datetime
from decimal import Decimal
from importlib import import_module

import factory
from django.apps import apps

from budgets import services
from budgets.models import (
    BudgetClassification,
    ClassificationKind,
    CyclePhase,
    DraftBudget,
)

D = datetime.date


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetClassification
        django_get_or_create = ("kind", "code")

    kind = ClassificationKind.EXPENDITURE
    code = factory.Sequence(lambda n: f"T{n:04d}")
    name_kk = factory.Sequence(lambda n: f"Шығыс {n}")
    name_ru = factory.Sequence(lambda n: f"Расход {n}")
    position = factory.Sequence(lambda n: 1000 + n)


def phase_dates(fiscal_year: int = 2027) -> dict:
    """The default timeline of a cycle for `fiscal_year`: preparation in the year before."""
    year = fiscal_year - 1
    return {
        CyclePhase.PROPOSALS_OPEN: (D(year, 3, 1), D(year, 4, 30)),
        CyclePhase.REVIEW: (D(year, 5, 1), D(year, 5, 31)),
        CyclePhase.DRAFTING: (D(year, 6, 1), D(year, 9, 30)),
        CyclePhase.PUBLIC_DISCUSSION: (D(year, 10, 1), D(year, 10, 31)),
        CyclePhase.COORDINATION: (D(year, 11, 1), D(year, 11, 30)),
        CyclePhase.MASLIKHAT_VOTE: (D(year, 12, 1), D(year, 12, 25)),
        CyclePhase.EXECUTION: (D(fiscal_year, 1, 1), D(fiscal_year, 12, 31)),
    }


def lines(revenue: dict, expenditure: dict) -> list[services.LineInput]:
    """Line inputs from {code: amount}; codes are made as test classification entries."""
    made = []
    for kind, amounts in (
        (ClassificationKind.REVENUE, revenue),
        (ClassificationKind.EXPENDITURE, expenditure),
    ):
        for code, amount in amounts.items():
            entry = ClassificationFactory(
                kind=kind, code=code, is_transfer=code.startswith("TR")
            )
            made.append(
                services.LineInput(classification=entry, amount=Decimal(amount))
            )
    return made


def budget_written(
    *,
    unit,
    actor,
    plan: dict[str, str],
    entries: dict[str, list[tuple[int, str]]] | None = None,
    fiscal_year: int = 2027,
    status: str = "approved",
) -> DraftBudget:
    """A cycle of `unit` with its phases and version 1 of its draft in `status`, written
    straight to the database rather than through the services, for reads at scale and
    across many units: `plan` is {classification code: amount} (seeded or test codes),
    `entries` {code: [(quarter, amount), ...]} the execution entries, in order."""
    from budgets.models import (
        BudgetCycle,
        BudgetLine,
        DraftStatus,
        ExecutionEntry,
        Phase,
    )

    cycle = BudgetCycle.objects.create(
        unit=unit, fiscal_year=fiscal_year, created_by=actor
    )
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, starts_on=starts, ends_on=ends)
        for kind, (starts, ends) in phase_dates(fiscal_year).items()
    )
    draft = DraftBudget.objects.create(
        cycle=cycle, version=1, status=DraftStatus(status), created_by=actor
    )
    entries_by_code = {
        entry.code: entry
        for entry in BudgetClassification.objects.filter(code__in=list(plan))
    }
    made = {
        code: BudgetLine.objects.create(
            draft=draft, classification=entries_by_code[code], amount=Decimal(amount)
        )
        for code, amount in plan.items()
    }
    reports: dict[tuple[str, int], ExecutionEntry] = {}
    for code, reported in (entries or {}).items():
        for quarter, amount in reported:
            # The first entry of a line-quarter is its report, a later one corrects it.
            entry = ExecutionEntry.objects.create(
                line=made[code],
                quarter=quarter,
                amount=Decimal(amount),
                corrects=reports.get((code, quarter)),
                recorded_by=actor,
            )
            reports.setdefault((code, quarter), entry)
    return draft


def seed_classification() -> None:
    """The classification the migrations seed, put back whatever a worker's earlier
    transactional tests left of it (the seeding keeps what is there)."""
    import_module("budgets.migrations.0002_classification_and_calendar").seed(
        apps, None
    )
