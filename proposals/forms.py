"""Forms of proposals: writing one, registering one for a resident, the list's filters,
comments, reports, moderation, the review, the akim's decision and the implementation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.forms import money_field
from budgets.models import BudgetClassification, ClassificationKind
from portal.models import AdministrativeUnit
from portal.texts import TextField
from proposals.models import (
    PHOTOS_MAX,
    Assessment,
    Decision,
    ProposalStatus,
)
from proposals.permissions import REVIEWER_REFUSAL
from proposals.services import AssessmentInput, ProposalInput

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return obj.name


class FunctionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BudgetClassification) -> str:
        return f"{obj.code} {obj.name}"


def expenditure_functions():
    return BudgetClassification.objects.filter(
        kind=ClassificationKind.EXPENDITURE, is_active=True
    ).order_by("position", "code")


def unit_places(unit: AdministrativeUnit):
    """The unit itself and the villages or settlements within it."""
    return AdministrativeUnit.objects.filter(
        pk=unit.pk
    ) | AdministrativeUnit.objects.filter(parent=unit)


class ProposalForm(forms.Form):
    title = TextField(
        label=_("Title"),
        max_length=150,
        help_text=_("What should be done, in a few words."),
        error_messages={"required": _("Give the proposal a title.")},
    )
    description = TextField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should be done, where, and why it matters to residents."),
        error_messages={"required": _("Describe what should be done and why.")},
    )
    function = FunctionChoiceField(
        label=_("Area of spending"),
        queryset=BudgetClassification.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the area of spending.")},
    )
    place = UnitChoiceField(
        label=_("Village or settlement"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=None,
    )
    address = TextField(
        label=_("Street or landmark (optional)"), max_length=200, required=False
    )
    cost_estimate = money_field(_("Cost estimate, tenge (optional)"), required=False)

    def __init__(self, *args, unit: AdministrativeUnit, with_photos: bool = True, **kw):
        super().__init__(*args, **kw)
        self.fields["function"].queryset = expenditure_functions()
        self.fields["place"].queryset = unit_places(unit).order_by("kato_code")
        self.fields["place"].initial = unit.pk
        if with_photos:
            add_photo_fields(self)

    def proposal_input(self) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            title=data["title"],
            description=data["description"],
            function=data["function"],
            place=data["place"],
            address=data["address"],
            cost_estimate=data["cost_estimate"],
        )


def add_photo_fields(form: forms.Form, count: int = PHOTOS_MAX) -> None:
    for number in range(1, count + 1):
        form.fields[f"photo_{number}"] = forms.FileField(
            label=_("Photo %(number)d (optional)") % {"number": number},
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
            help_text=_("JPEG, PNG or WebP, at most 5 MB.") if number == 1 else "",
        )
        form.fields[f"caption_{number}"] = TextField(
            label=_("What photo %(number)d shows") % {"number": number},
            required=False,
            max_length=200,
        )


def posted_photos(form: forms.Form) -> tuple[list, list[str]]:
    photos, captions = [], []
    for number in range(1, PHOTOS_MAX + 1):
        photo = form.cleaned_data.get(f"photo_{number}")
        if photo:
            photos.append(photo)
            captions.append(form.cleaned_data.get(f"caption_{number}", ""))
    return photos, captions


def photo_rows(form: forms.Form):
    return [
        (form[f"photo_{number}"], form[f"caption_{number}"])
        for number in range(1, PHOTOS_MAX + 1)
        if f"photo_{number}" in form.fields
    ]


class RegisterForm(ProposalForm):
    """Staff register a proposal brought on paper, for the resident identified by IIN."""

    iin = TextField(
        label=_("The resident's IIN"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Give the resident's IIN."),
            "max_length": _("An IIN has 12 digits."),
        },
    )
    author_name = TextField(
        label=_("The resident's name as it should be shown"),
        max_length=150,
        error_messages={
            "required": _("Write the resident's name as it should be shown.")
        },
    )
    field_order = ["iin", "author_name"]


class ListFilterForm(forms.Form):
    q = TextField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any status"))]
        + [
            choice
            for choice in ProposalStatus.choices
            if choice[0] != ProposalStatus.DRAFT
        ],
    )
    function = FunctionChoiceField(
        label=_("Area of spending"),
        required=False,
        queryset=BudgetClassification.objects.none(),
        empty_label=_("any area"),
    )
    place = UnitChoiceField(
        label=_("Place"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("anywhere in the unit"),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("newest first")),
            ("supported", _("most supported first")),
        ],
    )

    def __init__(self, *args, unit: AdministrativeUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = expenditure_functions()
        self.fields["place"].queryset = unit_places(unit).order_by("kato_code")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "status": data["status"],
            "function_id": data["function"].pk if data["function"] else None,
            "place_id": data["place"].pk if data["place"] else None,
            "sort": data["sort"] or "newest",
        }


class CommentForm(forms.Form):
    body = TextField(
        label=_("Your comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a comment first.")},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = TextField(
        label=_("What is abusive in it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what is abusive in it.")},
    )


class ModerationForm(forms.Form):
    reason = TextField(
        label=_("Reason (shown to everyone in place of the content)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason; it is shown in place of the content.")
        },
    )


class AssignForm(forms.Form):
    # Anyone posted who is not among the reviewers offered is refused by the rule's words.
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=None,
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": REVIEWER_REFUSAL},
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class AssessmentForm(forms.Form):
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose recommended or not recommended.")},
    )
    is_within_competence = forms.TypedChoiceField(
        label=_("Is it within the competence of the unit's akim?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether it is within the akim's competence.")
        },
    )
    assessed_cost = money_field(_("Cost as assessed, tenge"), required=False)
    feasibility = TextField(
        label=_("Feasibility"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = TextField(
        label=_("Reasons (published)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Give the reasons for the assessment; residents read them.")
        },
    )

    def assessment_input(self) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            assessment=data["assessment"],
            is_within_competence=data["is_within_competence"],
            reasons=data["reasons"],
            feasibility=data["feasibility"],
            assessed_cost=data["assessed_cost"],
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approved or rejected.")},
    )
    reason = TextField(
        label=_("Reason (published)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Give the reason for the decision; it is published.")
        },
    )
    confirm = forms.BooleanField(
        label=_("I understand that the decision is final and published at once."),
        error_messages={"required": _("Confirm that the decision is final.")},
    )


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("Version %(version)s — %(code)s %(name)s") % {
            "version": obj.draft.version,
            "code": obj.classification.code,
            "name": obj.classification.name,
        }


class IncludeForm(forms.Form):
    line = LineChoiceField(
        label=_("Expenditure line of the draft budget"),
        queryset=None,
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the line that funds it.")},
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines


class ImplementForm(forms.Form):
    text = TextField(
        label=_("What was done"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the work that was done.")},
    )
    amount_spent = money_field(_("Amount spent, tenge"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_spent"].error_messages["required"] = _(
            "Give the amount spent, in tenge."
        )
        add_photo_fields(self)
