"""Typed boundary shapes of action plans (API, JSON twins of pages).

Each party's progress stands beside the others' (``PartyView``): shapes never merge or
average what government, civil society and the oversight body report. The IRM's verdicts
are shown as published, with what the rules would derive beside them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from tripartite.forums.schemas import Ref


class Evidence(Schema):
    label: str
    url: str


class TransitionOut(Schema):
    """One step of the plan through its states."""

    from_state: str
    to_state: str
    on: dt.date
    note: str


class PlanEvent(Schema):
    """A dated point of the plan's timeline: a deadline, a window, or what happened."""

    date: dt.date
    # co_creation_opens | co_creation_closes | start | due | transition | review_due |
    # refresh_due | end | results_due | irm_report
    kind: str
    label: str
    deadline: bool
    url: str


class PartyView(Schema):
    """One party's latest report on a piece of work (``report`` is None when it has none)."""

    party: str
    report: Ref | None
    completion: str
    reported_on: dt.date | None
    milestone: int | None  # the milestone number the report is about; None: the whole commitment


class WorkView(Schema):
    """The parties' latest reports on one milestone or on the whole commitment, side by side."""

    milestone: Ref | None  # None: the whole commitment
    parties: list[PartyView]
    disagreement: bool


class LevelCount(Schema):
    level: str  # a completion value; "" counts commitments whose completion is unknown
    count: int


class LevelCounts(Schema):
    """Commitments per completion level for one theme or one OGP value."""

    key: str
    label: str
    counts: list[LevelCount]
    total: int


class PartyCount(Schema):
    party: str
    count: int


class ReportsToDate(Schema):
    """Reports each party published up to the end of ``month`` (cumulative)."""

    month: str  # YYYY-MM
    counts: list[PartyCount]


class PlanProgress(Schema):
    levels: list[str]
    by_theme: list[LevelCounts]
    by_value: list[LevelCounts]
    over_time: list[ReportsToDate]


# ---------------------------------------------------------------- plans


class PlanOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    forum: Ref | None
    number: int
    title: str
    original_title: str
    language: str
    length_years: int
    start_on: dt.date
    end_on: dt.date
    state: str
    state_since: dt.date | None
    due_on: dt.date | None
    delivered_on: dt.date | None
    commitment_count: int


class CommitmentSummary(Schema):
    """A commitment as the plan dashboard shows it."""

    id: str
    version: int
    url: str
    retracted: bool
    number: int
    title: str
    short_title: str
    lead_institution: Ref | None
    themes: list[str]
    ogp_values: list[str]
    milestones: int
    milestones_done: int  # milestones substantially complete or complete
    completion: str  # "" when neither the IRM nor the milestones say
    completion_source: str  # irm | milestones | none
    assessed_by: Ref | None  # the IRM report whose assessment gave the completion
    views: list[PartyView]  # each party's latest report on any part of the commitment
    disagreement: bool
    disagreement_on: list[str]  # what the parties disagree on: milestone numbers or "commitment"


class IrmReportOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    plan: Ref
    report_type: str
    methodology: str
    title: str
    researcher: str
    state: str
    published_on: dt.date | None


class PlanDetail(PlanOut):
    retraction_reason: str
    description: str
    source_url: str
    previous: Ref | None
    next_plans: list[Ref]
    co_creation_opens_on: dt.date | None
    co_creation_closes_on: dt.date | None
    due_rule: Ref | None
    days_late: int
    refresh_due_on: dt.date | None
    refresh_done_on: dt.date | None
    review_due_on: dt.date | None
    results_due_on: dt.date | None
    transitions: list[TransitionOut]
    timeline: list[PlanEvent]
    commitments: list[CommitmentSummary]
    irm_reports: list[IrmReportOut]
    progress: PlanProgress
    reports: int  # progress reports that stand (not retracted)
    co_creation_url: str
    progress_feed_url: str


# ---------------------------------------------------------------- commitments and milestones


class CommitmentOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    plan: Ref
    number: int
    title: str
    short_title: str
    lead_institution: Ref | None
    themes: list[str]
    ogp_values: list[str]
    start_on: dt.date | None
    end_on: dt.date | None


class MilestoneOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    commitment: Ref
    number: int
    deliverable: str
    responsible: Ref | None
    start_on: dt.date | None
    end_on: dt.date | None
    status: str
    evidence: list[Evidence]


class ProgressOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    commitment: Ref
    milestone: Ref | None
    party: str
    author: Ref | None
    reported_on: dt.date
    completion: str
    text: str
    language: str
    evidence: list[Evidence]


class AssessmentOut(Schema):
    """The IRM's coding of a commitment, its verdict as published, and what the rule derives."""

    id: str
    version: int
    url: str
    retracted: bool
    report: Ref
    commitment: Ref
    methodology: str
    published_on: dt.date | None
    completion: str
    # Before 2020
    specificity: str
    relevance: list[str]
    potential_impact: str
    on_time: bool | None
    did_it_open_government: str
    starred: bool | None
    # From 2020
    verifiable: bool | None
    open_gov_lens: bool | None
    potential_for_results: str
    promising: bool | None
    early_results: str
    note: str
    # What the star rule in force on the report's publication derives (pre-2020 only).
    derived_starred: bool | None
    star_rule: Ref | None
    verdict_differs: bool


class CommitmentDetail(CommitmentOut):
    retraction_reason: str
    member: Ref
    problem: str
    objective: str
    description: str
    source_url: str
    supporting_institutions: list[Ref]
    milestones: list[MilestoneOut]
    views: list[WorkView]  # one row per milestone, then the whole commitment
    reports: list[ProgressOut]  # every report, oldest first
    assessments: list[AssessmentOut]
    inputs: list[Ref]  # the published co-creation input it came from
    history_url: str


class MilestoneDetail(MilestoneOut):
    retraction_reason: str
    plan: Ref
    view: WorkView
    reports: list[ProgressOut]


class ProgressDetail(ProgressOut):
    retraction_reason: str
    plan: Ref
    # The latest report of every party on the same work (this milestone, or the whole
    # commitment), this one's party included.
    view: WorkView


class RequirementOut(Schema):
    code: str
    finding: str


class IrmReportDetail(IrmReportOut):
    retraction_reason: str
    forum_exists: bool | None
    public_influence: str
    acted_contrary_to_process: bool | None
    contrary_reasons: str
    minimum_requirements: list[RequirementOut]
    summary: str
    source_url: str
    assessments: list[AssessmentOut]


class AssessmentDetail(AssessmentOut):
    retraction_reason: str
    plan: Ref


# ---------------------------------------------------------------- policy rows


class PolicyRowOut(Schema):
    """A version of a rule OGP changes over time, built in (seed) or recorded."""

    id: str
    key: str
    code: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    params: dict[str, Any]
    source_url: str
    verified: bool
    recorded: bool
    status: str  # in_use | replaced (a seed row whose rule is now recorded) | retracted
    in_force_today: bool
    url: str


class PolicyRowDetail(PolicyRowOut):
    version: int  # 0: a built-in row, not a versioned record
    retracted: bool
    retraction_reason: str
    note: str
    other_versions: list[Ref]  # the other rows of the same rule
    plans: list[Ref]  # plans whose due date this row gave
