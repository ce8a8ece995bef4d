"""Admin of the registry, the audit trail and notifications (read-only), and the calendar."""

from django.contrib import admin

from portal.models import AdministrativeUnit, AuditEvent, CalendarDay, Notification


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
