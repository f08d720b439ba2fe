"""API tokens: how they are made, checked and who may hold one.

A token is 32 random bytes (URL-safe base64) after the prefix ``tpt_``; only its
SHA-256 is stored, so a copy of the database does not give anyone a working token. The
token is high-entropy, so a plain hash (not a slow password hash) is the right tool: it
costs one indexed lookup per request.

A token acts as its account with that account's roles, nothing more. Editing roles need
a second factor before they act (``accounts.permissions``): a token counts as one,
because it is made only by a session that passed the second factor, or from the
server's shell, and it is never typed at a sign-in form where a password could be
phished. ``ApiTokenAuth`` marks the request's account accordingly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from tripartite.core.permissions import Permission

from .mfa import has_mfa, vouch_for
from .models import ApiToken
from .roles import active_grants, is_system

PREFIX = "tpt_"
#: Tokens expire after this many days unless another term is chosen (at most a year).
DEFAULT_DAYS = 90
MAX_DAYS = 366
# ``last_used_at`` is written at most this often per token, so reads stay reads.
_TOUCH_EVERY = dt.timedelta(minutes=15)


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_live(token: ApiToken, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def account_for(secret: str) -> Any | None:
    """The active account that ``secret`` authenticates, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
    now = timezone.now()
    if token is None or not is_live(token, now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    vouch_for(user)  # see the module's docstring: the token stands for the second factor
    return user


class ApiTokenAuth(HttpBearer):
    """django-ninja authentication for the API's writes: ``Authorization: Bearer tpt_…``.

    Requests with a token never use the session cookie, so no CSRF check is needed (or
    made): a browser cannot be tricked into sending a header it does not know.
    """

    openapi_description = (
        "A personal API token (made at /accounts/tokens/ or with `tripartite tokens create`)."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = account_for(token)
        if user is not None:
            request.user = user
        return user


def _may_hold_tokens(actor: Any, call: Any) -> bool:
    """An editing account with a second factor manages its own tokens; the shell any."""
    if is_system(actor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    owner = call.get("user") if call is not None else None
    token = call.get("token") if call is not None else None
    if token is not None:
        owner = token.user
    if owner is not None and owner.pk != actor.pk:
        return False
    return has_mfa(actor) and bool(active_grants(actor))


OWN_TOKENS = Permission(
    code="accounts.own_tokens",
    description=_(
        "An account that holds a role and has a second factor makes and revokes its own API "
        "tokens; the server's shell may make one for any account."
    ),
    rule=_may_hold_tokens,
)
