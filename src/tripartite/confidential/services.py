"""Writes of the confidential channel: recipient keys (staff) and sealed submissions (anyone).

No service here ever receives a plaintext: ``submit_sealed`` takes sealed copies only.
A view that gets a plaintext (the form without JavaScript) seals it first with
``sealing.seal_message`` and passes the copies on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import INTERNATIONAL
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.permissions import PUBLIC_CONTRIBUTION
from tripartite.core.recording import require_key_free, save_record
from tripartite.core.services import service

from . import sealing
from .models import RecipientKey, SealedSubmission
from .queries import active_recipients


@service(INTERNATIONAL)
def register_recipient_key(
    actor: Any,
    *,
    name: str,
    public_key: str,
    role: str = "",
    added_on: dt.date | None = None,
    key: str = "",
) -> RecipientKey:
    """Publish a committee recipient's public key (made with ``tripartite concerns keygen``
    on the recipient's own machine). From now on every submission is sealed to it too."""
    name, role, public_key = (name or "").strip(), (role or "").strip(), (public_key or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    try:
        sealing.parse_public_key(public_key)
    except sealing.SealingError:
        errors["public_key"] = [
            _("Paste the public key that `tripartite concerns keygen` printed (44 characters).")
        ]
    if errors:
        raise InvalidInput(_("The key cannot be registered."), errors)
    if RecipientKey.objects.filter(public_key=public_key).exists():
        raise Conflict(
            _("This public key is already registered."),
            {"public_key": [_("This public key is already registered.")]},
        )
    digest = hashlib.sha256(public_key.encode("ascii")).hexdigest()[:8]
    key = key or f"{slugify(name)[:60] or 'recipient'}-{digest}"
    require_key_free(RecipientKey, key)
    recipient = RecipientKey(
        key=key,
        name=name,
        role=role,
        public_key=public_key,
        added_on=added_on or timezone.localdate(),
    )
    save_record(recipient, actor=actor)
    return recipient


@service(INTERNATIONAL)
def retire_recipient_key(
    actor: Any, recipient: RecipientKey, *, retired_on: dt.date | None = None, reason: str = ""
) -> RecipientKey:
    """Stop sealing to a key (a recipient left the committee, or lost the key). Submissions
    already sealed to it stay as they are: only that key opens them."""
    if recipient.retired_on is not None:
        raise Conflict(_("This key is already retired."))
    retired_on = retired_on or timezone.localdate()
    if retired_on < recipient.added_on:
        raise InvalidInput(_("A key cannot be retired before it was added."))
    recipient.retired_on = retired_on
    save_record(recipient, actor=actor, reason=(reason or "").strip())
    return recipient


@service(PUBLIC_CONTRIBUTION)
def submit_sealed(actor: Any, *, copies: Mapping[str, str]) -> tuple[SealedSubmission, str]:
    """Keep a submission sealed to every active recipient key; return it and the receipt
    code to show the submitter once (only its SHA-256 is kept).

    ``copies`` maps each recipient's public id to its sealed copy (base64), sealed in the
    browser or by the view in memory. What is logged: the bundle's SHA-256, the day and the
    recipients' public ids.
    """
    recipients = {r.public_id: r for r in active_recipients()}
    if not recipients:
        raise Conflict(_("The confidential channel has no recipient key yet; nothing was kept."))
    try:
        bucket = sealing.check_copies(copies, {rid: r.public_key for rid, r in recipients.items()})
    except sealing.SealingError as error:
        raise InvalidInput(
            _(
                "The sealed message does not match the committee's current keys. "
                "Reload the page and send it again."
            )
        ) from error
    bundle = sealing.make_bundle(copies, {rid: r.public_key for rid, r in recipients.items()})
    digest = sealing.bundle_sha256(bundle)
    if SealedSubmission.objects.filter(bundle_sha256=digest).exists():
        raise Conflict(_("This sealed message was already received."))
    code = sealing.new_receipt_code()
    submission = SealedSubmission(
        key=f"s-{secrets.token_hex(6)}",
        bundle=bundle,
        bundle_sha256=digest,
        submitted_on=timezone.localdate(),
        size_bucket=bucket,
        receipt_sha256=sealing.receipt_hash(code),
    )
    save_record(
        submission,
        actor=None,  # never linked to the submitter's account, even when signed in
        write_related=lambda: submission.recipients.set(recipients.values()),
    )
    return submission, code
