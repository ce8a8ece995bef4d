"""The citizen's budget: a public version of the draft, or the adopted budget, in plain
words, as a page and as one A4 page of PDF for the akimat's notice board. The cycle's
address shows the adopted budget, else the newest public version; a version's address
shows that version, to whoever may read it on the draft's page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from budgets import citizen_pdf, selectors
from budgets.models import BudgetCycle, DraftBudget
from budgets.views._pages import cycle_of, draft_of
from portal.printed import pdf_response


def _draft(request, cycle: BudgetCycle, version: int | None) -> DraftBudget:
    if version is None:
        return selectors.citizen_draft(cycle)
    # The draft page's rule: a version in preparation is the akimat's alone.
    draft = draft_of(cycle, version, request.user)
    draft.is_superseded = next(
        (d.is_superseded for d in selectors.public_drafts(cycle) if d.pk == draft.pk),
        False,
    )
    return draft


def _url(cycle: BudgetCycle, version: int | None, *, pdf: bool = False) -> str:
    """The address of the cycle's citizen's budget, or of a version's; of its PDF."""
    kwargs = {"kato_code": cycle.unit.kato_code, "fiscal_year": cycle.fiscal_year}
    name = "citizen_pdf" if pdf else "citizen"
    if version is not None:
        kwargs["version"] = version
        name = f"draft_{name}"
    return reverse(f"budgets:{name}", kwargs=kwargs)


@require_safe
def citizen_page(request, kato_code: str, fiscal_year: int, version: int | None = None):
    cycle = cycle_of(kato_code, fiscal_year)
    draft = _draft(request, cycle, version)
    return render(
        request,
        "budgets/citizen.html",
        {
            "cycle": cycle,
            "unit": cycle.unit,
            "draft": draft,
            "budget": selectors.citizen_budget(draft),
            "pdf_url": _url(cycle, version, pdf=True),
        },
    )


@require_safe
def citizen_sheet(
    request, kato_code: str, fiscal_year: int, version: int | None = None
):
    """The page as one A4 sheet of PDF in the language of the address, its QR code
    encoding the page's absolute address on the host the request came to."""
    language = get_language()
    if language not in citizen_pdf.LANGUAGES:
        raise Http404
    cycle = cycle_of(kato_code, fiscal_year)
    draft = _draft(request, cycle, version)
    page_url = request.build_absolute_uri(_url(cycle, version))
    return pdf_response(
        citizen_pdf.citizen_pdf(
            selectors.citizen_budget(draft), page_url=page_url, language=language
        ),
        f"qatysu-{kato_code}-{fiscal_year}-budget-v{draft.version}-{language}.pdf",
    )
