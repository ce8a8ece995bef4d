"""The budget of a cycle as a Fiscal Data Package (Frictionless Data): a datapackage.json
descriptor and the CSV files beside it, one for revenue and one for expenditure, so that
open-budget tools (OpenSpending and the Frictionless libraries) read it.

The package holds the adopted draft (phase "approved") or, before the maslikhat approves
one, the newest public version (phase "proposed"); once the akimat reports execution, an
"executed" measure: what each line received or spent so far. The descriptor follows the
schema in budgets/schemas/fiscal-data-package.json (see budgets/schemas/SOURCE.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets import selectors
from budgets.models import (
    BudgetCycle,
    ClassificationKind,
    DraftBudget,
    functional_group_of,
)
from budgets.opendata import (
    BOOLEAN,
    INTEGER,
    LICENCE,
    NUMBER,
    STRING,
    Column,
    csv_stream,
)

DESCRIPTOR = "datapackage.json"
COUNTRY_CODE = "KZ"
CURRENCY = "KZT"

CODE = Column("code", STRING, _("The code of the line in the budget classification."))
NAME_KK = Column("name_kk", STRING, _("The name of the line in Kazakh."))
NAME_RU = Column("name_ru", STRING, _("The name of the line in Russian."))
AMOUNT = Column(
    "amount",
    NUMBER,
    _(
        "The amount of the line, in tenge: as approved by the maslikhat, or as proposed "
        "in the newest public version before then."
    ),
)
EXECUTED = Column(
    "executed",
    NUMBER,
    _(
        "What the line received or spent so far, in tenge: the sum of the akimat's "
        "quarterly reports and corrections. Present once execution is reported."
    ),
)


@dataclass(frozen=True)
class FiscalResource:
    """One CSV file of the package: the lines of one direction of the budget."""

    name: str
    title: Promise
    kind: str
    columns: tuple[Column, ...]
    classification_type: str

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def columns_with(self, *, execution: bool) -> tuple[Column, ...]:
        return (*self.columns, EXECUTED) if execution else self.columns


RESOURCES = (
    FiscalResource(
        name="revenue",
        title=_("Revenue"),
        kind=ClassificationKind.REVENUE,
        columns=(
            CODE,
            NAME_KK,
            NAME_RU,
            Column(
                "is_transfer",
                BOOLEAN,
                _("Whether the revenue is a transfer from the district budget."),
            ),
            AMOUNT,
        ),
        # Revenue is classified by its economic nature (taxes, non-tax revenue,
        # transfers).
        classification_type="economic",
    ),
    FiscalResource(
        name="expenditure",
        title=_("Expenditure"),
        kind=ClassificationKind.EXPENDITURE,
        columns=(
            CODE,
            NAME_KK,
            NAME_RU,
            Column(
                "functional_group",
                INTEGER,
                _(
                    "The functional group (1 to 15) of the budget classification; "
                    "empty when not known."
                ),
            ),
            AMOUNT,
        ),
        classification_type="functional",
    ),
)


def resource_get(name: str) -> FiscalResource | None:
    return next((r for r in RESOURCES if r.name == name), None)


@dataclass(frozen=True)
class FiscalSource:
    """The version of the draft a cycle's package holds, and what it holds of it."""

    draft: DraftBudget
    phase: str
    has_execution: bool


def fiscal_source(cycle: BudgetCycle) -> FiscalSource | None:
    """The adopted draft, or the newest public version; None before any is public. One
    query after `selectors.cycle_get` once a draft is adopted, none before."""
    draft = selectors.adopted_draft(cycle)
    if draft is not None:
        return FiscalSource(
            draft=draft,
            phase="approved",
            has_execution=selectors.has_execution_entries(draft),
        )
    public = selectors.public_drafts(cycle)
    if not public:
        return None
    return FiscalSource(draft=public[0], phase="proposed", has_execution=False)


def _package_name(cycle: BudgetCycle) -> str:
    return f"qatysu-{cycle.unit.kato_code}-{cycle.fiscal_year}-budget"


def _field(column: Column) -> dict:
    field = {
        "name": column.name,
        "type": column.type,
        "description": str(column.description),
    }
    if column.type == BOOLEAN:
        field.update(trueValues=["true"], falseValues=["false"])
    if column in (CODE, AMOUNT):
        field["constraints"] = {"required": True}
    return field


def fiscal_descriptor(
    cycle: BudgetCycle, source: FiscalSource, *, homepage: str
) -> dict:
    """The datapackage.json of the cycle's budget; `homepage` is the cycle page's URL."""
    unit = cycle.unit
    year = cycle.fiscal_year
    measures = {}
    dimensions = {}
    for resource in RESOURCES:
        measures[f"{resource.name}_{source.phase}"] = {
            "source": AMOUNT.name,
            "resource": resource.name,
            "currency": CURRENCY,
            "factor": 1,
            "direction": resource.kind,
            "phase": source.phase,
        }
        if source.has_execution:
            measures[f"{resource.name}_executed"] = {
                "source": EXECUTED.name,
                "resource": resource.name,
                "currency": CURRENCY,
                "factor": 1,
                "direction": resource.kind,
                "phase": "executed",
            }
        attributes = {
            "code": {"source": CODE.name, "resource": resource.name},
            "name_kk": {
                "source": NAME_KK.name,
                "resource": resource.name,
                "labelfor": "code",
            },
            "name_ru": {
                "source": NAME_RU.name,
                "resource": resource.name,
                "labelfor": "code",
            },
        }
        if resource.kind == ClassificationKind.EXPENDITURE:
            attributes["functional_group"] = {
                "source": "functional_group",
                "resource": resource.name,
            }
            attributes["code"]["parent"] = "functional_group"
        dimensions[f"{resource.name}_classification"] = {
            "attributes": attributes,
            "primaryKey": "code",
            "dimensionType": "classification",
            "classificationType": resource.classification_type,
        }
    return {
        # The schema of the Fiscal Data Package extends the Tabular Data Package and
        # admits only its profile name; what makes it fiscal is the model below.
        "profile": "tabular-data-package",
        "name": _package_name(cycle),
        "title": gettext("Budget of %(unit)s for %(year)s")
        % {"unit": unit.name, "year": year},
        "description": gettext(
            "Revenue and expenditure of the budget of %(unit)s (KATO %(kato)s) for "
            "%(year)s, version %(version)s of the draft (%(status)s), published by "
            "the Qatysu portal."
        )
        % {
            "unit": unit.name,
            "kato": unit.kato_code,
            "year": year,
            "version": source.draft.version,
            "status": source.draft.get_status_display(),
        },
        "homepage": homepage,
        "version": str(source.draft.version),
        "keywords": ["budget", "fiscal", "Kazakhstan", "local self-government"],
        "licenses": [LICENCE],
        "countryCode": COUNTRY_CODE,
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": resource.name,
                "title": str(resource.title),
                "path": resource.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        _field(column)
                        for column in resource.columns_with(
                            execution=source.has_execution
                        )
                    ],
                    "primaryKey": CODE.name,
                    "missingValues": [""],
                },
            }
            for resource in RESOURCES
        ],
        "model": {"measures": measures, "dimensions": dimensions},
    }


def fiscal_rows(source: FiscalSource, resource: FiscalResource) -> Iterator[dict]:
    lines = selectors.export_fiscal_lines(
        source.draft, kind=resource.kind, with_execution=source.has_execution
    )
    for line in lines.iterator(chunk_size=500):
        row = {
            "code": line["classification__code"],
            "name_kk": line["classification__name_kk"],
            "name_ru": line["classification__name_ru"],
            "amount": line["amount"],
        }
        if resource.kind == ClassificationKind.REVENUE:
            row["is_transfer"] = line["classification__is_transfer"]
        else:
            row["functional_group"] = functional_group_of(
                resource.kind, line["classification__position"]
            )
        if source.has_execution:
            row["executed"] = line["executed"]
        yield row


def fiscal_csv(source: FiscalSource, resource: FiscalResource) -> Iterator[str]:
    """The CSV text of one resource, streamed: the header is the descriptor's fields."""
    return csv_stream(
        resource.columns_with(execution=source.has_execution),
        fiscal_rows(source, resource),
    )
