"""Models of the Steering Committee's record: its seats, co-chairs and subcommittees, its
meetings and resolutions, each member's status history, Response Policy cases with their
outreach tasks and envoy missions, contrary-to-process findings, procedural reviews and the
stored results of the compliance engine.

Rows are written only by the oversight services; each change appends a version that the
transparency log commits to. Sub-parts without an identity of their own (a case's steps,
filers and tasks; a meeting's agenda and background documents; a subcommittee's members)
are versioned with their parent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.core.models import iso_date as _date
from tripartite.core.models import public_id_of as _ref
from tripartite.forums.choices import MemberStatus
from tripartite.forums.models import Letter, Member, Organization, Person, Statement
from tripartite.plans.models import ActionPlan, IrmReport

from .choices import (
    Body,
    CaseState,
    CaseTrack,
    CoChairRole,
    Constituency,
    ContraryTrigger,
    DecisionMethod,
    FilerCategory,
    FindingSource,
    MeetingLevel,
    MeetingMode,
    ResolutionOutcome,
    ReviewState,
    SeatEnd,
    SelectionMethod,
    TaskStatus,
)


def _refs(records: Any) -> list[str]:
    return sorted(record.public_id for record in records)


class ScSeat(PublicRecord):
    """One term of one holder on the Steering Committee.

    A government seat is held by a member (its minister named as representative); a
    civil-society seat by a person, with the organisation they come from.
    """

    RECORD_TYPE = "scseat"

    constituency = models.CharField(_("constituency"), max_length=20, choices=Constituency.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sc_seats",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sc_seats",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sc_seats",
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    selection = models.CharField(_("selected by"), max_length=30, choices=SelectionMethod.choices)
    term_number = models.PositiveSmallIntegerField(_("consecutive term"), default=1)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    term_rule = models.CharField(_("term rule"), max_length=120, blank=True)
    ended_on = models.DateField(_("left early on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=SeatEnd.choices, blank=True
    )
    # What the sources do not settle (an inferred term start, a probable holder) is said here.
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-term_start", "constituency", "id"]
        verbose_name = _("Steering Committee seat")

    @property
    def holder_name(self) -> str:
        if self.constituency == Constituency.GOVERNMENT and self.member is not None:
            return str(self.member.name)
        return str(self.person.name) if self.person is not None else ""

    @property
    def last_day(self) -> Any:
        return self.ended_on or self.term_end

    def holds_on(self, day: Any) -> bool:
        return bool(self.term_start <= day <= self.last_day)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.constituency == Constituency.GOVERNMENT and self.member_id is None:
            errors["member"] = _("A government seat is held by a member government.")
        if self.constituency == Constituency.CIVIL_SOCIETY and self.person_id is None:
            errors["person"] = _("A civil-society seat is held by a person.")
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors["term_end"] = _("A term must end after it starts.")
        if self.ended_on and self.term_start and self.ended_on < self.term_start:
            errors["ended_on"] = _("A seat cannot be left before its term starts.")
        if self.ended_on and not self.end_reason:
            errors["end_reason"] = _("Say why the seat was left early.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "constituency": self.constituency,
            "member": _ref(self.member),
            "person": _ref(self.person),
            "organization": _ref(self.organization),
            "region": self.region,
            "selection": self.selection,
            "term_number": self.term_number,
            "term_start": _date(self.term_start),
            "term_end": _date(self.term_end),
            "term_rule": self.term_rule,
            "ended_on": _date(self.ended_on),
            "end_reason": self.end_reason,
            "note": self.note,
            "source_url": self.source_url,
        }


class CoChair(PublicRecord):
    """A seat's year as lead or incoming co-chair (1 October to 30 September)."""

    RECORD_TYPE = "cochair"

    seat = models.ForeignKey(
        ScSeat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="co_chairs"
    )
    role = models.CharField(_("role"), max_length=10, choices=CoChairRole.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-starts_on", "role", "id"]
        verbose_name = _("co-chair")

    def record_content(self) -> dict[str, Any]:
        return {
            "seat": self.seat.public_id,
            "constituency": self.seat.constituency,
            "role": self.role,
            "starts_on": _date(self.starts_on),
            "ends_on": _date(self.ends_on),
            "source_url": self.source_url,
        }


class Subcommittee(PublicRecord):
    """A standing subcommittee of the SC; equal numbers from each constituency."""

    RECORD_TYPE = "subcommittee"

    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    remit = models.TextField(_("remit"), blank=True)
    established_on = models.DateField(_("established"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("subcommittee")

    def record_content(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "remit": self.remit,
            "established_on": _date(self.established_on),
            "ended_on": _date(self.ended_on),
            "source_url": self.source_url,
            "members": [
                {
                    "seat": membership.seat.public_id,
                    "constituency": membership.seat.constituency,
                    "co_chair": membership.co_chair,
                    "starts_on": _date(membership.starts_on),
                    "ends_on": _date(membership.ends_on),
                }
                for membership in self.memberships.select_related("seat").order_by(
                    "starts_on", "seat__key"
                )
            ],
        }


class SubcommitteeMembership(models.Model):
    """A seat on a subcommittee for a period (versioned with the subcommittee)."""

    subcommittee = models.ForeignKey(
        Subcommittee, on_delete=models.CASCADE, related_name="memberships"
    )
    seat = models.ForeignKey(ScSeat, on_delete=models.PROTECT, related_name="subcommittees")
    co_chair = models.BooleanField(_("co-chair of the subcommittee"), default=False)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.subcommittee.public_id}: {self.seat.public_id}"

    def holds_on(self, day: Any) -> bool:
        return bool(self.starts_on <= day and (self.ends_on is None or day <= self.ends_on))


class ScMeeting(PublicRecord):
    """A Steering Committee (or subcommittee) meeting; its minutes are due within 14 days."""

    RECORD_TYPE = "scmeeting"

    title = models.CharField(_("title"), max_length=300)
    body = models.CharField(_("body"), max_length=12, choices=Body.choices, default=Body.SC)
    level = models.CharField(_("level"), max_length=12, choices=MeetingLevel.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(
        _("mode"), max_length=12, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    # Derived from the policy row in force on the meeting's last day, and kept with it.
    minutes_due_on = models.DateField(_("minutes due"), null=True, blank=True)
    minutes_rule = models.CharField(_("minutes rule"), max_length=120, blank=True)
    minutes_published_on = models.DateField(_("minutes published"), null=True, blank=True)
    minutes_url = models.URLField(_("minutes"), blank=True)
    minutes_text = models.TextField(_("minutes text"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("Steering Committee meeting")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A meeting cannot end before it starts.")
        if self.minutes_published_on and self.ends_on and self.minutes_published_on < self.ends_on:
            errors["minutes_published_on"] = _("Minutes cannot be published before the meeting.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "level": self.level,
            "starts_on": _date(self.starts_on),
            "ends_on": _date(self.ends_on),
            "place": self.place,
            "mode": self.mode,
            "minutes_due_on": _date(self.minutes_due_on),
            "minutes_rule": self.minutes_rule,
            "minutes_published_on": _date(self.minutes_published_on),
            "minutes_url": self.minutes_url,
            "minutes_text": self.minutes_text,
            "summary": self.summary,
            "source_url": self.source_url,
            "agenda": [
                {
                    "position": item.position,
                    "title": item.title,
                    "member": _ref(item.member),
                    "case": _ref(item.case),
                }
                for item in self.agenda_items.select_related("member", "case")
            ],
            "background": [
                {
                    "title": document.title,
                    "url": document.url,
                    "published_on": _date(document.published_on),
                }
                for document in self.background_documents.all()
            ],
        }


class ScAgendaItem(models.Model):
    """An item of an SC meeting's agenda, linked to the member or case it concerns."""

    meeting = models.ForeignKey(ScMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=400)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="sc_agenda_items"
    )
    case = models.ForeignKey(
        "ConcernCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.meeting.public_id} #{self.position}: {self.title}"


class BackgroundDocument(models.Model):
    """A document published for an SC meeting, normally in advance of it."""

    meeting = models.ForeignKey(
        ScMeeting, on_delete=models.CASCADE, related_name="background_documents"
    )
    title = models.CharField(_("title"), max_length=400)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["published_on", "id"]

    def __str__(self) -> str:
        return f"{self.meeting.public_id}: {self.title}"


class Resolution(PublicRecord):
    """A decision of the SC or a subcommittee: by consensus or by recorded vote."""

    RECORD_TYPE = "resolution"

    body = models.CharField(_("body"), max_length=12, choices=Body.choices, default=Body.SC)
    meeting = models.ForeignKey(
        ScMeeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    title = models.CharField(_("title"), max_length=400)
    text = models.TextField(_("text"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    case = models.ForeignKey(
        "ConcernCase",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    method = models.CharField(_("decided by"), max_length=10, choices=DecisionMethod.choices)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ResolutionOutcome.choices, default="adopted"
    )
    adopted_on = models.DateField(_("decided"))
    effective_on = models.DateField(_("effective"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-adopted_on", "id"]
        verbose_name = _("resolution")

    @property
    def votes_cast(self) -> int:
        return (self.votes_for or 0) + (self.votes_against or 0) + (self.abstentions or 0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        counts = (self.votes_for, self.votes_against, self.abstentions)
        if self.method == DecisionMethod.VOTE and any(count is None for count in counts):
            errors["votes_for"] = _("A recorded vote gives the votes for, against and abstaining.")
        if self.method == DecisionMethod.CONSENSUS and any(count is not None for count in counts):
            errors["method"] = _("A decision by consensus has no vote count.")
        if self.effective_on and self.adopted_on and self.effective_on < self.adopted_on:
            errors["effective_on"] = _("A resolution cannot take effect before it is decided.")
        if (
            self.meeting is not None
            and self.adopted_on
            and not self.meeting.starts_on <= self.adopted_on <= self.meeting.ends_on
        ):
            errors["adopted_on"] = _("A resolution of a meeting is decided during the meeting.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "meeting": _ref(self.meeting),
            "title": self.title,
            "text": self.text,
            "member": _ref(self.member),
            "case": _ref(self.case),
            "method": self.method,
            "votes": (
                {
                    "for": self.votes_for,
                    "against": self.votes_against,
                    "abstain": self.abstentions,
                }
                if self.method == DecisionMethod.VOTE
                else None
            ),
            "outcome": self.outcome,
            "adopted_on": _date(self.adopted_on),
            "effective_on": _date(self.effective_on),
            "source_url": self.source_url,
        }


class StatusChange(PublicRecord):
    """One step of a member through state machine A, with what decided it."""

    RECORD_TYPE = "statuschange"

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=MemberStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MemberStatus.choices)
    on = models.DateField(_("on"))
    reason = models.TextField(_("reason"))
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    review = models.ForeignKey(
        "ProceduralReview",
        verbose_name=_("procedural review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    case = models.ForeignKey(
        "ConcernCase",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )

    class Meta:
        ordering = ["member__name", "on", "id"]
        verbose_name = _("status change")

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "on": _date(self.on),
            "reason": self.reason,
            "resolution": _ref(self.resolution),
            "letter": _ref(self.letter),
            "review": _ref(self.review),
            "case": _ref(self.case),
        }


class ConcernCase(PublicRecord):
    """A Response Policy (or Rapid Response) case about a member, from letter to closure."""

    RECORD_TYPE = "case"

    member = models.ForeignKey(
        Member, verbose_name=_("member concerned"), on_delete=models.PROTECT, related_name="cases"
    )
    track = models.CharField(
        _("track"), max_length=20, choices=CaseTrack.choices, default=CaseTrack.RESPONSE_POLICY
    )
    title = models.CharField(_("title"), max_length=300)
    concerns = models.TextField(_("concerns raised"))
    received_on = models.DateField(_("received"))
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("letter of concern"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern_cases",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    state_since = models.DateField(_("state since"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    # The letters and statements of the case besides the letter of concern (responses,
    # findings, statements of the co-chairs), versioned with the case.
    letters = models.ManyToManyField(
        Letter, verbose_name=_("letters"), related_name="cases", blank=True
    )
    statements = models.ManyToManyField(
        Statement, verbose_name=_("statements"), related_name="cases", blank=True
    )
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-received_on", "id"]
        verbose_name = _("concern case")

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "track": self.track,
            "title": self.title,
            "concerns": self.concerns,
            "received_on": _date(self.received_on),
            "letter": _ref(self.letter),
            "state": self.state,
            "state_since": _date(self.state_since),
            "closed_on": _date(self.closed_on),
            "source_url": self.source_url,
            "letters": _refs(self.letters.all()),
            "statements": _refs(self.statements.all()),
            "filers": [
                {
                    "organization": filer.organization.public_id,
                    "category": filer.category,
                }
                for filer in self.filers.select_related("organization")
            ],
            "steps": [step.as_content() for step in self.steps.all()],
            "tasks": [task.as_content() for task in self.tasks.select_related("owner")],
        }


class CaseFiler(models.Model):
    """An eligible organisation that filed the case (versioned with the case)."""

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="filers")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="concern_cases_filed"
    )
    category = models.CharField(_("eligible as"), max_length=30, choices=FilerCategory.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "organization"], name="unique_case_filer")
        ]

    def __str__(self) -> str:
        return f"{self.case.public_id}: {self.organization.public_id}"


class CaseStep(models.Model):
    """One transition of a case: who acted, when, and the document behind it.

    A confidential note is never part of the public record: the row keeps it for the
    committee, and the record keeps only a salted SHA-256 commitment to it, so that its
    existence and its exact words can be proven later without being disclosed now.
    """

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(_("from"), max_length=20, choices=CaseState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=CaseState.choices)
    on = models.DateField(_("on"))
    actor_body = models.CharField(_("by"), max_length=12, choices=Body.choices)
    document = models.CharField(_("document"), max_length=200, blank=True)
    document_url = models.URLField(_("document address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    deadline = models.DateField(_("next deadline"), null=True, blank=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=120, blank=True)
    confidential_note = models.TextField(_("confidential note"), blank=True)
    confidential_commitment = models.CharField(max_length=64, blank=True)
    confidential_salt = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.case.public_id}: {self.from_state} → {self.to_state}"

    def as_content(self) -> dict[str, Any]:
        return {
            "from": self.from_state,
            "to": self.to_state,
            "on": _date(self.on),
            "by": self.actor_body,
            "document": self.document,
            "document_url": self.document_url,
            "note": self.note,
            "deadline": _date(self.deadline),
            "deadline_rule": self.deadline_rule,
            "confidential_commitment": self.confidential_commitment or None,
        }


class OutreachTask(models.Model):
    """A task of a case, e.g. reaching out to officials and civil society before a meeting."""

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=400)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="outreach_tasks"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_task_number")
        ]

    def __str__(self) -> str:
        return f"{self.case.public_id} task {self.number}: {self.title}"

    def as_content(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "owner": self.owner.public_id,
            "due_on": _date(self.due_on),
            "status": self.status,
            "done_on": _date(self.done_on),
            "outcome": self.outcome,
        }


class EnvoyMission(PublicRecord):
    """Envoys sent by a resolution: their mandate, the visit and their report."""

    RECORD_TYPE = "mission"

    member = models.ForeignKey(
        Member, verbose_name=_("member visited"), on_delete=models.PROTECT, related_name="missions"
    )
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("mandated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    case = models.ForeignKey(
        ConcernCase,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    title = models.CharField(_("title"), max_length=300)
    mandate = models.TextField(_("mandate"))
    envoys = models.ManyToManyField(Person, verbose_name=_("envoys"), related_name="missions")
    staff = models.ManyToManyField(
        Person, verbose_name=_("Support Unit staff"), related_name="missions_staffed", blank=True
    )
    starts_on = models.DateField(_("visit starts"), null=True, blank=True)
    ends_on = models.DateField(_("visit ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    report = models.TextField(_("report"), blank=True)
    report_url = models.URLField(_("report address"), blank=True)
    reported_on = models.DateField(_("reported"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("envoy mission")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A visit cannot end before it starts.")
        if self.reported_on and self.starts_on and self.reported_on < self.starts_on:
            errors["reported_on"] = _("A report cannot come before the visit.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "resolution": _ref(self.resolution),
            "case": _ref(self.case),
            "title": self.title,
            "mandate": self.mandate,
            "envoys": _refs(self.envoys.all()),
            "staff": _refs(self.staff.all()),
            "starts_on": _date(self.starts_on),
            "ends_on": _date(self.ends_on),
            "place": self.place,
            "report": self.report,
            "report_url": self.report_url,
            "reported_on": _date(self.reported_on),
            "source_url": self.source_url,
        }


class ContraryFinding(PublicRecord):
    """A finding that a member acted contrary to process in one action-plan cycle."""

    RECORD_TYPE = "contrary"

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="contrary_findings",
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan cycle"),
        on_delete=models.PROTECT,
        related_name="contrary_findings",
    )
    trigger = models.CharField(_("trigger"), max_length=40, choices=ContraryTrigger.choices)
    source = models.CharField(_("source"), max_length=20, choices=FindingSource.choices)
    irm_report = models.ForeignKey(
        IrmReport,
        verbose_name=_("IRM report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contrary_findings",
    )
    found_on = models.DateField(_("found"))
    explanation = models.TextField(_("explanation"))
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("notification letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contrary_findings",
    )

    class Meta:
        ordering = ["member__name", "found_on", "id"]
        verbose_name = _("contrary-to-process finding")

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "plan": self.plan.public_id,
            "trigger": self.trigger,
            "source": self.source,
            "irm_report": _ref(self.irm_report),
            "found_on": _date(self.found_on),
            "explanation": self.explanation,
            "letter": _ref(self.letter),
        }


class ProceduralReview(PublicRecord):
    """A member under procedural review (state machine C), opened by two consecutive findings."""

    RECORD_TYPE = "review"

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="reviews"
    )
    findings = models.ManyToManyField(
        ContraryFinding, verbose_name=_("findings"), related_name="reviews"
    )
    opened_on = models.DateField(_("opened"))
    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    state_since = models.DateField(_("state since"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        ordering = ["-opened_on", "id"]
        verbose_name = _("procedural review")

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "findings": _refs(self.findings.all()),
            "opened_on": _date(self.opened_on),
            "state": self.state,
            "state_since": _date(self.state_since),
            "closed_on": _date(self.closed_on),
            "outcome": self.outcome,
            "steps": [
                {
                    "from": step.from_state,
                    "to": step.to_state,
                    "on": _date(step.on),
                    "by": step.actor_body,
                    "document": step.document,
                    "note": step.note,
                }
                for step in self.steps.all()
            ],
        }


class ReviewStep(models.Model):
    """One transition of a procedural review (versioned with the review)."""

    review = models.ForeignKey(ProceduralReview, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(_("from"), max_length=20, choices=ReviewState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ReviewState.choices)
    on = models.DateField(_("on"))
    actor_body = models.CharField(_("by"), max_length=12, choices=Body.choices)
    document = models.CharField(_("document"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.review.public_id}: {self.from_state} → {self.to_state}"


class ComplianceReading(PublicRecord):
    """The compliance engine's stored reading of one member's plan cycle.

    A new version is written only when the findings change, so the history shows when
    and how the reading moved. ``evidence_fingerprint`` (an operational cache key, not part
    of the record) tells whether the records it was computed from have changed since.
    """

    RECORD_TYPE = "compliance"

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="compliance_readings",
    )
    plan = models.OneToOneField(
        ActionPlan,
        verbose_name=_("action plan cycle"),
        on_delete=models.PROTECT,
        related_name="compliance_reading",
    )
    computed_on = models.DateField(_("computed"))
    findings = models.JSONField(_("findings"), default=list)
    evidence_fingerprint = models.CharField(_("evidence fingerprint"), max_length=64)

    class Meta:
        ordering = ["member__name", "plan__number"]
        verbose_name = _("compliance reading")

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "plan": self.plan.public_id,
            "computed_on": _date(self.computed_on),
            "findings": self.findings,
        }


__all__ = [
    "BackgroundDocument",
    "CaseFiler",
    "CaseStep",
    "CoChair",
    "ComplianceReading",
    "ConcernCase",
    "ContraryFinding",
    "EnvoyMission",
    "OutreachTask",
    "ProceduralReview",
    "Resolution",
    "ReviewStep",
    "ScAgendaItem",
    "ScMeeting",
    "ScSeat",
    "StatusChange",
    "Subcommittee",
    "SubcommitteeMembership",
]
