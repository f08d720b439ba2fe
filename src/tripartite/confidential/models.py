"""The confidential channel's records: the committee's recipient keys and sealed submissions.

Both are public records (versioned, logged). A sealed submission's public content is only
the SHA-256 of its ciphertext bundle, the day it was received and the keys it was sealed
to; the ciphertexts and the hash of the submitter's receipt code stay on the row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord, iso_date

from . import sealing


class RecipientKey(PublicRecord):
    """A committee recipient's X25519 public key. The private key never reaches the server."""

    RECORD_TYPE = "recipientkey"

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    public_key = models.CharField(_("public key"), max_length=44, unique=True)
    added_on = models.DateField(_("added on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        ordering = ["name", "key"]
        verbose_name = _("recipient key")

    def get_absolute_url(self) -> str:
        return reverse("recipientkey-detail", kwargs={"key": self.key})

    @property
    def fingerprint(self) -> str:
        return sealing.fingerprint(self.public_key)

    @property
    def is_active(self) -> bool:
        return self.retired_on is None and not self.is_retracted

    def record_content(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "added_on": iso_date(self.added_on),
            "retired_on": iso_date(self.retired_on),
        }


class SealedSubmission(PublicRecord):
    """A submission sealed to the committee's keys: ciphertext only, never plaintext."""

    RECORD_TYPE = "sealed"

    bundle = models.BinaryField(_("sealed bundle"))
    bundle_sha256 = models.CharField(_("SHA-256 of the sealed bundle"), max_length=64, unique=True)
    submitted_on = models.DateField(_("submitted on"))
    size_bucket = models.PositiveIntegerField(_("size bucket (bytes)"))
    receipt_sha256 = models.CharField(_("SHA-256 of the receipt code"), max_length=64)
    recipients = models.ManyToManyField(
        RecipientKey, related_name="submissions", verbose_name=_("sealed to")
    )

    class Meta:
        ordering = ["-submitted_on", "key"]
        verbose_name = _("sealed submission")

    def get_absolute_url(self) -> str:
        return reverse("sealed-detail", kwargs={"key": self.key})

    def record_content(self) -> dict[str, Any]:
        return {
            "bundle_sha256": self.bundle_sha256,
            "submitted_on": iso_date(self.submitted_on),
            "recipients": sorted(r.public_id for r in self.recipients.all()),
        }
