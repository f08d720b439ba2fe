"""Two middlewares: the session list's bookkeeping, and MFA before any editing role acts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import sessions
from .mfa import needs_mfa

Handler = Callable[[HttpRequest], HttpResponse]


class SessionListMiddleware:
    """Keeps the signed-in session's row (see ``sessions``) up to date, at most once every
    quarter of an hour, without a query on the other requests."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            sessions.seen(request)
        return response


# Where a staff user without an authenticator may still go: the account pages (to set one
# up, verify the e-mail address, sign out), the language switch and static files.
_OPEN_URL_NAMES = (
    "account_",
    "mfa_",
    "accounts-sessions",
    "accounts-invitation",
    "login",
    "logout",
    "set_language",
)
_OPEN_PREFIXES = ("/static/", "/i18n/")


def _open(request: HttpRequest) -> bool:
    if request.path.startswith(_OPEN_PREFIXES):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 page shows nothing to edit
    return bool(match.url_name) and str(match.url_name).startswith(_OPEN_URL_NAMES)


class StaffMFAMiddleware:
    """A signed-in member of staff without an authenticator is sent to set one up and
    reaches nothing else (editing pages, the admin, record pages) until they have."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and needs_mfa(user) and not _open(request):
            if request.method == "GET":
                messages.warning(
                    request,
                    _(
                        "Editing roles need two-factor authentication: set up an "
                        "authenticator app to continue."
                    ),
                )
            return HttpResponseRedirect(reverse("mfa_activate_totp"), status=303)
        return self.get_response(request)
