"""``{% record_log record.id record.version %}``: a version's place in the public log."""

from __future__ import annotations

from typing import Any

from django import template

from tripartite.ledger.queries import record_log_status

register = template.Library()


@register.inclusion_tag("ledger/_record_log.html")
def record_log(public_id: str, version: int) -> dict[str, Any]:
    """Entry number, covering checkpoint and its cosigners (at most two queries)."""
    return {"log": record_log_status(public_id, version)}
