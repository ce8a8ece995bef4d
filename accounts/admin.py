"""Admin of users, residencies (read-only) and role memberships (granted and ended by services)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import AdminLoginForm
from accounts.models import Residency, RoleMembership, User
from portal.admin import ReadOnlyAdmin
from portal.errors import DomainError
from portal.formats import day_text


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "iin_last4", "is_staff"]
    search_fields = ["email", "first_name", "last_name", "display_name", "iin_last4"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "display_name",
                    "iin_last4",
                    "language",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["iin_last4"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "place",
        "budget_unit",
        "status",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["user", "place", "budget_unit"]


class RoleMembershipForm(forms.ModelForm):
    class Meta:
        model = RoleMembership
        fields = ["user", "role", "unit", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        starts_on = cleaned.get("starts_on", self.instance.starts_on)
        ends_on = cleaned.get("ends_on")
        if self.instance.pk is None:
            if cleaned.get("unit") and cleaned.get("role"):
                error = services.role_scope_error(
                    role=cleaned["role"], unit=cleaned["unit"]
                )
                if error:
                    self.add_error("unit", error.message)
        elif ends_on is None:
            self.add_error("ends_on", _("Set the day on which the role ends."))
        elif self.instance.ends_on is not None and ends_on > self.instance.ends_on:
            self.add_error(
                "ends_on",
                _(
                    "This role already ends on %(day)s; its end can only be brought earlier."
                )
                % {"day": day_text(self.instance.ends_on)},
            )
        if ends_on is not None and starts_on is not None and ends_on <= starts_on:
            self.add_error("ends_on", _("A role must end after the day it starts."))
        return cleaned


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    """A grant is a new membership; an end is the end date set on it. Both are audited."""

    form = RoleMembershipForm
    list_display = ["user", "role", "unit", "starts_on", "ends_on", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__email", "unit__name_kk", "unit__name_ru", "unit__kato_code"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "granted_by"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "role", "unit", "starts_on"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change and "ends_on" not in form.changed_data:
            return
        try:
            if change:
                saved = services.role_end(
                    membership=obj, actor=request.user, ends_on=obj.ends_on
                )
            else:
                saved = services.role_grant(
                    user=obj.user,
                    role=obj.role,
                    unit=obj.unit,
                    actor=request.user,
                    starts_on=obj.starts_on,
                    ends_on=obj.ends_on,
                )
        except DomainError as error:
            # The form validated the scope; what is left is a race or a bad end date.
            raise forms.ValidationError(error.message, code=error.code) from None
        obj.pk = saved.pk
        obj.granted_by = saved.granted_by


# The admin's sign-in bounds the password as the site's does (accounts.forms).
admin.site.login_form = AdminLoginForm
