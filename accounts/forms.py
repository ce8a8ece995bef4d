"""Forms of accounts: sign-up and sign-in (django-allauth's, with the person's name and
the labels above the fields), the names in the profile, the residency claim and the
refusal of one."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core import validators
from django.utils.translation import gettext_lazy as _

from accounts.iin import normalize_iin, validate_iin
from accounts.models import DISPLAY_NAME_MAX_LENGTH
from portal import notifications
from portal.models import AdministrativeUnit, Level
from portal.texts import TextField

NAME_MAX_LENGTH = 150


def first_name_field() -> forms.CharField:
    return TextField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )


def last_name_field() -> forms.CharField:
    return TextField(
        label=_("Surname"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give your surname.")},
        help_text=_(
            "As on your identity card: the akimat's staff see your full name when they "
            "confirm where you live. Others see only the name you choose to show, by "
            "default your first name and the initial of your surname."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


# The longest password any form takes (sign-in, sign-up, change, reset, the admin's
# sign-in): long enough for any passphrase, short of a megabyte hashed on every try.
PASSWORD_MAX_LENGTH = 128


def bound_password(field: forms.Field) -> None:
    """A password field refuses more than PASSWORD_MAX_LENGTH characters, with the
    reason, before anything hashes it."""
    if isinstance(field.widget, forms.PasswordInput):
        field.max_length = PASSWORD_MAX_LENGTH
        field.validators.append(validators.MaxLengthValidator(PASSWORD_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


class LabelsAboveMixin:
    """The site shows each label above its field: a placeholder repeating it inside the
    field is dropped (it vanishes as one types, and is read twice by screen readers).
    Every password field is bounded (`bound_password`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            bound_password(field)


class SignupForm(LabelsAboveMixin, allauth_forms.SignupForm):
    first_name = first_name_field()
    last_name = last_name_field()

    field_order = ["first_name", "last_name", "email", "password1", "password2"]


class LoginForm(LabelsAboveMixin, allauth_forms.LoginForm):
    pass


class AddEmailForm(LabelsAboveMixin, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(LabelsAboveMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(LabelsAboveMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(LabelsAboveMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(LabelsAboveMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(LabelsAboveMixin, allauth_forms.ReauthenticateForm):
    pass


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, with the password bounded as on the site's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_password(self.fields["password"])


class NamesForm(forms.Form):
    """The profile's names: the full one for the akimat, the one shown to others."""

    first_name = first_name_field()
    last_name = last_name_field()
    display_name = TextField(
        label=_("Name shown to others"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=_(
            "Shown beside your proposals and comments. Leave it empty to show your "
            "first name and the initial of your surname."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


PLACE_LEVELS = (
    Level.VILLAGE,
    Level.SETTLEMENT,
    Level.CITY_OF_DISTRICT_SIGNIFICANCE,
    Level.RURAL_DISTRICT,
)


class ResidencyClaimForm(forms.Form):
    iin = TextField(
        label=_("IIN"),
        max_length=20,
        help_text=_(
            "12 digits, as on your identity card. We keep only its last four digits."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    place = forms.ModelChoiceField(
        label=_("Place of residence"),
        queryset=AdministrativeUnit.objects.filter(level__in=PLACE_LEVELS),
        to_field_name="kato_code",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the place where you live."),
            "invalid_choice": _("Choose a village, settlement or town from the list."),
        },
    )

    first_name = first_name_field()
    last_name = last_name_field()

    field_order = ["first_name", "last_name", "iin", "place"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_iin:
            del self.fields["iin"]
        # Asked of accounts opened before sign-up asked for it.
        if user.first_name.strip() and user.last_name.strip():
            del self.fields["first_name"], self.fields["last_name"]

    def clean_iin(self) -> str:
        iin = normalize_iin(self.cleaned_data["iin"])
        validate_iin(iin)
        return iin


class ResidencyRefusalForm(forms.Form):
    # Not required at the field: an empty and a blank reason both get the one code below.
    reason = TextField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("The resident will read this reason."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Give the resident a reason for the refusal."),
                code="refusal_reason_required",
            )
        return reason


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("The register as a CSV or XLSX file"),
        help_text=_(
            "A row a resident, the first row naming the columns: IIN, KATO (the "
            "settlement's code, not needed in a unit of one settlement), street, house, "
            "flat, phone (optional). Column names may be in Kazakh, Russian or English."
        ),
        error_messages={"required": _("Choose the file of the register.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    whole = forms.BooleanField(
        label=_(
            "This file is the whole register of the unit: residents it does not list "
            "are removed from the portal's copy."
        ),
        error_messages={
            "required": _("Confirm that the file is the whole register of the unit.")
        },
    )


class VerificationChannelsForm(forms.Form):
    by_register = forms.BooleanField(
        label=_("Confirm claims whose IIN and settlement the household register lists"),
        required=False,
    )
    by_sms = forms.BooleanField(
        label=_(
            "Let residents whom the household register lists with a mobile number "
            "confirm their claim by a code sent to that number"
        ),
        required=False,
    )


class TextCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from the SMS"),
        help_text=_("Six digits."),
        max_length=12,
        error_messages={"required": _("Enter the code from the SMS.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "usa-input usa-input--small",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                _("The code is six digits, as the SMS gives it."), code="code_format"
            )
        return code


class MobileNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Your mobile number"),
        help_text=_("A Kazakhstan mobile number, such as +7 701 123 45 67."),
        max_length=30,
        error_messages={"required": _("Enter your mobile number.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class SmsKindsForm(forms.Form):
    """The kinds of notice fit for SMS (portal.notifications), one box each."""

    kinds = forms.MultipleChoiceField(
        label=_("Also send me by SMS"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [
            (name, kind.sms_label or kind.label)
            for name, kind in notifications.sms_kinds().items()
        ]
