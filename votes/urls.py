from django.urls import path

from votes import opendata, views

app_name = "votes"

vote = "units/<str:kato_code>/budget/<int:fiscal_year>/vote/"

urlpatterns = [
    path(vote, views.vote_detail, name="vote_detail"),
    path(vote + "setup/", views.vote_setup, name="vote_setup"),
    path(vote + "cancel/", views.vote_cancel, name="vote_cancel"),
    path(vote + "projects/add/", views.project_add, name="project_add"),
    path(
        vote + "projects/<int:pk>/remove/",
        views.project_remove,
        name="project_remove",
    ),
    path(vote + "ballot/", views.ballot, name="ballot"),
    path(vote + "ballot/mine/", views.my_ballot, name="my_ballot"),
    path(vote + "paper/", views.paper_ballot, name="paper_ballot"),
    path(vote + "paper/print/", views.ballot_papers, name="ballot_papers"),
    path(
        vote + "paper/print/<int:first>-<int:last>.pdf",
        views.ballot_papers_pdf,
        name="ballot_papers_pdf",
    ),
    path(vote + "results/", views.vote_results, name="vote_results"),
    path(vote + "results.pb", opendata.vote_pb, name="vote_pb"),
    path(vote + "notice.pdf", opendata.vote_notice, name="vote_notice"),
    path(
        vote + "protocol-<str:language>.pdf",
        opendata.vote_protocol,
        name="vote_protocol",
    ),
]
