"""The tables of the open-data package: which records, which columns, which keys.

Each table holds the public records of one type: published (version 1 or later), not
retracted, and for co-creation input only what a moderator published. Its rows are read
from the *current version* (``core.RecordVersion``) of each record, the exact content the
transparency log commits to, so every row carries that version's number and SHA-256: a
reader can fetch ``/records/<type>/<key>/v<n>.json`` and check it against the log.

References are public ids (``member/mx``), never database ids. A reference column names
the table it points to; the Table Schema declares it as a foreign key, so
``frictionless validate`` checks that every reference resolves. A reference to a record
that is not in the export (retracted, or input that was never published) is left empty;
``retractions.csv`` lists every retracted record with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q

from tripartite.forums import models as forums
from tripartite.oversight import models as oversight
from tripartite.plans import models as plans
from tripartite.plans.choices import Moderation

# Frictionless Table Schema field types used here.
STRING, INTEGER, BOOLEAN, DATE, DATETIME, ARRAY, OBJECT = (
    "string",
    "integer",
    "boolean",
    "date",
    "datetime",
    "array",
    "object",
)


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type, and the table a reference points to.

    ``refs`` marks an array of public ids of records in the table ``refs`` (kept only for
    records in the export). ``get`` reads the value from the version content when the
    column is not a plain key of it.
    """

    name: str
    type: str = STRING
    ref: str | None = None
    refs: str | None = None
    description: str = ""
    get: Callable[[dict[str, Any]], Any] | None = None

    def value(self, content: dict[str, Any]) -> Any:
        return self.get(content) if self.get is not None else content.get(self.name)


@dataclass(frozen=True)
class Table:
    """A table of records of one type (``record_type``), read from ``model``'s public rows."""

    name: str
    record_type: str
    model: type[Model]
    title: str
    columns: tuple[Column, ...]
    public: Q = field(default_factory=Q)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


@dataclass(frozen=True)
class ChildTable:
    """Rows nested in a record's content (a decision's positions), one table of their own."""

    name: str
    parent: str  # the name of the parent Table
    key: str  # the content key holding the list
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def C(name: str, type: str = STRING, **kwargs: Any) -> Column:
    return Column(name, type, **kwargs)


def _votes(part: str) -> Callable[[dict[str, Any]], Any]:
    def get(content: dict[str, Any]) -> Any:
        votes = content.get("votes") or {}
        return votes.get(part)

    return get


SOURCE = C("source_url", description="Where the record comes from.")

TABLES: tuple[Table, ...] = (
    Table(
        "members",
        "member",
        forums.Member,
        "Members (countries and local governments taking part in OGP)",
        (
            C("name"),
            C("kind"),
            C("iso2"),
            C("region"),
            C("joined_on", DATE),
            C("status"),
            C("status_since", DATE),
        ),
    ),
    Table(
        "organizations",
        "organization",
        forums.Organization,
        "Organisations",
        (
            C("name"),
            C("short_name"),
            C("sector"),
            C("member", ref="members"),
            C("website"),
            C("description"),
        ),
    ),
    Table(
        "people",
        "person",
        forums.Person,
        "People in a public role",
        (C("name"), C("role_title")),
    ),
    Table(
        "forums",
        "forum",
        forums.Forum,
        "Multi-stakeholder forums",
        (
            C("member", ref="members"),
            C("name"),
            C("original_name"),
            C("language"),
            C("description"),
            C("established_on", DATE),
            C("dissolved_on", DATE),
            C("decision_rule"),
            C("rules_url"),
            C("predecessor", ref="forums"),
            SOURCE,
            C("witness_policy"),
        ),
    ),
    Table(
        "withdrawals",
        "withdrawal",
        forums.WithdrawalGroup,
        "Collective withdrawals (seats that left a forum together)",
        (
            C("forum", ref="forums"),
            C("withdrawn_on", DATE),
            C("title"),
            C("summary"),
            C("letter", ref="letters"),
            C("seats", ARRAY, refs="seats"),
        ),
    ),
    Table(
        "seats",
        "seat",
        forums.Seat,
        "Forum seats (Popolo memberships)",
        (
            C("forum", ref="forums"),
            C("organization", ref="organizations"),
            C("representative", ref="people"),
            C("sector"),
            C("role"),
            C("start_on", DATE),
            C("end_on", DATE),
            C("end_reason"),
            C("withdrawal_letter", ref="letters"),
            C("withdrawal_group", ref="withdrawals"),
        ),
    ),
    Table(
        "meetings",
        "meeting",
        forums.Meeting,
        "Forum meetings",
        (
            C("forum", ref="forums"),
            C("title"),
            C("date", DATE),
            C("mode"),
            C("place"),
            C("status"),
            C("summary"),
            SOURCE,
        ),
    ),
    Table(
        "minutes",
        "minutes",
        forums.Minutes,
        "Minutes of forum meetings",
        (
            C("meeting", ref="meetings"),
            C("text"),
            C("language"),
            C("published_on", DATE),
        ),
    ),
    Table(
        "signoffs",
        "signoff",
        forums.SignOff,
        "Sign-offs of minutes, one per sector (dissent carries its statement)",
        (
            C("minutes", ref="minutes"),
            C("sector"),
            C("seat", ref="seats"),
            C("position"),
            C("statement"),
            C("signed_on", DATE),
        ),
    ),
    Table(
        "decisions",
        "decision",
        forums.Decision,
        "Forum decisions (motions and their outcome)",
        (
            C("forum", ref="forums"),
            C("meeting", ref="meetings"),
            C("title"),
            C("motion_text"),
            C("decided_on", DATE),
            C("outcome"),
            SOURCE,
        ),
    ),
    Table(
        "letters",
        "letter",
        forums.Letter,
        "Letters register",
        (
            C("reference"),
            C("member", ref="members"),
            C("forum", ref="forums"),
            C("direction"),
            C("letter_type"),
            C("subject"),
            C("body"),
            C("language"),
            C("signatories", ARRAY, refs="organizations"),
            C("addressees"),
            C("sent_on", DATE),
            C("received_on", DATE),
            C("response_deadline", DATE),
            C("status"),
            C("response_to", ref="letters"),
            C("meetings", ARRAY, refs="meetings"),
            C("decisions", ARRAY, refs="decisions"),
            SOURCE,
        ),
    ),
    Table(
        "statements",
        "statement",
        forums.Statement,
        "Public statements",
        (
            C("title"),
            C("issued_by", ARRAY, refs="organizations"),
            C("issuer_label"),
            C("issued_on", DATE),
            C("member", ref="members"),
            C("forum", ref="forums"),
            C("text"),
            C("language"),
            SOURCE,
        ),
    ),
    Table(
        "plans",
        "plan",
        plans.ActionPlan,
        "Action plans",
        (
            C("member", ref="members"),
            C("forum", ref="forums"),
            C("number", INTEGER),
            C("title"),
            C("original_title"),
            C("language"),
            C("description"),
            C("length_years", INTEGER),
            C("start_on", DATE),
            C("end_on", DATE),
            C("co_creation_opens_on", DATE),
            C("co_creation_closes_on", DATE),
            C("previous", ref="plans"),
            C("due_on", DATE),
            C("due_rule", description="Public id of the policy row that set the due date."),
            C("delivered_on", DATE),
            C("refresh_due_on", DATE),
            C("refresh_done_on", DATE),
            C("state"),
            C("state_since", DATE),
            C("transitions", ARRAY, description="Steps through state machine B."),
            SOURCE,
        ),
    ),
    Table(
        "commitments",
        "commitment",
        plans.Commitment,
        "Commitments of action plans (key = OGP id)",
        (
            C("plan", ref="plans"),
            C("number", INTEGER),
            C("title"),
            C("short_title"),
            C("problem"),
            C("objective"),
            C("description"),
            C("lead_institution", ref="organizations"),
            C("supporting_institutions", ARRAY, refs="organizations"),
            C("themes", ARRAY),
            C("ogp_values", ARRAY),
            C("start_on", DATE),
            C("end_on", DATE),
            C("inputs", ARRAY, refs="inputs"),
            SOURCE,
        ),
    ),
    Table(
        "milestones",
        "milestone",
        plans.Milestone,
        "Milestones of commitments",
        (
            C("commitment", ref="commitments"),
            C("number", INTEGER),
            C("deliverable"),
            C("responsible", ref="organizations"),
            C("start_on", DATE),
            C("end_on", DATE),
            C("status"),
            C("evidence", ARRAY),
        ),
    ),
    Table(
        "progress_reports",
        "progress",
        plans.ProgressReport,
        "Progress reports, each party in its own words",
        (
            C("commitment", ref="commitments"),
            C("milestone", ref="milestones"),
            C("party"),
            C("author", ref="organizations"),
            C("reported_on", DATE),
            C("completion"),
            C("text"),
            C("language"),
            C("evidence", ARRAY),
        ),
    ),
    Table(
        "irm_reports",
        "irm-report",
        plans.IrmReport,
        "IRM reports",
        (
            C("plan", ref="plans"),
            C("report_type"),
            C("methodology"),
            C("title"),
            C("researcher"),
            C("state"),
            C("published_on", DATE),
            C("forum_exists", BOOLEAN),
            C("public_influence"),
            C("acted_contrary_to_process", BOOLEAN),
            C("contrary_reasons"),
            C("minimum_requirements", OBJECT),
            C("summary"),
            SOURCE,
        ),
    ),
    Table(
        "assessments",
        "assessment",
        plans.Assessment,
        "IRM assessments of commitments (indicators of the report's methodology only)",
        (
            C("report", ref="irm_reports"),
            C("commitment", ref="commitments"),
            C("methodology"),
            C("completion"),
            C("specificity"),
            C("relevance", ARRAY),
            C("potential_impact"),
            C("on_time", BOOLEAN),
            C("did_it_open_government"),
            C("starred", BOOLEAN),
            C("verifiable", BOOLEAN),
            C("open_gov_lens", BOOLEAN),
            C("potential_for_results"),
            C("promising", BOOLEAN),
            C("early_results"),
            C("note"),
        ),
    ),
    Table(
        "inputs",
        "input",
        plans.Input,
        "Published co-creation input",
        (
            C("plan", ref="plans"),
            C("received_at", DATETIME),
            C("channel"),
            C("language"),
            C("title"),
            C("text"),
            C("submitter", description="Only when the submitter agreed to publish it."),
            C("organization"),
            C("moderation"),
            C("moderation_reason"),
        ),
        public=Q(moderation=Moderation.PUBLISHED),
    ),
    Table(
        "responses",
        "response",
        plans.ReasonedResponse,
        "Reasoned responses to co-creation input",
        (
            C("plan", ref="plans"),
            C("inputs", ARRAY, refs="inputs"),
            C("decision"),
            C("rationale"),
            C("published_on", DATE),
            C("language"),
        ),
    ),
    Table(
        "sc_seats",
        "scseat",
        oversight.ScSeat,
        "Steering Committee seats (one holder's term)",
        (
            C("constituency"),
            C("member", ref="members"),
            C("person", ref="people"),
            C("organization", ref="organizations"),
            C("region"),
            C("selection"),
            C("term_number", INTEGER),
            C("term_start", DATE),
            C("term_end", DATE),
            C("term_rule"),
            C("ended_on", DATE),
            C("end_reason"),
            C("note"),
            SOURCE,
        ),
    ),
    Table(
        "co_chairs",
        "cochair",
        oversight.CoChair,
        "Co-chairs of the Steering Committee",
        (
            C("seat", ref="sc_seats"),
            C("constituency"),
            C("role"),
            C("starts_on", DATE),
            C("ends_on", DATE),
            SOURCE,
        ),
    ),
    Table(
        "subcommittees",
        "subcommittee",
        oversight.Subcommittee,
        "Subcommittees of the Steering Committee",
        (
            C("code"),
            C("name"),
            C("remit"),
            C("established_on", DATE),
            C("ended_on", DATE),
            SOURCE,
            C("members", ARRAY),
        ),
    ),
    Table(
        "sc_meetings",
        "scmeeting",
        oversight.ScMeeting,
        "Steering Committee meetings",
        (
            C("title"),
            C("body"),
            C("level"),
            C("starts_on", DATE),
            C("ends_on", DATE),
            C("place"),
            C("mode"),
            C("minutes_due_on", DATE),
            C("minutes_rule"),
            C("minutes_published_on", DATE),
            C("minutes_url"),
            C("minutes_text"),
            C("summary"),
            SOURCE,
            C("agenda", ARRAY),
            C("background", ARRAY),
        ),
    ),
    Table(
        "resolutions",
        "resolution",
        oversight.Resolution,
        "Resolutions of the Steering Committee and its subcommittees",
        (
            C("body"),
            C("meeting", ref="sc_meetings"),
            C("title"),
            C("text"),
            C("member", ref="members"),
            C("case", ref="cases"),
            C("method"),
            C("votes_for", INTEGER, get=_votes("for")),
            C("votes_against", INTEGER, get=_votes("against")),
            C("abstentions", INTEGER, get=_votes("abstain")),
            C("outcome"),
            C("adopted_on", DATE),
            C("effective_on", DATE),
            SOURCE,
        ),
    ),
    Table(
        "status_changes",
        "statuschange",
        oversight.StatusChange,
        "Changes of a member's status (state machine A)",
        (
            C("member", ref="members"),
            C("from_status"),
            C("to_status"),
            C("on", DATE),
            C("reason"),
            C("resolution", ref="resolutions"),
            C("letter", ref="letters"),
            C("review", ref="reviews"),
            C("case", ref="cases"),
        ),
    ),
    Table(
        "cases",
        "case",
        oversight.ConcernCase,
        "Response Policy cases (confidential notes appear only as a salted SHA-256 commitment)",
        (
            C("member", ref="members"),
            C("track"),
            C("title"),
            C("concerns"),
            C("received_on", DATE),
            C("letter", ref="letters"),
            C("state"),
            C("state_since", DATE),
            C("closed_on", DATE),
            SOURCE,
            C("letters", ARRAY, refs="letters"),
            C("statements", ARRAY, refs="statements"),
            C("filers", ARRAY),
            C("steps", ARRAY),
            C("tasks", ARRAY),
        ),
    ),
    Table(
        "missions",
        "mission",
        oversight.EnvoyMission,
        "Envoy missions",
        (
            C("member", ref="members"),
            C("resolution", ref="resolutions"),
            C("case", ref="cases"),
            C("title"),
            C("mandate"),
            C("envoys", ARRAY, refs="people"),
            C("staff", ARRAY, refs="people"),
            C("starts_on", DATE),
            C("ends_on", DATE),
            C("place"),
            C("report"),
            C("report_url"),
            C("reported_on", DATE),
            SOURCE,
        ),
    ),
    Table(
        "contrary_findings",
        "contrary",
        oversight.ContraryFinding,
        "Findings that a member acted contrary to process",
        (
            C("member", ref="members"),
            C("plan", ref="plans"),
            C("trigger"),
            C("source"),
            C("irm_report", ref="irm_reports"),
            C("found_on", DATE),
            C("explanation"),
            C("letter", ref="letters"),
        ),
    ),
    Table(
        "reviews",
        "review",
        oversight.ProceduralReview,
        "Procedural reviews (state machine C)",
        (
            C("member", ref="members"),
            C("findings", ARRAY, refs="contrary_findings"),
            C("opened_on", DATE),
            C("state"),
            C("state_since", DATE),
            C("closed_on", DATE),
            C("outcome"),
            C("steps", ARRAY),
        ),
    ),
    Table(
        "compliance_readings",
        "compliance",
        oversight.ComplianceReading,
        "Stored readings of the compliance engine, one per plan cycle",
        (
            C("member", ref="members"),
            C("plan", ref="plans"),
            C("computed_on", DATE),
            C("findings", ARRAY),
        ),
    ),
)

CHILD_TABLES: tuple[ChildTable, ...] = (
    ChildTable(
        "meeting_agenda_items",
        "meetings",
        "agenda",
        "Agenda items of forum meetings",
        (
            C("meeting", ref="meetings"),
            C("position", INTEGER),
            C("title"),
            C("description"),
        ),
        ("meeting", "position"),
    ),
    ChildTable(
        "meeting_attendance",
        "meetings",
        "attendance",
        "Attendance of seats at forum meetings",
        (C("meeting", ref="meetings"), C("seat", ref="seats"), C("status")),
        ("meeting", "seat"),
    ),
    ChildTable(
        "decision_positions",
        "decisions",
        "positions",
        "Each seat's position on a decision (Popolo votes)",
        (
            C("decision", ref="decisions"),
            C("seat", ref="seats"),
            C("sector"),
            C("position"),
            C("statement"),
        ),
        ("decision", "seat"),
    ),
)

RETRACTIONS_TABLE = "retractions"

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
BY_TYPE: dict[str, Table] = {table.record_type: table for table in TABLES}
