"""Every write of the documents app: file a document, add a file version, redact a version,
change a document's details, retract it, and record the worker's text extraction.

A file is inspected (``filetypes.inspect``) before anything is written; a refused file
leaves no row and no blob. The blob is stored last, inside the transaction, and removed
again if the transaction body fails after it was created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import DOCUMENTS, JOINT, SITE_TASK
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.recording import (
    publish_changes,
    require_key_free,
    require_live,
    retract_record,
    save_record,
)
from tripartite.core.services import service
from tripartite.forums.models import Member
from tripartite.plans.models import ActionPlan

from . import blobs, filetypes, limits
from .choices import DocumentType, ExtractionStatus
from .models import Document, DocumentVersion
from .records import related, resolve

# Fields a new version of the document's details may change.
EDITABLE_FIELDS: dict[type[Document], tuple[str, ...]] = {
    Document: ("title", "description", "doc_type", "language", "published_on")
}


def _inspect(filename: str, data: bytes) -> filetypes.Inspected:
    try:
        return filetypes.inspect(data, filename, limits.current())
    except filetypes.Refused as refusal:
        raise InvalidInput(refusal.message, {"file": [refusal.message]}) from refusal


def _clean_filename(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255] or "document"


def _queue_extraction(version: DocumentVersion) -> None:
    from .tasks import queue_extraction

    transaction.on_commit(lambda: queue_extraction(version.pk), robust=True)


def _with_blob(data: bytes, write_rows: Callable[[str], Any]) -> Any:
    """Write the rows for the file whose hash is given, then store the file; a failure
    after the file was created removes it again, so nothing is left half-stored."""
    sha256 = blobs.sha256_of(data)
    created = False
    try:
        result = write_rows(sha256)
        _stored, created = blobs.store(data)
        return result
    except BaseException:
        if created:
            blobs.discard(sha256)
        raise


def _new_version(
    document: Document,
    *,
    number: int,
    sha256: str,
    data: bytes,
    inspected: filetypes.Inspected,
    filename: str,
    derived_from: DocumentVersion | None = None,
    redaction_reason: str = "",
    note: str = "",
) -> DocumentVersion:
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        sha256=sha256,
        size=len(data),
        media_type=inspected.media_type,
        filename=_clean_filename(filename),
        uploaded_at=timezone.now(),
        derived_from=derived_from,
        redaction_reason=redaction_reason,
        note=note[:300],
        page_count=inspected.page_count,
    )


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, {field: [_("This field is required.")]})
    return value


@service(DOCUMENTS)
def upload_document(
    actor: Any,
    *,
    key: str,
    attached_to: str,
    title: str,
    doc_type: str,
    filename: str,
    data: bytes,
    language: str = "en",
    description: str = "",
    published_on: dt.date | None = None,
    plan: ActionPlan | None = None,
) -> Document:
    """File a document with its first version, attached to the record ``attached_to``
    (a public id). Its member and action-plan cycle come from that record; ``plan`` sets
    the cycle when the record belongs to none (it must be a plan of the same member)."""
    inspected = _inspect(filename, data)
    require_key_free(Document, key)
    target = resolve(attached_to)
    if target is None:
        message = _("No public record has the identifier “%(id)s”.") % {"id": attached_to}
        raise InvalidInput(message, {"attached_to": [message]})
    require_live(target)
    if doc_type not in DocumentType.values:
        raise InvalidInput(
            _("Unknown document type: %(type)s.") % {"type": doc_type},
            {"doc_type": [_("Choose one of the listed types.")]},
        )
    member = related(target, Member)
    cycle = related(target, ActionPlan)
    if plan is not None:
        if cycle is not None and cycle.pk != plan.pk:
            message = _("The record belongs to the action plan %(plan)s.") % {
                "plan": cycle.public_id
            }
            raise InvalidInput(message, {"plan": [message]})
        if member is not None and plan.member_id != member.pk:
            message = _("The action plan must be one of %(member)s.") % {"member": member.name}
            raise InvalidInput(message, {"plan": [message]})
        cycle = plan
        member = member or plan.member
    document = Document(
        key=key,
        title=_require_text(title, "title", _("A document needs a title.")),
        description=description or "",
        doc_type=doc_type,
        language=language or "en",
        published_on=published_on,
        attached_to=target.public_id,
        member=member,
        plan=cycle,
    )

    def write_rows(sha256: str) -> Document:
        created: list[DocumentVersion] = []

        def first_version() -> None:
            created.append(
                _new_version(
                    document,
                    number=1,
                    sha256=sha256,
                    data=data,
                    inspected=inspected,
                    filename=filename,
                )
            )

        save_record(document, actor=actor, write_related=first_version)
        _queue_extraction(created[0])
        return document

    result: Document = _with_blob(data, write_rows)
    return result


def _next_number(document: Document) -> int:
    last = document.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@service(DOCUMENTS)
def add_version(
    actor: Any, document: Document, *, filename: str, data: bytes, note: str = ""
) -> DocumentVersion:
    """A new file for the document (a corrected or final edition); earlier files stay."""
    inspected = _inspect(filename, data)
    require_live(document)

    def write_rows(sha256: str) -> DocumentVersion:
        created: list[DocumentVersion] = []
        number = _next_number(document)

        def new_file() -> None:
            created.append(
                _new_version(
                    document,
                    number=number,
                    sha256=sha256,
                    data=data,
                    inspected=inspected,
                    filename=filename,
                    note=note,
                )
            )

        save_record(document, actor=actor, write_related=new_file, reason=note)
        _queue_extraction(created[0])
        return created[0]

    result: DocumentVersion = _with_blob(data, write_rows)
    return result


@service(DOCUMENTS)
def redact_version(
    actor: Any, document: Document, *, number: int, filename: str, data: bytes, reason: str
) -> DocumentVersion:
    """Replace a public file by its redacted copy: a new version derived from it, with the
    reason. The original is sealed (no longer served to the public; its text leaves the
    search index) while its SHA-256 stays in the record and in the log."""
    reason = _require_text(reason, "reason", _("A redaction needs a reason."))
    inspected = _inspect(filename, data)
    require_live(document)
    original = document.versions.filter(number=number).first()
    if original is None:
        message = _("The document has no version %(number)s.") % {"number": number}
        raise InvalidInput(message, {"number": [message]})
    if original.sealed:
        raise Conflict(
            _("Version %(number)s is already sealed by a redaction.") % {"number": number}
        )

    def write_rows(sha256: str) -> DocumentVersion:
        if sha256 == original.sha256:
            message = _("The redacted file is identical to the original.")
            raise InvalidInput(message, {"file": [message]})
        created: list[DocumentVersion] = []
        new_number = _next_number(document)

        def derive() -> None:
            original.sealed = True
            original.text = ""
            original.extraction_status = ExtractionStatus.SEALED
            original.save(update_fields=["sealed", "text", "extraction_status"])
            created.append(
                _new_version(
                    document,
                    number=new_number,
                    sha256=sha256,
                    data=data,
                    inspected=inspected,
                    filename=filename,
                    derived_from=original,
                    redaction_reason=reason,
                )
            )

        save_record(document, actor=actor, write_related=derive, reason=reason)
        _queue_extraction(created[0])
        return created[0]

    result: DocumentVersion = _with_blob(data, write_rows)
    return result


@service(DOCUMENTS)
def update_document(
    actor: Any, document: Document, *, changes: dict[str, Any], reason: str = ""
) -> Document:
    """A new version of the document's details (title, description, type, language, date)."""
    if "doc_type" in changes and changes["doc_type"] not in DocumentType.values:
        raise InvalidInput(_("Unknown document type: %(type)s.") % {"type": changes["doc_type"]})
    publish_changes(
        document, actor=actor, changes=changes, allowed=EDITABLE_FIELDS[Document], reason=reason
    )
    return document


@service(JOINT)
def retract_document(actor: Any, document: Document, *, reason: str) -> Document:
    """Withdraw the document with a reason; its versions and files stay on the record."""
    retract_record(document, actor=actor, reason=reason)
    return document


@service(SITE_TASK)
def record_extraction(
    actor: Any,
    version: DocumentVersion,
    *,
    status: str,
    text: str = "",
    error: str = "",
    page_count: int | None = None,
) -> DocumentVersion:
    """Keep the worker's text extraction of one version (derived data: no new record
    version). A version sealed meanwhile keeps no text."""
    version.refresh_from_db()
    if version.sealed:
        return version
    version.extraction_status = status
    version.text = text
    version.extraction_error = error
    if page_count is not None:
        version.page_count = page_count
    version.extracted_at = timezone.now()
    version.save(
        update_fields=[
            "extraction_status",
            "text",
            "extraction_error",
            "page_count",
            "extracted_at",
        ]
    )
    return version
