"""The versioned-record base and the append-only version history.

A public record is a row holding its current state plus a chain of
``RecordVersion`` rows, one per change, each with the full canonical content and
its SHA-256. The row is only ever changed by a service through
``core.recording``; the versions are never changed at all.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def iso_date(value: Any) -> str | None:
    """A date (or None) as record content: ISO 8601."""
    return value.isoformat() if value else None


def public_id_of(record: PublicRecord | None) -> str | None:
    """A reference as record content: the public id, never a database id."""
    return record.public_id if record is not None else None


class PublicRecord(models.Model):
    """Abstract base of every record on the public record.

    Subclasses set ``RECORD_TYPE`` (the public id prefix, e.g. ``"letter"``) and
    implement ``record_content`` (the content that is versioned and hashed, with
    references as public ids, never database ids).
    """

    RECORD_TYPE: ClassVar[str] = ""
    # True for records the public submits (co-creation input): the row exists, unversioned
    # and unpublished (version 0), until a moderator publishes or withholds it.
    PRIVATE_UNTIL_MODERATED: ClassVar[bool] = False

    key = models.SlugField(_("key"), max_length=120, unique=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retracted_at = models.DateTimeField(_("retracted"), null=True, blank=True)
    retraction_reason = models.TextField(_("reason for retraction"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.public_id

    def get_absolute_url(self) -> str:
        return reverse(f"{self.RECORD_TYPE}-detail", kwargs={"key": self.key})

    @property
    def public_id(self) -> str:
        return f"{self.RECORD_TYPE}/{self.key}"

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    def record_content(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_record(self) -> dict[str, Any]:
        """The canonical content of this version: what is hashed and kept."""
        content = self.record_content()
        content["id"] = self.public_id
        content["type"] = self.RECORD_TYPE
        if self.retracted_at is not None:
            content["retraction"] = {
                "at": self.retracted_at.isoformat(),
                "reason": self.retraction_reason,
            }
        return content

    def get_history_url(self) -> str:
        return reverse("record-history", kwargs={"record_type": self.RECORD_TYPE, "key": self.key})


class RecordVersion(models.Model):
    """One version of one public record. Append-only: never updated or deleted."""

    class Op(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        RETRACT = "retract", _("retracted")

    record_type = models.CharField(_("record type"), max_length=40)
    record_key = models.CharField(_("record key"), max_length=120)
    version = models.PositiveIntegerField(_("version"))
    op = models.CharField(_("operation"), max_length=10, choices=Op.choices)
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256 of the canonical content"), max_length=64)
    at = models.DateTimeField(_("recorded at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        # Versions are never updated (a trigger refuses it), so deleting a user must not
        # touch them: no SET NULL, no database constraint; the id simply stays behind.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_key", "version"], name="unique_record_version"
            )
        ]
        indexes = [models.Index(fields=["record_type", "record_key", "version"])]
        ordering = ["record_type", "record_key", "version"]

    def __str__(self) -> str:
        return f"{self.public_id} v{self.version}"

    @property
    def public_id(self) -> str:
        return f"{self.record_type}/{self.record_key}"

    def commitment(self) -> dict[str, Any]:
        """What the transparency log holds for this version: no content, only its hash."""
        return {
            "type": self.record_type,
            "id": self.public_id,
            "version": self.version,
            "op": self.op,
            "sha256": self.sha256,
            "at": self.at.isoformat(),
        }


class PolicyRule(PublicRecord):
    """One version of a rule OGP changes over time (a deadline, a threshold), in force
    from ``effective_from`` until ``effective_to``. Rules are data, never code: each row
    says where it comes from and whether that source was verified (domain §9.4)."""

    RECORD_TYPE = "policy"

    code = models.CharField(_("rule"), max_length=80, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    verified = models.BooleanField(_("source verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code", "effective_from"]
        verbose_name = _("policy rule")

    def get_absolute_url(self) -> str:
        return reverse("policy-detail", kwargs={"key": self.key})

    def record_content(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "params": self.params,
            "source_url": self.source_url,
            "verified": self.verified,
            "note": self.note,
        }


class ContentTranslation(PublicRecord):
    """A translation of a record's titles and texts into one language, by an editor.

    The record keeps its original language; a translation is a record of its own (so it is
    versioned and logged like the rest) and always shown as a translation, with the version
    of the original it was made from, so a reader can tell when the original has moved on.
    """

    RECORD_TYPE = "translation"

    record = models.CharField(_("translated record"), max_length=160, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    fields = models.JSONField(_("translated fields"), default=dict)
    source_version = models.PositiveIntegerField(_("translated from version"))
    note = models.TextField(_("translator's note"), blank=True)

    class Meta:
        ordering = ["record", "language"]
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "language"], name="one_translation_per_language"
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("translation-detail", kwargs={"key": self.key})

    def record_content(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "language": self.language,
            "fields": dict(sorted(self.fields.items())),
            "source_version": self.source_version,
            "note": self.note,
        }
