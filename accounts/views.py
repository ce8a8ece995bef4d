"""Pages of accounts: the profile, the residency claim, the akimat's residency queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    PLACE_LEVELS,
    NamesForm,
    RegisterImportForm,
    ResidencyClaimForm,
    ResidencyRefusalForm,
    VerificationChannelsForm,
)
from accounts.models import Residency
from accounts.register import ERRORS_SHOWN, RegisterRefused, register_rows
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.permissions import allows, require
from portal.selectors import unit_get

PLACE_CHOICES_SHOWN = 20


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The person's page; its one form changes their full name and the name shown."""
    user = request.user
    if request.method == "POST":
        names_form = NamesForm(request.POST)
        if names_form.is_valid():
            try:
                services.user_names_update(user=user, **names_form.cleaned_data)
            except DomainError as error:
                names_form.add_error(None, ValidationError(error.message))
            else:
                messages.success(request, _("Your names are saved."))
                return redirect("accounts:profile")
    else:
        names_form = NamesForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "display_name": user.display_name,
            }
        )
    residency = selectors.user_residency(user=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "names_form": names_form,
            "residency": residency,
            "memberships": selectors.user_memberships(user=user),
            "staff_units": selectors.staff_units(user=user),
            "is_moderator": selectors.is_moderator(user=user),
            "fiscal_year": current_fiscal_year(),
        },
        status=400 if names_form.errors else 200,
    )


def _place_candidates(query: str, chosen: str):
    found = (
        list(
            selectors.places_matching(query, levels=PLACE_LEVELS)[
                : PLACE_CHOICES_SHOWN + 1
            ]
        )
        if query
        else []
    )
    if chosen and not any(unit.kato_code == chosen for unit in found):
        found = [*selectors.places_coded(chosen, levels=PLACE_LEVELS), *found]
    return found


@sensitive_post_parameters("iin")
@login_required
@require_http_methods(["GET", "POST"])
def residency_claim(request):
    """One form: search for the place and give the IIN. A search posts the form too, so
    that the typed IIN is kept without ever appearing in a URL."""
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()[:100]
    chosen = data.get("place", "")
    if request.method == "POST" and "search" not in request.POST:
        form = ResidencyClaimForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.residency_claim(
                    user=request.user,
                    place=form.cleaned_data["place"],
                    iin=form.cleaned_data.get("iin"),
                    first_name=form.cleaned_data.get("first_name"),
                    last_name=form.cleaned_data.get("last_name"),
                )
            except DomainError as error:
                field = "iin" if error.code.startswith("iin") else None
                form.add_error(field, ValidationError(error.message, code=error.code))
            else:
                messages.success(
                    request,
                    _(
                        "Your claim is sent to the akimat. You will be told of its answer."
                    ),
                )
                return redirect("accounts:profile")
    else:
        initial = {
            "place": chosen,
            "iin": request.POST.get("iin", ""),
            "first_name": request.POST.get("first_name", ""),
            "last_name": request.POST.get("last_name", ""),
        }
        form = ResidencyClaimForm(user=request.user, initial=initial)
    candidates = _place_candidates(query, chosen)
    return render(
        request,
        "accounts/residency_claim.html",
        {
            "form": form,
            "query": query,
            "chosen": chosen,
            "candidates": candidates[:PLACE_CHOICES_SHOWN],
            "more_candidates": len(candidates) > PLACE_CHOICES_SHOWN,
            "fiscal_year": current_fiscal_year(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def residency_queue(request):
    require(request.user, "accounts.view_residency_queue")
    page = Paginator(selectors.residency_queue(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/residency_queue.html", {"page": page})


def _residency_for_decision(request, pk: int) -> Residency:
    residency = selectors.residency_get(pk=pk)
    require(request.user, "accounts.decide_residency", residency)
    return residency


@login_required
def residency_detail(request, pk: int):
    residency = _residency_for_decision(request, pk)
    return render(
        request,
        "accounts/residency_detail.html",
        {"residency": residency, "refusal_form": ResidencyRefusalForm()},
    )


@login_required
@require_POST
def residency_verify(request, pk: int):
    residency = _residency_for_decision(request, pk)
    try:
        services.residency_verify(residency=residency, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:residency_detail", pk=pk)
    messages.success(request, _("The residency is confirmed and the resident is told."))
    return redirect("accounts:residency_queue")


@login_required
@require_POST
def residency_refuse(request, pk: int):
    residency = _residency_for_decision(request, pk)
    form = ResidencyRefusalForm(request.POST)
    if form.is_valid():
        try:
            services.residency_refuse(
                residency=residency,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The claim is refused and the resident is told why.")
            )
            return redirect("accounts:residency_queue")
    return render(
        request,
        "accounts/residency_detail.html",
        {"residency": residency, "refusal_form": form},
        status=400,
    )


REGISTER_IMPORTS_SHOWN = 10


def _register_page(request, unit, *, import_form=None, errors=()):
    channels = selectors.unit_verification(unit=unit)
    errors = list(errors)
    return render(
        request,
        "accounts/register.html",
        {
            "unit": unit,
            "summary": selectors.register_summary(unit=unit),
            "imports": Paginator(
                selectors.register_imports(unit=unit), REGISTER_IMPORTS_SHOWN
            ).get_page(request.GET.get("page")),
            "import_form": import_form or RegisterImportForm(),
            "channels": channels,
            "channels_form": VerificationChannelsForm(
                initial={
                    "by_register": channels.by_register,
                }
            ),
            "may_set_channels": allows(
                request.user, "accounts.set_verification_channels", unit
            ),
            "line_errors": errors[:ERRORS_SHOWN],
            "line_errors_left_out": max(0, len(errors) - ERRORS_SHOWN),
        },
        status=400 if errors or (import_form and import_form.errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, kato_code: str):
    """The unit's household register: what it holds, its imports, a new import."""
    unit = unit_get(kato_code=kato_code)
    require(request.user, "accounts.manage_register", unit)
    if request.method == "GET":
        return _register_page(request, unit)
    form = RegisterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _register_page(request, unit, import_form=form)
    upload = form.cleaned_data["file"]
    try:
        rows = register_rows(upload, unit)
        record = services.register_import(
            unit=unit, actor=request.user, rows=rows, filename=upload.name
        )
    except RegisterRefused as refused:
        form.add_error(
            None,
            _(
                "Nothing was imported: %(count)d rows are wrong. Correct them and "
                "import the file again."
            )
            % {"count": len(refused.errors)},
        )
        return _register_page(request, unit, import_form=form, errors=refused.errors)
    except DomainError as error:
        form.add_error("file", error.message)
        return _register_page(request, unit, import_form=form)
    messages.success(
        request,
        _(
            "The register is imported: %(rows)d residents, %(added)d added, "
            "%(changed)d changed, %(removed)d removed; %(confirmed)d residency claims "
            "confirmed."
        )
        % {
            "rows": record.rows,
            "added": record.added,
            "changed": record.changed,
            "removed": record.removed,
            "confirmed": record.confirmed,
        },
    )
    return redirect("accounts:register", kato_code=unit.kato_code)


@login_required
@require_POST
def verification_channels(request, kato_code: str):
    unit = unit_get(kato_code=kato_code)
    require(request.user, "accounts.set_verification_channels", unit)
    form = VerificationChannelsForm(request.POST)
    form.is_valid()  # two optional boxes: always valid
    services.verification_channels_set(
        unit=unit, actor=request.user, **form.cleaned_data
    )
    messages.success(request, _("The ways of confirming residency are saved."))
    return redirect("accounts:register", kato_code=unit.kato_code)
