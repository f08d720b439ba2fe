"""Typed boundary shapes of the forum record (API, JSON twins of pages)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from .choices import LetterDirection, LetterStatus, LetterType


class Ref(Schema):
    """A link to another record: its public id, a label and its page."""

    id: str
    label: str
    url: str


class MemberOut(Schema):
    id: str
    version: int
    name: str
    kind: str
    iso2: str
    region: str
    joined_on: dt.date | None
    status: str
    status_since: dt.date | None
    url: str


class OrganizationOut(Schema):
    id: str
    name: str
    short_name: str
    sector: str
    member: str | None
    website: str


class SeatOut(Schema):
    id: str
    version: int
    forum: Ref
    organization: OrganizationOut
    representative: Ref | None
    sector: str
    role: str
    start_on: dt.date
    end_on: dt.date | None
    end_reason: str
    withdrawal_letter: Ref | None
    withdrawal_group: Ref | None
    url: str
    retracted: bool


class SectorBalance(Schema):
    sector: str
    label: str
    seats: int


class WithdrawalGroupOut(Schema):
    id: str
    title: str
    withdrawn_on: dt.date
    summary: str
    letter: Ref | None
    seats: list[str]


class ForumOut(Schema):
    id: str
    version: int
    member: Ref
    name: str
    original_name: str
    language: str
    description: str
    established_on: dt.date
    dissolved_on: dt.date | None
    decision_rule: str
    rules_url: str
    witness_policy: str
    predecessor: Ref | None
    successors: list[Ref]
    url: str
    retracted: bool


class TimelineEvent(Schema):
    """One dated event of a forum's membership: a seat taken, ended, or many leaving together."""

    date: dt.date
    kind: str  # established | joined | left | collective_withdrawal | dissolved
    sector: str
    text: str
    url: str
    seats: list[Ref]


class ForumDetail(ForumOut):
    balance: list[SectorBalance]
    timeline: list[TimelineEvent]
    missing_sectors: list[str]
    current_seats: list[SeatOut]
    past_seats: list[SeatOut]
    withdrawals: list[WithdrawalGroupOut]
    meetings: list[Ref]
    decisions: list[Ref]


class MemberDetail(MemberOut):
    forums: list[ForumOut]
    letters: list[Ref]
    statements: list[Ref]


class AgendaItemOut(Schema):
    position: int
    title: str
    description: str


class AttendanceOut(Schema):
    seat: Ref
    sector: str
    status: str


class SignOffOut(Schema):
    id: str
    sector: str
    seat: Ref
    position: str
    statement: str
    signed_on: dt.date


class MinutesOut(Schema):
    id: str
    version: int
    text: str
    language: str
    published_on: dt.date
    signoffs: list[SignOffOut]
    sectors_pending: list[str]


class MeetingOut(Schema):
    id: str
    version: int
    forum: Ref
    title: str
    date: dt.date
    mode: str
    place: str
    status: str
    url: str
    retracted: bool


class MeetingDetail(MeetingOut):
    summary: str
    source_url: str
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    minutes: MinutesOut | None
    decisions: list[Ref]
    letters: list[Ref]


class PositionOut(Schema):
    seat: Ref
    organization: str
    sector: str
    position: str
    statement: str


class DecisionOut(Schema):
    id: str
    version: int
    forum: Ref
    meeting: Ref | None
    title: str
    decided_on: dt.date
    outcome: str
    url: str
    retracted: bool


class DecisionDetail(DecisionOut):
    motion_text: str
    decision_rule: str
    positions: list[PositionOut]
    source_url: str


class LetterOut(Schema):
    id: str
    version: int
    reference: str
    direction: str
    letter_type: str
    subject: str
    member: Ref | None
    forum: Ref | None
    signatories: list[OrganizationOut]
    addressees: str
    sent_on: dt.date | None
    received_on: dt.date | None
    response_deadline: dt.date | None
    status: str
    url: str
    retracted: bool


class LetterDetail(LetterOut):
    body: str
    language: str
    response_to: Ref | None
    responses: list[Ref]
    meetings: list[Ref]
    decisions: list[Ref]
    withdrawn_seats: list[Ref]
    source_url: str


class StatementOut(Schema):
    id: str
    version: int
    title: str
    issued_on: dt.date
    issued_by: list[OrganizationOut]
    issuer_label: str
    member: Ref | None
    forum: Ref | None
    url: str
    retracted: bool


class StatementDetail(StatementOut):
    text: str
    language: str
    source_url: str


class OrganizationDetail(OrganizationOut):
    version: int
    description: str
    url: str
    seats: list[SeatOut]
    letters: list[Ref]
    statements: list[Ref]


class PersonDetail(Schema):
    id: str
    version: int
    name: str
    role_title: str
    url: str
    seats: list[SeatOut]


class LetterIn(Schema):
    """A letter to register (``POST /api/v1/letters``); records are named by their keys."""

    reference: str = Field(min_length=1, max_length=60, description="Reference number")
    key: str | None = Field(
        None,
        max_length=100,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="Key in the letter's address; made from the reference when absent",
    )
    direction: LetterDirection
    letter_type: LetterType
    subject: str = Field(min_length=1, max_length=400)
    body: str = Field("", max_length=200_000)
    language: str = Field("en", max_length=10)
    member: str | None = Field(None, max_length=100, description="Member key, e.g. mx")
    forum: str | None = Field(None, max_length=100, description="Forum key")
    signatories: list[str] = Field(
        default_factory=list, max_length=100, description="Keys of signatory organisations"
    )
    addressees: str = Field("", max_length=400)
    sent_on: dt.date | None = None
    received_on: dt.date | None = None
    response_deadline: dt.date | None = None
    status: LetterStatus = LetterStatus.RECEIVED
    response_to: str | None = Field(None, max_length=100, description="Key of the letter answered")
    source_url: str = Field("", max_length=200)
