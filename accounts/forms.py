"""Forms of accounts: the residency claim and the refusal of one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.iin import normalize_iin, validate_iin
from portal.models import AdministrativeUnit, Level

PLACE_LEVELS = (
    Level.VILLAGE,
    Level.SETTLEMENT,
    Level.CITY_OF_DISTRICT_SIGNIFICANCE,
    Level.RURAL_DISTRICT,
)


class ResidencyClaimForm(forms.Form):
    iin = forms.CharField(
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_iin:
            del self.fields["iin"]

    def clean_iin(self) -> str:
        iin = normalize_iin(self.cleaned_data["iin"])
        validate_iin(iin)
        return iin


class ResidencyRefusalForm(forms.Form):
    # Not required at the field: an empty and a blank reason both get the one code below.
    reason = forms.CharField(
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
