"""The project's URLs: pages under a language prefix, the admin and the API without."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from portal import api, dashboard_views, views

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("units/", views.unit_search, name="unit_search"),
        path("units/<str:kato_code>/", views.unit_detail, name="unit_detail"),
        path(
            "units/<str:kato_code>/dashboard/",
            dashboard_views.dashboard_index,
            name="dashboard_index",
        ),
        path(
            "units/<str:kato_code>/dashboard/<int:fiscal_year>/",
            dashboard_views.dashboard_page,
            name="dashboard",
        ),
        path("notifications/", views.notification_list, name="notification_list"),
        path("n/<int:pk>/", views.notification_link, name="notification_link"),
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

# The public read-only API: outside the language prefix, its data is the same in every
# language.
api_patterns = (
    [
        path("", include(api.urlpatterns)),
        path("", include("budgets.api")),
        path("", include("maslikhat.api")),
        path("", include("proposals.api")),
        path("", include("votes.api")),
        path("schema/", api.SchemaView.as_view(), name="schema"),
        path(
            "docs/",
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            ),
            name="docs",
        ),
        re_path(r"^", api.api_not_found),
    ],
    "api",
)

# A request that cannot be read gets the site's page (portal.views.bad_request).
handler400 = "portal.views.bad_request"

urlpatterns = [
    # Outside the language prefix, as browsers ask for it at the root.
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
]
urlpatterns += i18n_patterns(
    # Under the prefix, so that the page to return to resolves in the language it is in.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(portal_patterns)),
    path("", include("community.urls")),
    path("", include("budgets.urls")),
    path("", include("maslikhat.urls")),
    path("", include("proposals.urls")),
    path("", include("votes.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
