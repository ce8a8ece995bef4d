"""Admin of the registry (read with search), the audit trail and notifications (read-only)."""

from django.contrib import admin

from portal.models import AdministrativeUnit, AuditEvent, Notification


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
