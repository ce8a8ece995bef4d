"""Admin of the registry, the audit trail and notifications (read-only), the akimats'
contacts and the calendar."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextInputWidget
from django.utils.translation import gettext_lazy as _

from portal.models import (
    AdministrativeUnit,
    Akimat,
    AuditEvent,
    CalendarDay,
    Notification,
)
from portal.phones import KazakhstanPhoneField


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadOnlyAdmin):
    """Read-only: the territory changes by `import_kato` and `import_population` only."""

    list_display = [
        "kato_code",
        "name_kk",
        "name_ru",
        "level",
        "population",
        "population_year",
    ]
    list_filter = ["level"]
    search_fields = ["kato_code", "name_kk", "name_ru"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Akimat)
class AkimatAdmin(admin.ModelAdmin):
    """The contacts residents read on the unit's pages, kept by hand: found by the unit's
    KATO code or name, or by the akimat's own name."""

    list_display = ["unit_kato_code", "name_kk", "name_ru", "phone", "email"]
    search_fields = [
        "unit__kato_code",
        "unit__name_kk",
        "unit__name_ru",
        "name_kk",
        "name_ru",
    ]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    formfield_overrides = {
        KazakhstanPhoneField: {
            "widget": AdminTextInputWidget(attrs={"type": "tel", "autocomplete": "tel"})
        }
    }
    fieldsets = [
        (None, {"fields": ["unit", "phone", "email"]}),
        (
            _("In Kazakh"),
            {
                "fields": [
                    "name_kk",
                    "akim_name_kk",
                    "address_kk",
                    "working_hours_kk",
                    "in_person_kk",
                ]
            },
        ),
        (
            _("In Russian"),
            {
                "fields": [
                    "name_ru",
                    "akim_name_ru",
                    "address_ru",
                    "working_hours_ru",
                    "in_person_ru",
                ]
            },
        ),
    ]

    @admin.display(description=_("KATO code"), ordering="unit__kato_code")
    def unit_kato_code(self, obj: Akimat) -> str:
        return obj.unit.kato_code


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "verb", "actor", "unit", "target_type", "target_id"]
    list_filter = ["verb"]
    search_fields = ["verb", "target_id"]
    list_select_related = ["actor", "unit", "target_type"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The days off and working days the `holidays` package does not know of yet."""

    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    search_fields = ["reason"]
    date_hierarchy = "date"
