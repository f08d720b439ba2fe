"""Invitations into editing roles: staff only, a one-time link, a verified address."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tripartite.accounts import services
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict
from tripartite.forums.tests.editing import user as editing_user

from .helpers import PASSWORD, account, totp_code

pytestmark = pytest.mark.django_db


def invite(client: Client, email: str = "new.editor@example.org") -> str:
    """Invite through the page; the path of the link in the mail."""
    response = client.post("/accounts/invite/", {"email": email, "name": "Rosa"})
    assert response.status_code == 303, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    found = re.search(r"https?://testserver(/accounts/invitation/\S+/)", mail.outbox[0].body)
    assert found is not None, mail.outbox[0].body
    return found.group(1)


def test_only_staff_reach_the_invitation_page(client: Client) -> None:
    response = client.get("/accounts/invite/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(editing_user("reader", staff=False))
    assert client.get("/accounts/invite/").status_code == 403


def test_invited_person_sets_a_password_once_then_must_set_up_mfa(client: Client) -> None:
    client.force_login(editing_user("secretariat", staff=True))
    assert client.get("/accounts/invite/").status_code == 200
    path = invite(client)
    invited = get_user_model().objects.get(email="new.editor@example.org")
    assert invited.is_staff and not invited.has_usable_password()
    assert not EmailAddress.objects.get(user=invited).verified
    assert "Rosa" in mail.outbox[0].body

    newcomer = Client()
    form = newcomer.get(path, follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    new = "the new editor's passphrase 2017"
    done = newcomer.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    invited.refresh_from_db()
    assert invited.has_usable_password()
    assert EmailAddress.objects.get(user=invited).verified

    # The link works once.
    again = Client().get(path, follow=True)
    assert "invalid" in again.content.decode()

    # Signing in leads to setting up an authenticator before anything else.
    newcomer.post("/accounts/login/", {"login": "new.editor@example.org", "password": new})
    response = newcomer.get("/members/new/")
    assert response.status_code == 303
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert newcomer.get("/accounts/2fa/totp/activate/").status_code == 200


def test_a_known_address_is_refused_with_the_error_on_the_field(client: Client) -> None:
    account("ana")
    client.force_login(editing_user("secretariat", staff=True))
    response = client.post("/accounts/invite/", {"email": "ANA@example.org"})
    assert response.status_code == 409
    text = response.content.decode()
    assert 'id="id_email_error"' in text
    assert not mail.outbox


def test_the_service_checks_its_permission_and_the_address() -> None:
    user = services.invite_editor(system_actor(), email="x@example.org")
    assert user.is_staff
    with pytest.raises(Conflict):
        services.invite_editor(system_actor(), email="X@example.org")


def test_a_staff_member_with_mfa_signs_in_and_invites(client: Client) -> None:
    staff = account("secretariat", staff=True, mfa=True)
    client.post("/accounts/login/", {"login": "secretariat", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(staff)})
    invite(client, "other@example.org")


def test_an_invitation_can_propose_the_new_editors_role(client: Client) -> None:
    from tripartite.accounts.models import JointChange
    from tripartite.accounts.roles import Role, holds, scope_of
    from tripartite.forums.tests import factories as ff

    from .roles import approve_all

    forum = ff.forum()
    ff.seat(forum, ff.organization("gov", "government"))
    cso = ff.seat(forum, ff.organization("cso", "civil_society"))
    staff = account("support", staff=True, mfa=True)
    client.force_login(staff)
    response = client.post(
        "/accounts/invite/",
        {
            "email": "rep@example.org",
            "name": "Rep",
            "role": Role.SECTOR_REPRESENTATIVE,
            "scope": cso.public_id,
            "reason": "Chosen by civil society",
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    change = JointChange.objects.get(operation="grant_role", state="pending")
    assert response["Location"] == change.get_absolute_url()
    newcomer = get_user_model().objects.get(email="rep@example.org")
    assert not holds(newcomer, Role.SECTOR_REPRESENTATIVE, scope_of(cso))
    approve_all(change)
    newcomer = get_user_model().objects.get(email="rep@example.org")
    assert holds(newcomer, Role.SECTOR_REPRESENTATIVE, scope_of(cso))


def test_an_invitation_with_a_role_on_the_wrong_kind_of_record_is_refused(
    client: Client,
) -> None:
    from tripartite.forums.tests import factories as ff

    forum = ff.forum()
    client.force_login(account("support", staff=True, mfa=True))
    response = client.post(
        "/accounts/invite/",
        {"email": "x@example.org", "role": "sector_representative", "scope": forum.public_id},
    )
    assert response.status_code == 422
    assert not get_user_model().objects.filter(email="x@example.org").exists()
    assert not mail.outbox
