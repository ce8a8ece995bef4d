"""Forms of the portal app: the choice of notifications, the dashboard's year."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import notifications

# A kind's label and its two checkboxes.
KindRow = tuple[str | Promise, forms.BoundField, forms.BoundField]


class NotificationPreferencesForm(forms.Form):
    """Two checkboxes for each registered kind: in the site and by e-mail."""

    def __init__(self, *args, choices: dict[str, tuple[bool, bool]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = list(choices)
        for kind, (in_app, by_email) in choices.items():
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("In the site"), required=False, initial=in_app
            )
            self.fields[f"{kind}__by_email"] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=by_email
            )

    def rows(self) -> Iterator[KindRow]:
        """Each kind's label and its two fields, for the template."""
        for kind in self.kinds:
            yield (
                notifications.KINDS[kind].label,
                self[f"{kind}__in_app"],
                self[f"{kind}__by_email"],
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        """What was chosen, as `notification_preferences_update` takes it."""
        return {
            kind: (
                self.cleaned_data[f"{kind}__in_app"],
                self.cleaned_data[f"{kind}__by_email"],
            )
            for kind in self.kinds
        }


class DashboardYearForm(forms.Form):
    """The fiscal year of the transparency dashboard, chosen from those it can show."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())

    def __init__(self, *args, years: range, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in reversed(years)]

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.errors:
            # The message the page shows beside the form (id "year-error") describes it.
            self.fields["year"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "year-error"}
            )
