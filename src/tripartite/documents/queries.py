"""Read side of the repository: each page's data in a fixed number of queries, shaped into
the schemas that pages, JSON twins and the API share."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from tripartite.forums.models import Member
from tripartite.plans.queries import link, url_of

from . import schemas as s
from .choices import DocumentType, ExtractionStatus
from .models import Document, DocumentVersion
from .records import resolve

# The worker's text is never needed to list files.
_FILES = DocumentVersion.objects.defer("text").order_by("number")


def documents() -> QuerySet[Document]:
    return Document.objects.select_related("member", "plan").prefetch_related(
        Prefetch("versions", queryset=_FILES.select_related("derived_from"))
    )


def filter_documents(
    queryset: QuerySet[Document],
    *,
    member: str | None = None,
    plan: str | None = None,
    doc_type: str | None = None,
) -> QuerySet[Document]:
    if member:
        queryset = queryset.filter(member__key=member)
    if plan:
        queryset = queryset.filter(plan__key=plan)
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    return queryset


def _files(document: Document) -> list[DocumentVersion]:
    return list(document.versions.all())  # prefetched


def _updated_at(files: list[DocumentVersion]) -> dt.datetime | None:
    return max((f.uploaded_at for f in files), default=None)


def document_out(document: Document) -> s.DocumentOut:
    files = _files(document)
    return s.DocumentOut(**_document_fields(document, files))


def _document_fields(document: Document, files: list[DocumentVersion]) -> dict[str, Any]:
    return {
        "id": document.public_id,
        "version": document.version,
        "url": url_of(document.RECORD_TYPE, document.key),
        "retracted": document.is_retracted,
        "title": document.title,
        "doc_type": document.doc_type,
        "doc_type_label": _type_label(document.doc_type),
        "language": document.language,
        "published_on": document.published_on,
        "member": link(document.member) if document.member else None,
        "plan": link(document.plan) if document.plan else None,
        "attached_to": document.attached_to,
        "updated_at": _updated_at(files),
        "file_count": len(files),
    }


def _type_label(doc_type: str) -> str:
    try:
        return str(DocumentType(doc_type).label)
    except ValueError:
        return doc_type


def download_url(document: Document, number: int) -> str:
    return reverse("document-file", kwargs={"key": document.key, "number": number})


def file_out(document: Document, version: DocumentVersion) -> s.FileVersionOut:
    return s.FileVersionOut(
        number=version.number,
        sha256=version.sha256,
        size=version.size,
        media_type=version.media_type,
        filename=version.filename,
        uploaded_at=version.uploaded_at,
        derived_from=version.derived_from.number if version.derived_from else None,
        redaction_reason=version.redaction_reason,
        sealed=version.sealed,
        note=version.note,
        download_url=None if version.sealed else download_url(document, version.number),
        extraction_status=version.extraction_status,
        extraction_label=str(ExtractionStatus(version.extraction_status).label),
        extraction_error=version.extraction_error,
        page_count=version.page_count,
    )


def document_detail(key: str) -> s.DocumentDetail:
    document = get_object_or_404(documents(), key=key)
    if document.version == 0:
        raise Http404("no such document")
    files = _files(document)
    attached = resolve(document.attached_to)
    public_files = [f.number for f in files if not f.sealed]
    return s.DocumentDetail(
        **_document_fields(document, files),
        description=document.description,
        retraction_reason=document.retraction_reason,
        attached=link(attached) if attached is not None else None,
        files=[file_out(document, f) for f in files],
        current=max(public_files) if public_files else None,
    )


def repository(member_key: str) -> s.Repository:
    """Every document of a member, by action-plan cycle (newest plan first) and type, with
    the last update and the number of updates (uploaded files) per year."""
    member = get_object_or_404(Member, key=member_key)
    if member.version == 0:
        raise Http404("no such member")
    rows = list(
        documents()
        .filter(member=member, version__gt=0)
        .order_by("-plan__start_on", "doc_type", "-published_on", "title")
    )
    cycles: dict[Any, dict[str, list[s.DocumentOut]]] = defaultdict(lambda: defaultdict(list))
    plans: dict[Any, Any] = {}
    per_year: Counter[int] = Counter()
    last: dt.datetime | None = None
    for document in rows:
        files = _files(document)
        for f in files:
            per_year[f.uploaded_at.year] += 1
        updated = _updated_at(files)
        if updated is not None and (last is None or updated > last):
            last = updated
        cycles[document.plan_id][document.doc_type].append(
            s.DocumentOut(**_document_fields(document, files))
        )
        plans[document.plan_id] = document.plan
    order = [key for key in cycles if key is not None] + ([None] if None in cycles else [])
    type_order = {value: n for n, value in enumerate(DocumentType.values)}
    groups = []
    for plan_id in order:
        by_type = cycles[plan_id]
        types = [
            s.TypeGroup(doc_type=doc_type, label=_type_label(doc_type), documents=docs)
            for doc_type, docs in sorted(by_type.items(), key=lambda i: type_order.get(i[0], 99))
        ]
        plan = plans[plan_id]
        groups.append(
            s.CycleGroup(
                plan=link(plan) if plan is not None else None,
                types=types,
                count=sum(len(t.documents) for t in types),
            )
        )
    years = []
    if per_year:
        for year in range(max(per_year), min(per_year) - 1, -1):
            years.append(s.YearCount(year=year, count=per_year[year], enough=per_year[year] >= 2))
    return s.Repository(
        member=link(member),
        document_count=len(rows),
        last_update=last,
        updates_per_year=years,
        cycles=groups,
    )
