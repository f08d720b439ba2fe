"""Models of the forum record, shaped after Popolo (Person, Organization,
Membership with on_behalf_of, Event, Motion, VoteEvent).

Rows are written only by ``forums.services``; each change appends a version.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.core.models import iso_date as _date
from tripartite.core.models import public_id_of as _ref

from .choices import (
    Attendance,
    DecisionOutcome,
    DecisionRule,
    LetterDirection,
    LetterStatus,
    LetterType,
    MeetingMode,
    MeetingStatus,
    MemberKind,
    MemberStatus,
    SeatEndReason,
    SeatRole,
    Sector,
    SignOffPosition,
    VotePosition,
)


class Member(PublicRecord):
    """A country or local government taking part in OGP (Popolo: Area + Organization)."""

    RECORD_TYPE = "member"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices)
    iso2 = models.CharField(_("ISO 3166 code"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")

    def record_content(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "iso2": self.iso2,
            "region": self.region,
            "joined_on": _date(self.joined_on),
            "status": self.status,
            "status_since": _date(self.status_since),
        }


class Organization(PublicRecord):
    """A government agency, civil-society organisation, oversight body, … (Popolo Organization)."""

    RECORD_TYPE = "organization"

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def record_content(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "sector": self.sector,
            "member": _ref(self.member),
            "website": self.website,
            "description": self.description,
        }


class Person(PublicRecord):
    """A person acting in a public role (Popolo Person). Only public-role data is kept."""

    RECORD_TYPE = "person"

    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(_("public role"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")

    def record_content(self) -> dict[str, Any]:
        return {"name": self.name, "role_title": self.role_title}


class Forum(PublicRecord):
    """A member's multi-stakeholder forum (space for dialogue)."""

    RECORD_TYPE = "forum"

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="forums"
    )
    name = models.CharField(_("name"), max_length=300)
    original_name = models.CharField(_("name in the original language"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    description = models.TextField(_("description"), blank=True)
    established_on = models.DateField(_("established"))
    dissolved_on = models.DateField(_("dissolved"), null=True, blank=True)
    decision_rule = models.CharField(
        _("decision rule"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.SECTOR_CONSENSUS,
    )
    rules_url = models.URLField(_("published participation rules"), blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    source_url = models.URLField(_("source"), blank=True)
    witness_policy = models.TextField(
        _("witness policy"),
        blank=True,
        help_text=_(
            "When a log checkpoint counts for this forum: tlog-policy 'group' and 'quorum' "
            "lines naming the site's witnesses, e.g. 'group all-sectors all gov cso' and "
            "'quorum all-sectors'. Blank: the site's policy."
        ),
    )

    approval_sectors = models.CharField(
        _("sectors that approve changes"),
        max_length=200,
        blank=True,
        help_text=_(
            "The sectors whose representatives must approve an edit of a published record, "
            "a retraction or a role grant, separated by commas (at least two), e.g. "
            "'government, civil_society'. Blank: every sector with a seat."
        ),
    )

    class Meta:
        ordering = ["member__name", "established_on"]
        verbose_name = _("forum")

    def approval_sector_list(self) -> list[str]:
        return [s.strip() for s in self.approval_sectors.split(",") if s.strip()]

    def clean(self) -> None:
        configured = self.approval_sector_list()
        if configured:
            unknown = [s for s in configured if s not in Sector.values]
            if unknown or len(set(configured)) < 2:
                raise ValidationError(
                    {
                        "approval_sectors": _("Name at least two sectors among: %(sectors)s.")
                        % {"sectors": ", ".join(Sector.values)}
                    }
                )
        if self.witness_policy.strip():
            from tripartite.ledger.keys import forum_policy_text
            from tripartite.ledger.policy import PolicyError, parse_policy

            try:
                parse_policy(forum_policy_text(self.witness_policy))
            except PolicyError as error:
                raise ValidationError({"witness_policy": str(error)}) from error

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "name": self.name,
            "original_name": self.original_name,
            "language": self.language,
            "description": self.description,
            "established_on": _date(self.established_on),
            "dissolved_on": _date(self.dissolved_on),
            "decision_rule": self.decision_rule,
            "rules_url": self.rules_url,
            "predecessor": _ref(self.predecessor),
            "source_url": self.source_url,
            "witness_policy": self.witness_policy,
            # Only when set, so records written before the rule existed keep their form.
            **({"approval_sectors": self.approval_sector_list()} if self.approval_sectors else {}),
        }


class Letter(PublicRecord):
    """Registered correspondence, inbound or outbound, with signatories and a deadline."""

    RECORD_TYPE = "letter"

    reference = models.CharField(_("reference number"), max_length=60, unique=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=LetterDirection.choices)
    letter_type = models.CharField(_("type"), max_length=40, choices=LetterType.choices)
    subject = models.CharField(_("subject"), max_length=400)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    signatories = models.ManyToManyField(
        Organization,
        verbose_name=_("signatory organisations"),
        blank=True,
        related_name="letters_signed",
    )
    addressees = models.CharField(_("addressed to"), max_length=400, blank=True)
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    received_on = models.DateField(_("received"), null=True, blank=True)
    response_deadline = models.DateField(_("response due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.RECEIVED
    )
    response_to = models.ForeignKey(
        "self",
        verbose_name=_("in response to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    meetings: models.ManyToManyField[Meeting, Any] = models.ManyToManyField(
        "Meeting", verbose_name=_("related meetings"), blank=True, related_name="letters"
    )
    decisions: models.ManyToManyField[Decision, Any] = models.ManyToManyField(
        "Decision", verbose_name=_("related decisions"), blank=True, related_name="letters"
    )
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        # A letter is dated by when it was sent, or else received: one ordering on every database.
        ordering = [Coalesce("sent_on", "received_on").desc(nulls_last=True), "reference"]
        verbose_name = _("letter")

    @property
    def dated(self) -> Any:
        return self.sent_on or self.received_on

    def record_content(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "member": _ref(self.member),
            "forum": _ref(self.forum),
            "direction": self.direction,
            "letter_type": self.letter_type,
            "subject": self.subject,
            "body": self.body,
            "language": self.language,
            "signatories": sorted(o.public_id for o in self.signatories.all()),
            "addressees": self.addressees,
            "sent_on": _date(self.sent_on),
            "received_on": _date(self.received_on),
            "response_deadline": _date(self.response_deadline),
            "status": self.status,
            "response_to": _ref(self.response_to),
            "meetings": sorted(m.public_id for m in self.meetings.all()),
            "decisions": sorted(d.public_id for d in self.decisions.all()),
            "source_url": self.source_url,
        }


class WithdrawalGroup(PublicRecord):
    """Seats that left a forum together, on one date, as one visible event."""

    RECORD_TYPE = "withdrawal"

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="withdrawals"
    )
    withdrawn_on = models.DateField(_("withdrawn on"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawal_groups",
    )

    class Meta:
        ordering = ["-withdrawn_on"]
        verbose_name = _("collective withdrawal")

    def get_absolute_url(self) -> str:
        return self.forum.get_absolute_url() + f"#{self.key}"

    def record_content(self) -> dict[str, Any]:
        return {
            "forum": self.forum.public_id,
            "withdrawn_on": _date(self.withdrawn_on),
            "title": self.title,
            "summary": self.summary,
            "letter": _ref(self.letter),
            "seats": sorted(s.public_id for s in self.seats.all()),
        }


class Seat(PublicRecord):
    """An organisation's membership of a forum (Popolo Membership: the representative
    holds the seat on behalf of the organisation)."""

    RECORD_TYPE = "seat"

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="seats"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="seats",
    )
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(
        _("role"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=SeatEndReason.choices, blank=True
    )
    withdrawal_letter = models.ForeignKey(
        Letter,
        verbose_name=_("withdrawal letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_seats",
    )
    withdrawal_group = models.ForeignKey(
        WithdrawalGroup,
        verbose_name=_("collective withdrawal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )

    class Meta:
        ordering = ["sector", "start_on", "key"]
        verbose_name = _("seat")

    def clean(self) -> None:
        if self.end_on is not None and self.start_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("A seat cannot end before it started.")})

    @property
    def is_current(self) -> bool:
        return self.end_on is None

    def held_on(self, day: Any) -> bool:
        """Whether the seat was held on ``day``; a seat counts on the day it ends, so a
        representative can still act (sign, vote) on the day they leave."""
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)

    def record_content(self) -> dict[str, Any]:
        return {
            "forum": self.forum.public_id,
            "organization": self.organization.public_id,
            "representative": _ref(self.representative),
            "sector": self.sector,
            "role": self.role,
            "start_on": _date(self.start_on),
            "end_on": _date(self.end_on),
            "end_reason": self.end_reason,
            "withdrawal_letter": _ref(self.withdrawal_letter),
            "withdrawal_group": _ref(self.withdrawal_group),
        }


class Meeting(PublicRecord):
    """A forum meeting (Popolo Event) with its agenda and attendance."""

    RECORD_TYPE = "meeting"

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    mode = models.CharField(
        _("mode"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-date", "key"]
        verbose_name = _("meeting")

    def record_content(self) -> dict[str, Any]:
        return {
            "forum": self.forum.public_id,
            "title": self.title,
            "date": _date(self.date),
            "mode": self.mode,
            "place": self.place,
            "status": self.status,
            "summary": self.summary,
            "source_url": self.source_url,
            "agenda": [
                {"position": item.position, "title": item.title, "description": item.description}
                for item in self.agenda_items.all()
            ],
            "attendance": sorted(
                (
                    {"seat": a.seat.public_id, "status": a.status}
                    for a in self.attendance.select_related("seat")
                ),
                key=lambda row: row["seat"],
            ),
        }


class AgendaItem(models.Model):
    """An item on a meeting's agenda; versioned as part of its meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingAttendance(models.Model):
    """Whether a seat attended a meeting; versioned as part of its meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="unique_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.status}"


class Minutes(PublicRecord):
    """The minutes of a meeting, signed off per sector."""

    RECORD_TYPE = "minutes"

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, default="en")
    published_on = models.DateField(_("published"))

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + "#minutes"

    def record_content(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting.public_id,
            "text": self.text,
            "language": self.language,
            "published_on": _date(self.published_on),
        }


class SignOff(PublicRecord):
    """One sector's sign-off of a meeting's minutes; a dissent carries its statement."""

    RECORD_TYPE = "signoff"

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="signoffs"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    seat = models.ForeignKey(
        Seat, verbose_name=_("signed by seat"), on_delete=models.PROTECT, related_name="signoffs"
    )
    position = models.CharField(_("position"), max_length=30, choices=SignOffPosition.choices)
    statement = models.TextField(_("statement"), blank=True)
    signed_on = models.DateField(_("signed"))

    class Meta:
        ordering = ["sector"]
        verbose_name = _("sign-off")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "sector"], name="one_signoff_per_sector")
        ]

    def get_absolute_url(self) -> str:
        return self.minutes.get_absolute_url().replace("#minutes", f"#signoff-{self.sector}")

    def record_content(self) -> dict[str, Any]:
        return {
            "minutes": self.minutes.public_id,
            "sector": self.sector,
            "seat": self.seat.public_id,
            "position": self.position,
            "statement": self.statement,
            "signed_on": _date(self.signed_on),
        }


class Decision(PublicRecord):
    """A motion put to a forum and its outcome (Popolo Motion + VoteEvent)."""

    RECORD_TYPE = "decision"

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    title = models.CharField(_("title"), max_length=300)
    motion_text = models.TextField(_("motion"))
    decided_on = models.DateField(_("date"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=DecisionOutcome.choices,
        default=DecisionOutcome.PENDING,
    )
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-decided_on", "key"]
        verbose_name = _("decision")

    def record_content(self) -> dict[str, Any]:
        return {
            "forum": self.forum.public_id,
            "meeting": _ref(self.meeting),
            "title": self.title,
            "motion_text": self.motion_text,
            "decided_on": _date(self.decided_on),
            "outcome": self.outcome,
            "source_url": self.source_url,
            "positions": sorted(
                (
                    {
                        "seat": p.seat.public_id,
                        "sector": p.seat.sector,
                        "position": p.position,
                        "statement": p.statement,
                    }
                    for p in self.positions.select_related("seat")
                ),
                key=lambda row: row["seat"],
            ),
        }


class DecisionPosition(models.Model):
    """One seat's position on a decision (Popolo Vote); versioned as part of its decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="positions")
    position = models.CharField(_("position"), max_length=10, choices=VotePosition.choices)
    statement = models.TextField(_("dissent or explanation"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="one_position_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.position}"


class Statement(PublicRecord):
    """A public statement by a body (an organisation, the co-chairs, a forum)."""

    RECORD_TYPE = "statement"

    title = models.CharField(_("title"), max_length=400)
    issued_by = models.ManyToManyField(
        Organization, verbose_name=_("issued by"), blank=True, related_name="statements"
    )
    issuer_label = models.CharField(_("issuer as named"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, default="en")
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["-issued_on", "key"]
        verbose_name = _("statement")

    def record_content(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issued_by": sorted(o.public_id for o in self.issued_by.all()),
            "issuer_label": self.issuer_label,
            "issued_on": _date(self.issued_on),
            "member": _ref(self.member),
            "forum": _ref(self.forum),
            "text": self.text,
            "language": self.language,
            "source_url": self.source_url,
        }
