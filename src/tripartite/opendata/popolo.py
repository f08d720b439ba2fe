"""Popolo JSON (https://www.popoloproject.com/): people, organisations, memberships,
events, motions and vote events of the public record, streamed in constant memory.

The document has the usual shape of a Popolo export — one object with the lists
``persons``, ``organizations``, ``memberships``, ``events``, ``motions`` and
``vote_events`` — and each item is valid against the Popolo JSON Schema of its class
(vendored in ``schemas/popolo/``; the tests check it). Ids are Tripartite's public ids.

How the record maps onto Popolo:

- organisations: members (classification ``member``), organisations (their sector),
  forums (``forum``, parent: the member) and the Steering Committee;
- memberships: forum seats (the representative holds the seat ``on_behalf_of`` the
  organisation, in the forum) and Steering Committee seats (on behalf of the member
  government or the civil-society organisation);
- events: forum meetings and Steering Committee meetings;
- motions and vote events: forum decisions with each seat's position (the voter is the
  seat's organisation) and Steering Committee resolutions with their counts.

Popolo gives motions and vote events a date-time; the record knows only the day, so
they are given as midnight UTC of that day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from tripartite.forums.models import (
    Decision,
    DecisionPosition,
    Forum,
    Meeting,
    Member,
    Organization,
    Person,
    Seat,
)
from tripartite.oversight.models import Resolution, ScMeeting, ScSeat

CHUNK = 500
STEERING_COMMITTEE_ID = "steering-committee/ogp"

Item = dict[str, Any]


def _public(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(retracted_at__isnull=True, version__gt=0)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: dt.date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00Z" if value else None


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sources(*urls: str) -> list[Item]:
    return [{"url": url} for url in urls if url]


def _clean(item: Item) -> Item:
    """Drop empty values: Popolo properties are optional."""
    return {key: value for key, value in item.items() if value not in (None, "", [])}


# ---------------------------------------------------------------- people


def persons() -> Iterator[Item]:
    for person in _public(Person.objects.order_by("key")).iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": person.public_id,
                "name": person.name,
                "summary": person.role_title,
                "updated_at": _stamp(person.updated_at),
            }
        )


# ---------------------------------------------------------------- organisations


def organizations() -> Iterator[Item]:
    yield {
        "id": STEERING_COMMITTEE_ID,
        "name": "Open Government Partnership Steering Committee",
        "classification": "committee",
    }
    for member in _public(Member.objects.order_by("key")).iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": member.public_id,
                "name": member.name,
                "classification": "member",
                "identifiers": (
                    [{"identifier": member.iso2, "scheme": "ISO 3166-1 alpha-2"}]
                    if member.iso2
                    else []
                ),
                "founding_date": _day(member.joined_on),
                "updated_at": _stamp(member.updated_at),
            }
        )
    orgs = _public(Organization.objects.select_related("member").order_by("key"))
    for org in orgs.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": org.public_id,
                "name": org.name,
                "other_names": [{"name": org.short_name}] if org.short_name else [],
                "classification": org.sector,
                "links": _sources(org.website),
                "updated_at": _stamp(org.updated_at),
            }
        )
    for forum in _public(Forum.objects.select_related("member").order_by("key")).iterator(
        chunk_size=CHUNK
    ):
        yield _clean(
            {
                "id": forum.public_id,
                "name": forum.name,
                "other_names": [{"name": forum.original_name}] if forum.original_name else [],
                "classification": "forum",
                "parent_id": forum.member.public_id,
                "founding_date": _day(forum.established_on),
                "dissolution_date": _day(forum.dissolved_on),
                "links": _sources(forum.rules_url),
                "sources": _sources(forum.source_url),
                "updated_at": _stamp(forum.updated_at),
            }
        )


# ---------------------------------------------------------------- memberships


def memberships() -> Iterator[Item]:
    seats = _public(
        Seat.objects.select_related("forum", "organization", "representative").order_by("key")
    )
    for seat in seats.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": seat.public_id,
                "label": seat.sector,
                "role": seat.role,
                "person_id": _visible(seat.representative),
                "organization_id": seat.forum.public_id,
                "on_behalf_of_id": seat.organization.public_id,
                "start_date": _day(seat.start_on),
                "end_date": _day(seat.end_on),
                "updated_at": _stamp(seat.updated_at),
            }
        )
    sc_seats = _public(ScSeat.objects.select_related("member", "person", "organization"))
    for sc_seat in sc_seats.order_by("key").iterator(chunk_size=CHUNK):
        behalf = sc_seat.member if sc_seat.member_id else sc_seat.organization
        yield _clean(
            {
                "id": sc_seat.public_id,
                "label": sc_seat.constituency,
                "role": "member",
                "person_id": _visible(sc_seat.person),
                "organization_id": STEERING_COMMITTEE_ID,
                "on_behalf_of_id": _visible(behalf),
                "start_date": _day(sc_seat.term_start),
                "end_date": _day(sc_seat.ended_on or sc_seat.term_end),
                "sources": _sources(sc_seat.source_url),
                "updated_at": _stamp(sc_seat.updated_at),
            }
        )


def _visible(record: Any) -> str | None:
    """A reference to a record still on the public record, else nothing."""
    if record is None or record.retracted_at is not None or record.version == 0:
        return None
    return str(record.public_id)


# ---------------------------------------------------------------- events


def events() -> Iterator[Item]:
    meetings = _public(Meeting.objects.select_related("forum").order_by("date", "key"))
    for meeting in meetings.iterator(chunk_size=CHUNK):
        yield _clean(
            {
                "id": meeting.public_id,
                "name": meeting.title,
                "description": meeting.summary,
                "start_date": _day(meeting.date),
                "end_date": _day(meeting.date),
                "location": meeting.place,
                "status": meeting.status,
                "classification": "meeting",
                "organization_id": meeting.forum.public_id,
                "sources": _sources(meeting.source_url),
                "updated_at": _stamp(meeting.updated_at),
            }
        )
    for sc_meeting in _public(ScMeeting.objects.order_by("starts_on", "key")).iterator(
        chunk_size=CHUNK
    ):
        yield _clean(
            {
                "id": sc_meeting.public_id,
                "name": sc_meeting.title,
                "description": sc_meeting.summary,
                "start_date": _day(sc_meeting.starts_on),
                "end_date": _day(sc_meeting.ends_on),
                "location": sc_meeting.place,
                "classification": f"{sc_meeting.body} {sc_meeting.level} meeting",
                "organization_id": STEERING_COMMITTEE_ID,
                "sources": _sources(sc_meeting.source_url),
                "updated_at": _stamp(sc_meeting.updated_at),
            }
        )


# ---------------------------------------------------------------- motions and vote events


def _decisions() -> Iterator[Decision]:
    positions = DecisionPosition.objects.select_related("seat", "seat__organization").order_by(
        "seat__key"
    )
    return (
        _public(Decision.objects.select_related("forum", "meeting"))
        .order_by("decided_on", "key")
        .prefetch_related(Prefetch("positions", queryset=positions))
        .iterator(chunk_size=CHUNK)
    )


def _resolutions() -> Iterator[Resolution]:
    return (
        _public(Resolution.objects.select_related("meeting"))
        .order_by("adopted_on", "key")
        .iterator(chunk_size=CHUNK)
    )


def motions() -> Iterator[Item]:
    for decision in _decisions():
        yield _clean(
            {
                "id": decision.public_id,
                "organization_id": decision.forum.public_id,
                "legislative_session_id": _visible(decision.meeting),
                "text": decision.motion_text,
                "classification": "decision",
                "date": _moment(decision.decided_on),
                "requirement": decision.forum.decision_rule,
                "result": decision.outcome,
                "sources": _sources(decision.source_url),
                "updated_at": _stamp(decision.updated_at),
            }
        )
    for resolution in _resolutions():
        yield _clean(
            {
                "id": resolution.public_id,
                "organization_id": STEERING_COMMITTEE_ID,
                "legislative_session_id": _visible(resolution.meeting),
                "text": resolution.text,
                "classification": f"{resolution.body} resolution",
                "date": _moment(resolution.adopted_on),
                "requirement": resolution.method,
                "result": resolution.outcome,
                "sources": _sources(resolution.source_url),
                "updated_at": _stamp(resolution.updated_at),
            }
        )


def vote_events() -> Iterator[Item]:
    for decision in _decisions():
        votes = [
            {
                "id": f"{decision.public_id}#{position.seat.public_id}",
                "vote_event_id": f"{decision.public_id}#vote",
                "voter_id": position.seat.organization.public_id,
                "option": position.position,
                "role": position.seat.sector,
            }
            for position in decision.positions.all()
        ]
        tally = Counter(vote["option"] for vote in votes)
        yield _clean(
            {
                "id": f"{decision.public_id}#vote",
                "organization_id": decision.forum.public_id,
                "legislative_session_id": _visible(decision.meeting),
                "motion_id": decision.public_id,
                "start_date": _moment(decision.decided_on),
                "result": decision.outcome,
                "counts": [
                    {"option": option, "value": value} for option, value in sorted(tally.items())
                ],
                "votes": votes,
            }
        )
    for resolution in _resolutions():
        counts = (
            [
                {"option": "for", "value": resolution.votes_for or 0},
                {"option": "against", "value": resolution.votes_against or 0},
                {"option": "abstain", "value": resolution.abstentions or 0},
            ]
            if resolution.method == "vote"
            else []
        )
        yield _clean(
            {
                "id": f"{resolution.public_id}#vote",
                "organization_id": STEERING_COMMITTEE_ID,
                "legislative_session_id": _visible(resolution.meeting),
                "motion_id": resolution.public_id,
                "classification": resolution.method,
                "start_date": _moment(resolution.adopted_on),
                "result": resolution.outcome,
                "counts": counts,
            }
        )


SECTIONS = (
    ("persons", persons),
    ("organizations", organizations),
    ("memberships", memberships),
    ("events", events),
    ("motions", motions),
    ("vote_events", vote_events),
)


def stream() -> Iterator[bytes]:
    """The Popolo document, one item at a time (UTF-8 JSON)."""
    yield b"{"
    for number, (name, items) in enumerate(SECTIONS):
        yield (("," if number else "") + f'\n"{name}": [').encode()
        for count, item in enumerate(items()):
            prefix = ",\n" if count else "\n"
            yield (prefix + json.dumps(item, ensure_ascii=False, sort_keys=True)).encode("utf-8")
        yield b"\n]"
    yield b"\n}\n"
