"""URL map: pages, their JSON twins, the API and the history of every record."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tripartite.api import api
from tripartite.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="web/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("tripartite.core.urls")),
    path("", include("tripartite.ledger.urls")),
    path("", include("tripartite.forums.urls")),
    path("", include("tripartite.plans.urls")),
    path("", include("tripartite.oversight.urls")),
    path("", include("tripartite.documents.urls")),
    path("", include("tripartite.opendata.urls")),
    path("", include("tripartite.accounts.urls")),
    path("", include("tripartite.confidential.urls")),
    path("", include("tripartite.notifications.urls")),
    path("", include("tripartite.opendata.mirror_urls")),  # /mirrors/…
]
