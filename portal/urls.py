"""The project's URLs: pages under a language prefix, the admin and the API without."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("units/", views.unit_search, name="unit_search"),
        path("units/<str:kato_code>/", views.unit_detail, name="unit_detail"),
        path("notifications/", views.notification_list, name="notification_list"),
        path(
            "notifications/settings/",
            views.notification_settings,
            name="notification_settings",
        ),
        path(
            "notifications/<int:pk>/open/",
            views.notification_open,
            name="notification_open",
        ),
    ],
    "portal",
)

urlpatterns = [
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    # Under the prefix, so that the page to return to resolves in the language it is in.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(portal_patterns)),
    path("", include("budgets.urls")),
    path("", include("proposals.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
