"""URLs of the accounts app; allauth's own are included under /accounts/ (site urls)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("accounts/sessions/", views.session_list, name="accounts-sessions"),
    path("accounts/invite/", views.invite, name="accounts-invite"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.AcceptInvitationView.as_view(),
        name="accounts-invitation",
    ),
]

# Personal data: what is kept, its export and the account's erasure (accounts.privacy).
from . import privacy_views  # noqa: E402 - appended below the app's own patterns

urlpatterns += [
    path("accounts/privacy/", privacy_views.overview, name="accounts-privacy"),
    path("accounts/privacy/my-data.json", privacy_views.export, name="accounts-privacy-export"),
    path("accounts/privacy/delete/", privacy_views.delete, name="accounts-privacy-delete"),
]

# Personal API tokens for the API's writes (accounts.tokens).
from . import token_views  # noqa: E402

urlpatterns += [
    path("accounts/tokens/", token_views.token_list, name="accounts-tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/",
        token_views.token_revoke,
        name="accounts-token-revoke",
    ),
]
