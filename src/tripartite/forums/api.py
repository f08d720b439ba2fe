"""Read endpoints of the forum record under /api/v1/."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped

from . import queries
from . import schemas as s
from .choices import LetterStatus, LetterType, Sector

router = Router(tags=["forum record"])


class LetterFilters(Schema):
    type: LetterType | None = Field(None, description="Letter type")
    year: int | None = Field(None, ge=1900, le=2200, description="Year sent (or received)")
    sector: Sector | None = Field(None, description="Sector of a signatory organisation")
    status: LetterStatus | None = None
    member: str | None = Field(None, max_length=40, description="Member key, e.g. mx")


@router.get("/members", response=list[s.MemberOut], summary="List members")
@paginate(LimitOffsetPagination)
def list_members(request: HttpRequest) -> Any:
    return Shaped(queries.members(), queries.member_out)


@router.get("/members/{key}", response=s.MemberDetail, summary="A member")
def get_member(request: HttpRequest, key: str) -> Any:
    return queries.member_detail(key)


@router.get("/forums", response=list[s.ForumOut], summary="List forums")
@paginate(LimitOffsetPagination)
def list_forums(request: HttpRequest, member: str | None = None) -> Any:
    qs = queries.forums()
    if member:
        qs = qs.filter(member__key=member)
    return Shaped(qs, queries.forum_out)


@router.get("/forums/{key}", response=s.ForumDetail, summary="A forum, its composition and seats")
def get_forum(request: HttpRequest, key: str) -> Any:
    return queries.forum_detail(key)


@router.get("/seats", response=list[s.SeatOut], summary="List seats")
@paginate(LimitOffsetPagination)
def list_seats(request: HttpRequest, forum: str | None = None) -> Any:
    qs = queries.seats().order_by("forum__key", "start_on", "key")
    if forum:
        qs = qs.filter(forum__key=forum)
    return Shaped(qs, queries.seat_out)


@router.get("/seats/{key}", response=s.SeatOut, summary="A seat")
def get_seat(request: HttpRequest, key: str) -> Any:
    return queries.seat_detail(key)


@router.get("/meetings", response=list[s.MeetingOut], summary="List meetings")
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, forum: str | None = None) -> Any:
    qs = queries.meetings()
    if forum:
        qs = qs.filter(forum__key=forum)
    return Shaped(qs, queries.meeting_out)


@router.get(
    "/meetings/{key}",
    response=s.MeetingDetail,
    summary="A meeting: agenda, attendance, minutes and sign-offs",
)
def get_meeting(request: HttpRequest, key: str) -> Any:
    return queries.meeting_detail(key)


@router.get("/decisions", response=list[s.DecisionOut], summary="List decisions")
@paginate(LimitOffsetPagination)
def list_decisions(request: HttpRequest, forum: str | None = None) -> Any:
    qs = queries.decisions()
    if forum:
        qs = qs.filter(forum__key=forum)
    return Shaped(qs, queries.decision_out)


@router.get(
    "/decisions/{key}",
    response=s.DecisionDetail,
    summary="A decision: positions by seat, outcome, dissent",
)
def get_decision(request: HttpRequest, key: str) -> Any:
    return queries.decision_detail(key)


@router.get("/letters", response=list[s.LetterOut], summary="The letters register")
@paginate(LimitOffsetPagination)
def list_letters(request: HttpRequest, filters: Query[LetterFilters]) -> Any:
    qs = queries.filter_letters(
        queries.letters(),
        letter_type=filters.type,
        year=filters.year,
        sector=filters.sector,
        status=filters.status,
        member=filters.member,
    )
    return Shaped(qs, queries.letter_out)


@router.get("/letters/{key}", response=s.LetterDetail, summary="A letter")
def get_letter(request: HttpRequest, key: str) -> Any:
    return queries.letter_detail(key)


@router.get("/statements", response=list[s.StatementOut], summary="List statements")
@paginate(LimitOffsetPagination)
def list_statements(request: HttpRequest) -> Any:
    return Shaped(queries.statements(), queries.statement_out)


@router.get("/statements/{key}", response=s.StatementDetail, summary="A statement")
def get_statement(request: HttpRequest, key: str) -> Any:
    return queries.statement_detail(key)


@router.get("/organizations/{key}", response=s.OrganizationDetail, summary="An organisation")
def get_organization(request: HttpRequest, key: str) -> Any:
    return queries.organization_detail(key)


@router.get("/people/{key}", response=s.PersonDetail, summary="A person in a public role")
def get_person(request: HttpRequest, key: str) -> Any:
    return queries.person_detail(key)
