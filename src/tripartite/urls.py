"""URL map: pages, their JSON twins, the API and the history of every record."""

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from tripartite.api import api
from tripartite.web import views as web_views

# The admin signs in through allauth's sign-in page, two-factor step included.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", web_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # allauth: sign-in, sign-up, e-mail, password reset, two-factor (docs/subsystems/accounts.md).
    # "login" and "logout" stay as names of its sign-in and sign-out pages.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/", include("allauth.urls")),
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
    path("", include("tripartite.accounts.change_urls")),  # changes, roles
    path("", include("tripartite.confidential.urls")),
    path("", include("tripartite.notifications.urls")),
    path("", include("tripartite.opendata.mirror_urls")),  # /mirrors/…
]
