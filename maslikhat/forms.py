"""Forms of the maslikhat's vote: opening a session with the deputies present or absent,
and a deputy's ballot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maslikhat.models import BallotChoice
from portal.texts import TextField

DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class SessionOpenForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputies = deputies
        for deputy in deputies:
            self.fields[f"present_{deputy.pk}"] = forms.BooleanField(
                label=str(deputy), required=False, initial=True
            )
            self.fields[f"reason_{deputy.pk}"] = TextField(
                label=_("Reason for the absence of %(deputy)s") % {"deputy": deputy},
                required=False,
                max_length=300,
            )

    def deputy_rows(self):
        return [
            (deputy, self[f"present_{deputy.pk}"], self[f"reason_{deputy.pk}"])
            for deputy in self.deputies
        ]

    def clean(self):
        cleaned = super().clean()
        for deputy in self.deputies:
            if (
                not cleaned.get(f"present_{deputy.pk}")
                and not cleaned.get(f"reason_{deputy.pk}", "").strip()
            ):
                self.add_error(
                    f"reason_{deputy.pk}",
                    forms.ValidationError(
                        _("Give the reason of every absence."),
                        code="absence_reason_required",
                    ),
                )
        return cleaned

    def absences(self) -> dict[int, str]:
        return {
            deputy.pk: self.cleaned_data[f"reason_{deputy.pk}"].strip()
            for deputy in self.deputies
            if not self.cleaned_data[f"present_{deputy.pk}"]
        }


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=BallotChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vote for, against or abstain.")},
    )
