"""MFA is required before any editing role can act; the system actor keeps working."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from tripartite.accounts.permissions import INTERNATIONAL
from tripartite.core.actors import system_actor
from tripartite.core.errors import PermissionDenied
from tripartite.forums import services as forum_services
from tripartite.forums.models import Member
from tripartite.forums.tests.editing import user as editing_user

from .helpers import PASSWORD, account, totp_code

pytestmark = pytest.mark.django_db

EDIT_PAGE = "/members/new/"


def signed_in_staff_without_mfa(client: Client) -> object:
    staff = account("editor", staff=True)
    response = client.post("/accounts/login/", {"login": "editor", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return staff


def test_staff_without_authenticator_is_sent_to_set_one_up(client: Client) -> None:
    signed_in_staff_without_mfa(client)
    for url in (EDIT_PAGE, "/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 303, url
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # A POST to an editing page writes nothing.
    response = client.post(EDIT_PAGE, {"key": "xx", "name": "Exampleland", "kind": "country"})
    assert response.status_code == 303
    assert not Member.objects.exists()
    # The account pages stay open: set up MFA, see sessions, sign out.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/accounts/sessions/").status_code == 200


def test_staff_activates_totp_then_edits(client: Client) -> None:
    staff = signed_in_staff_without_mfa(client)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200, response
    page = response.content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page)
    if secret is None:
        secret = re.search(r'value="([A-Z2-7]{32})"', page)
    assert secret is not None, page
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret.group(1), int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert Authenticator.objects.filter(user=staff, type="recovery_codes").exists()
    assert client.get(EDIT_PAGE).status_code == 200
    assert totp_code(staff)  # the stored secret is the one shown


def test_editing_permission_needs_mfa_for_accounts_that_can_sign_in() -> None:
    without = account("without", staff=True)
    with_mfa = account("with", staff=True, mfa=True)
    assert not INTERNATIONAL.allows(without)
    assert INTERNATIONAL.allows(with_mfa)
    with pytest.raises(PermissionDenied):
        forum_services.create_member(without, key="xx", name="Exampleland", kind="country")
    assert not Member.objects.exists()


def test_the_system_actor_acts_without_mfa() -> None:
    actor = system_actor()
    assert not actor.has_usable_password()
    forum_services.create_member(actor, key="xx", name="Exampleland", kind="country")
    assert Member.objects.filter(key="xx").exists()


def test_the_shared_test_helper_gives_staff_an_authenticator() -> None:
    staff = editing_user("helper-staff", staff=True)
    reader = editing_user("helper-reader", staff=False)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert not Authenticator.objects.filter(user=reader).exists()


def test_staff_cannot_remove_their_authenticator(client: Client) -> None:
    staff = account("editor", staff=True, mfa=True)
    client.post("/accounts/login/", {"login": "editor", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(staff)})
    assert "_auth_user_id" in client.session
    client.post("/accounts/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_non_staff_account_is_not_asked_for_mfa(client: Client) -> None:
    account("reader")
    client.post("/accounts/login/", {"login": "reader", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get(EDIT_PAGE).status_code == 403
