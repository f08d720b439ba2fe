"""The personal data this app keeps about a user, for their own export.

``personal_data(user)`` is what ``/notifications/export.json`` serves; an account-wide
export can include it as its ``notifications`` part. Erasing the account erases it too
(every row goes with the user: ``on_delete=CASCADE``).
"""

from __future__ import annotations

from typing import Any

from .models import DigestItem, DigestMark, Follow


def personal_data(user: Any) -> dict[str, Any]:
    """The user's follows, the changes waiting for their digest, and their last digest."""
    mark = DigestMark.objects.filter(user=user).first()
    return {
        "follows": [
            {
                "record": row.record,
                "frequency": row.frequency,
                "language": row.language,
                "followed_since": row.created_at.isoformat(),
            }
            for row in Follow.objects.filter(user=user).order_by("record")
        ],
        "waiting_for_digest": [
            {
                "followed": item.follow.record,
                "record": item.record,
                "version": item.version,
                "op": item.op,
                "at": item.at.isoformat(),
            }
            for item in DigestItem.objects.filter(follow__user=user).select_related("follow")
        ],
        "last_digest_sent_at": mark.sent_at.isoformat() if mark else None,
    }
