"""Typed boundary shapes of the Steering Committee's record (API, JSON twins of pages).

The pages, their ``.json`` twins and the API all return these shapes, built by
``queries``, so they cannot drift apart. A confidential note of a case never appears in
any of them: a case step carries only the commitment to it (``confidential_commitment``).
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from tripartite.forums.schemas import Ref

# ---------------------------------------------------------------- the committee


class ScSeatOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    constituency: str  # government | civil_society
    holder: str  # the member government, or the person holding a civil-society seat
    member: Ref | None
    person: Ref | None
    organization: Ref | None
    region: str
    selection: str
    term_number: int
    term_start: dt.date
    term_end: dt.date
    term_rule: Ref | None
    ended_on: dt.date | None
    end_reason: str


class CoChairOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    seat: Ref
    holder: str
    constituency: str
    role: str  # lead | incoming
    starts_on: dt.date
    ends_on: dt.date


class SubcommitteeMemberOut(Schema):
    seat: Ref
    holder: str
    constituency: str
    co_chair: bool
    starts_on: dt.date
    ends_on: dt.date | None


class SubcommitteeOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    code: str
    name: str
    remit: str
    established_on: dt.date | None
    ended_on: dt.date | None


class ScSeatDetail(ScSeatOut):
    retraction_reason: str
    source_url: str
    co_chairs: list[CoChairOut]
    subcommittees: list[Ref]


class CoChairDetail(CoChairOut):
    retraction_reason: str
    source_url: str
    term_start: dt.date
    term_end: dt.date


class SubcommitteeDetail(SubcommitteeOut):
    retraction_reason: str
    source_url: str
    members: list[SubcommitteeMemberOut]  # every membership, current and past


class CommitteeSide(Schema):
    """One constituency's seats on a date, against the number the rule in force sets."""

    constituency: str
    seats: list[ScSeatOut]
    held: int
    vacancies: int  # seats the rule sets that nobody holds (0 when the rule is unknown)


class SubcommitteeOnDate(Schema):
    subcommittee: Ref
    code: str
    name: str
    members: list[SubcommitteeMemberOut]
    government: int
    civil_society: int
    balanced: bool  # equal numbers from each constituency


class CommitteeOut(Schema):
    """The Steering Committee as it stood on ``on``."""

    on: dt.date
    size_rule: Ref | None  # the ``sc.size`` row in force on the date
    seats_per_constituency: int | None
    sides: list[CommitteeSide]
    # Parity is of seats: the ``sc.size`` rule gives each constituency the same number, so
    # it holds whenever a size rule is in force. Who holds them on a date may still differ
    # (vacancies, or holders not on the record): ``held_balanced`` says whether it does.
    parity: bool
    held_balanced: bool
    co_chairs: list[CoChairOut]
    subcommittees: list[SubcommitteeOnDate]


# ---------------------------------------------------------------- meetings and resolutions


class ScAgendaItemOut(Schema):
    position: int
    title: str
    member: Ref | None
    case: Ref | None


class BackgroundDocumentOut(Schema):
    title: str
    url: str
    published_on: dt.date | None
    in_advance: bool | None  # published before the meeting started; None: date unknown


class ScMeetingOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    title: str
    body: str
    level: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    mode: str
    minutes_due_on: dt.date | None
    minutes_published_on: dt.date | None
    # published (on time) | late (published after the due date) | overdue (not published,
    # due date passed) | pending (not published, not yet due or no due date)
    minutes_state: str


class ResolutionOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    body: str
    title: str
    method: str  # consensus | vote
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    outcome: str
    adopted_on: dt.date
    effective_on: dt.date | None
    meeting: Ref | None
    member: Ref | None
    case: Ref | None


class ScMeetingDetail(ScMeetingOut):
    retraction_reason: str
    minutes_rule: Ref | None
    minutes_url: str
    minutes_text: str
    summary: str
    source_url: str
    agenda: list[ScAgendaItemOut]
    background: list[BackgroundDocumentOut]
    resolutions: list[ResolutionOut]


class StatusChangeOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    from_status: str
    to_status: str
    on: dt.date
    reason: str
    resolution: Ref | None
    letter: Ref | None
    review: Ref | None
    case: Ref | None


class StatusChangeDetail(StatusChangeOut):
    retraction_reason: str


class ResolutionDetail(ResolutionOut):
    retraction_reason: str
    text: str
    source_url: str
    missions: list[Ref]
    status_changes: list[StatusChangeOut]


# ---------------------------------------------------------------- cases and missions


class CaseFilerOut(Schema):
    organization: Ref
    category: str  # sc_member | multilateral_partner | involved_entity


class CaseStepOut(Schema):
    """One public step of a case. A confidential note shows only as its commitment."""

    from_state: str
    to_state: str
    on: dt.date
    actor_body: str
    document: str
    document_ref: Ref | None  # the document when it is a record of the platform
    document_url: str
    note: str
    deadline: dt.date | None
    # The policy row behind the next deadline, or the row in force that publishes no number.
    deadline_rule: Ref | None
    confidential_commitment: str | None  # sha256 of the salted note; the note stays private


class OutreachTaskOut(Schema):
    number: int
    title: str
    owner: Ref
    due_on: dt.date
    status: str
    done_on: dt.date | None
    outcome: str
    overdue: bool


class CaseOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    track: str
    title: str
    received_on: dt.date
    state: str
    state_since: dt.date
    closed_on: dt.date | None
    closed: bool


class CaseDetail(CaseOut):
    retraction_reason: str
    concerns: str
    source_url: str
    letter: Ref | None
    letters: list[Ref]
    statements: list[Ref]
    filers: list[CaseFilerOut]
    steps: list[CaseStepOut]
    tasks: list[OutreachTaskOut]
    resolutions: list[ResolutionOut]
    missions: list[Ref]
    status_changes: list[Ref]


class MissionOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    title: str
    resolution: Ref | None
    case: Ref | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    place: str
    reported_on: dt.date | None


class MissionDetail(MissionOut):
    retraction_reason: str
    mandate: str
    envoys: list[Ref]
    staff: list[Ref]
    report: str
    report_url: str
    source_url: str


# ---------------------------------------------------------------- procedural review


class ContraryOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    plan: Ref
    trigger: str
    source: str
    found_on: dt.date
    irm_report: Ref | None
    letter: Ref | None


class ContraryDetail(ContraryOut):
    retraction_reason: str
    explanation: str
    reviews: list[Ref]


class ReviewStepOut(Schema):
    from_state: str
    to_state: str
    on: dt.date
    actor_body: str
    document: str
    note: str


class ReviewOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    opened_on: dt.date
    state: str
    state_since: dt.date
    closed_on: dt.date | None
    outcome: str


class ReviewDetail(ReviewOut):
    retraction_reason: str
    findings: list[ContraryOut]
    steps: list[ReviewStepOut]
    status_changes: list[StatusChangeOut]


# ---------------------------------------------------------------- compliance


class FindingOut(Schema):
    """One rule's reading of one plan cycle (computed now, or as stored)."""

    rule: str
    status: str  # met | not_met | not_applicable | insufficient_evidence
    explanation: str
    evidence: list[Ref]
    missing: str
    policy: Ref | None
    era: str
    verified: bool  # False: the rule's source was not verified


class ComplianceReadingOut(Schema):
    id: str
    version: int
    url: str
    retracted: bool
    member: Ref
    plan: Ref
    computed_on: dt.date


class ComplianceReadingDetail(ComplianceReadingOut):
    retraction_reason: str
    findings: list[FindingOut]


class CycleCompliance(Schema):
    """The compliance engine's reading of one plan cycle, computed on ``today``."""

    plan: Ref
    findings: list[FindingOut]
    stored_reading: Ref | None  # the last reading kept on the record, when there is one


# ---------------------------------------------------------------- a member's standing


class MemberStatusOut(Schema):
    id: str
    name: str
    url: str
    standing_url: str
    kind: str
    status: str
    status_since: dt.date | None


class StandingOut(Schema):
    """Where a member stands with OGP: status history, compliance, findings, reviews, cases."""

    member: MemberStatusOut
    today: dt.date
    status_changes: list[StatusChangeOut]
    compliance: list[CycleCompliance]
    contrary_findings: list[ContraryOut]
    reviews: list[ReviewOut]
    open_cases: list[CaseOut]
    closed_cases: list[CaseOut]
    missions: list[MissionOut]
    resolutions: list[ResolutionOut]


# ---------------------------------------------------------------- the hub


class StatusCount(Schema):
    status: str
    count: int


class HubOut(Schema):
    today: dt.date
    members: list[MemberStatusOut]
    status_counts: list[StatusCount]
    open_cases: list[CaseOut]
    open_reviews: list[ReviewOut]
    minutes_watch: list[ScMeetingOut]  # minutes not yet published: overdue first
    latest_resolutions: list[ResolutionOut]
