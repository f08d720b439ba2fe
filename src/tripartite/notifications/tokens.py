"""Signed one-click unsubscribe tokens (Django ``signing``; no login needed to use one).

A token names a user and either one follow (``f``) or all their daily-digest follows
(``d``). It carries no expiry: an unsubscribe link in an old e-mail must keep working
(RFC 8058). It is signed with ``SECRET_KEY`` under its own salt, so it is good for nothing
else, and names database ids only, never an address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "tripartite.notifications.unsubscribe"


@dataclass(frozen=True)
class Claim:
    user_id: int
    follow_id: int | None  # None: every daily-digest follow of the user


def for_follow(user_id: int, follow_id: int) -> str:
    return signing.Signer(salt=SALT).sign_object({"u": user_id, "f": follow_id})


def for_digest(user_id: int) -> str:
    return signing.Signer(salt=SALT).sign_object({"u": user_id, "d": 1})


def read(token: str) -> Claim | None:
    """The claim of a good token; None for a bad, altered or foreign one."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if isinstance(data.get("f"), int):
        return Claim(user_id=data["u"], follow_id=data["f"])
    if data.get("d") == 1:
        return Claim(user_id=data["u"], follow_id=None)
    return None
