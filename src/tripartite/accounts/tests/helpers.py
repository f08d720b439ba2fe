"""Accounts test helpers: an account that can really sign in, and its current TOTP code."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model

PASSWORD = "a long passphrase for tests 2017"


def account(username: str, *, staff: bool = False, mfa: bool = False, verified: bool = True) -> Any:
    """A user with a password and a (verified) e-mail address; with ``mfa``, an
    activated authenticator app; with ``staff``, the Support Unit role."""
    email = f"{username}@example.org"
    user = get_user_model().objects.create_user(
        username, email=email, password=PASSWORD, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    if staff:  # an editing account of these tests is Support Unit staff
        from tripartite.accounts.roles import Role

        from .roles import grant

        grant(user, Role.SUPPORT_UNIT)
    return user


def totp_code(user: Any) -> str:
    """The code the user's authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
