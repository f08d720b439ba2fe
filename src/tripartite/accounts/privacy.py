"""Personal data of an account: what the platform keeps about a person, for their own
export, and who may erase their account (issue 7: export and erasure for public accounts).

A *public* account follows records and sends co-creation input; it can be erased by its
holder. An *editing* account (staff, a role on the record now or in the past, or any
version on the record written by it) cannot: what it did is part of the public record,
which is never silently rewritten, so that record must keep pointing at who acted. The
erasure itself is ``privacy_services.erase_account``.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.models import RecordVersion
from tripartite.core.permissions import Permission

from .models import RoleGrant, SessionRecord

EXPORT_FORMAT = "tripartite-personal-data"
EXPORT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- who may be erased


def editing_account_refusal(user: Any) -> str:
    """Why this account cannot erase itself ("" when it can)."""
    if user.is_staff or user.is_superuser:
        return _(
            "This is an editing account: what it did is part of the public record, so it "
            "cannot be deleted here. Ask the site operator to end your roles and close "
            "the account."
        )
    # Ended roles too: the record names the holder of every change made under them.
    if (
        RoleGrant.objects.filter(user=user).exists()
        or RecordVersion.objects.filter(actor_id=user.pk).exists()
    ):
        return _(
            "This account has held a role on the record, and what it did is part of the "
            "public record, so it cannot be deleted here. Ask the site operator to close "
            "the account."
        )
    return ""


def _public_account(actor: Any, target: Any) -> bool:
    return not editing_account_refusal(actor)


# The permission of the erasure service: a signed-in, active account erases itself (the
# service takes no other account), and only a public one.
OWN_PUBLIC_ACCOUNT = Permission(
    code="accounts.own_public_account",
    description=gettext_lazy(
        "A person may delete their own public account; editing accounts cannot be deleted this way."
    ),
    rule=_public_account,
)


# ---------------------------------------------------------------- the export


def _account(user: Any) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        # That a second factor exists and when it was used; never its secret or codes.
        "two_factor_authentication": [
            {
                "type": row.type,
                "created_at": _iso(row.created_at),
                "last_used_at": _iso(row.last_used_at),
            }
            for row in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


def _sessions(user: Any, current_key: str | None) -> list[dict[str, Any]]:
    # A row holds two times and nothing else (no address, no browser): see models.
    return [
        {
            "signed_in_at": _iso(row.created_at),
            "last_seen_at": _iso(row.last_seen_at),
            "this_browser": row.session_key == current_key,
        }
        for row in SessionRecord.objects.filter(user=user)
    ]


def _co_creation_inputs(user: Any) -> list[dict[str, Any]]:
    from tripartite.plans.models import Input

    return [
        {
            # Pending input has no public page yet; its id is still how to ask about it.
            "id": item.public_id,
            "plan": item.plan.public_id,
            "received_at": _iso(item.received_at),
            "language": item.language,
            "title": item.title,
            "text": item.text,
            "submitter_name": item.submitter_name,
            "submitter_organization": item.submitter_organization,
            "publish_name": item.publish_name,
            "contact_email": item.contact_email,
            "moderation": item.moderation,
        }
        for item in Input.objects.filter(account=user).select_related("plan").order_by("id")
    ]


def personal_data(user: Any, *, current_session_key: str | None = None) -> dict[str, Any]:
    """Everything the platform keeps about ``user``, as JSON-ready data."""
    from tripartite.notifications.export import personal_data as notifications_data

    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
        "sessions": _sessions(user, current_session_key),
        "notifications": notifications_data(user),
        "co_creation_inputs": _co_creation_inputs(user),
    }
