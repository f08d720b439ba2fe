"""Read endpoints of action plans under /api/v1/: plans, commitments, milestones, each
party's progress reports, IRM reports and assessments, and the policy rows."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped
from tripartite.core.policy import PolicySet

from . import queries
from . import schemas as s
from .choices import Party, PlanState

router = Router(tags=["action plans"])


class PlanFilters(Schema):
    member: str | None = Field(None, max_length=40, description="Member key, e.g. mx")
    state: PlanState | None = Field(None, description="State of the plan")


class CommitmentFilters(Schema):
    plan: str | None = Field(None, max_length=120, description="Plan key, e.g. mx-3")
    theme: str | None = Field(None, max_length=200, description="A theme, exactly as written")


class MilestoneFilters(Schema):
    commitment: str | None = Field(None, max_length=120, description="Commitment key (OGP id)")


class ProgressFilters(Schema):
    commitment: str | None = Field(None, max_length=120, description="Commitment key (OGP id)")
    party: Party | None = Field(None, description="Who the report speaks for")


class IrmReportFilters(Schema):
    plan: str | None = Field(None, max_length=120, description="Plan key")


class AssessmentFilters(Schema):
    report: str | None = Field(None, max_length=120, description="IRM report key")
    commitment: str | None = Field(None, max_length=120, description="Commitment key (OGP id)")


@router.get("/plans", response=list[s.PlanOut], summary="List action plans")
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    qs = queries.filter_plans(
        queries.plans().order_by("member__name", "number"),
        member=filters.member,
        state=filters.state,
    )
    return Shaped(qs, queries.plan_out)


@router.get(
    "/plans/{key}",
    response=s.PlanDetail,
    summary="An action plan: deadlines, timeline, commitments and each party's progress",
)
def get_plan(request: HttpRequest, key: str) -> Any:
    return queries.plan_detail(key)


@router.get("/commitments", response=list[s.CommitmentOut], summary="List commitments")
@paginate(LimitOffsetPagination)
def list_commitments(request: HttpRequest, filters: Query[CommitmentFilters]) -> Any:
    qs = queries.filter_commitments(queries.commitments(), plan=filters.plan, theme=filters.theme)
    return Shaped(qs, queries.commitment_out)


@router.get(
    "/commitments/{key}",
    response=s.CommitmentDetail,
    summary="A commitment: milestones, the parties' reports side by side, IRM assessments",
)
def get_commitment(request: HttpRequest, key: str) -> Any:
    return queries.commitment_detail(key)


@router.get("/milestones", response=list[s.MilestoneOut], summary="List milestones")
@paginate(LimitOffsetPagination)
def list_milestones(request: HttpRequest, filters: Query[MilestoneFilters]) -> Any:
    qs = queries.milestones()
    if filters.commitment:
        qs = qs.filter(commitment__key=filters.commitment)
    return Shaped(qs, queries.milestone_out)


@router.get("/milestones/{key}", response=s.MilestoneDetail, summary="A milestone")
def get_milestone(request: HttpRequest, key: str) -> Any:
    return queries.milestone_detail(key)


@router.get("/progress", response=list[s.ProgressOut], summary="List progress reports")
@paginate(LimitOffsetPagination)
def list_progress(request: HttpRequest, filters: Query[ProgressFilters]) -> Any:
    qs = queries.progress_reports()
    if filters.commitment:
        qs = qs.filter(commitment__key=filters.commitment)
    if filters.party:
        qs = qs.filter(party=filters.party)
    return Shaped(qs, queries.progress_out)


@router.get(
    "/progress/{key}",
    response=s.ProgressDetail,
    summary="A progress report, beside the other parties' latest on the same work",
)
def get_progress(request: HttpRequest, key: str) -> Any:
    return queries.progress_detail(key)


@router.get("/irm-reports", response=list[s.IrmReportOut], summary="List IRM reports")
@paginate(LimitOffsetPagination)
def list_irm_reports(request: HttpRequest, filters: Query[IrmReportFilters]) -> Any:
    qs = queries.irm_reports()
    if filters.plan:
        qs = qs.filter(plan__key=filters.plan)
    return Shaped(qs, queries.irm_report_out)


@router.get(
    "/irm-reports/{key}",
    response=s.IrmReportDetail,
    summary="An IRM report: its findings and its assessments",
)
def get_irm_report(request: HttpRequest, key: str) -> Any:
    return queries.irm_report_detail(key)


@router.get("/assessments", response=list[s.AssessmentOut], summary="List IRM assessments")
@paginate(LimitOffsetPagination)
def list_assessments(request: HttpRequest, filters: Query[AssessmentFilters]) -> Any:
    qs = queries.assessments()
    if filters.report:
        qs = qs.filter(report__key=filters.report)
    if filters.commitment:
        qs = qs.filter(commitment__key=filters.commitment)
    policies = PolicySet.load()
    return Shaped(qs, lambda assessment: queries.assessment_out(assessment, policies))


@router.get(
    "/assessments/{key}",
    response=s.AssessmentDetail,
    summary="An IRM assessment: the verdict as published and what the rule derives",
)
def get_assessment(request: HttpRequest, key: str) -> Any:
    return queries.assessment_detail(key)


@router.get(
    "/policies",
    response=list[s.PolicyRowOut],
    summary="List policy rows: the rules OGP changes over time, built in and recorded",
)
@paginate(LimitOffsetPagination)
def list_policies(request: HttpRequest) -> Any:
    return queries.policy_rows()


@router.get("/policies/{key}", response=s.PolicyRowDetail, summary="A policy row")
def get_policy(request: HttpRequest, key: str) -> Any:
    return queries.policy_detail(key)
