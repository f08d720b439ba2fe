"""Read endpoints of the Steering Committee's record under /api/v1/: members' standing,
the committee on a date, its seats, co-chairs and subcommittees, its meetings and
resolutions, status changes, Response Policy cases and missions, contrary-to-process
findings, procedural reviews and stored compliance readings."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped

from . import queries
from . import schemas as s
from .choices import CaseState, Constituency, ReviewState

router = Router(tags=["oversight"])


class MemberFilter(Schema):
    member: str | None = Field(None, max_length=40, description="Member key, e.g. mx")


class SeatFilters(Schema):
    constituency: Constituency | None = Field(None, description="Constituency of the seat")


class CaseFilters(MemberFilter):
    state: CaseState | None = Field(None, description="State of the case")


class ReviewFilters(MemberFilter):
    state: ReviewState | None = Field(None, description="State of the review")


class OnDate(Schema):
    on: dt.date | None = Field(None, description="The date (YYYY-MM-DD); today when omitted")


# ---------------------------------------------------------------- standing and the committee


@router.get(
    "/members/{key}/standing",
    response=s.StandingOut,
    summary="A member's standing: status history, compliance per cycle, findings, reviews, cases",
)
def get_standing(request: HttpRequest, key: str) -> Any:
    return queries.standing(key)


@router.get(
    "/steering-committee",
    response=s.CommitteeOut,
    summary="The Steering Committee on a date: seats, vacancies, parity, co-chairs, subcommittees",
)
def get_committee(request: HttpRequest, filters: Query[OnDate]) -> Any:
    return queries.committee_on(filters.on)


@router.get("/sc-seats", response=list[s.ScSeatOut], summary="List Steering Committee seats")
@paginate(LimitOffsetPagination)
def list_seats(request: HttpRequest, filters: Query[SeatFilters]) -> Any:
    qs = queries.sc_seats()
    if filters.constituency:
        qs = qs.filter(constituency=filters.constituency)
    return Shaped(qs, queries.seat_out)


@router.get("/sc-seats/{key}", response=s.ScSeatDetail, summary="A Steering Committee seat")
def get_seat(request: HttpRequest, key: str) -> Any:
    return queries.seat_detail(key)


@router.get("/co-chairs", response=list[s.CoChairOut], summary="List co-chairs")
@paginate(LimitOffsetPagination)
def list_co_chairs(request: HttpRequest) -> Any:
    return Shaped(queries.co_chairs(), queries.co_chair_out)


@router.get("/co-chairs/{key}", response=s.CoChairDetail, summary="A co-chair's year")
def get_co_chair(request: HttpRequest, key: str) -> Any:
    return queries.co_chair_detail(key)


@router.get("/subcommittees", response=list[s.SubcommitteeOut], summary="List subcommittees")
@paginate(LimitOffsetPagination)
def list_subcommittees(request: HttpRequest) -> Any:
    return Shaped(queries.subcommittees(), queries.subcommittee_out)


@router.get(
    "/subcommittees/{key}", response=s.SubcommitteeDetail, summary="A subcommittee and its members"
)
def get_subcommittee(request: HttpRequest, key: str) -> Any:
    return queries.subcommittee_detail(key)


# ---------------------------------------------------------------- meetings and resolutions


@router.get("/sc-meetings", response=list[s.ScMeetingOut], summary="List SC meetings")
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.sc_meetings(), filters.member)
    return Shaped(qs, queries.meeting_out)


@router.get(
    "/sc-meetings/{key}",
    response=s.ScMeetingDetail,
    summary="An SC meeting: agenda, background documents, minutes and their deadline",
)
def get_meeting(request: HttpRequest, key: str) -> Any:
    return queries.meeting_detail(key)


@router.get("/resolutions", response=list[s.ResolutionOut], summary="List resolutions")
@paginate(LimitOffsetPagination)
def list_resolutions(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.resolutions(), filters.member)
    return Shaped(qs, queries.resolution_out)


@router.get(
    "/resolutions/{key}",
    response=s.ResolutionDetail,
    summary="A resolution: its votes, the missions it mandated, the status changes it caused",
)
def get_resolution(request: HttpRequest, key: str) -> Any:
    return queries.resolution_detail(key)


@router.get(
    "/status-changes", response=list[s.StatusChangeOut], summary="List member status changes"
)
@paginate(LimitOffsetPagination)
def list_status_changes(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.status_changes(), filters.member)
    return Shaped(qs, queries.status_change_out)


@router.get(
    "/status-changes/{key}", response=s.StatusChangeDetail, summary="A member status change"
)
def get_status_change(request: HttpRequest, key: str) -> Any:
    return queries.status_change_detail(key)


# ---------------------------------------------------------------- cases and missions


@router.get("/cases", response=list[s.CaseOut], summary="List Response Policy cases")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    qs = queries.filter_by_member(queries.cases(), filters.member)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return Shaped(qs, queries.case_out)


@router.get(
    "/cases/{key}",
    response=s.CaseDetail,
    summary="A case: its public timeline, filers, letters, tasks, resolutions and missions",
)
def get_case(request: HttpRequest, key: str) -> Any:
    return queries.case_detail(key)


@router.get("/missions", response=list[s.MissionOut], summary="List envoy missions")
@paginate(LimitOffsetPagination)
def list_missions(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.missions(), filters.member)
    return Shaped(qs, queries.mission_out)


@router.get("/missions/{key}", response=s.MissionDetail, summary="An envoy mission")
def get_mission(request: HttpRequest, key: str) -> Any:
    return queries.mission_detail(key)


# ---------------------------------------------------------------- procedural review


@router.get(
    "/contrary-findings",
    response=list[s.ContraryOut],
    summary="List contrary-to-process findings",
)
@paginate(LimitOffsetPagination)
def list_contrary(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.contrary_findings(), filters.member)
    return Shaped(qs, queries.contrary_out)


@router.get(
    "/contrary-findings/{key}",
    response=s.ContraryDetail,
    summary="A contrary-to-process finding",
)
def get_contrary(request: HttpRequest, key: str) -> Any:
    return queries.contrary_detail(key)


@router.get("/reviews", response=list[s.ReviewOut], summary="List procedural reviews")
@paginate(LimitOffsetPagination)
def list_reviews(request: HttpRequest, filters: Query[ReviewFilters]) -> Any:
    qs = queries.filter_by_member(queries.reviews(), filters.member)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return Shaped(qs, queries.review_out)


@router.get(
    "/reviews/{key}",
    response=s.ReviewDetail,
    summary="A procedural review: its steps and the findings that opened it",
)
def get_review(request: HttpRequest, key: str) -> Any:
    return queries.review_detail(key)


@router.get(
    "/compliance-readings",
    response=list[s.ComplianceReadingOut],
    summary="List stored compliance readings",
)
@paginate(LimitOffsetPagination)
def list_readings(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = queries.filter_by_member(queries.compliance_readings(), filters.member)
    return Shaped(qs, queries.reading_out)


@router.get(
    "/compliance-readings/{key}",
    response=s.ComplianceReadingDetail,
    summary="A stored compliance reading: the findings of one plan cycle",
)
def get_reading(request: HttpRequest, key: str) -> Any:
    return queries.reading_detail(key)
