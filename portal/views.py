"""The public shell: home, unit search and unit pages, notifications and their choice,
the favicon."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from portal import selectors, services
from portal.fiscal import current_fiscal_year
from portal.forms import NotificationPreferencesForm
from portal.models import LOCAL_SELF_GOVERNMENT_LEVELS

SEARCH_PAGE_SIZE = 20
CHILDREN_PAGE_SIZE = 100


def bad_request(request, exception=None):
    """A request Django cannot read (too many fields, a malformed one): the site's page in
    the visitor's language (the URLconf's handler400), not a bare "Bad Request"."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason: str = ""):
    """A form refused because its security token was missing or stale (settings'
    CSRF_FAILURE_VIEW): the site's page in the visitor's language, saying what to do."""
    return render(request, "403_csrf.html", status=403)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: they are sent to the SVG."""
    return redirect(static("img/favicon.svg"))


def home(request):
    fiscal_year = current_fiscal_year()
    districts = selectors.districts()
    chosen = request.GET.get("district", "")
    district = next((d for d in districts if d.kato_code == chosen), None)
    return render(
        request,
        "portal/home.html",
        {
            "regions": selectors.regions(),
            "districts": districts,
            "district": district,
            "budget_units": selectors.units_with_own_budget(
                district=district, fiscal_year=fiscal_year
            )
            if district
            else None,
            "fiscal_year": fiscal_year,
        },
    )


def unit_search(request):
    text = request.GET.get("q", "").strip()[:100]
    page = None
    if text:
        page = Paginator(selectors.unit_search(text=text), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "portal/unit_search.html", {"query": text, "page": page})


def unit_detail(request, kato_code: str):
    unit = selectors.unit_get(kato_code=kato_code)
    fiscal_year = current_fiscal_year()
    children = Paginator(
        selectors.unit_children(unit=unit), CHILDREN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for child in children:
        child.budget_status = child.own_budget_status(fiscal_year)
    status = unit.own_budget_status(fiscal_year)
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "fiscal_year": fiscal_year,
            "budget_status": status,
            "budget_unit": None if status.holds else unit.budget_unit(fiscal_year),
            "children": children,
            "budget_children": [
                child for child in children if child.budget_status.holds
            ],
            # A district, city or region: its dashboard sums and compares its units.
            "is_area": unit.level not in LOCAL_SELF_GOVERNMENT_LEVELS,
        },
    )


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, now=timezone.now())
    return redirect(notification.get_absolute_url() or "portal:notification_list")


@login_required
def notification_link(request, pk: int):
    """Where a text message's short link leads: the notice's page (a GET, so that it
    opens from a phone's messages; it marks nothing read)."""
    notification = selectors.notification_of(user=request.user, pk=pk)
    return redirect(notification.get_absolute_url() or "portal:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        choices=selectors.notification_preferences(user=request.user),
    )
    if form.is_valid():
        services.notification_preferences_update(
            user=request.user, choices=form.choices()
        )
        messages.success(request, _("Your choice of notifications is saved."))
        return redirect("portal:notification_settings")
    return render(
        request,
        "portal/notification_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
