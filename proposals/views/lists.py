"""The lists of proposals: a cycle's, a unit's, and a resident's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from budgets.selectors import cycle_get, cycle_state
from portal.permissions import allows, is_due
from portal.selectors import unit_get
from proposals import selectors
from proposals.forms import ListFilterForm
from proposals.views._pages import PAGE_SIZE


def _list(request, *, unit, cycle=None, state=None):
    form = ListFilterForm(request.GET or None, unit=unit)
    filters = form.filters() if request.GET else {}
    queryset = selectors.proposal_list(cycle=cycle, unit=unit, **filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    is_open = cycle is not None and is_due("proposals.create", cycle)
    return render(
        request,
        "proposals/list.html",
        {
            "unit": unit,
            "cycle": cycle,
            "state": state,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_filtered": any(
                filters.get(key)
                for key in ("text", "status", "function_id", "place_id")
            ),
            "supported": selectors.supported_ids(user=request.user, proposals=page),
            "may_create": cycle is not None
            and allows(request.user, "proposals.create", cycle),
            "may_register": cycle is not None
            and allows(request.user, "proposals.register_on_behalf", cycle),
            "is_open": is_open,
        },
    )


def cycle_proposals(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    return _list(request, unit=cycle.unit, cycle=cycle, state=cycle_state(cycle))


def unit_proposals(request, kato_code: str):
    return _list(request, unit=unit_get(kato_code=kato_code))


@login_required
def my_proposals(request):
    page = Paginator(selectors.my_proposals(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/mine.html", {"page": page})
