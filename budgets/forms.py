"""Forms of budgets: opening a cycle, the draft's lines, comments, the meeting, extensions,
and the execution's reports and corrections."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import (
    COMMENT_MAX_LENGTH,
    DATED_PHASES,
    MEETING_MEMBERS_MAX,
    MEETING_MEMBERS_MIN,
    MONEY,
    TIMELINE_PHASES,
    BudgetClassification,
    CyclePhase,
    MeetingDecision,
)
from portal.formats import day_text
from portal.texts import TextField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        localize=False,
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
        ),
        error_messages={
            "min_value": _("An amount cannot be negative."),
            "max_decimal_places": _("Tenge have at most two decimal places (tiyn)."),
            "invalid": _(
                "Write the amount in tenge as digits, for example 1250000.50."
            ),
        },
    )


class CycleOpenForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), min_value=2018, max_value=2100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for phase in DATED_PHASES:
            label = CyclePhase(phase).label
            self.fields[f"{phase}_starts_on"] = forms.DateField(
                label=_("%(phase)s: from") % {"phase": label}, widget=DATE_INPUT
            )
            self.fields[f"{phase}_ends_on"] = forms.DateField(
                label=_("%(phase)s: until") % {"phase": label}, widget=DATE_INPUT
            )

    def phase_rows(self):
        return [
            (
                CyclePhase(phase).label,
                self[f"{phase}_starts_on"],
                self[f"{phase}_ends_on"],
            )
            for phase in DATED_PHASES
        ]

    def dates(self) -> dict[str, tuple[datetime.date, datetime.date]]:
        data = self.cleaned_data
        return {
            phase: (data[f"{phase}_starts_on"], data[f"{phase}_ends_on"])
            for phase in DATED_PHASES
        }


class LineForm(forms.Form):
    classification = forms.ModelChoiceField(
        queryset=BudgetClassification.objects.filter(is_active=True),
        widget=forms.HiddenInput,
    )
    amount = money_field(_("Amount, tenge"), required=False)
    explanation = TextField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
    )


class BaseLineFormSet(forms.BaseFormSet):
    """The draft's lines as the editor posts them: one row for every entry the page drew.
    The editor saves the whole list, so a row missing from the post would delete its line:
    a list shorter than the page's (a management form tampered with, missing, or cut
    short on the way) is refused whole."""

    def is_cut_short(self) -> bool:
        """Fewer rows posted than the page drew (one per entry of `initial`)."""
        if not self.is_bound:
            return False
        if not self.management_form.is_valid():
            return True
        return self.total_form_count() < len(self.initial or ())

    def clean(self):
        seen = set()
        for form in self.forms:
            entry = form.cleaned_data.get("classification")
            if entry is None:
                continue
            if entry.pk in seen:
                raise forms.ValidationError(
                    _("Each classification code appears once."), code="duplicate_line"
                )
            seen.add(entry.pk)


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=0)


class DraftForm(forms.Form):
    cash_balance_used = money_field(
        _("Free cash balances used to finance a deficit, tenge"), required=True
    )
    note = TextField(
        label=_("Explanatory note"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = TextField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a comment first.")},
    )
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyForm(forms.Form):
    body = TextField(
        label=_("Official reply"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a reply first.")},
    )


class SittingDecisionForm(forms.Form):
    """The meeting's decision from a question of its sitting."""

    item = forms.ModelChoiceField(
        label=_("The sitting's question on the draft"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the question the meeting voted on.")},
    )
    sitting_remarks = TextField(
        label=_("Remarks"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Adopted without remarks, the draft is coordinated; with remarks, "
            "coordinated with remarks; not adopted, it is returned, and the remarks say "
            "why."
        ),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = self.item_label

    @staticmethod
    def item_label(item) -> str:
        return _(
            "Sitting of %(day)s, question %(number)s: %(title)s (for %(for)s, against "
            "%(against)s, abstained %(abstain)s)"
        ) % {
            "day": day_text(item.sitting.held_on),
            "number": item.position,
            "title": item.title,
            "for": "—" if item.votes_for is None else item.votes_for,
            "against": "—" if item.votes_against is None else item.votes_against,
            "abstain": "—" if item.votes_abstain is None else item.votes_abstain,
        }


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE_INPUT)
    members_total = forms.IntegerField(
        label=_("Members of the meeting"),
        min_value=MEETING_MEMBERS_MIN,
        max_value=MEETING_MEMBERS_MAX,
        help_text=_("From 5 to 25 members, delegated by the local gathering."),
        error_messages={
            "min_value": _("A community meeting has from 5 to 25 members."),
            "max_value": _("A community meeting has from 5 to 25 members."),
        },
    )
    members_present = forms.IntegerField(label=_("Members present"), min_value=1)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=MeetingDecision.choices, widget=forms.RadioSelect
    )
    remarks = TextField(
        label=_("Remarks"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required unless the draft was coordinated without remarks."),
    )
    minutes = forms.FileField(
        label=_("Minutes (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Attach the minutes of the meeting as a PDF.")},
    )

    def clean(self):
        cleaned = super().clean()
        total, present = cleaned.get("members_total"), cleaned.get("members_present")
        if total is not None and present is not None and present > total:
            self.add_error(
                "members_present",
                forms.ValidationError(
                    _("More members are present than the meeting has."),
                    code="meeting_present_out_of_range",
                ),
            )
        return cleaned


class PhaseExtendForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[(phase, CyclePhase(phase).label) for phase in TIMELINE_PHASES],
    )
    ends_on = forms.DateField(label=_("New end date"), widget=DATE_INPUT)
    reason = TextField(
        label=_("Public reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Residents read it on the cycle's history."),
        error_messages={"required": _("Give the public a reason.")},
    )


# The execution of the adopted budget.


class ExecutionLineForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    amount = money_field(_("Received or spent in the quarter, tenge"), required=False)
    note = TextField(
        label=_("Note"), required=False, max_length=2000, widget=forms.TextInput()
    )


ExecutionLineFormSet = forms.formset_factory(ExecutionLineForm, extra=0)


class ExecutionQuarterForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[(quarter, quarter) for quarter in (1, 2, 3, 4)],
        error_messages={"invalid_choice": _("A quarter is 1, 2, 3 or 4.")},
    )


class ExecutionCorrectForm(forms.Form):
    new_total = money_field(_("Right total of the quarter, tenge"), required=True)
    # The field strips what is typed: a reason of spaces only is no reason.
    reason = TextField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public: residents read it in the line's history."),
        error_messages={
            "required": _("Give the public the reason for the correction.")
        },
    )
