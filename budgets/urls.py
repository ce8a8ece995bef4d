from django.urls import path

from budgets.views import citizen, cycles, discussion, drafts, execution, opendata

app_name = "budgets"

unit = "units/<str:kato_code>/budget/"
cycle = unit + "<int:fiscal_year>/"
version = cycle + "v<int:version>/"

urlpatterns = [
    path(unit, cycles.unit_cycles, name="unit_cycles"),
    path(unit + "new/", cycles.cycle_open, name="cycle_open"),
    path(cycle, cycles.cycle_detail, name="cycle_detail"),
    path(cycle + "diff/", drafts.draft_diff, name="draft_diff"),
    path(cycle + "citizen/", citizen.citizen_page, name="citizen"),
    path(cycle + "citizen.pdf", citizen.citizen_sheet, name="citizen_pdf"),
    path(cycle + "follow/", cycles.cycle_follow, name="cycle_follow"),
    path(cycle + "phases/extend/", cycles.phase_extend, name="phase_extend"),
    path(cycle + "drafts/new/", drafts.draft_create, name="draft_create"),
    path(
        cycle + "comments/<int:pk>/reply/",
        discussion.comment_reply,
        name="comment_reply",
    ),
    path(cycle + "execution/", execution.execution_page, name="execution"),
    path(
        cycle + "execution/record/",
        execution.execution_record,
        name="execution_record",
    ),
    path(
        cycle + "execution/lines/<int:line>/q<int:quarter>/correct/",
        execution.execution_correct,
        name="execution_correct",
    ),
    path(cycle + "data/", opendata.cycle_data, name="cycle_data"),
    path(
        cycle + "data/fiscal/datapackage.json",
        opendata.fiscal_descriptor,
        name="fiscal_descriptor",
    ),
    path(
        cycle + "data/fiscal/<slug:name>.csv",
        opendata.fiscal_resource,
        name="fiscal_resource",
    ),
    path(cycle + "data/<slug:slug>.csv", opendata.dataset_csv, name="dataset_csv"),
    path(
        cycle + "data/<slug:slug>.json",
        opendata.dataset_json,
        name="dataset_json",
    ),
    path("open-data/", opendata.opendata_docs, name="opendata_docs"),
    path(version, drafts.draft_detail, name="draft_detail"),
    path(version + "notice.pdf", drafts.draft_notice, name="draft_notice"),
    path(version + "citizen/", citizen.citizen_page, name="draft_citizen"),
    path(version + "citizen.pdf", citizen.citizen_sheet, name="draft_citizen_pdf"),
    path(version + "edit/", drafts.draft_edit, name="draft_edit"),
    path(version + "publish/", drafts.draft_publish, name="draft_publish"),
    path(version + "meeting/", discussion.meeting_record, name="meeting_record"),
    path(version + "minutes.pdf", discussion.meeting_minutes, name="meeting_minutes"),
    path(version + "submit/", drafts.draft_submit, name="draft_submit"),
]
