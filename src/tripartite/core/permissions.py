"""Permissions that services declare.

A permission is a named predicate over (actor, target). Services declare one with
``@service(permission=...)``; the decorator checks it before anything is written.
Deny by default: an anonymous or inactive actor never passes, except where a permission
is explicitly open to the public (``anonymous=True``: co-creation input only). The
editing permissions, roles bound to records, are in ``accounts.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Permission:
    """A declared permission: a stable code, a human description and its rule."""

    code: str
    description: Any  # a lazy translation: rendered in the reader's language
    rule: Callable[[Any, Any], bool]
    # Only the public's own contributions (co-creation input) are open to visitors
    # without an account; everything else refuses them before its rule is asked.
    anonymous: bool = False

    def allows(self, actor: Any, target: Any = None) -> bool:
        if self.anonymous and (actor is None or not getattr(actor, "is_authenticated", False)):
            return bool(self.rule(actor, target))
        if actor is None or not getattr(actor, "is_authenticated", False):
            return False
        if not getattr(actor, "is_active", False):
            return False
        return bool(self.rule(actor, target))


def _anyone(actor: Any, target: Any) -> bool:
    return True


# The public's own contributions: anyone may submit, with or without an account. What is
# submitted stays private until a moderator publishes it (a staff-only service).
PUBLIC_CONTRIBUTION = Permission(
    code="core.public_contribution",
    description=_("Anyone, with or without an account, may submit a contribution for moderation."),
    rule=_anyone,
    anonymous=True,
)
