from django.urls import path

from budgets import execution_views, opendata_views, views

app_name = "budgets"

unit = "units/<str:kato_code>/budget/"
cycle = unit + "<int:fiscal_year>/"
version = cycle + "v<int:version>/"

urlpatterns = [
    path(unit, views.unit_cycles, name="unit_cycles"),
    path(unit + "new/", views.cycle_open, name="cycle_open"),
    path(cycle, views.cycle_detail, name="cycle_detail"),
    path(cycle + "diff/", views.draft_diff, name="draft_diff"),
    path(cycle + "follow/", views.cycle_follow, name="cycle_follow"),
    path(cycle + "phases/extend/", views.phase_extend, name="phase_extend"),
    path(cycle + "drafts/new/", views.draft_create, name="draft_create"),
    path(cycle + "comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path(cycle + "execution/", execution_views.execution_page, name="execution"),
    path(
        cycle + "execution/record/",
        execution_views.execution_record,
        name="execution_record",
    ),
    path(
        cycle + "execution/lines/<int:line>/q<int:quarter>/correct/",
        execution_views.execution_correct,
        name="execution_correct",
    ),
    path(cycle + "data/", opendata_views.cycle_data, name="cycle_data"),
    path(
        cycle + "data/fiscal/datapackage.json",
        opendata_views.fiscal_descriptor,
        name="fiscal_descriptor",
    ),
    path(
        cycle + "data/fiscal/<slug:name>.csv",
        opendata_views.fiscal_resource,
        name="fiscal_resource",
    ),
    path(
        cycle + "data/<slug:slug>.csv", opendata_views.dataset_csv, name="dataset_csv"
    ),
    path(
        cycle + "data/<slug:slug>.json",
        opendata_views.dataset_json,
        name="dataset_json",
    ),
    path("open-data/", opendata_views.opendata_docs, name="opendata_docs"),
    path(version, views.draft_detail, name="draft_detail"),
    path(version + "edit/", views.draft_edit, name="draft_edit"),
    path(version + "publish/", views.draft_publish, name="draft_publish"),
    path(version + "meeting/", views.meeting_record, name="meeting_record"),
    path(version + "minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path(version + "submit/", views.draft_submit, name="draft_submit"),
]
