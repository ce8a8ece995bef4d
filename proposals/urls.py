from django.urls import path

from proposals.views import (
    authoring,
    decision,
    detail,
    engagement,
    funding,
    lists,
    moderation,
    review,
)

app_name = "proposals"

cycle = "units/<str:kato_code>/budget/<int:fiscal_year>/proposals/"
proposal = "proposals/<int:pk>/"
comment = proposal + "comments/<int:comment_pk>/"

urlpatterns = [
    path(cycle, lists.cycle_proposals, name="cycle_list"),
    path(cycle + "new/", authoring.proposal_create, name="create"),
    path(cycle + "register/", authoring.proposal_register, name="register"),
    path("units/<str:kato_code>/proposals/", lists.unit_proposals, name="unit_list"),
    path(
        "units/<str:kato_code>/proposals/queue/",
        review.review_queue,
        name="review_queue",
    ),
    path("proposals/mine/", lists.my_proposals, name="mine"),
    path("moderation/reports/", moderation.report_queue, name="report_queue"),
    path(
        "moderation/reports/<int:report_pk>/dismiss/",
        moderation.report_dismiss,
        name="report_dismiss",
    ),
    path(proposal, detail.proposal_detail, name="detail"),
    path(proposal + "edit/", authoring.proposal_edit, name="edit"),
    path(proposal + "submit/", authoring.proposal_submit, name="submit"),
    path(proposal + "withdraw/", authoring.proposal_withdraw, name="withdraw"),
    path(proposal + "support/", engagement.proposal_support, name="support"),
    path(proposal + "follow/", engagement.proposal_follow, name="follow"),
    path(proposal + "report/", moderation.content_report, name="report"),
    path(proposal + "moderate/", moderation.moderate, name="moderate"),
    path(proposal + "review/", review.proposal_review, name="review"),
    path(proposal + "decide/", decision.proposal_decide, name="decide"),
    path(proposal + "include/", funding.proposal_include, name="include"),
    path(proposal + "start/", funding.proposal_start, name="start"),
    path(proposal + "implement/", funding.proposal_implement, name="implement"),
    path(comment + "edit/", engagement.comment_edit, name="comment_edit"),
    path(comment + "report/", moderation.content_report, name="comment_report"),
    path(comment + "moderate/", moderation.moderate, name="comment_moderate"),
]
