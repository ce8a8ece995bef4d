from django.urls import path

from maslikhat import views

app_name = "maslikhat"

urlpatterns = [
    path(
        "units/<str:kato_code>/budget/<int:fiscal_year>/v<int:version>/vote/",
        views.session_open,
        name="session_open",
    ),
    path("maslikhat/", views.deputy_sessions, name="deputy_sessions"),
    path("votes/<int:pk>/", views.roll_call, name="roll_call"),
    path("votes/<int:pk>/ballot/", views.ballot, name="ballot"),
]
