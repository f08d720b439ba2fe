"""Making and revoking API tokens (``accounts.tokens``).

Tokens are account credentials, not public records: nothing here is logged, like
sign-ins. What a token writes is logged and attributed to its account as any other write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.services import service

from .models import ApiToken
from .tokens import DEFAULT_DAYS, MAX_DAYS, OWN_TOKENS, digest_of, new_secret

#: Live tokens an account may hold at once (a leak is easier to see and stop).
MAX_LIVE_TOKENS = 10


@service(OWN_TOKENS)
def issue_token(
    actor: Any, *, user: Any, name: str, days: int | None = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the secret, which is never shown again.

    ``days=None`` makes a token that does not expire (only from the server's shell).
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(
            _("Name the token after what will use it."), {"name": [_("This field is required.")]}
        )
    if len(name) > 100:
        raise InvalidInput(_("The name is too long."), {"name": [_("At most 100 characters.")]})
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            _("A token lasts between 1 and %(n)s days.") % {"n": MAX_DAYS},
            {"days": [_("Out of range.")]},
        )
    now = timezone.now()
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)
    if live.count() >= MAX_LIVE_TOKENS:
        raise Conflict(
            _("An account holds at most %(n)s live tokens; revoke one first.")
            % {"n": MAX_LIVE_TOKENS}
        )
    secret = new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:12],
        digest=digest_of(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days) if days is not None else None,
    )
    return token, secret


@service(OWN_TOKENS)
def revoke_token(actor: Any, *, token: ApiToken) -> ApiToken:
    """Stop ``token`` at once (kept, marked revoked, so its owner sees what it was)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
