"""Typed boundary shapes of the repository and of search (API, JSON twins of pages)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from tripartite.forums.schemas import Ref


class FileVersionOut(Schema):
    """One immutable file of a document. ``download_url`` is None once sealed."""

    number: int
    sha256: str
    size: int
    media_type: str
    filename: str
    uploaded_at: dt.datetime
    derived_from: int | None
    redaction_reason: str
    sealed: bool
    note: str
    download_url: str | None
    extraction_status: str
    extraction_label: str
    extraction_error: str
    page_count: int | None


class DocumentOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    title: str
    doc_type: str
    doc_type_label: str
    language: str
    published_on: dt.date | None
    member: Ref | None
    plan: Ref | None
    attached_to: str
    updated_at: dt.datetime | None  # when its latest file was uploaded
    file_count: int


class DocumentDetail(DocumentOut):
    description: str
    retraction_reason: str
    attached: Ref | None  # the attached record, when it is public
    files: list[FileVersionOut]
    current: int | None  # number of the latest public file


class TypeGroup(Schema):
    doc_type: str
    label: str
    documents: list[DocumentOut]


class CycleGroup(Schema):
    """The documents of one action-plan cycle (``plan`` None: outside any plan)."""

    plan: Ref | None
    types: list[TypeGroup]
    count: int


class YearCount(Schema):
    year: int
    count: int
    enough: bool  # at least two updates that year (OGP: update the repository twice a year)


class Repository(Schema):
    member: Ref
    document_count: int
    last_update: dt.datetime | None
    updates_per_year: list[YearCount]
    cycles: list[CycleGroup]


class SearchHit(Schema):
    id: str
    type: str
    type_label: str
    title: str
    title_html: str  # the title, HTML-escaped, matches in <mark>
    snippet_html: str  # an excerpt of the text, HTML-escaped, matches in <mark>
    url: str
    member: str | None
    member_name: str
    year: int | None
    sector: str
    language: str


class FacetValue(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facet(Schema):
    name: str  # type | member | year | sector | language
    label: str
    values: list[FacetValue]


class SearchResults(Schema):
    query: str
    count: int
    offset: int
    limit: int
    items: list[SearchHit]
    facets: list[Facet]
