"""Write services of the forum record. Every write of the app goes through here.

Each function checks its declared permission, validates, writes the rows and
appends a version (``core.recording.save_record``) in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import (
    END_SEAT,
    FORUM_BUSINESS,
    FORUM_EDITS,
    FORUM_SETUP,
    INTERNATIONAL,
    JOINT,
    LETTERS,
    ORGANISATIONS,
    PEOPLE,
    SIGN_OFF,
    STATEMENTS,
    WITHDRAWAL,
)
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.core.recording import (
    publish_changes,
    retract_record,
    save_record,
    validation_to_invalid,
)
from tripartite.core.recording import (
    require_key_free as _key_free,
)
from tripartite.core.recording import (
    require_live as _live,
)
from tripartite.core.services import service

from .choices import (
    LetterType,
    SeatEndReason,
    SignOffPosition,
    VotePosition,
)
from .models import (
    AgendaItem,
    Decision,
    DecisionPosition,
    Forum,
    Letter,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    Organization,
    Person,
    Seat,
    SignOff,
    Statement,
    WithdrawalGroup,
)
from .rules import decision_outcome

# Fields a later version may change, per record type. Keys, links that define
# what the record is (its forum, its meeting) and computed fields are not here.
EDITABLE_FIELDS: dict[type[PublicRecord], tuple[str, ...]] = {
    Member: ("name", "kind", "iso2", "region", "joined_on", "status", "status_since"),
    Organization: ("name", "short_name", "sector", "website", "description"),
    Person: ("name", "role_title"),
    Forum: (
        "name",
        "original_name",
        "language",
        "description",
        "established_on",
        "dissolved_on",
        "decision_rule",
        "rules_url",
        "source_url",
        "witness_policy",
        "approval_sectors",
    ),
    Seat: ("representative", "role", "start_on"),
    Meeting: ("title", "date", "mode", "place", "status", "summary", "source_url"),
    Minutes: ("text", "language", "published_on"),
    Decision: ("title", "motion_text", "decided_on", "source_url"),
    Letter: (
        "subject",
        "body",
        "language",
        "addressees",
        "sent_on",
        "received_on",
        "response_deadline",
        "status",
        "source_url",
    ),
    Statement: ("title", "issuer_label", "issued_on", "text", "language", "source_url"),
    WithdrawalGroup: ("title", "summary"),
}


def _require(value: Any, field: str) -> None:
    if value in (None, "", [], ()):
        raise InvalidInput(
            _("%(field)s is required.") % {"field": field}, {field: [_("This field is required.")]}
        )


# ---------------------------------------------------------------- members, organisations, people


@service(INTERNATIONAL)
def create_member(actor: Any, *, key: str, name: str, kind: str, **fields: Any) -> Member:
    _key_free(Member, key)
    member = Member(key=key, name=name, kind=kind, **fields)
    save_record(member, actor=actor)
    return member


@service(ORGANISATIONS)
def create_organization(
    actor: Any, *, key: str, name: str, sector: str, **fields: Any
) -> Organization:
    _key_free(Organization, key)
    organization = Organization(key=key, name=name, sector=sector, **fields)
    save_record(organization, actor=actor)
    return organization


@service(PEOPLE)
def create_person(actor: Any, *, key: str, name: str, role_title: str = "") -> Person:
    _key_free(Person, key)
    person = Person(key=key, name=name, role_title=role_title)
    save_record(person, actor=actor)
    return person


# ---------------------------------------------------------------- forums and seats


@service(FORUM_SETUP)
def create_forum(
    actor: Any, *, key: str, member: Member, name: str, established_on: dt.date, **fields: Any
) -> Forum:
    _live(member, fields.get("predecessor"))
    _key_free(Forum, key)
    predecessor = fields.get("predecessor")
    if predecessor is not None and predecessor.member_id != member.pk:
        raise InvalidInput(_("A forum can only replace a forum of the same member."))
    forum = Forum(key=key, member=member, name=name, established_on=established_on, **fields)
    save_record(forum, actor=actor)
    return forum


@service(FORUM_BUSINESS)
def add_seat(
    actor: Any,
    *,
    key: str,
    forum: Forum,
    organization: Organization,
    start_on: dt.date,
    sector: str | None = None,
    role: str = "member",
    representative: Person | None = None,
) -> Seat:
    _live(forum, organization, representative)
    _key_free(Seat, key)
    if forum.dissolved_on and start_on > forum.dissolved_on:
        raise InvalidInput(_("The forum was dissolved before this seat would start."))
    if start_on < forum.established_on:
        raise InvalidInput(_("A seat cannot start before its forum was established."))
    seat = Seat(
        key=key,
        forum=forum,
        organization=organization,
        sector=sector or organization.sector,
        role=role,
        start_on=start_on,
        representative=representative,
    )
    save_record(seat, actor=actor)
    return seat


def _end_seat(
    actor: Any,
    seat: Seat,
    end_on: dt.date,
    end_reason: str,
    letter: Letter | None = None,
    group: WithdrawalGroup | None = None,
) -> None:
    if seat.end_on is not None:
        raise Conflict(
            _("%(id)s already ended on %(date)s.") % {"id": seat.public_id, "date": seat.end_on}
        )
    if end_on < seat.start_on:
        raise InvalidInput(
            _("A seat cannot end before it started."),
            {"end_on": [_("The end date is before the start date.")]},
        )
    if end_reason not in SeatEndReason.values:
        raise InvalidInput(
            _("Unknown reason for ending a seat."), {"end_reason": [_("Choose a valid reason.")]}
        )
    seat.end_on = end_on
    seat.end_reason = end_reason
    seat.withdrawal_letter = letter
    seat.withdrawal_group = group
    save_record(seat, actor=actor)


@service(END_SEAT)
def end_seat(
    actor: Any, seat: Seat, *, end_on: dt.date, end_reason: str, letter: Letter | None = None
) -> Seat:
    """End a seat: its term ended, it was replaced, it withdrew (with its letter), …"""
    if end_reason == SeatEndReason.WITHDRAWN and letter is None:
        raise InvalidInput(
            _("A withdrawal is recorded with its public letter."),
            {"letter": [_("This field is required.")]},
        )
    _end_seat(actor, seat, end_on, end_reason, letter)
    return seat


@service(WITHDRAWAL)
def record_collective_withdrawal(
    actor: Any,
    *,
    key: str,
    forum: Forum,
    seats: Sequence[Seat],
    withdrawn_on: dt.date,
    title: str,
    letter: Letter,
    summary: str = "",
) -> WithdrawalGroup:
    """Several seats leave a forum together: one event, each seat ended as withdrawn."""
    _live(forum, letter)
    _key_free(WithdrawalGroup, key)
    _require(list(seats), "seats")
    if letter is None:
        raise InvalidInput(
            _("A withdrawal is recorded with its public letter."),
            {"letter": [_("This field is required.")]},
        )
    for seat in seats:
        if seat.forum_id != forum.pk:
            raise InvalidInput(_("%(id)s is not a seat of this forum.") % {"id": seat.public_id})
    group = WithdrawalGroup(
        key=key, forum=forum, withdrawn_on=withdrawn_on, title=title, summary=summary, letter=letter
    )
    # The group is saved first so seats can point at it, then versioned with its seats.
    try:
        group.full_clean()
    except ValidationError as error:
        raise validation_to_invalid(error) from error
    group.save()
    for seat in seats:
        _end_seat(actor, seat, withdrawn_on, SeatEndReason.WITHDRAWN, letter, group)
    save_record(group, actor=actor)
    return group


# ---------------------------------------------------------------- meetings and minutes


def _write_agenda(meeting: Meeting, agenda: Iterable[Mapping[str, str] | str]) -> None:
    meeting.agenda_items.all().delete()
    items = []
    for position, entry in enumerate(agenda, start=1):
        title = entry if isinstance(entry, str) else entry.get("title", "")
        description = "" if isinstance(entry, str) else entry.get("description", "")
        if not title.strip():
            raise InvalidInput(_("Agenda item %(n)s has no title.") % {"n": position})
        items.append(
            AgendaItem(
                meeting=meeting, position=position, title=title.strip(), description=description
            )
        )
    AgendaItem.objects.bulk_create(items)


@service(FORUM_BUSINESS)
def schedule_meeting(
    actor: Any,
    *,
    key: str,
    forum: Forum,
    title: str,
    date: dt.date,
    agenda: Sequence[Mapping[str, str] | str] = (),
    **fields: Any,
) -> Meeting:
    _live(forum)
    _key_free(Meeting, key)
    meeting = Meeting(key=key, forum=forum, title=title, date=date, **fields)
    save_record(meeting, actor=actor, write_related=lambda: _write_agenda(meeting, agenda))
    return meeting


@service(FORUM_BUSINESS)
def set_agenda(
    actor: Any, meeting: Meeting, *, agenda: Sequence[Mapping[str, str] | str]
) -> Meeting:
    save_record(meeting, actor=actor, write_related=lambda: _write_agenda(meeting, agenda))
    return meeting


@service(FORUM_BUSINESS)
def record_attendance(actor: Any, meeting: Meeting, *, attendance: Mapping[Seat, str]) -> Meeting:
    """Record who attended; replaces the previous attendance list in a new version."""
    from .choices import Attendance

    for seat, status in attendance.items():
        if seat.forum_id != meeting.forum_id:
            raise InvalidInput(_("%(id)s is not a seat of this forum.") % {"id": seat.public_id})
        if status not in Attendance.values:
            raise InvalidInput(_("Unknown attendance status %(s)s.") % {"s": status})

    def write() -> None:
        meeting.attendance.all().delete()
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, seat=seat, status=status)
            for seat, status in attendance.items()
        )

    save_record(meeting, actor=actor, write_related=write)
    return meeting


@service(FORUM_BUSINESS)
def publish_minutes(
    actor: Any, meeting: Meeting, *, text: str, published_on: dt.date, language: str = "en"
) -> Minutes:
    _live(meeting)
    _require(text.strip(), "text")
    if Minutes.objects.filter(meeting=meeting).exists():
        raise Conflict(_("Minutes of this meeting are already published; publish a new version."))
    if published_on < meeting.date:
        raise InvalidInput(_("Minutes cannot be published before the meeting took place."))
    minutes = Minutes(
        key=meeting.key, meeting=meeting, text=text, published_on=published_on, language=language
    )
    save_record(minutes, actor=actor)
    return minutes


@service(SIGN_OFF)
def sign_off_minutes(
    actor: Any,
    minutes: Minutes,
    *,
    seat: Seat,
    position: str,
    signed_on: dt.date,
    statement: str = "",
) -> SignOff:
    """A sector signs off the minutes; dissent and reservations need a statement."""
    _live(minutes, seat)
    if position not in SignOffPosition.values:
        raise InvalidInput(
            _("Unknown sign-off position."), {"position": [_("Choose a valid position.")]}
        )
    if position != SignOffPosition.APPROVE and not statement.strip():
        raise InvalidInput(
            _("A dissent or a reservation is signed with a statement."),
            {"statement": [_("This field is required.")]},
        )
    meeting = minutes.meeting
    if seat.forum_id != meeting.forum_id:
        raise InvalidInput(_("%(id)s is not a seat of this forum.") % {"id": seat.public_id})
    if not seat.held_on(meeting.date):
        raise InvalidInput(
            _("%(id)s did not hold its seat on the date of the meeting.") % {"id": seat.public_id}
        )
    if minutes.signoffs.filter(sector=seat.sector).exists():
        raise Conflict(
            _("The %(sector)s sector has already signed off these minutes.")
            % {"sector": seat.get_sector_display()}
        )
    if signed_on < minutes.published_on:
        raise InvalidInput(_("Minutes cannot be signed off before they are published."))
    signoff = SignOff(
        key=f"{minutes.key}-{seat.sector.replace('_', '-')}",
        minutes=minutes,
        sector=seat.sector,
        seat=seat,
        position=position,
        statement=statement.strip(),
        signed_on=signed_on,
    )
    save_record(signoff, actor=actor)
    return signoff


# ---------------------------------------------------------------- decisions


@service(FORUM_BUSINESS)
def record_decision(
    actor: Any,
    *,
    key: str,
    forum: Forum,
    title: str,
    motion_text: str,
    decided_on: dt.date,
    positions: Mapping[Seat, tuple[str, str] | str],
    meeting: Meeting | None = None,
    source_url: str = "",
) -> Decision:
    """A motion and every seat's position; the outcome follows the forum's decision rule."""
    _live(forum, meeting)
    _key_free(Decision, key)
    if meeting is not None and meeting.forum_id != forum.pk:
        raise InvalidInput(_("The meeting belongs to another forum."))
    normalised: dict[Seat, tuple[str, str]] = {}
    for seat, value in positions.items():
        position, statement = (value, "") if isinstance(value, str) else value
        if seat.forum_id != forum.pk:
            raise InvalidInput(_("%(id)s is not a seat of this forum.") % {"id": seat.public_id})
        if not seat.held_on(decided_on):
            raise InvalidInput(
                _("%(id)s did not hold its seat on the date of the decision.")
                % {"id": seat.public_id}
            )
        if position not in VotePosition.values:
            raise InvalidInput(_("Unknown position %(p)s.") % {"p": position})
        normalised[seat] = (position, statement.strip())
    decision = Decision(
        key=key,
        forum=forum,
        meeting=meeting,
        title=title,
        motion_text=motion_text,
        decided_on=decided_on,
        source_url=source_url,
        outcome=decision_outcome(
            forum.decision_rule, [(seat.sector, pos) for seat, (pos, _s) in normalised.items()]
        ),
    )

    def write_positions() -> None:
        DecisionPosition.objects.bulk_create(
            DecisionPosition(decision=decision, seat=seat, position=pos, statement=statement)
            for seat, (pos, statement) in normalised.items()
        )

    save_record(decision, actor=actor, write_related=write_positions)
    return decision


# ---------------------------------------------------------------- letters and statements


@service(LETTERS)
def register_letter(
    actor: Any,
    *,
    key: str,
    reference: str,
    direction: str,
    letter_type: str,
    subject: str,
    signatories: Sequence[Organization] = (),
    meetings: Sequence[Meeting] = (),
    decisions: Sequence[Decision] = (),
    **fields: Any,
) -> Letter:
    _live(fields.get("member"), fields.get("forum"), fields.get("response_to"))
    _key_free(Letter, key)
    if Letter.objects.filter(reference=reference).exists():
        raise Conflict(
            _("A letter with reference %(ref)s is already registered.") % {"ref": reference},
            {"reference": [_("This reference is already taken.")]},
        )
    if letter_type == LetterType.RESPONSE and fields.get("response_to") is None:
        raise InvalidInput(
            _("A response names the letter it answers."),
            {"response_to": [_("This field is required.")]},
        )
    sent_on, received_on = fields.get("sent_on"), fields.get("received_on")
    if sent_on is None and received_on is None:
        raise InvalidInput(
            _("A letter needs a date sent or received."),
            {"sent_on": [_("Give the date sent or the date received.")]},
        )
    letter = Letter(
        key=key,
        reference=reference,
        direction=direction,
        letter_type=letter_type,
        subject=subject,
        **fields,
    )

    def write_links() -> None:
        letter.signatories.set(signatories)
        letter.meetings.set(meetings)
        letter.decisions.set(decisions)

    save_record(letter, actor=actor, write_related=write_links)
    return letter


@service(STATEMENTS)
def publish_statement(
    actor: Any,
    *,
    key: str,
    title: str,
    issued_on: dt.date,
    text: str,
    issued_by: Sequence[Organization] = (),
    **fields: Any,
) -> Statement:
    _live(fields.get("member"), fields.get("forum"))
    _key_free(Statement, key)
    _require(text.strip(), "text")
    if not issued_by and not fields.get("issuer_label"):
        raise InvalidInput(
            _("A statement names who issued it."),
            {"issued_by": [_("Choose an organisation or name the issuer.")]},
        )
    statement = Statement(key=key, title=title, issued_on=issued_on, text=text, **fields)
    save_record(statement, actor=actor, write_related=lambda: statement.issued_by.set(issued_by))
    return statement


# ------------------------------------------------------ any record: new version, retraction


@service(FORUM_EDITS)
def update_record(
    actor: Any, record: PublicRecord, *, changes: Mapping[str, Any], reason: str = ""
) -> RecordVersion:
    """Publish a new version of a record with some of its editable fields changed."""
    return publish_changes(
        record,
        actor=actor,
        changes=changes,
        allowed=EDITABLE_FIELDS.get(type(record), ()),
        reason=reason,
        derive=_recount_outcome if isinstance(record, Decision) else None,
    )


def _recount_outcome(record: PublicRecord) -> None:
    """A decision's outcome follows its forum's rule from the positions."""
    assert isinstance(record, Decision)
    record.outcome = decision_outcome(
        record.forum.decision_rule,
        [(p.seat.sector, p.position) for p in record.positions.select_related("seat")],
    )


@service(JOINT)
def retract(actor: Any, record: PublicRecord, *, reason: str) -> RecordVersion:
    """Retract a record: a new version that says why. Nothing is deleted."""
    return retract_record(record, actor=actor, reason=reason)
