"""Factories and builders of budgets: classification entries and cycles opened by the service."""

import datetime
from decimal import Decimal

import factory

from budgets import services
from budgets.models import BudgetClassification, ClassificationKind, CyclePhase

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
