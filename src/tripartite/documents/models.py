"""Models of the repository: documents, their immutable file versions, and the search index.

A ``Document`` is a public record attached to another record (``meeting/…``, ``plan/…``).
Its files are ``DocumentVersion`` rows, each pointing at a content-addressed blob (its
SHA-256); they are part of the document's versioned content, so every file's hash is
logged. A redaction adds a derived version and seals the original: the original's hash
stays in the record, its file is no longer served to the public.

``SearchEntry`` is derived data (one row per public record, rebuilt by
``tripartite search reindex``), never part of the record.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.core.models import iso_date as _date
from tripartite.core.models import public_id_of as _ref
from tripartite.forums.models import Member
from tripartite.plans.models import ActionPlan

from .choices import DocumentType, ExtractionStatus


class Document(PublicRecord):
    """A document of the repository: metadata, the record it belongs to, its file versions."""

    RECORD_TYPE = "document"

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    doc_type = models.CharField(_("type"), max_length=30, choices=DocumentType.choices)
    language = models.CharField(_("language"), max_length=10, default="en")
    published_on = models.DateField(_("date of the document"), null=True, blank=True)
    # The public id of the record the document belongs to (``meeting/mx-stt-2016-04-15``).
    attached_to = models.CharField(_("attached to"), max_length=170)
    # Derived from the attached record when the document is filed: whose repository it is
    # in, and the action-plan cycle it belongs to.
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("document")

    def record_content(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "doc_type": self.doc_type,
            "language": self.language,
            "published_on": _date(self.published_on),
            "attached_to": self.attached_to,
            "member": _ref(self.member),
            "plan": _ref(self.plan),
            "files": [
                v.content() for v in self.versions.select_related("derived_from").order_by("number")
            ],
        }


class DocumentVersion(models.Model):
    """One immutable file of a document, addressed by its SHA-256. Versioned with its
    document; the extraction fields are the worker's derived data, not record content."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    filename = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"))
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("derived from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derivatives",
    )
    redaction_reason = models.TextField(_("reason for redaction"), blank=True)
    sealed = models.BooleanField(_("sealed"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The worker's text extraction (derived data, not logged).
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True)
    extracted_at = models.DateTimeField(_("extracted"), null=True, blank=True)
    text = models.TextField(_("extracted text"), blank=True)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document version")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def content(self) -> dict[str, Any]:
        """This file as part of the document's record content: its hash is logged."""
        return {
            "number": self.number,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "filename": self.filename,
            "uploaded_at": self.uploaded_at.isoformat(),
            "derived_from": self.derived_from.number if self.derived_from else None,
            "redaction_reason": self.redaction_reason,
            "sealed": self.sealed,
            "note": self.note,
        }


class SearchEntry(models.Model):
    """The search index's row for one public record (derived; rebuilt at will).

    SQLite indexes ``title`` and ``body`` in the FTS5 table ``documents_searchfts``
    (external content, kept in step by triggers); PostgreSQL in the generated
    ``search_vector`` column (GIN). Both are created by migration 0002, not by the ORM.
    """

    record_type = models.CharField(_("record type"), max_length=40)
    record_key = models.CharField(_("record key"), max_length=120)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    member_key = models.CharField(_("member"), max_length=120, blank=True)
    member_name = models.CharField(_("member name"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    indexed_at = models.DateTimeField(_("indexed"))

    class Meta:
        verbose_name = _("search entry")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_key"], name="unique_search_entry"
            )
        ]
        indexes = [
            models.Index(fields=["member_key"], name="search_member"),
            models.Index(fields=["year"], name="search_year"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}/{self.record_key}"
