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
