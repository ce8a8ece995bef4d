"""The transparency dashboard's pages: one unit's budget of a fiscal year, or the units of
a district or region summed and compared. Thin: parse, read through portal.dashboard (whose
sections the apps register), render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import dashboard, selectors, snapshots
from portal.fiscal import current_fiscal_year
from portal.forms import DashboardYearForm
from portal.models import LOCAL_SELF_GOVERNMENT_LEVELS, OWN_BUDGET_FIRST_YEAR

COMPARISON_PAGE_SIZE = 50


def dashboard_years() -> range:
    """The years the dashboard shows: from the reform's first budgets to the year after
    next (a cycle may be opened that early: late in the year, next year's budget is being
    adopted while the year after's proposals and residents' vote run)."""
    return range(OWN_BUDGET_FIRST_YEAR, current_fiscal_year() + 3)


def _url(unit, fiscal_year: int, sort: str = "") -> str:
    url = reverse(
        "portal:dashboard",
        kwargs={"kato_code": unit.kato_code, "fiscal_year": fiscal_year},
    )
    return f"{url}?{urlencode({'sort': sort})}" if sort else url


def dashboard_index(request, kato_code: str):
    """The year chosen in the form (GET), or the current year."""
    unit = selectors.unit_get(kato_code=kato_code)
    if "year" not in request.GET:
        return redirect(_url(unit, current_fiscal_year()))
    form = DashboardYearForm(request.GET, years=dashboard_years())
    if form.is_valid():
        sort = request.GET.get("sort", "")
        return redirect(
            _url(
                unit,
                form.cleaned_data["year"],
                sort if sort in dashboard.sort_choices() else "",
            )
        )
    return render(
        request,
        "portal/dashboard_year.html",
        {"unit": unit, "year_form": form, "areas": [], "sort": ""},
        status=400,
    )


def dashboard_page(request, kato_code: str, fiscal_year: int):
    """A unit's dashboard when it holds its own budget in the year; a district's or a
    region's (any unit above the local level) summing and comparing its units; else
    where the place's residents take part."""
    unit = selectors.unit_get(kato_code=kato_code)
    years = dashboard_years()
    if fiscal_year not in years:
        raise Http404
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "year_form": DashboardYearForm(initial={"year": fiscal_year}, years=years),
        "areas": [
            ancestor
            for ancestor in unit.ancestors
            if ancestor.level not in LOCAL_SELF_GOVERNMENT_LEVELS
        ],
        "sort": "",
    }
    status = unit.own_budget_status(fiscal_year)
    if not status.holds and unit.level in LOCAL_SELF_GOVERNMENT_LEVELS:
        context["budget_status"] = status
        context["budget_unit"] = unit.budget_unit(fiscal_year)
        return render(request, "portal/dashboard_none.html", context)
    context["refresh_minutes"] = settings.QATYSU_DASHBOARD_REFRESH_MINUTES
    kind = "unit" if status.holds else "area"
    sort = request.GET.get("sort", "")
    sort = sort if kind == "area" and sort in dashboard.sort_choices() else ""
    page_number = request.GET.get("page", "1")
    # The page's body drawn from a snapshot is kept, keyed by the snapshot's time: the
    # same figures are drawn once per language, order and page of the comparison. A
    # page number that is not a small number is drawn, never kept.
    keep = page_number.isdigit() and len(page_number) <= 3
    computed_at = selectors.dashboard_snapshot_time(unit=unit, fiscal_year=fiscal_year)
    body = None
    if computed_at is not None and keep:
        body = cache.get(_body_key(unit, fiscal_year, computed_at, sort, page_number))
    if body is None:
        # The figures as last computed; the first reader of a dashboard computes them.
        figures, computed_at = selectors.dashboard_snapshot_get(
            unit=unit, fiscal_year=fiscal_year
        ) or snapshots.dashboard_snapshot_take(unit=unit, fiscal_year=fiscal_year)
        body = render_to_string(
            f"portal/includes/dashboard_{kind}_body.html",
            {
                **context,
                **_body(
                    unit, fiscal_year, kind, figures, computed_at, sort, page_number
                ),
            },
            request,
        )
        if keep:
            cache.set(
                _body_key(unit, fiscal_year, computed_at, sort, page_number),
                body,
                BODY_KEPT_SECONDS,
            )
    context.update({"body": body, "computed_at": computed_at, "sort": sort})
    return render(request, f"portal/dashboard_{kind}.html", context)


# A drawn body outlives its snapshot's refresh by nothing (a new snapshot, a new key);
# it is dropped after a day so that the bodies of old snapshots do not fill the cache.
BODY_KEPT_SECONDS = 24 * 60 * 60


def _body_key(unit, fiscal_year: int, computed_at, sort: str, page: str) -> str:
    return ":".join(
        [
            "dashboard-body",
            dashboard.layout(),
            str(unit.pk),
            str(fiscal_year),
            computed_at.isoformat(),
            get_language(),
            sort,
            page,
        ]
    )


def _body(unit, fiscal_year, kind, figures, computed_at, sort, page_number) -> dict:
    """What the body of a unit's or an area's dashboard shows, from its figures."""
    if kind == "unit":
        return {
            "dashboard": dashboard.unit_dashboard(
                unit=unit,
                fiscal_year=fiscal_year,
                figures=figures,
                computed_at=computed_at,
            )
        }
    area = dashboard.area_dashboard(
        area=unit,
        fiscal_year=fiscal_year,
        sort=sort,
        figures=figures,
        computed_at=computed_at,
    )
    page = Paginator(area.rows, COMPARISON_PAGE_SIZE).get_page(page_number)
    column = area.chart_column
    return {
        "dashboard": area,
        "page": page,
        "headers": _headers(area),
        "chart": dashboard.comparison_chart(
            page.object_list,
            column,
            title=_("The units compared: %(figure)s") % {"figure": column.label},
            description=_(
                "One bar per unit of this page of the comparison, with its figure; "
                "units without the figure have no bar. The table gives every figure."
            ),
        )
        if column is not None and page.object_list
        else None,
        "sort": area.sort,
    }


def _headers(area: dashboard.AreaDashboard) -> list[dict]:
    """Each column's header: where its link sorts, and how the table is sorted by it.
    A first click sorts names A to Z and figures largest first; a second reverses."""
    headers = []
    for key, label, kind in [
        (dashboard.DEFAULT_SORT, _("Unit"), None),
        *((column.key, column.label, column.kind) for column in area.columns),
    ]:
        is_sorted = area.sort_key == key
        if is_sorted:
            following = key if area.is_descending else f"-{key}"
        else:
            following = key if kind is None else f"-{key}"
        headers.append(
            {
                "key": key,
                "label": label,
                "kind": kind,
                "sort": following,
                "aria_sort": (
                    ("descending" if area.is_descending else "ascending")
                    if is_sorted
                    else None
                ),
            }
        )
    return headers
