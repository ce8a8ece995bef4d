"""Pages of accounts: the profile, the residency claim and its confirmation by SMS code,
the number and kinds of SMS notices, the akimat's residency queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.codes import ErrorCode
from accounts.forms import (
    PLACE_LEVELS,
    MobileNumberForm,
    NamesForm,
    RegisterImportForm,
    ResidencyClaimForm,
    ResidencyRefusalForm,
    SmsKindsForm,
    TextCodeForm,
    VerificationChannelsForm,
)
from accounts.models import CodePurpose, Residency
from accounts.register import ERRORS_SHOWN, RegisterRefused, register_rows
from accounts.signin import client_address
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.permissions import allows, require
from portal.phones import phone_display, phone_masked
from portal.selectors import notification_sms_kinds, unit_get

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
            "may_confirm_by_sms": residency is not None
            and residency.is_pending
            and _sms_number(residency)[0] != "",
            "mobile_number": phone_display(user.mobile_number),
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
                    "by_sms": channels.by_sms,
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


def _sms_number(residency: Residency) -> tuple[str, str]:
    """The register's number a code for this claim goes to, or "" and why none."""
    try:
        return services.register_sms_number(residency), ""
    except DomainError as error:
        return "", str(error.message)


# A refusal to send a code: too many asked (429), the gateway away (503), else 400.
SEND_REFUSAL_STATUS = {
    ErrorCode.SMS_RATE_LIMITED: 429,
    ErrorCode.SMS_UNAVAILABLE: 503,
}


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def residency_code(request, pk: int):
    """The claimant confirms their pending claim by a code sent to the number the
    household register gives for them: one button sends it, one form takes it."""
    residency = selectors.residency_get(pk=pk)
    require(request.user, "accounts.confirm_residency_by_sms", residency)
    form = TextCodeForm()
    send_error = ""
    status = 200
    if request.method == "POST" and "send" in request.POST:
        try:
            record = services.residency_code_send(
                residency=residency,
                user=request.user,
                address=client_address(request),
            )
        except DomainError as error:
            send_error = str(error.message)
            status = SEND_REFUSAL_STATUS.get(error.code, 400)
        else:
            messages.success(
                request,
                _("A code was sent by SMS to %(number)s.")
                % {"number": phone_masked(record.phone)},
            )
            return redirect("accounts:residency_code", pk=pk)
    elif request.method == "POST":
        form = TextCodeForm(request.POST)
        if form.is_valid():
            try:
                services.residency_code_check(
                    residency=residency,
                    user=request.user,
                    code=form.cleaned_data["code"],
                )
            except DomainError as error:
                form.add_error("code", ValidationError(error.message, code=error.code))
            else:
                messages.success(
                    request, _("Your residence is confirmed by the SMS code.")
                )
                return redirect("accounts:profile")
        status = 400
    number, unavailable = _sms_number(residency)
    return render(
        request,
        "accounts/residency_code.html",
        {
            "residency": residency,
            "number": phone_masked(number) if number else "",
            "unavailable": unavailable,
            "live_code": selectors.text_code_live(
                user=request.user, purpose=CodePurpose.RESIDENCY, residency=residency
            ),
            "form": form,
            "send_error": send_error,
            "minutes": settings.QATYSU_SMS_CODE_MINUTES,
        },
        status=status,
    )


@sensitive_post_parameters("code", "number")
@login_required
@require_http_methods(["GET", "POST"])
def sms_notices(request):
    """The person's own mobile number for SMS notices (confirmed by a code), the kinds
    of notice they also get by SMS, and the way to stop them."""
    user = request.user
    number_form, code_form = MobileNumberForm(), TextCodeForm()
    kinds_form = SmsKindsForm(initial={"kinds": notification_sms_kinds(user=user)})
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST":
        status = 400
        try:
            if action == "send":
                number_form = MobileNumberForm(request.POST)
                if number_form.is_valid():
                    record = services.mobile_code_send(
                        user=user,
                        number=number_form.cleaned_data["number"],
                        address=client_address(request),
                    )
                    messages.success(
                        request,
                        _("A code was sent by SMS to %(number)s.")
                        % {"number": phone_display(record.phone)},
                    )
                    return redirect("accounts:sms_notices")
            elif action == "confirm":
                code_form = TextCodeForm(request.POST)
                if code_form.is_valid():
                    services.mobile_code_check(
                        user=user, code=code_form.cleaned_data["code"]
                    )
                    messages.success(
                        request,
                        _(
                            "Your mobile number is confirmed. Choose below which "
                            "notices you also get by SMS."
                        ),
                    )
                    return redirect("accounts:sms_notices")
            elif action == "kinds":
                kinds_form = SmsKindsForm(request.POST)
                if kinds_form.is_valid():
                    services.sms_kinds_choose(
                        user=user, kinds=set(kinds_form.cleaned_data["kinds"])
                    )
                    messages.success(request, _("Your choice of SMS notices is saved."))
                    return redirect("accounts:sms_notices")
            elif action == "remove":
                services.mobile_remove(user=user)
                messages.success(
                    request,
                    _("Your mobile number is removed: no more notices come by SMS."),
                )
                return redirect("accounts:sms_notices")
        except DomainError as error:
            form = {"send": number_form, "confirm": code_form}.get(action, kinds_form)
            field = {"send": "number", "confirm": "code"}.get(action, "kinds")
            form.add_error(field, ValidationError(error.message, code=error.code))
            if action == "send":
                status = SEND_REFUSAL_STATUS.get(error.code, 400)
    live_code = selectors.text_code_live(user=user, purpose=CodePurpose.MOBILE)
    return render(
        request,
        "accounts/sms_notices.html",
        {
            "mobile_number": phone_display(user.mobile_number),
            "live_code": live_code,
            "live_number": phone_display(live_code.phone) if live_code else "",
            "number_form": number_form,
            "code_form": code_form,
            "kinds_form": kinds_form,
            "minutes": settings.QATYSU_SMS_CODE_MINUTES,
        },
        status=status,
    )
