"""Value sets of the documents app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """What a document is, as the repository groups it (OGP's repository guidance)."""

    ACTION_PLAN = "action_plan", _("Action plan")
    MINUTES = "minutes", _("Minutes")
    AGENDA = "agenda", _("Agenda")
    LETTER = "letter", _("Letter")
    REPORT = "report", _("Report")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    IRM_REPORT = "irm_report", _("IRM report")
    EVIDENCE = "evidence", _("Evidence")
    CONSULTATION = "consultation", _("Consultation record")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")


class ExtractionStatus(models.TextChoices):
    """Where the worker's text extraction of one version stands."""

    PENDING = "pending", _("Waiting for text extraction")
    DONE = "done", _("Text extracted")
    NO_TEXT = "no_text", _("No text found (a scan without a text layer?)")
    FAILED = "failed", _("Text extraction failed")
    SEALED = "sealed", _("Sealed: not extracted")


class FileKind(models.TextChoices):
    """The file types accepted, each recognised from its content."""

    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word document (DOCX)")
    ODT = "odt", _("OpenDocument text (ODT)")
    HTML = "html", _("HTML")
    MARKDOWN = "markdown", _("Markdown")
    TEXT = "text", _("Plain text")


MEDIA_TYPES: dict[str, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.HTML: "text/html",
    FileKind.MARKDOWN: "text/markdown",
    FileKind.TEXT: "text/plain",
}
KIND_OF_MEDIA_TYPE: dict[str, str] = {media: kind for kind, media in MEDIA_TYPES.items()}
