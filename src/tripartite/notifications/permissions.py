"""The permission of the notifications services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tripartite.core.permissions import Permission


def _signed_in(actor: Any, target: Any) -> bool:
    # ``Permission.allows`` already refused anonymous and inactive actors. The services
    # only ever read and write ``Follow.objects.filter(user=actor)``: a user acts on their
    # own follows, never anyone else's.
    return True


OWN_FOLLOWS = Permission(
    code="notifications.own_follows",
    description=_("A signed-in user may follow records and manage their own follows."),
    rule=_signed_in,
)
