"""Forms of gatherings: calling one, the residents present, the votes at its close, its
cancelling and the unit's rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Convener, Gathering, GatheringRules, RulesFields
from community.services import (
    AGENDA_MAX_ITEMS,
    ATTENDANCE_BATCH_MAX,
    GatheringData,
    ItemVotes,
)
from portal.texts import TextField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class GatheringForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=None,
        required=False,
        empty_label=_("The whole unit (a gathering of all its residents)"),
        help_text=_(
            "Or a settlement, for a separate gathering of its residents; give a street "
            "or a building below to hold it for them alone."
        ),
    )
    street = TextField(label=_("Street (optional)"), max_length=100, required=False)
    house = TextField(label=_("House (optional)"), max_length=20, required=False)
    subject = TextField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("Say what the gathering is about.")},
    )
    agenda = TextField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=AGENDA_MAX_ITEMS * 310,
        help_text=_("One question a line, in the order they are taken; at most 20."),
        error_messages={"required": _("Give at least one question of the agenda.")},
    )
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    starts_at = forms.TimeField(label=_("Time"), widget=TIME_INPUT)
    venue = TextField(
        label=_("Place of the gathering"),
        max_length=200,
        help_text=_("Where residents come: the building and its address."),
    )
    convener = forms.ChoiceField(
        label=_("Convened by"),
        choices=Convener.choices,
        initial=Convener.AKIM,
        widget=forms.RadioSelect,
    )
    signatures = forms.IntegerField(
        label=_("Signatures collected"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_("When the residents convene it: the signatures on their sheets."),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    @classmethod
    def initial_of(cls, gathering: Gathering) -> dict:
        return {
            "place": gathering.place_id,
            "street": gathering.street,
            "house": gathering.house,
            "subject": gathering.subject,
            "agenda": "\n".join(item.title for item in gathering.items.all()),
            "held_on": gathering.held_on,
            "starts_at": gathering.starts_at,
            "venue": gathering.venue,
            "convener": gathering.convener,
            "signatures": gathering.signatures,
        }

    def clean_agenda(self) -> list[str]:
        items = [
            " ".join(line.split())
            for line in self.cleaned_data["agenda"].splitlines()
            if line.strip()
        ]
        if len(items) > AGENDA_MAX_ITEMS:
            raise forms.ValidationError(_("An agenda has at most 20 questions."))
        if any(len(item) > 300 for item in items):
            raise forms.ValidationError(_("A question is at most 300 characters."))
        return items

    def clean(self):
        data = super().clean()
        if data.get("convener") == Convener.RESIDENTS and not data.get("signatures"):
            self.add_error(
                "signatures",
                _("Give the number of signatures the residents collected."),
            )
        return data

    def data_object(self) -> GatheringData:
        data = self.cleaned_data
        return GatheringData(
            place=data["place"],
            street=data["street"],
            house=data["house"],
            subject=data["subject"],
            held_on=data["held_on"],
            starts_at=data["starts_at"],
            venue=data["venue"],
            convener=data["convener"],
            signatures=data["signatures"],
            items=data["agenda"],
        )


class AttendanceForm(forms.Form):
    iins = forms.CharField(
        label=_("IINs of the residents present"),
        widget=forms.Textarea(
            attrs={"rows": 4, "inputmode": "numeric", "autocomplete": "off"}
        ),
        max_length=ATTENDANCE_BATCH_MAX * 20,
        help_text=_(
            "One IIN a line, as on the identity card. Without a connection the list is "
            "kept on this device and sent when the connection returns; an IIN sent "
            "twice counts once."
        ),
        error_messages={"required": _("Enter at least one IIN.")},
    )

    def clean_iins(self) -> list[str]:
        return [line for line in self.cleaned_data["iins"].splitlines() if line.strip()]


class CancelForm(forms.Form):
    reason = TextField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Residents told of the gathering are told this reason."),
        error_messages={"required": _("Give the residents the reason for cancelling.")},
    )


class CloseForm(forms.Form):
    """The votes on each item: for, against, abstaining, and the decision's words."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for key, label in (
                ("for", _("For")),
                ("against", _("Against")),
                ("abstain", _("Abstained")),
            ):
                self.fields[f"item_{item.pk}_{key}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=10_000_000, required=False
                )
            self.fields[f"item_{item.pk}_decision"] = TextField(
                label=_("Decision"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def item_rows(self):
        for item in self.items:
            yield (
                item,
                [
                    self[f"item_{item.pk}_{key}"]
                    for key in ("for", "against", "abstain")
                ],
                self[f"item_{item.pk}_decision"],
            )

    def votes(self) -> dict[int, ItemVotes]:
        data = self.cleaned_data
        return {
            item.pk: ItemVotes(
                data[f"item_{item.pk}_for"],
                data[f"item_{item.pk}_against"],
                data[f"item_{item.pk}_abstain"],
                data[f"item_{item.pk}_decision"] or "",
            )
            for item in self.items
        }


class RulesForm(forms.ModelForm):
    class Meta:
        model = GatheringRules
        fields = RulesFields.RULE_FIELDS
