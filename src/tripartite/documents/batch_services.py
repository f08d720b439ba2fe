"""Batch service of the repository: file many documents, each with its first file, in one
call (the generator and importers use it).

The permission is checked for every distinct record the documents are attached to. Every
file is inspected as ``upload_document`` inspects it and stored as a blob; plain-text and
Markdown files have their text extracted in the same call (it is the file's own text, and
queueing 100,000 one-line jobs would cost more than extracting them), other kinds are
queued for the worker as usual. Records go through ``core.recording.save_records``, so
every document is versioned and logged like one filed alone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import DOCUMENTS
from tripartite.core.errors import InvalidInput
from tripartite.core.recording import (
    INSERT_CHUNK,
    now,
    require_live,
    require_permission_for_each,
    save_records,
)
from tripartite.core.services import service
from tripartite.forums.models import Member
from tripartite.plans.models import ActionPlan

from . import blobs, limits
from .choices import DocumentType, FileKind
from .extraction import extract
from .models import Document, DocumentVersion
from .records import related
from .services import _clean_filename, _inspect

# Kinds whose text is the file itself: extracted in the call instead of by the worker.
INLINE_KINDS = (FileKind.TEXT, FileKind.MARKDOWN)


def _store_files(datas: Sequence[bytes]) -> list[str]:
    """Store the files as ``blobs.store`` does (a temporary name, then a rename) and make
    them durable with one ``os.sync`` for the batch instead of an ``fsync`` per file:
    15 ms a file on this machine's disk, which would be most of a batch's time. Returns
    the files this call created."""
    created: list[str] = []
    try:
        for data in datas:
            sha256 = blobs.sha256_of(data)
            target = blobs.path_of(sha256)
            if target.is_file() or sha256 in created:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
            created.append(sha256)
        os.sync()
    except BaseException:
        for sha256 in created:
            blobs.discard(sha256)
        raise
    return created


def _first_target(actor: Any = None, *, items: Sequence[Mapping[str, Any]] = (), **_: Any) -> Any:
    return {"attached_to": items[0]["attached_to"] if items else None}


@service(DOCUMENTS, target=_first_target)
def file_documents(actor: Any, *, items: Sequence[Mapping[str, Any]]) -> list[Document]:
    """Documents with their first file. Each item: ``key``, ``attached_to`` (the record,
    live), ``title``, ``doc_type``, ``filename``, ``data`` and optionally ``language``,
    ``description``, ``published_on``."""
    require_permission_for_each(
        DOCUMENTS, actor, ({"attached_to": item["attached_to"]} for item in items)
    )
    current_limits = limits.current()
    documents: list[Document] = []
    files: list[tuple[bytes, Any, str]] = []
    for item in items:
        target = item["attached_to"]
        require_live(target)
        title = (item.get("title") or "").strip()
        if not title:
            raise InvalidInput(
                _("A document needs a title."), {"title": [_("This field is required.")]}
            )
        if item["doc_type"] not in DocumentType.values:
            raise InvalidInput(
                _("Unknown document type: %(type)s.") % {"type": item["doc_type"]},
                {"doc_type": [_("Choose one of the listed types.")]},
            )
        files.append((item["data"], _inspect(item["filename"], item["data"]), item["filename"]))
        documents.append(
            Document(
                key=item["key"],
                title=title,
                description=item.get("description") or "",
                doc_type=item["doc_type"],
                language=item.get("language") or "en",
                published_on=item.get("published_on"),
                attached_to=target.public_id,
                member=related(target, Member),
                plan=related(target, ActionPlan),
            )
        )
    queued: list[DocumentVersion] = []

    def first_versions(saved: Sequence[Any]) -> None:
        rows = []
        for document, (data, inspected, filename) in zip(saved, files, strict=True):
            row = DocumentVersion(
                document=document,
                number=1,
                sha256=blobs.sha256_of(data),
                size=len(data),
                media_type=inspected.media_type,
                filename=_clean_filename(filename),
                uploaded_at=now(),
                page_count=inspected.page_count,
            )
            if inspected.kind in INLINE_KINDS:
                result = extract(data, inspected.kind, current_limits)
                row.extraction_status = result.status
                row.text = result.text
                row.extraction_error = result.error
                row.extracted_at = row.uploaded_at
            else:
                queued.append(row)
            rows.append(row)
        DocumentVersion.objects.bulk_create(rows, batch_size=INSERT_CHUNK)

    created: list[str] = []
    try:
        save_records(documents, actor=actor, write_related=first_versions)
        created += _store_files([data for data, _inspected, _name in files])
    except BaseException:
        # As ``upload_document``: a failed call leaves no file it created.
        for sha256 in created:
            blobs.discard(sha256)
        raise
    if queued:
        from .tasks import queue_extraction

        ids = [row.pk for row in queued]

        def queue_all() -> None:
            for pk in ids:
                queue_extraction(pk)

        transaction.on_commit(queue_all, robust=True)
    return documents
