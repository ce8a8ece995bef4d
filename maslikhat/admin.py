"""Admin of the maslikhat's vote: a maslikhat's rules are configuration and are edited
here; sessions, their members and ballots are read only, since they change only through
maslikhat/services.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from maslikhat.models import Ballot, MaslikhatRules, SessionMember, VotingSession
from portal.admin import ReadOnlyAdmin
from portal.models import MASLIKHAT_LEVELS, AdministrativeUnit


class MaslikhatRulesForm(forms.ModelForm):
    class Meta:
        model = MaslikhatRules
        fields = [
            "district",
            "quorum_numerator",
            "quorum_denominator",
            "majority_numerator",
            "majority_denominator",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdministrativeUnit.objects.filter(
            level__in=MASLIKHAT_LEVELS
        )

    def clean(self):
        cleaned = super().clean()
        quorum = (cleaned.get("quorum_numerator"), cleaned.get("quorum_denominator"))
        majority = (
            cleaned.get("majority_numerator"),
            cleaned.get("majority_denominator"),
        )
        if None not in quorum and not 0 < quorum[0] <= quorum[1]:
            self.add_error(
                "quorum_numerator",
                _("The quorum is a share of all deputies: from 1/n up to all of them."),
            )
        if None not in majority and not 0 < majority[0] < majority[1]:
            self.add_error(
                "majority_numerator",
                _("The majority is a share of all deputies below one whole."),
            )
        return cleaned


@admin.register(MaslikhatRules)
class MaslikhatRulesAdmin(admin.ModelAdmin):
    """The rules in force are copied into each session when it opens: a change here never
    alters an open or closed session."""

    form = MaslikhatRulesForm
    list_display = [
        "district",
        "quorum_numerator",
        "quorum_denominator",
        "majority_numerator",
        "majority_denominator",
    ]
    list_select_related = ["district"]
    raw_id_fields = ["district"]


class SessionMemberInline(admin.TabularInline):
    model = SessionMember
    fields = ["deputy", "is_present", "absence_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VotingSession)
class VotingSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "draft",
        "district",
        "opens_at",
        "closes_at",
        "closed_at",
        "outcome",
    ]
    list_filter = ["outcome"]
    list_select_related = ["draft__cycle__unit", "district"]
    inlines = [SessionMemberInline]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["session", "deputy", "choice", "cast_at"]
    list_filter = ["choice"]
    list_select_related = ["session__draft__cycle__unit", "deputy"]
