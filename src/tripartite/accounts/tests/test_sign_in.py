"""Sign-in, sign-up, e-mail verification, password reset and the password hasher."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from .helpers import PASSWORD, account, totp_code

pytestmark = pytest.mark.django_db


def sign_in(client: Client, login: str, password: str = PASSWORD) -> object:
    return client.post("/accounts/login/", {"login": login, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_argon2_is_the_first_hasher_and_the_others_stay_for_upgrades() -> None:
    from tripartite import settings as production  # the test run swaps in a cheaper Argon2

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert len(production.PASSWORD_HASHERS) > 1
    assert account("ana").password.startswith("argon2$")


@pytest.mark.parametrize("login", ["ana", "ana@example.org", "ANA@example.org"])
def test_sign_in_with_username_or_email(client: Client, login: str) -> None:
    account("ana")
    response = sign_in(client, login)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in(client)


def test_wrong_password_is_refused_with_the_error_at_the_top_of_the_form(client: Client) -> None:
    account("ana")
    response = sign_in(client, "ana", "wrong password")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'role="alert"' in text
    assert not signed_in(client)


def test_repeated_failures_are_rate_limited(client: Client) -> None:
    account("ana")
    for n in range(5):
        sign_in(client, "ana", f"wrong {n}")
    # Even the right password waits until the window has passed.
    response = sign_in(client, "ana")
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_an_unverified_address_gets_a_verification_mail_instead_of_a_session(
    client: Client,
) -> None:
    account("ana", verified=False)
    response = sign_in(client, "ana")
    assert not signed_in(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]


def test_sign_in_with_an_authenticator_asks_for_the_code(client: Client) -> None:
    user = account("ana", staff=True, mfa=True)
    response = sign_in(client, "ana")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(user)})
    assert response.status_code == 302
    assert signed_in(client)


def test_public_sign_up_never_makes_staff_and_verifies_the_address(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "reader@example.org",
            "username": "reader",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="reader")
    assert not user.is_staff and not user.is_superuser
    assert not signed_in(client)  # mandatory verification first
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200  # a GET (a link preview) does not confirm
    assert not EmailAddress.objects.get(email="reader@example.org").verified
    client.post(path)
    assert EmailAddress.objects.get(email="reader@example.org").verified


def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client) -> None:
    account("ana")
    response = client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "another long passphrase 2018"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    assert sign_in(Client(), "ana", new).status_code == 302


def test_unknown_address_gets_the_same_answer(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302  # no enumeration: same redirect, no user found


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_account_pages_use_the_site_layout_and_label_every_field(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="site-header"' in text and 'id="main"' in text
    for field_id in re.findall(r'<input[^>]*type="(?:text|email|password)"[^>]*id="([^"]+)"', text):
        assert f'<label for="{field_id}"' in text, field_id
    assert "http://" not in text.replace("http://testserver", "")
    assert "https://" not in text


def test_errors_are_tied_to_their_fields(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "not an address", "username": "x", "password1": "a", "password2": "b"},
    )
    text = response.content.decode()
    assert 'aria-describedby="id_email_error"' in text or 'id_email_error"' in text
    assert 'id="id_email_error"' in text


def test_production_cookie_settings() -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" == settings.CSRF_COOKIE_SAMESITE
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
