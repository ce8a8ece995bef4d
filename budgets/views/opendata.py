"""Pages and downloads of the open data: a cycle's data page, its data sets in CSV and JSON,
its budget as a Fiscal Data Package, and the documentation of them all. Thin: the data
sets and the package are read from budgets.opendata and budgets.fiscal_data_package."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from budgets import fiscal_data_package, opendata
from budgets.models import BudgetCycle
from budgets.views._pages import cycle_of

CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"


def download_name(cycle: BudgetCycle, name: str) -> str:
    return f"qatysu-{cycle.unit.kato_code}-{cycle.fiscal_year}-{name}"


def _stream(chunks, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def cycle_data(request, kato_code: str, fiscal_year: int):
    """The downloads of a cycle: its data sets and its budget as a Fiscal Data Package."""
    cycle = cycle_of(kato_code, fiscal_year)
    source = fiscal_data_package.fiscal_source(cycle)
    return render(
        request,
        "budgets/cycle_data.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "datasets": [d for d in opendata.datasets() if d.is_available(cycle)],
            "fiscal": source,
            "fiscal_resources": fiscal_data_package.RESOURCES,
        },
    )


def _dataset(cycle: BudgetCycle, slug: str) -> opendata.Dataset:
    dataset = opendata.dataset_get(slug)
    if dataset is None or not dataset.is_available(cycle):
        raise Http404
    return dataset


@require_safe
def dataset_csv(request, kato_code: str, fiscal_year: int, slug: str):
    cycle = cycle_of(kato_code, fiscal_year)
    dataset = _dataset(cycle, slug)
    return _stream(
        opendata.export_csv(dataset, cycle),
        content_type=CSV,
        filename=download_name(cycle, f"{slug}.csv"),
    )


@require_safe
def dataset_json(request, kato_code: str, fiscal_year: int, slug: str):
    cycle = cycle_of(kato_code, fiscal_year)
    dataset = _dataset(cycle, slug)
    return _stream(
        opendata.export_json(dataset, cycle),
        content_type=JSON,
        filename=download_name(cycle, f"{slug}.json"),
    )


def _fiscal_source(cycle: BudgetCycle) -> fiscal_data_package.FiscalSource:
    source = fiscal_data_package.fiscal_source(cycle)
    if source is None:
        raise Http404
    return source


@require_safe
def fiscal_descriptor(request, kato_code: str, fiscal_year: int):
    """The package's datapackage.json. Its resources' paths are relative: the CSV files
    are beside it, and saved under the same names they keep together offline."""
    cycle = cycle_of(kato_code, fiscal_year)
    descriptor = fiscal_data_package.fiscal_descriptor(
        cycle,
        _fiscal_source(cycle),
        homepage=request.build_absolute_uri(cycle.get_absolute_url()),
    )
    response = HttpResponse(
        json.dumps(descriptor, ensure_ascii=False, indent=2), content_type=JSON
    )
    response["Content-Disposition"] = (
        f'inline; filename="{fiscal_data_package.DESCRIPTOR}"'
    )
    return response


@require_safe
def fiscal_resource(request, kato_code: str, fiscal_year: int, name: str):
    cycle = cycle_of(kato_code, fiscal_year)
    resource = fiscal_data_package.resource_get(name)
    if resource is None:
        raise Http404
    return _stream(
        fiscal_data_package.fiscal_csv(_fiscal_source(cycle), resource),
        content_type=CSV,
        filename=resource.path,
    )


@require_safe
def opendata_docs(request):
    """What every data set and the Fiscal Data Package hold, column by column."""
    return render(
        request,
        "budgets/opendata_docs.html",
        {
            "datasets": opendata.datasets(),
            "fiscal_resources": fiscal_data_package.RESOURCES,
            "executed_columns": (fiscal_data_package.EXECUTED,),
            "type_formats": opendata.TYPE_FORMATS,
            "licence": opendata.LICENCE,
        },
    )
