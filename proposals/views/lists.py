"""The lists of proposals: a cycle's, a unit's, and a resident's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from budgets.selectors import cycle_get, cycle_state
from portal.permissions import allows, is_due, refusal
from portal.selectors import unit_get
from proposals import selectors
from proposals.forms import ListFilterForm
from proposals.views._pages import PAGE_SIZE


def _list(request, *, unit, cycle=None, state=None, proposing=None):
    """The proposals of a cycle, or of every cycle of the unit; `proposing` is the cycle
    whose proposals are being written, which the page offers to write one for."""
    form = ListFilterForm(request.GET or None, unit=unit)
    filters = form.filters() if request.GET else {}
    queryset = selectors.proposal_list(cycle=cycle, unit=unit, **filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/list.html",
        {
            "unit": unit,
            "cycle": cycle,
            "state": state,
            "form": form,
            "page": page,
            "is_filtered": any(
                filters.get(key)
                for key in ("text", "status", "function_id", "place_id")
            ),
            "supported": selectors.supported_ids(user=request.user, proposals=page),
            "proposing": proposing,
            "may_create": proposing is not None
            and allows(request.user, "proposals.create", proposing),
            "may_register": proposing is not None
            and allows(request.user, "proposals.register_on_behalf", proposing),
            "is_open": proposing is not None,
            "create_refusal": refusal("proposals.create"),
        },
    )


def cycle_proposals(request, kato_code: str, fiscal_year: int):
    cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    return _list(
        request,
        unit=cycle.unit,
        cycle=cycle,
        state=cycle_state(cycle),
        proposing=cycle if is_due("proposals.create", cycle) else None,
    )


def unit_proposals(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    proposing = next(
        (
            cycle
            for cycle in selectors.unit_cycles(unit=unit)
            if is_due("proposals.create", cycle)
        ),
        None,
    )
    return _list(request, unit=unit, proposing=proposing)


@login_required
def my_proposals(request):
    page = Paginator(selectors.my_proposals(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/mine.html", {"page": page})
