"""Forms of the residents' vote: its set-up, a project the akimat adds, the ballot (as the
frozen rules draw it: boxes to mark, one choice, or points) and its paper entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.forms import DATE_INPUT
from portal.texts import TextField
from votes.models import BALLOT_PAPER_LAST, BallotKind, CountingRule, Vote
from votes.services import BALLOT_PAPERS_MOST, VoteRules

NUMBER = {"inputmode": "numeric"}


class VoteSetupForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Voting opens on"),
        widget=DATE_INPUT,
        help_text=_("At the start of the day; after the review of proposals ends."),
    )
    ends_on = forms.DateField(
        label=_("Voting closes at the end of"),
        widget=DATE_INPUT,
        help_text=_("The drafting of the budget starts the next day."),
    )
    amount = forms.IntegerField(
        label=_("Amount set aside, tenge"),
        min_value=1,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    ballot_kind = forms.ChoiceField(
        label=_("Ballot"),
        choices=BallotKind.choices,
        widget=forms.RadioSelect,
        initial=BallotKind.APPROVAL,
    )
    min_choices = forms.IntegerField(
        label=_("Approval: fewest projects to mark"), min_value=1, initial=1
    )
    max_choices = forms.IntegerField(
        label=_("Approval: most projects to mark"), min_value=1, initial=3
    )
    points_total = forms.IntegerField(
        label=_("Points: points each voter shares out"), min_value=1, required=False
    )
    points_max = forms.IntegerField(
        label=_("Points: most points for one project"), min_value=1, required=False
    )
    rule = forms.ChoiceField(
        label=_("Counting rule"),
        choices=CountingRule.choices,
        widget=forms.RadioSelect,
        initial=CountingRule.EQUAL_SHARES,
        help_text=_(
            "Equal shares gives each group of voters its fair part of the money, so "
            "that a large village cannot take everything; most votes first funds the "
            "most popular projects until the money runs out."
        ),
    )
    threshold_votes = forms.IntegerField(
        label=_("Minimum: votes a project needs"), min_value=0, required=False
    )
    threshold_percent = forms.DecimalField(
        label=_("Minimum: share of voters a project needs, %"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    min_age = forms.IntegerField(
        label=_("Voters' minimum age"), min_value=14, max_value=100, initial=18
    )
    ballot_changeable = forms.BooleanField(
        label=_("A voter may change their ballot until the close"),
        required=False,
        help_text=_("Unless this is ticked, a ballot is final once cast."),
    )
    cost_cap = forms.IntegerField(
        label=_("Most a project may cost, tenge"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("Approved proposals that cost more are left off the ballot."),
    )

    @classmethod
    def of(cls, vote: Vote, data=None) -> VoteSetupForm:
        initial = {
            field: getattr(vote, field)
            for field in (
                "amount",
                "ballot_kind",
                "min_choices",
                "max_choices",
                "points_total",
                "points_max",
                "rule",
                "threshold_votes",
                "threshold_percent",
                "min_age",
                "ballot_changeable",
                "cost_cap",
            )
        }
        initial.update(starts_on=vote.starts_on, ends_on=vote.ends_on)
        return cls(data, initial=initial)

    def rules(self) -> VoteRules:
        data = self.cleaned_data
        return VoteRules(
            amount=data["amount"],
            ballot_kind=data["ballot_kind"],
            rule=data["rule"],
            min_choices=data["min_choices"],
            max_choices=data["max_choices"],
            points_total=data["points_total"],
            points_max=data["points_max"],
            threshold_votes=data["threshold_votes"],
            threshold_percent=data["threshold_percent"],
            min_age=data["min_age"],
            ballot_changeable=data["ballot_changeable"],
            cost_cap=data["cost_cap"],
        )


class ProjectAddForm(forms.Form):
    title = TextField(label=_("Title"), max_length=150)
    description = TextField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    cost = forms.IntegerField(
        label=_("Cost, tenge"), min_value=1, widget=forms.NumberInput(attrs=NUMBER)
    )
    reason = TextField(
        label=_("Public reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Residents read why the akimat puts this project on the ballot."),
    )


class BallotForm(forms.Form):
    """The ballot as the frozen rules draw it. It only reads what was marked: whether the
    marks are within the rules is the service's to say (votes.services.choices_check)."""

    def __init__(self, data=None, *, vote: Vote, projects, **kwargs):
        super().__init__(data, **kwargs)
        self.vote = vote
        self.projects = projects
        options = [(str(project.pk), project.title) for project in projects]
        if vote.ballot_kind == BallotKind.APPROVAL:
            self.fields["projects"] = forms.MultipleChoiceField(
                label=_("Your choice"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        elif vote.ballot_kind == BallotKind.CHOOSE_ONE:
            self.fields["projects"] = forms.ChoiceField(
                label=_("Your choice"),
                choices=options,
                widget=forms.RadioSelect,
                required=False,
            )
        else:
            for project in projects:
                self.fields[f"points_{project.pk}"] = forms.IntegerField(
                    label=project.title,
                    min_value=0,
                    max_value=vote.points_max,
                    required=False,
                    widget=forms.NumberInput(attrs=NUMBER),
                )

    def choices(self) -> dict[int, int]:
        """Project → points, for the service."""
        data = self.cleaned_data
        if self.vote.ballot_kind == BallotKind.CUMULATIVE:
            return {
                project.pk: data.get(f"points_{project.pk}") or 0
                for project in self.projects
                if data.get(f"points_{project.pk}")
            }
        marked = data.get("projects") or []
        if isinstance(marked, str):
            marked = [marked] if marked else []
        return {int(pk): 1 for pk in marked}

    def options(self):
        """Each project with its box or its points field, in the ballot's order."""
        if "projects" in self.fields:
            widgets = {option.data["value"]: option for option in self["projects"]}
            return [(project, widgets[str(project.pk)]) for project in self.projects]
        return self.point_fields()

    def point_fields(self):
        return [
            (project, self[f"points_{project.pk}"])
            for project in self.projects
            if f"points_{project.pk}" in self.fields
        ]


class PaperBallotForm(BallotForm):
    def __init__(self, data=None, *, vote: Vote, projects, **kwargs):
        super().__init__(data, vote=vote, projects=projects, **kwargs)
        self.fields["iin"] = TextField(
            label=_("The voter's IIN"),
            max_length=20,
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            help_text=_("From the identity document the voter shows."),
        )
        self.fields["paper_number"] = forms.IntegerField(
            label=_("Number of the ballot paper"),
            min_value=1,
            max_value=BALLOT_PAPER_LAST,
            widget=forms.NumberInput(attrs=NUMBER),
            help_text=_("Printed at the top of the paper, after №."),
        )
        self.fields["residency_seen"] = forms.BooleanField(
            label=_(
                "I saw a document showing that the voter lives in %(unit)s (needed when "
                "the voter has no confirmed residency on the portal)"
            )
            % {"unit": vote.cycle.unit.name},
            required=False,
        )


class IinAgainForm(forms.Form):
    iin = TextField(
        label=_("Your IIN"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Asked once, to know your date of birth: the vote has a minimum age."
        ),
    )


class BallotPapersForm(forms.Form):
    """How many numbered ballot papers to issue: numbered on from the last issued."""

    count = forms.IntegerField(
        label=_("How many papers"),
        min_value=1,
        max_value=BALLOT_PAPERS_MOST,
        initial=50,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("At most 500 at once."),
    )
