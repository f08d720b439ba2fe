"""The one write of ``accounts.privacy``: a person erasing their own public account.

What goes: the account, its e-mail addresses (and pending confirmations), its
authenticators, its follows and waiting digest items, its session rows and the sessions
themselves (signed out everywhere). What stays: co-creation input already sent is part of
the plan's co-creation (published, withheld, or awaiting moderation), but loses everything
private that tied it to the person: the link to the account, the contact e-mail and the
name when it was not to be published. None of those is part of a published record's
content, so no record changes and nothing is written to the log (which never held
personal data). A name the person chose to publish stays on the published record, which
is never silently rewritten; the forum can redact it on request.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from tripartite.core.errors import Conflict
from tripartite.core.services import service

from .models import SessionRecord
from .privacy import OWN_PUBLIC_ACCOUNT


@service(OWN_PUBLIC_ACCOUNT)
def erase_account(actor: Any) -> dict[str, int]:
    """Delete ``actor``'s own account and its personal data; how many rows of each kind
    went (for the confirmation and the tests)."""
    from tripartite.plans.models import Input

    # Input tied to the account, and input sent without signing in that gave one of the
    # account's addresses for the answer: verified ones only, so that nobody can wipe
    # another person's contact address by adding it to their own account unconfirmed.
    by_address = Q(pk__in=[])
    for address in EmailAddress.objects.filter(user=actor, verified=True).values_list(
        "email", flat=True
    ):
        by_address |= Q(contact_email__iexact=address)
    inputs = 0
    for queryset in (
        Input.objects.filter(account=actor),
        Input.objects.filter(by_address, account__isnull=True),
    ):
        # update() leaves the published content and its version alone: none of these
        # fields is part of an input's record (see Input.record_content). The name goes
        # where it was never to be published; the second update takes the rest.
        inputs += queryset.filter(publish_name=False).update(
            account=None, contact_email="", submitter_name=""
        )
        inputs += queryset.update(account=None, contact_email="")

    session_keys = list(
        SessionRecord.objects.filter(user=actor).values_list("session_key", flat=True)
    )
    sessions = Session.objects.filter(session_key__in=session_keys).delete()[0]
    try:
        _total, deleted = actor.delete()
    except ProtectedError:
        # A record still points at the account (a proposed or approved joint change):
        # only editing accounts do that, and they are refused before; never half-erase.
        raise Conflict(
            _("This account is referred to by the public record and cannot be deleted here.")
        ) from None
    return {
        "inputs_unlinked": inputs,
        "sessions_ended": sessions,
        **{label.rsplit(".", 1)[-1].lower(): count for label, count in deleted.items()},
    }
