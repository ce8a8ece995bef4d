from django.urls import path

from proposals import views

app_name = "proposals"

cycle = "units/<str:kato_code>/budget/<int:fiscal_year>/proposals/"
proposal = "proposals/<int:pk>/"
comment = proposal + "comments/<int:comment_pk>/"

urlpatterns = [
    path(cycle, views.cycle_proposals, name="cycle_list"),
    path(cycle + "new/", views.proposal_create, name="create"),
    path(cycle + "register/", views.proposal_register, name="register"),
    path("units/<str:kato_code>/proposals/", views.unit_proposals, name="unit_list"),
    path(
        "units/<str:kato_code>/proposals/queue/",
        views.review_queue,
        name="review_queue",
    ),
    path("proposals/mine/", views.my_proposals, name="mine"),
    path("moderation/reports/", views.report_queue, name="report_queue"),
    path(
        "moderation/reports/<int:report_pk>/dismiss/",
        views.report_dismiss,
        name="report_dismiss",
    ),
    path(proposal, views.proposal_detail, name="detail"),
    path(proposal + "edit/", views.proposal_edit, name="edit"),
    path(proposal + "submit/", views.proposal_submit, name="submit"),
    path(proposal + "withdraw/", views.proposal_withdraw, name="withdraw"),
    path(proposal + "support/", views.proposal_support, name="support"),
    path(proposal + "follow/", views.proposal_follow, name="follow"),
    path(proposal + "report/", views.content_report, name="report"),
    path(proposal + "moderate/", views.moderate, name="moderate"),
    path(proposal + "review/", views.proposal_review, name="review"),
    path(proposal + "decide/", views.proposal_decide, name="decide"),
    path(proposal + "include/", views.proposal_include, name="include"),
    path(proposal + "start/", views.proposal_start, name="start"),
    path(proposal + "implement/", views.proposal_implement, name="implement"),
    path(comment + "edit/", views.comment_edit, name="comment_edit"),
    path(comment + "report/", views.content_report, name="comment_report"),
    path(comment + "moderate/", views.moderate, name="comment_moderate"),
]
