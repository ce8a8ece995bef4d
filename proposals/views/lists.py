"""The lists of proposals: a cycle's, a unit's, and a resident's own.

A list's page is drawn from parts kept by the version of its unit's data
(portal.fragments): the heading and the results, the same for every reader, are drawn once
per change, language, day and query; only what depends on the reader (whether they may
write a proposal, which of the listed ones they support) is asked on each request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string

from budgets.selectors import (
    cycle_from_state_days,
    cycle_get,
    cycle_keys,
    cycle_state,
    state_days,
)
from portal import fragments
from portal.permissions import allows, is_due, refusal
from portal.selectors import unit_get
from proposals import selectors
from proposals.forms import ListFilterForm
from proposals.views._pages import PAGE_SIZE

# A query longer than this (a hostile one, most likely) is drawn, never kept.
KEPT_QUERY_LENGTH = 300


def _draw(
    request, *, unit, cycle=None, state=None, proposing=None, supported=frozenset()
) -> dict:
    """The parts of the list the same for every reader (but for the proposals they
    support, marked on their cards), and what the reader's own parts need: the listed
    proposals' keys and the year of the cycle taking proposals, if any."""
    form = ListFilterForm(request.GET or None, unit=unit)
    filters = form.filters() if request.GET else {}
    queryset = selectors.proposal_list(cycle=cycle, unit=unit, **filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "cycle": cycle,
        "state": state,
        "form": form,
        "page": page,
        "is_filtered": any(
            filters.get(key) for key in ("text", "status", "function_id", "place_id")
        ),
        "is_open": proposing is not None,
        "supported": supported,
    }
    return {
        "title": render_to_string("proposals/includes/list_title.html", context),
        "head": render_to_string("proposals/includes/list_head.html", context, request),
        "results": render_to_string(
            "proposals/includes/list_results.html", context, request
        ),
        "listed": [proposal.pk for proposal in page],
        "kato_code": unit.kato_code,
        "proposing": state_days(proposing) if proposing else None,
    }


def _page(request, *, unit_id: int, name: str, draw):
    query = request.GET.urlencode()
    if len(query) > KEPT_QUERY_LENGTH:
        drawn = draw(frozenset())
    else:
        drawn = fragments.kept(
            fragments.key(unit_id, name, request.path, sorted(request.GET.lists())),
            lambda: draw(frozenset()),
        )
    supported = selectors.supported_ids(user=request.user, proposal_ids=drawn["listed"])
    if supported:
        # The cards of the proposals the reader supports say so: drawn for them.
        drawn = draw(supported)
    return drawn, supported


def _render(request, drawn: dict, supported: set) -> object:
    user = request.user
    kept = drawn["proposing"]
    # Only a signed-in reader may write a proposal or register one; their rights are
    # asked of the cycle taking proposals as it was when the list was drawn.
    proposing = cycle_from_state_days(kept) if kept and user.is_authenticated else None
    return render(
        request,
        "proposals/list.html",
        {
            "drawn": drawn,
            "supported": supported,
            "is_open": kept is not None,
            "kato_code": drawn["kato_code"],
            "proposing_year": kept and kept["fiscal_year"],
            "may_create": proposing is not None
            and allows(user, "proposals.create", proposing),
            "may_register": proposing is not None
            and allows(user, "proposals.register_on_behalf", proposing),
            "create_refusal": refusal("proposals.create"),
        },
    )


def cycle_proposals(request, kato_code: str, fiscal_year: int):
    _cycle_id, unit_id = cycle_keys(kato_code=kato_code, fiscal_year=fiscal_year)

    def draw(supported):
        cycle = cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
        return _draw(
            request,
            unit=cycle.unit,
            cycle=cycle,
            state=cycle_state(cycle),
            proposing=cycle if is_due("proposals.create", cycle) else None,
            supported=supported,
        )

    drawn, supported = _page(
        request, unit_id=unit_id, name="cycle-proposals", draw=draw
    )
    return _render(request, drawn, supported)


def unit_proposals(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)

    def proposing():
        return next(
            (
                cycle
                for cycle in selectors.unit_cycles(unit=unit)
                if is_due("proposals.create", cycle)
            ),
            None,
        )

    def draw(supported):
        return _draw(request, unit=unit, proposing=proposing(), supported=supported)

    drawn, supported = _page(request, unit_id=unit.pk, name="unit-proposals", draw=draw)
    return _render(request, drawn, supported)


@login_required
def my_proposals(request):
    page = Paginator(selectors.my_proposals(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/mine.html", {"page": page})
