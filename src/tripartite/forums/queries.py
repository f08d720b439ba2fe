"""Read side: loads each page's data in a fixed number of queries and shapes it
into the schemas that both the HTML pages and the API return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tripartite.core.models import PublicRecord

from . import schemas as s
from .choices import REQUIRED_SECTORS, Sector
from .models import (
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
from .rules import missing_required_sectors

SECTOR_LABELS = dict(Sector.choices)


def link(record: PublicRecord, label: str | None = None) -> s.Ref:
    """A reference to a record that is always there."""
    return s.Ref(
        id=record.public_id,
        label=label if label is not None else _label(record),
        url=record.get_absolute_url(),
    )


def ref(record: PublicRecord | None) -> s.Ref | None:
    """A reference to a record that may be missing."""
    return None if record is None else link(record)


def refs(records: Any) -> list[s.Ref]:
    return [link(record) for record in records]


def _label(record: PublicRecord) -> str:
    if isinstance(record, Seat):
        return record.organization.display_name
    if isinstance(record, Letter):
        return f"{record.reference} — {record.subject}"
    if isinstance(record, Meeting):
        return f"{record.date.isoformat()} — {record.title}"
    if isinstance(record, Decision | Statement | WithdrawalGroup):
        return record.title
    return str(getattr(record, "name", record.public_id))


# ---------------------------------------------------------------- shapes


def _identity(record: PublicRecord) -> dict[str, Any]:
    """The fields every record's shape starts with."""
    return {
        "id": record.public_id,
        "version": record.version,
        "url": record.get_absolute_url(),
        "retracted": record.is_retracted,
    }


def organization_out(org: Organization) -> s.OrganizationOut:
    return s.OrganizationOut(
        id=org.public_id,
        name=org.name,
        short_name=org.short_name,
        sector=org.sector,
        member=f"member/{org.member.key}" if org.member_id and org.member else None,
        website=org.website,
    )


def member_out(member: Member) -> s.MemberOut:
    return s.MemberOut(
        id=member.public_id,
        version=member.version,
        name=member.name,
        kind=member.kind,
        iso2=member.iso2,
        region=member.region,
        joined_on=member.joined_on,
        status=member.status,
        status_since=member.status_since,
        url=member.get_absolute_url(),
    )


def seat_out(seat: Seat) -> s.SeatOut:
    return s.SeatOut(
        **_identity(seat),
        forum=link(seat.forum),
        organization=organization_out(seat.organization),
        representative=ref(seat.representative),
        sector=seat.sector,
        role=seat.role,
        start_on=seat.start_on,
        end_on=seat.end_on,
        end_reason=seat.end_reason,
        withdrawal_letter=ref(seat.withdrawal_letter),
        withdrawal_group=ref(seat.withdrawal_group),
    )


def forum_out(forum: Forum) -> s.ForumOut:
    return s.ForumOut(
        **_identity(forum),
        member=link(forum.member),
        name=forum.name,
        original_name=forum.original_name,
        language=forum.language,
        description=forum.description,
        established_on=forum.established_on,
        dissolved_on=forum.dissolved_on,
        decision_rule=forum.decision_rule,
        rules_url=forum.rules_url,
        witness_policy=forum.witness_policy,
        predecessor=ref(forum.predecessor),
        successors=refs(forum.successors.all()),
    )


def meeting_out(meeting: Meeting) -> s.MeetingOut:
    return s.MeetingOut(
        **_identity(meeting),
        forum=link(meeting.forum),
        title=meeting.title,
        date=meeting.date,
        mode=meeting.mode,
        place=meeting.place,
        status=meeting.status,
    )


def decision_out(decision: Decision) -> s.DecisionOut:
    return s.DecisionOut(
        **_identity(decision),
        forum=link(decision.forum),
        meeting=ref(decision.meeting),
        title=decision.title,
        decided_on=decision.decided_on,
        outcome=decision.outcome,
    )


def letter_out(letter: Letter) -> s.LetterOut:
    return s.LetterOut(
        **_identity(letter),
        reference=letter.reference,
        direction=letter.direction,
        letter_type=letter.letter_type,
        subject=letter.subject,
        member=ref(letter.member),
        forum=ref(letter.forum),
        signatories=[organization_out(o) for o in letter.signatories.all()],
        addressees=letter.addressees,
        sent_on=letter.sent_on,
        received_on=letter.received_on,
        response_deadline=letter.response_deadline,
        status=letter.status,
    )


def statement_out(statement: Statement) -> s.StatementOut:
    return s.StatementOut(
        **_identity(statement),
        title=statement.title,
        issued_on=statement.issued_on,
        issued_by=[organization_out(o) for o in statement.issued_by.all()],
        issuer_label=statement.issuer_label,
        member=ref(statement.member),
        forum=ref(statement.forum),
    )


# ---------------------------------------------------------------- querysets (bounded queries)

ORG_RELATED = ("organization", "organization__member")
SEAT_RELATED = (
    "forum",
    "representative",
    "withdrawal_letter",
    "withdrawal_group",
    "withdrawal_group__forum",
    *ORG_RELATED,
)


def members() -> QuerySet[Member]:
    return Member.objects.all()


def forums() -> QuerySet[Forum]:
    return Forum.objects.select_related("member", "predecessor").prefetch_related("successors")


def seats() -> QuerySet[Seat]:
    return Seat.objects.select_related(*SEAT_RELATED)


def meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("forum")


def decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("forum", "meeting")


def letters() -> QuerySet[Letter]:
    return Letter.objects.select_related("member", "forum").prefetch_related(
        Prefetch("signatories", queryset=Organization.objects.select_related("member"))
    )


def statements() -> QuerySet[Statement]:
    return Statement.objects.select_related("member", "forum").prefetch_related(
        Prefetch("issued_by", queryset=Organization.objects.select_related("member"))
    )


def filter_letters(
    queryset: QuerySet[Letter],
    *,
    letter_type: str | None = None,
    year: int | None = None,
    sector: str | None = None,
    status: str | None = None,
    member: str | None = None,
) -> QuerySet[Letter]:
    if letter_type:
        queryset = queryset.filter(letter_type=letter_type)
    if status:
        queryset = queryset.filter(status=status)
    if member:
        queryset = queryset.filter(member__key=member)
    if year:
        queryset = queryset.filter(sent_on__year=year) | queryset.filter(
            sent_on__isnull=True, received_on__year=year
        )
    if sector:
        queryset = queryset.filter(signatories__sector=sector).distinct()
    return queryset


# ---------------------------------------------------------------- details


def member_detail(key: str) -> s.MemberDetail:
    member = get_object_or_404(Member, key=key)
    member_forums = list(forums().filter(member=member))
    return s.MemberDetail(
        **member_out(member).model_dump(),
        forums=[forum_out(f) for f in member_forums],
        letters=refs(Letter.objects.filter(member=member)[:20]),
        statements=refs(Statement.objects.filter(member=member)[:20]),
    )


def current_on(seat: Seat, day: dt.date) -> bool:
    return seat.start_on <= day and (seat.end_on is None or seat.end_on > day)


def forum_detail(key: str, *, today: dt.date | None = None) -> s.ForumDetail:
    forum = get_object_or_404(forums(), key=key)
    # A dissolved forum shows the composition it had on its last day of work: seats
    # ended by the dissolution end on the dissolution day, so look at the day before.
    day = today or timezone.localdate()
    if forum.dissolved_on and forum.dissolved_on <= day:
        day = forum.dissolved_on - dt.timedelta(days=1)
    all_seats = list(seats().filter(forum=forum).order_by("start_on", "key"))
    current = [seat for seat in all_seats if current_on(seat, day) and not seat.is_retracted]
    past = [seat for seat in all_seats if seat not in current]
    counts = {sector: 0 for sector, _label in Sector.choices}
    for seat in current:
        counts[seat.sector] += 1
    balance = [
        s.SectorBalance(sector=sector, label=str(label), seats=counts[sector])
        for sector, label in Sector.choices
        if counts[sector] or sector in REQUIRED_SECTORS
    ]
    groups = list(
        WithdrawalGroup.objects.filter(forum=forum)
        .select_related("forum", "letter")
        .prefetch_related("seats")
    )
    return s.ForumDetail(
        **forum_out(forum).model_dump(),
        balance=balance,
        timeline=membership_timeline(forum, all_seats, groups),
        missing_sectors=missing_required_sectors(seat.sector for seat in current),
        current_seats=[seat_out(seat) for seat in current],
        past_seats=[seat_out(seat) for seat in past],
        withdrawals=[
            s.WithdrawalGroupOut(
                id=g.public_id,
                title=g.title,
                withdrawn_on=g.withdrawn_on,
                summary=g.summary,
                letter=ref(g.letter),
                seats=sorted(seat.public_id for seat in g.seats.all()),
            )
            for g in groups
        ],
        meetings=refs(Meeting.objects.filter(forum=forum).order_by("-date")[:50]),
        decisions=refs(Decision.objects.filter(forum=forum).order_by("-decided_on")[:50]),
    )


def membership_timeline(
    forum: Forum, all_seats: list[Seat], groups: list[WithdrawalGroup]
) -> list[s.TimelineEvent]:
    """Chronological membership events. Seats taken or left on the same day are one event,
    and a collective withdrawal is one event with its letter."""

    def event(day: dt.date, kind: str, text: str, url: str, seats: list[Seat]) -> s.TimelineEvent:
        sectors = {seat.sector for seat in seats}
        return s.TimelineEvent(
            date=day,
            kind=kind,
            sector=sectors.pop() if len(sectors) == 1 else "",
            text=text,
            url=url,
            seats=refs(seats),
        )

    live = [seat for seat in all_seats if not seat.is_retracted]
    joined: dict[dt.date, list[Seat]] = {}
    left: dict[dt.date, list[Seat]] = {}
    for seat in live:
        joined.setdefault(seat.start_on, []).append(seat)
        if seat.end_on and seat.withdrawal_group_id is None:
            left.setdefault(seat.end_on, []).append(seat)
    url = forum.get_absolute_url()
    events = [event(forum.established_on, "established", forum.name, url, [])]
    events += [event(day, "joined", "", url, seats) for day, seats in joined.items()]
    events += [event(day, "left", "", url, seats) for day, seats in left.items()]
    events += [
        event(
            group.withdrawn_on,
            "collective_withdrawal",
            group.title,
            group.get_absolute_url(),
            [seat for seat in live if seat.withdrawal_group_id == group.pk],
        )
        for group in groups
    ]
    if forum.dissolved_on:
        events.append(event(forum.dissolved_on, "dissolved", forum.name, url, []))
    order = {"established": 0, "joined": 1, "left": 2, "collective_withdrawal": 3, "dissolved": 4}
    events.sort(key=lambda e: (e.date, order[e.kind], e.text))
    return events


def seat_detail(key: str) -> s.SeatOut:
    return seat_out(get_object_or_404(seats(), key=key))


def meeting_detail(key: str) -> s.MeetingDetail:
    meeting = get_object_or_404(meetings(), key=key)
    attendance = (
        MeetingAttendance.objects.filter(meeting=meeting)
        .select_related("seat", "seat__organization")
        .order_by("seat__sector", "seat__key")
    )
    minutes_out = None
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        signoffs = list(
            SignOff.objects.filter(minutes=minutes).select_related("seat", "seat__organization")
        )
        # Every sector seated at the meeting is expected to sign off.
        seated = {
            seat.sector
            for seat in Seat.objects.filter(forum_id=meeting.forum_id)
            if current_on(seat, meeting.date) or seat.start_on == meeting.date
        }
        signed = {so.sector for so in signoffs}
        minutes_out = s.MinutesOut(
            id=minutes.public_id,
            version=minutes.version,
            text=minutes.text,
            language=minutes.language,
            published_on=minutes.published_on,
            signoffs=[
                s.SignOffOut(
                    id=so.public_id,
                    sector=so.sector,
                    seat=link(so.seat),
                    position=so.position,
                    statement=so.statement,
                    signed_on=so.signed_on,
                )
                for so in signoffs
            ],
            sectors_pending=sorted(seated - signed),
        )
    return s.MeetingDetail(
        **meeting_out(meeting).model_dump(),
        summary=meeting.summary,
        source_url=meeting.source_url,
        agenda=[
            s.AgendaItemOut(position=i.position, title=i.title, description=i.description)
            for i in meeting.agenda_items.all()
        ],
        attendance=[
            s.AttendanceOut(seat=link(a.seat), sector=a.seat.sector, status=a.status)
            for a in attendance
        ],
        minutes=minutes_out,
        decisions=refs(Decision.objects.filter(meeting=meeting)),
        letters=refs(Letter.objects.filter(meetings=meeting)),
    )


def decision_detail(key: str) -> s.DecisionDetail:
    decision = get_object_or_404(decisions(), key=key)
    positions = (
        DecisionPosition.objects.filter(decision=decision)
        .select_related("seat", "seat__organization")
        .order_by("seat__sector", "seat__key")
    )
    return s.DecisionDetail(
        **decision_out(decision).model_dump(),
        motion_text=decision.motion_text,
        decision_rule=decision.forum.decision_rule,
        source_url=decision.source_url,
        positions=[
            s.PositionOut(
                seat=link(p.seat),
                organization=p.seat.organization.display_name,
                sector=p.seat.sector,
                position=p.position,
                statement=p.statement,
            )
            for p in positions
        ],
    )


def letter_detail(key: str) -> s.LetterDetail:
    letter = get_object_or_404(letters().select_related("response_to"), key=key)
    return s.LetterDetail(
        **letter_out(letter).model_dump(),
        body=letter.body,
        language=letter.language,
        response_to=ref(letter.response_to),
        responses=refs(Letter.objects.filter(response_to=letter)),
        meetings=refs(letter.meetings.all()),
        decisions=refs(letter.decisions.all()),
        withdrawn_seats=refs(
            Seat.objects.filter(withdrawal_letter=letter).select_related("organization")
        ),
        source_url=letter.source_url,
    )


def statement_detail(key: str) -> s.StatementDetail:
    statement = get_object_or_404(statements(), key=key)
    return s.StatementDetail(
        **statement_out(statement).model_dump(),
        text=statement.text,
        language=statement.language,
        source_url=statement.source_url,
    )


def organization_detail(key: str) -> s.OrganizationDetail:
    org = get_object_or_404(Organization.objects.select_related("member"), key=key)
    return s.OrganizationDetail(
        **organization_out(org).model_dump(),
        version=org.version,
        description=org.description,
        url=org.get_absolute_url(),
        seats=[seat_out(seat) for seat in seats().filter(organization=org).order_by("start_on")],
        letters=refs(Letter.objects.filter(signatories=org)),
        statements=refs(Statement.objects.filter(issued_by=org)),
    )


def person_detail(key: str) -> s.PersonDetail:
    person = get_object_or_404(Person, key=key)
    return s.PersonDetail(
        id=person.public_id,
        version=person.version,
        name=person.name,
        role_title=person.role_title,
        url=person.get_absolute_url(),
        seats=[seat_out(seat) for seat in seats().filter(representative=person)],
    )
