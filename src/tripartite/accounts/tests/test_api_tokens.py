"""API tokens: made by the account itself (with its second factor) or the shell, stored as
a hash only, refused once revoked or expired, managed on /accounts/tokens/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tripartite.accounts.models import ApiToken
from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.accounts.token_services import MAX_LIVE_TOKENS, issue_token, revoke_token
from tripartite.accounts.tokens import account_for, digest_of
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput, PermissionDenied
from tripartite.forums.tests.editing import user

pytestmark = pytest.mark.django_db


def public_account(name: str = "reader") -> Any:
    return get_user_model().objects.create_user(name, email=f"{name}@example.org")


def editor(name: str = "editor") -> Any:
    account = user(name, staff=True)  # an authenticator app and roles
    return account


def test_only_the_hash_of_a_token_is_stored() -> None:
    token, secret = issue_token(system_actor(), user=public_account(), name="importer")
    assert secret.startswith("tpt_") and len(secret) > 40
    assert token.digest == digest_of(secret)
    assert secret not in {token.digest, token.prefix, token.name}


def test_a_live_token_authenticates_its_account() -> None:
    owner = public_account()
    _, secret = issue_token(system_actor(), user=owner, name="importer")
    assert account_for(secret) == owner


def test_a_revoked_or_expired_token_authenticates_nobody() -> None:
    owner = public_account()
    revoked, revoked_secret = issue_token(system_actor(), user=owner, name="a")
    revoke_token(system_actor(), token=revoked)
    expired, expired_secret = issue_token(system_actor(), user=owner, name="b", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert account_for(revoked_secret) is None
    assert account_for(expired_secret) is None


def test_a_token_of_a_deactivated_account_authenticates_nobody() -> None:
    owner = public_account()
    _, secret = issue_token(system_actor(), user=owner, name="a")
    get_user_model().objects.filter(pk=owner.pk).update(is_active=False)
    assert account_for(secret) is None


def test_an_editor_with_a_second_factor_makes_their_own_token() -> None:
    account = editor()
    token, _ = issue_token(account, user=account, name="reports")
    assert token.user == account


def test_an_account_without_a_role_cannot_make_a_token() -> None:
    account = public_account()
    with pytest.raises(PermissionDenied):
        issue_token(account, user=account, name="reports")


def test_an_editor_without_a_second_factor_cannot_make_a_token() -> None:
    account = public_account("nomfa")
    grant(account, Role.SUPPORT_UNIT)
    with pytest.raises(PermissionDenied):
        issue_token(account, user=account, name="reports")


def test_an_editor_cannot_make_or_revoke_another_accounts_token() -> None:
    account, other = editor("one"), editor("two")
    with pytest.raises(PermissionDenied):
        issue_token(account, user=other, name="reports")
    token, _ = issue_token(other, user=other, name="theirs")
    with pytest.raises(PermissionDenied):
        revoke_token(account, token=token)


def test_a_token_needs_a_name_and_a_term_within_a_year() -> None:
    owner = public_account()
    with pytest.raises(InvalidInput):
        issue_token(system_actor(), user=owner, name="  ")
    with pytest.raises(InvalidInput):
        issue_token(system_actor(), user=owner, name="a", days=400)


def test_an_account_holds_a_bounded_number_of_live_tokens() -> None:
    owner = public_account()
    for n in range(MAX_LIVE_TOKENS):
        issue_token(system_actor(), user=owner, name=f"t{n}")
    with pytest.raises(Conflict):
        issue_token(system_actor(), user=owner, name="one more")


def test_the_tokens_page_shows_a_new_secret_once_and_lists_it_by_prefix() -> None:
    account = editor()
    client = Client()
    client.force_login(account)
    made = client.post("/accounts/tokens/", {"name": "reports", "days": "30"})
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret in made.content.decode()
    again = client.get("/accounts/tokens/").content.decode()
    assert secret not in again
    assert ApiToken.objects.get(user=account).prefix in again


def test_the_tokens_page_revokes_a_token() -> None:
    account = editor()
    token, secret = issue_token(account, user=account, name="reports")
    client = Client()
    client.force_login(account)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 303
    assert account_for(secret) is None


def test_the_tokens_page_refuses_an_invalid_term_with_a_422() -> None:
    account = editor()
    client = Client()
    client.force_login(account)
    response = client.post("/accounts/tokens/", {"name": "reports", "days": "0"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_an_account_without_a_role_gets_403_on_the_tokens_page() -> None:
    client = Client()
    client.force_login(public_account())
    assert client.get("/accounts/tokens/").status_code == 403
