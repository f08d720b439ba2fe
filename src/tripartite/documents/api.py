"""Read endpoints of the repository and search under /api/v1/."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped

from . import queries, search
from . import schemas as s
from .choices import DocumentType

router = Router(tags=["documents and search"])


class DocumentFilters(Schema):
    member: str | None = Field(None, max_length=120, description="Member key, e.g. mx")
    plan: str | None = Field(None, max_length=120, description="Action plan key, e.g. mx-3")
    type: DocumentType | None = Field(None, description="Type of document")


class SearchParams(Schema):
    q: str = Field("", max_length=search.MAX_QUERY_LENGTH, description='Words or "a phrase"')
    type: str | None = Field(None, max_length=40, description="Record type, e.g. letter")
    member: str | None = Field(None, max_length=120, description="Member key, e.g. mx")
    year: int | None = Field(None, ge=1900, le=2200, description="Year of the record")
    sector: str | None = Field(None, max_length=30, description="Sector, e.g. civil_society")
    language: str | None = Field(None, max_length=10, description="Language code, e.g. es")
    limit: int = Field(search.PAGE_SIZE, ge=1, le=50, description="Results per page")
    offset: int = Field(0, ge=0, le=100_000, description="Results to skip")


@router.get("/documents", response=list[s.DocumentOut], summary="List documents")
@paginate(LimitOffsetPagination)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    qs = queries.filter_documents(
        queries.documents().filter(version__gt=0).order_by("-published_on", "key"),
        member=filters.member,
        plan=filters.plan,
        doc_type=filters.type,
    )
    return Shaped(qs, queries.document_out)


@router.get(
    "/documents/{key}",
    response=s.DocumentDetail,
    summary="A document: its files (SHA-256, redactions, text extraction) and where it belongs",
)
def get_document(request: HttpRequest, key: str) -> Any:
    return queries.document_detail(key)


@router.get(
    "/members/{key}/repository",
    response=s.Repository,
    summary="A member's repository: documents by cycle and type, updates per year",
)
def get_repository(request: HttpRequest, key: str) -> Any:
    return queries.repository(key)


@router.get(
    "/search",
    response=s.SearchResults,
    summary="Search every public record and document text",
    description=(
        'Words are matched as prefixes and accent-insensitively; "quoted words" as a '
        "phrase; all must match. Facets count the matches by type, member, year, sector "
        "and language. Snippets are HTML-escaped with matches in <mark>. Paginated by "
        "limit and offset."
    ),
)
def search_records(request: HttpRequest, params: Query[SearchParams]) -> Any:
    filters = search.Filters(
        type=params.type,
        member=params.member,
        year=params.year,
        sector=params.sector,
        language=params.language,
    )
    return search.search(params.q, filters, offset=params.offset, limit=params.limit)
