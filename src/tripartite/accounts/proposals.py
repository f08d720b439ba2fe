"""What the editing pages do instead of writing when a change needs joint approval:
propose it, and tell the proposer which sectors must now approve it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tripartite.core.models import PublicRecord

from .models import ChangeState
from .roles import scope_of


def needs_joint_approval(record: PublicRecord) -> bool:
    """A new version of a record that belongs to a forum takes the forum's joint approval
    (the site's own account, acting from the command line, excepted)."""
    return scope_of(record).forum is not None


def propose(actor: Any, *, operation: str, record: PublicRecord, **params: Any) -> tuple[str, str]:
    """Propose the change; return where to go next and what to tell the proposer."""
    from .joint_services import propose_change

    change = propose_change(actor, operation=operation, target=record.public_id, **params)
    if change.state == ChangeState.APPLIED:
        return record.get_absolute_url(), _("The change to %(id)s is approved and applied.") % {
            "id": record.public_id
        }
    return change.get_absolute_url(), _(
        "Your change to %(id)s is proposed. It takes effect once representatives of these "
        "sectors approve it: %(sectors)s."
    ) % {"id": record.public_id, "sectors": ", ".join(change.missing_sectors())}
