"""Access control: every staff URL refuses anonymous visitors, accounts without a role and
accounts whose role is on another record, for GET and POST, and writes nothing.

The staff URLs are found by walking the URL map (every editing view, the moderation and
translation pages, the admin), so a new editing page is covered without being listed here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories as forum_factories
from tripartite.ledger.models import LogEntry

from .urlmap import Route, concrete_path, routes

pytestmark = [pytest.mark.security, pytest.mark.django_db]

# Pages for staff that do not live in an ``edit_views`` module.
STAFF_NAMES = {
    "plans-moderation",
    "plan-respond",
    "commitment-link-inputs",
    "record-translate",
    "accounts-invite",
}


def is_staff_route(route: Route) -> bool:
    return (
        route.module.endswith(".edit_views")
        or route.name in STAFF_NAMES
        or (route.route.startswith("admin/") and route.name not in {"login", "logout"})
    )


STAFF_ROUTES = sorted((r for r in routes() if is_staff_route(r)), key=lambda r: r.route)


def written() -> tuple[int, int]:
    return RecordVersion.objects.count(), LogEntry.objects.count()


def records_changed() -> int:
    """Versions of the record itself; a proposed change (a ``change`` record awaiting the
    sectors' approval) is what any editing role may make, and changes nothing else."""
    return RecordVersion.objects.exclude(record_type="change").count()


def signed_in(username: str, **fields: Any) -> Client:
    user = get_user_model().objects.create_user(username, f"{username}@example.org", **fields)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_paths(demo: None) -> list[str]:
    paths = [concrete_path(route) for route in STAFF_ROUTES]
    return [path for path in paths if path]


def test_the_walk_finds_the_staff_pages(staff_paths: list[str]) -> None:
    # A floor, not an exact count: the walk must keep seeing the editing pages.
    assert len(STAFF_ROUTES) > 100
    assert len(staff_paths) > 80
    assert "/letters/new/" in staff_paths and "/staff/moderation/" in staff_paths


def test_anonymous_visitors_are_sent_to_sign_in_and_write_nothing(
    staff_paths: list[str],
) -> None:
    before = written()
    client = Client()
    for path in staff_paths:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code in {302, 403, 404, 405}, (path, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"], (path, response["Location"])
    assert written() == before


def test_accounts_without_a_role_are_refused_and_write_nothing(staff_paths: list[str]) -> None:
    before = written()
    client = signed_in("citizen")
    for path in staff_paths:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code in {302, 403, 404, 405}, (path, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"], (path, response["Location"])
    assert written() == before


def test_an_irm_researcher_of_another_member_can_change_nothing_of_mexico(
    staff_paths: list[str],
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    other = forum_factories.member("xx", "Exampleland")
    user = get_user_model().objects.create_user("researcher", "r@example.org", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    grant(user, Role.IRM_RESEARCHER, other)
    client = Client()
    client.force_login(user)
    before = records_changed()
    for path in staff_paths:
        response = client.post(path, {"reason": "x", "title": "x", "text": "x"})
        if response.status_code == 303:
            assert response["Location"].startswith("/change/"), (path, response["Location"])
    assert records_changed() == before
