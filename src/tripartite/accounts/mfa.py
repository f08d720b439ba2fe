"""Multi-factor authentication for editing roles: who must have it, and who has it.

Editing accounts (staff: every account invited into a role) must have an activated
authenticator (TOTP; recovery codes alone do not count) before any role they hold can act
(``accounts.permissions``). The site's own account, which cannot sign in, acts for the
CLI, the worker and the demo loader.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

# An attribute cached on the user object, so one request asks the database once.
_CACHE = "_tripartite_has_mfa"

# The types that count as a second factor on their own.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_mfa(user: Any) -> bool:
    """True when the user has an activated authenticator app (or security key)."""
    if not getattr(user, "pk", None):
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
        setattr(user, _CACHE, cached)
    return bool(cached)


def vouch_for(user: Any) -> None:
    """Count this request's credential as a second factor (an API token: ``accounts.tokens``)."""
    setattr(user, _CACHE, True)


def forget(user: Any) -> None:
    """Drop the cached answer (after an authenticator was added or removed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def needs_mfa(user: Any) -> bool:
    """True for a signed-in user of an editing role who has no authenticator yet."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and not has_mfa(user))
