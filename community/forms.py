"""Forms of gatherings: calling one, the residents present, the votes at its close, its
cancelling and the unit's rules; and of the community meeting: a member recorded or
leaving, a sitting called and closed with the members present."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.iin import normalize_iin, validate_iin
from community.models import Convener, Gathering, GatheringRules, Mandate
from community.services import (
    AGENDA_MAX_ITEMS,
    ATTENDANCE_BATCH_MAX,
    GatheringData,
    ItemVotes,
    MemberData,
    SittingData,
)
from portal.texts import TextField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def agenda_field() -> TextField:
    return TextField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=AGENDA_MAX_ITEMS * 310,
        help_text=_("One question a line, in the order they are taken; at most 20."),
        error_messages={"required": _("Give at least one question of the agenda.")},
    )


def agenda_lines(text: str) -> list[str]:
    items = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(items) > AGENDA_MAX_ITEMS:
        raise forms.ValidationError(_("An agenda has at most 20 questions."))
    if any(len(item) > 300 for item in items):
        raise forms.ValidationError(_("A question is at most 300 characters."))
    return items


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
    agenda = agenda_field()
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
        return agenda_lines(self.cleaned_data["agenda"])

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
        lines = [
            line for line in self.cleaned_data["iins"].splitlines() if line.strip()
        ]
        if len(lines) > ATTENDANCE_BATCH_MAX:
            raise forms.ValidationError(
                _(
                    "At most %(most)s IINs are sent at once; %(count)s are given. Send "
                    "the rest as another list."
                )
                % {"most": ATTENDANCE_BATCH_MAX, "count": len(lines)}
            )
        return lines


def reason_field(help_text, required) -> TextField:
    """The reason for cancelling, told to those who were called."""
    return TextField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": required},
    )


class CancelForm(forms.Form):
    reason = reason_field(
        _("Residents told of the gathering are told this reason."),
        _("Give the residents the reason for cancelling."),
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
        fields = GatheringRules.ALL_FIELDS


class MemberForm(forms.Form):
    full_name = TextField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As on the identity card; it is shown on the meeting's page."),
        error_messages={"required": _("Give the member's full name.")},
    )
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Checked against the household register; never shown."),
    )
    mandate = forms.ChoiceField(
        label=_("Mandate"),
        choices=Mandate.choices,
        initial=Mandate.ELECTED,
        widget=forms.RadioSelect,
    )
    elected_by = forms.ModelChoiceField(
        label=_("Elected by the gathering"),
        queryset=Gathering.objects.none(),
        required=False,
        empty_label=_("Choose the gathering"),
        help_text=_("A gathering of this unit held with its quorum."),
    )
    basis = TextField(
        label=_("Basis of the appointment"),
        max_length=300,
        required=False,
        help_text=_("When appointed: the decision and its number."),
    )
    term_starts = forms.DateField(label=_("Term starts"), widget=DATE_INPUT)
    term_ends = forms.DateField(
        label=_("Term ends (optional)"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Left empty, the full term the rules set."),
    )

    def __init__(self, *args, gatherings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elected_by"].queryset = Gathering.objects.filter(
            pk__in=[gathering.pk for gathering in gatherings]
        ).select_related("unit", "place")

    def clean_iin(self) -> str:
        iin = normalize_iin(self.cleaned_data["iin"])
        validate_iin(iin)
        return iin

    def clean(self):
        data = super().clean()
        if data.get("mandate") == Mandate.ELECTED and not data.get("elected_by"):
            self.add_error(
                "elected_by", _("Choose the gathering that elected the member.")
            )
        if data.get("mandate") == Mandate.APPOINTED and not data.get("basis"):
            self.add_error(
                "basis",
                _("Give the basis of the appointment: the decision and its number."),
            )
        return data

    def data_object(self) -> MemberData:
        data = self.cleaned_data
        return MemberData(
            full_name=data["full_name"],
            iin=data["iin"],
            mandate=data["mandate"],
            elected_by=data["elected_by"],
            basis=data["basis"],
            term_starts=data["term_starts"],
            term_ends=data["term_ends"],
        )


class MemberEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Leaves on"), widget=DATE_INPUT)
    reason = TextField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Resigned, moved away, recalled by the gathering…"),
        error_messages={"required": _("Give the reason the member leaves.")},
    )


class SittingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    starts_at = forms.TimeField(label=_("Time"), widget=TIME_INPUT)
    venue = TextField(label=_("Place of the sitting"), max_length=200)
    agenda = agenda_field()

    def clean_agenda(self) -> list[str]:
        return agenda_lines(self.cleaned_data["agenda"])

    def data_object(self) -> SittingData:
        data = self.cleaned_data
        return SittingData(
            held_on=data["held_on"],
            starts_at=data["starts_at"],
            venue=data["venue"],
            items=data["agenda"],
        )


class SittingCloseForm(CloseForm):
    """The members present, by name, and the votes on each item."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"] = forms.ModelMultipleChoiceField(
            label=pgettext_lazy("names", "Members present"),
            queryset=members,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def present_ids(self) -> set[int]:
        return {member.pk for member in self.cleaned_data["present"]}


class SittingCancelForm(forms.Form):
    reason = reason_field(
        _("The members are told this reason."),
        _("Give the members the reason for cancelling."),
    )
