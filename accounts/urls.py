from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/sms/", views.sms_notices, name="sms_notices"),
    path("residence/", views.residency_claim, name="residency_claim"),
    path("residency/queue/", views.residency_queue, name="residency_queue"),
    path("residency/<int:pk>/", views.residency_detail, name="residency_detail"),
    path("residency/<int:pk>/code/", views.residency_code, name="residency_code"),
    path("residency/<int:pk>/verify/", views.residency_verify, name="residency_verify"),
    path("residency/<int:pk>/refuse/", views.residency_refuse, name="residency_refuse"),
    path("register/<str:kato_code>/", views.register, name="register"),
    path(
        "register/<str:kato_code>/channels/",
        views.verification_channels,
        name="verification_channels",
    ),
]
