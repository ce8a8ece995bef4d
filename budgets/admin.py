"""Admin of budgets: the classification and the phase calendars are configuration and are
edited here; cycles, drafts, comments, meetings and the execution's entries are read
only, since they change only through budgets/services.py and budgets/execution.py."""

from __future__ import annotations

import calendar
import datetime
import itertools

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    CommunityMeeting,
    DraftBudget,
    DraftComment,
    ExecutionEntry,
    Phase,
    PhaseCalendar,
    validate_month_day,
)
from portal.admin import ReadOnlyAdmin
from portal.models import AdministrativeUnit

# The calendar's days in the order the phases run; each must fall after the one before.
CALENDAR_DAYS = [
    "proposals_open_start",
    "proposals_open_end",
    "review_end",
    "drafting_end",
    "public_discussion_end",
    "coordination_end",
    "maslikhat_vote_end",
]
# Any leap year: 02-29 is a day of the calendar (lifecycle moves it to 02-28 in other years).
LEAP_YEAR = 2000


@admin.register(BudgetClassification)
class BudgetClassificationAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_kk",
        "name_ru",
        "kind",
        "is_transfer",
        "position",
        "is_active",
    ]
    list_display_links = ["code", "name_kk"]
    list_editable = ["position", "is_active"]
    list_filter = ["kind", "is_transfer", "is_active"]
    search_fields = [
        "code",
        "name_kk",
        "name_ru",
        "plain_name_kk",
        "plain_name_ru",
        "plain_name_en",
    ]
    ordering = ["kind", "position", "code"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "code",
                    "name_kk",
                    "name_ru",
                    "is_transfer",
                    "position",
                    "is_active",
                ]
            },
        ),
        (
            _("In plain words, for the citizen's budget"),
            {
                "description": _(
                    "What a resident would call this entry, and what it pays for in "
                    "one line. Where a language is left blank, the citizen's budget "
                    "shows the official name only."
                ),
                "fields": [
                    ("plain_name_kk", "purpose_kk"),
                    ("plain_name_ru", "purpose_ru"),
                    ("plain_name_en", "purpose_en"),
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a used entry between revenue and expenditure, or in or out of the
        # transfers, would change the totals of drafts already published; a new code
        # would change what they say. Names may still be corrected (a typo, a translation).
        if obj is not None and BudgetLine.objects.filter(classification=obj).exists():
            return ["kind", "code", "is_transfer"]
        return []


def _calendar_day(value: str) -> datetime.date | None:
    """The day `MM-DD` names in a leap year, or None when there is no such day."""
    try:
        month, day = (int(part) for part in value.split("-"))
        return datetime.date(LEAP_YEAR, month, day)
    except ValueError:
        return None


def _clamped(day: datetime.date, year: int) -> datetime.date:
    # As budgets.lifecycle reads the calendar: 02-29 is 02-28 in a common year.
    last = calendar.monthrange(year, day.month)[1]
    return datetime.date(year, day.month, min(day.day, last))


class PhaseCalendarForm(forms.ModelForm):
    class Meta:
        model = PhaseCalendar
        fields = ["region", *CALENDAR_DAYS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A calendar belongs to a top-level unit: a region or a city of republican
        # significance, which is what budgets.services.calendar_for looks up.
        self.fields["region"].queryset = AdministrativeUnit.objects.filter(
            parent__isnull=True
        )

    def clean(self):
        cleaned_data = super().clean()
        days = {}
        for name in CALENDAR_DAYS:
            value = cleaned_data.get(name)
            try:
                validate_month_day(value)
            except forms.ValidationError:
                continue  # the model's validation reports it
            day = _calendar_day(value)
            if day is None:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("%(value)s is not a day of the year."),
                        code="month_day_invalid",
                        params={"value": value},
                    ),
                )
                continue
            days[name] = day
        if len(days) < len(CALENDAR_DAYS):
            return cleaned_data
        # In a common year, where 02-29 and 02-28 are the same day, each phase must still
        # end after the day before it; proposals may open and close on one day.
        common_year = LEAP_YEAR + 1
        for earlier, later in itertools.pairwise(CALENDAR_DAYS):
            before = _clamped(days[earlier], common_year)
            after = _clamped(days[later], common_year)
            may_be_same_day = earlier == "proposals_open_start"
            if after < before or (after == before and not may_be_same_day):
                message = (
                    _("This day cannot come before “%(earlier)s” (%(day)s).")
                    if may_be_same_day
                    else _("This day must come after “%(earlier)s” (%(day)s).")
                )
                self.add_error(
                    later,
                    forms.ValidationError(
                        message,
                        code="month_day_order",
                        params={
                            "earlier": PhaseCalendar._meta.get_field(
                                earlier
                            ).verbose_name,
                            "day": cleaned_data[earlier],
                        },
                    ),
                )
        return cleaned_data


@admin.register(PhaseCalendar)
class PhaseCalendarAdmin(admin.ModelAdmin):
    form = PhaseCalendarForm
    list_display = ["__str__", *CALENDAR_DAYS]
    list_select_related = ["region"]
    ordering = ["region__kato_code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The national default is what every region without its own calendar uses.
        if obj is not None and obj.region_id is None:
            return False
        return super().has_delete_permission(request, obj)


class PhaseInline(admin.TabularInline):
    model = Phase
    fields = ["kind", "starts_on", "ends_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BudgetCycle)
class BudgetCycleAdmin(ReadOnlyAdmin):
    list_display = [
        "unit",
        "fiscal_year",
        "announced_phase",
        "announced_at",
        "created_at",
    ]
    list_filter = ["announced_phase", "fiscal_year"]
    search_fields = ["unit__kato_code", "unit__name_kk", "unit__name_ru"]
    list_select_related = ["unit"]
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = [
        "cycle__unit__kato_code",
        "cycle__unit__name_kk",
        "cycle__unit__name_ru",
    ]
    list_select_related = ["cycle__unit"]


@admin.register(DraftBudget)
class DraftBudgetAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "version", "status", "published_at", "submitted_at"]
    list_filter = ["status"]
    search_fields = [
        "cycle__unit__kato_code",
        "cycle__unit__name_kk",
        "cycle__unit__name_ru",
    ]
    list_select_related = ["cycle__unit"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["draft", "classification", "amount"]
    list_filter = ["classification__kind"]
    search_fields = ["classification__code", "draft__cycle__unit__kato_code"]
    list_select_related = ["draft__cycle__unit", "classification"]


@admin.register(CommunityMeeting)
class CommunityMeetingAdmin(ReadOnlyAdmin):
    list_display = ["draft", "held_on", "members_present", "members_total", "decision"]
    list_filter = ["decision"]
    list_select_related = ["draft__cycle__unit"]


@admin.register(DraftComment)
class DraftCommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "draft", "author", "is_official", "line"]
    list_filter = ["is_official"]
    search_fields = ["body"]
    list_select_related = ["draft__cycle__unit", "author", "line__classification"]
    date_hierarchy = "created_at"


@admin.register(ExecutionEntry)
class ExecutionEntryAdmin(ReadOnlyAdmin):
    list_display = ["line", "quarter", "amount", "corrects", "recorded_at"]
    list_filter = ["quarter", "line__classification__kind"]
    search_fields = [
        "line__classification__code",
        "line__draft__cycle__unit__kato_code",
    ]
    list_select_related = ["line__draft__cycle__unit", "line__classification"]
    raw_id_fields = ["line", "corrects"]
