"""Read endpoints of the two-sector rule under /api/v1/: joint changes with their answers,
and the roles in force (names and scopes only, never account details)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped

from .models import ChangeState, JointChange, RoleGrant
from .roles import Role

router = Router(tags=["joint control"])


class AnswerOut(Schema):
    sector: str
    by: str
    position: str
    at: str
    statement: str


class ChangeOut(Schema):
    id: str
    version: int
    forum: str | None
    operation: str
    target: str
    summary: str
    params: dict[str, Any]
    reason: str
    proposed_by: str
    proposed_at: str
    required: list[str]
    missing: list[str]
    approvals: list[AnswerOut]
    state: str
    decided_at: str | None


class RoleOut(Schema):
    holder: str
    role: Role
    scope: str = Field(description="Public id of the record the role is bound to; '' for the site")
    since: str
    change: str | None


class ChangeFilters(Schema):
    forum: str | None = Field(None, max_length=120, description="Forum key, e.g. mx-stt")
    state: ChangeState | None = Field(None, description="pending, applied, rejected, withdrawn")


def change_out(change: JointChange) -> dict[str, Any]:
    content = change.to_record()
    return {
        **content,
        "version": change.version,
        "missing": change.missing_sectors() if change.state == ChangeState.PENDING else [],
    }


@router.get("/changes", response=list[ChangeOut], summary="Joint changes, newest first")
@paginate(LimitOffsetPagination)
def list_changes(request: HttpRequest, filters: Query[ChangeFilters]) -> Any:
    qs = JointChange.objects.filter(version__gt=0).select_related("forum")
    if filters.forum:
        qs = qs.filter(forum__key=filters.forum)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return Shaped(qs.prefetch_related("approvals"), change_out)


@router.get("/changes/{key}", response=ChangeOut, summary="A joint change and its answers")
def get_change(request: HttpRequest, key: str) -> Any:
    change = JointChange.objects.filter(key=key, version__gt=0).first()
    if change is None:
        raise Http404("no such change")
    return change_out(change)


@router.get("/roles", response=list[RoleOut], summary="Editing roles in force")
@paginate(LimitOffsetPagination)
def list_roles(request: HttpRequest) -> Any:
    grants = RoleGrant.objects.filter(ended_at__isnull=True).select_related("change")
    return [
        {
            "holder": g.holder_name,
            "role": g.role,
            "scope": g.scope,
            "since": g.started_at.isoformat(),
            "change": g.change.public_id if g.change is not None else None,
        }
        for g in grants.order_by("role", "scope", "started_at")
    ]
