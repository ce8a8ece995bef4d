from django.urls import path

from community import meeting_views, views

app_name = "community"

unit = "units/<str:kato_code>/gatherings/"
one = unit + "<int:pk>/"
meeting = "units/<str:kato_code>/meeting/"
sitting = meeting + "sittings/<int:pk>/"

urlpatterns = [
    path(unit, views.gathering_list, name="gathering_list"),
    path(unit + "new/", views.gathering_new, name="gathering_new"),
    path(unit + "rules/", views.gathering_rules, name="gathering_rules"),
    path(one, views.gathering_detail, name="gathering_detail"),
    path(one + "edit/", views.gathering_edit, name="gathering_edit"),
    path(one + "announce/", views.gathering_announce, name="gathering_announce"),
    path(one + "cancel/", views.gathering_cancel, name="gathering_cancel"),
    path(one + "attendance/", views.gathering_attendance, name="gathering_attendance"),
    path(
        one + "attendance/<int:attendance_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path(one + "close/", views.gathering_close, name="gathering_close"),
    path(one + "notice.pdf", views.gathering_notice, name="gathering_notice"),
    path(
        one + "minutes-<str:language>.pdf",
        views.gathering_minutes,
        name="gathering_minutes",
    ),
    path(meeting, meeting_views.meeting, name="meeting"),
    path(meeting + "members/new/", meeting_views.member_new, name="member_new"),
    path(
        meeting + "members/<int:pk>/leave/",
        meeting_views.member_end,
        name="member_end",
    ),
    path(meeting + "sittings/new/", meeting_views.sitting_new, name="sitting_new"),
    path(sitting, meeting_views.sitting_detail, name="sitting_detail"),
    path(sitting + "cancel/", meeting_views.sitting_cancel, name="sitting_cancel"),
    path(sitting + "close/", meeting_views.sitting_close, name="sitting_close"),
    path(
        sitting + "minutes-<str:language>.pdf",
        meeting_views.sitting_minutes,
        name="sitting_minutes",
    ),
]
