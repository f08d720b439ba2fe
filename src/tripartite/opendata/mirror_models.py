"""Tables of mirrored instances: what ``tripartite mirror URL`` verified and keeps.

Rows are written only by ``opendata.mirror`` (after the source's log checked out) and are
never edited by any page: a mirror is a read-only copy, keyed by the source log's origin.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["MirrorEntry", "MirrorRecordVersion", "MirrorSource"]


class MirrorSource(models.Model):
    """Another instance this one mirrors, and the last checkpoint of it that verified."""

    base_url = models.URLField(_("address"), max_length=500, unique=True)
    # NULL until the first run that verifies (unique, so empty strings would clash).
    origin = models.CharField(  # noqa: DJ001
        _("log origin"), max_length=255, unique=True, null=True
    )
    slug = models.SlugField(_("slug"), max_length=255, unique=True, null=True)  # noqa: DJ001
    log_key = models.TextField(_("log verifier key"), blank=True)
    size = models.BigIntegerField(_("verified tree size"), default=0)
    root_hex = models.CharField(_("verified root hash"), max_length=64, blank=True)
    checkpoint = models.TextField(_("verified checkpoint"), blank=True)
    state = models.JSONField(_("monitor state"), default=dict)
    verified_at = models.DateTimeField(_("verified at"), null=True)
    last_run_at = models.DateTimeField(_("last run"), null=True)
    last_problems = models.PositiveIntegerField(_("problems at the last run"), default=0)

    class Meta:
        verbose_name = _("mirrored instance")
        verbose_name_plural = _("mirrored instances")
        ordering = ["origin", "base_url"]

    def __str__(self) -> str:
        return self.origin or self.base_url

    def get_absolute_url(self) -> str:
        return reverse("mirror-source", kwargs={"slug": self.slug})


class MirrorEntry(models.Model):
    """One entry of a mirrored log, as verified against the source's signed checkpoint."""

    source = models.ForeignKey(
        MirrorSource, verbose_name=_("mirrored instance"), on_delete=models.CASCADE
    )
    index = models.BigIntegerField(_("index"))
    data = models.BinaryField(_("entry bytes"))

    class Meta:
        verbose_name = _("mirrored log entry")
        verbose_name_plural = _("mirrored log entries")
        ordering = ["source", "index"]
        constraints = [
            models.UniqueConstraint(fields=["source", "index"], name="opendata_mirrorentry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} entry {self.index}"


class MirrorRecordVersion(models.Model):
    """One record version's exact canonical bytes, whose SHA-256 matched its log entry."""

    source = models.ForeignKey(
        MirrorSource, verbose_name=_("mirrored instance"), on_delete=models.CASCADE
    )
    record_type = models.CharField(_("record type"), max_length=40)
    record_key = models.CharField(_("record key"), max_length=120)
    version = models.PositiveIntegerField(_("version"))
    op = models.CharField(_("operation"), max_length=10)
    at = models.CharField(_("recorded at"), max_length=40)
    entry_index = models.BigIntegerField(_("log entry"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("canonical JSON"))
    #: Size of the checkpoint of the run that verified it (None while that run is going on).
    verified_size = models.BigIntegerField(_("verified at checkpoint"), null=True)

    class Meta:
        verbose_name = _("mirrored record version")
        verbose_name_plural = _("mirrored record versions")
        ordering = ["source", "record_type", "record_key", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record_type", "record_key", "version"],
                name="opendata_mirrorversion_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["source", "record_type", "record_key", "version"],
                name="opendata_mirrorversion_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} v{self.version} ({self.source})"

    @property
    def public_id(self) -> str:
        return f"{self.record_type}/{self.record_key}"

    def parsed(self) -> Any:
        return json.loads(bytes(self.content).decode("utf-8"))
