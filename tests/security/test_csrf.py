"""CSRF: every page that takes a POST refuses one without the CSRF token, whoever sends
it; the API's token-authenticated writes need no CSRF token, and a session cookie alone
never authenticates them.

The pages are found by walking the URL map; only the JSON API (django-ninja checks CSRF
itself, for cookie authentication) is exempt from Django's CSRF middleware.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tripartite.accounts.tests.roles import hold_every_role
from tripartite.accounts.token_services import issue_token
from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion

from .urlmap import Route, concrete_path, routes

pytestmark = [pytest.mark.security, pytest.mark.django_db]

# django-ninja checks CSRF itself, for cookie authentication only (tested below).
EXEMPT_MODULES = {"ninja.operation"}
# Pages exempt on purpose, each with the reason it is safe.
EXEMPT_ROUTES = {
    # RFC 8058 one-click unsubscribe: the mail provider POSTs without a form; the signed
    # token in the URL is the authority, and the only effect is to stop mail.
    "notifications-unsubscribe",
}


def exempt(route: Route) -> bool:
    return route.module in EXEMPT_MODULES or route.name in EXEMPT_ROUTES


def editor() -> Any:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = get_user_model().objects.create_user("editor", "editor@example.org", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    hold_every_role(user)
    return user


def test_no_page_outside_the_api_is_exempt_from_csrf() -> None:
    unexplained = [
        route.label
        for route in routes()
        if getattr(route.callback, "csrf_exempt", False) and not exempt(route)
    ]
    assert unexplained == []


def test_every_page_refuses_a_post_without_the_csrf_token(demo: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    before = RecordVersion.objects.count()
    refused = 0
    for route in routes():
        if exempt(route) or (path := concrete_path(route)) is None:
            continue
        response = client.post(path, {"title": "forged", "reason": "forged"})
        assert response.status_code == 403, (route.label, path, response.status_code)
        assert b"CSRF" in response.content or b"csrf" in response.content, route.label
        refused += 1
    assert refused > 200
    assert RecordVersion.objects.count() == before


def test_a_post_with_the_token_of_another_session_is_refused(demo: None) -> None:
    other = Client(enforce_csrf_checks=True)
    other.get("/letters/")
    stolen = other.cookies["csrftoken"].value if "csrftoken" in other.cookies else "x" * 32
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    response = client.post("/letters/new/", {"csrfmiddlewaretoken": stolen, "subject": "forged"})
    assert response.status_code == 403


def letter(**changes: Any) -> dict[str, Any]:
    return {
        "reference": "SU-2017-CSRF",
        "direction": "outbound",
        "letter_type": "other",
        "subject": "Forged across sites?",
        "sent_on": "2017-06-01",
        "member": "mx",
        **changes,
    }


def test_a_session_cookie_alone_never_authenticates_an_api_write(demo: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    response = client.post("/api/v1/letters", letter(), content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_session_cookie_with_a_valid_csrf_token_still_does_not_authenticate_an_api_write(
    demo: None,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    client.get("/letters/new/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/letters", letter(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 401


def test_an_api_token_write_needs_no_csrf_token(demo: None) -> None:
    token = issue_token(system_actor(), user=editor(), name="csrf test")[1]
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/letters",
        letter(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content[:500]
