"""Admin of proposals: read only, since proposals change only through proposals.services
(moderation, review and decisions have their own pages, with their reasons and audit)."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from proposals.models import (
    AkimDecision,
    ContentReport,
    ImplementationReport,
    Proposal,
    ProposalComment,
    Review,
)


class ReviewInline(admin.StackedInline):
    model = Review
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "cycle", "status", "submitted_at", "is_hidden"]
    list_filter = ["status", "is_hidden"]
    search_fields = ["title", "unit__kato_code", "unit__name_kk", "unit__name_ru"]
    list_select_related = ["unit", "cycle__unit"]
    exclude = ["author_iin_digest", "search_text"]
    raw_id_fields = ["author", "registered_by", "included_line", "funding_line"]
    inlines = [ReviewInline]


@admin.register(ProposalComment)
class ProposalCommentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "author", "created_at", "is_official", "is_hidden"]
    list_filter = ["is_official", "is_hidden"]
    list_select_related = ["proposal", "author"]


@admin.register(ContentReport)
class ContentReportAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "comment", "status", "created_at", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["proposal"]


@admin.register(AkimDecision)
class AkimDecisionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["proposal", "decided_by"]


@admin.register(ImplementationReport)
class ImplementationReportAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "amount_spent", "reported_by", "reported_at"]
    list_select_related = ["proposal", "reported_by"]
