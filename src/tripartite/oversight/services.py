"""Write services of the Steering Committee: its seats, co-chairs and subcommittees, its
meetings and resolutions, member status, and envoy missions.

Response Policy cases are in ``case_services``; contrary-to-process findings, procedural
reviews and stored compliance readings in ``review_services``. Each function checks its
declared permission, applies the rules of ``oversight.rules`` with the policy rows in
force, writes the rows and appends a version, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.accounts.permissions import INTERNATIONAL, JOINT
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.core.policy import PolicySet
from tripartite.core.recording import publish_changes, retract_record, save_record
from tripartite.core.recording import require_key_free as _key_free
from tripartite.core.recording import require_live as _live
from tripartite.core.services import service
from tripartite.forums.models import Letter, Member, Organization, Person

from .choices import Body, Constituency, DecisionMethod
from .models import (
    BackgroundDocument,
    CoChair,
    ConcernCase,
    EnvoyMission,
    ProceduralReview,
    Resolution,
    ScAgendaItem,
    ScMeeting,
    ScSeat,
    StatusChange,
    Subcommittee,
    SubcommitteeMembership,
)
from .rules import (
    RuleViolation,
    check_status_change,
    co_chair_year,
    max_consecutive_terms,
    minutes_due,
    sc_term,
    seats_per_constituency,
)

EDITABLE_FIELDS: dict[type[PublicRecord], tuple[str, ...]] = {
    ScSeat: ("region", "organization", "note", "source_url"),
    CoChair: ("source_url",),
    Subcommittee: ("name", "remit", "established_on", "ended_on", "source_url"),
    ScMeeting: ("title", "place", "mode", "summary", "source_url", "minutes_url", "minutes_text"),
    Resolution: ("title", "text", "effective_on", "source_url"),
    StatusChange: ("reason",),
    EnvoyMission: ("title", "mandate", "place", "report", "report_url", "source_url"),
}


# Each link's own sentence, so that translators see whole sentences.
OTHER_MEMBER = {
    "resolution": gettext_lazy("The resolution concerns another member."),
    "letter": gettext_lazy("The letter concerns another member."),
    "review": gettext_lazy("The procedural review concerns another member."),
    "case": gettext_lazy("The case concerns another member."),
}


def _rule(error: RuleViolation, field: str | None = None) -> InvalidInput:
    return InvalidInput(str(error), {field: [str(error)]} if field else None)


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


# ---------------------------------------------------------------- seats


def _same_holder(seat: ScSeat, constituency: str, member: Any, person: Any) -> bool:
    if constituency == Constituency.GOVERNMENT:
        return bool(seat.member_id == getattr(member, "pk", None))
    return bool(seat.person_id == getattr(person, "pk", None))


def _holder_seats(constituency: str, member: Any, person: Any) -> list[ScSeat]:
    seats = ScSeat.objects.filter(constituency=constituency, retracted_at__isnull=True)
    if constituency == Constituency.GOVERNMENT:
        return list(seats.filter(member=member))
    return list(seats.filter(person=person))


def _term_number(earlier: Sequence[ScSeat], start: dt.date) -> int:
    """1 + the number of terms that run back to back into ``start``."""
    number, day = 1, start
    by_end = {seat.term_end: seat for seat in earlier if seat.ended_on is None}
    while (day - dt.timedelta(days=1)) in by_end:
        number += 1
        day = by_end[day - dt.timedelta(days=1)].term_start
    return number


def _check_capacity(constituency: str, start: dt.date, end: dt.date, policies: PolicySet) -> None:
    """No more holders of a constituency than it has seats, on any day of the new term.

    Parity holds by construction: both constituencies have the same number of seats (the
    ``sc.size`` row); a seat may stand vacant for a while, which the committee page shows.
    """
    overlapping = [
        seat
        for seat in ScSeat.objects.filter(
            constituency=constituency, retracted_at__isnull=True, term_start__lte=end
        )
        if seat.last_day >= start
    ]
    starts = {seat.term_start for seat in overlapping if seat.term_start > start}
    for day in sorted({start} | starts):
        limit = seats_per_constituency(policies, day)
        held = sum(1 for seat in overlapping if seat.holds_on(day))
        if limit is not None and held + 1 > limit:
            raise Conflict(
                _(
                    "All %(limit)s %(constituency)s seats are held on %(day)s; a seat must be "
                    "left before another holder takes one."
                )
                % {
                    "limit": limit,
                    "constituency": Constituency(constituency).label.lower(),
                    "day": day.isoformat(),
                }
            )


@service(INTERNATIONAL)
def add_sc_seat(
    actor: Any,
    *,
    key: str,
    constituency: str,
    term_start: dt.date,
    selection: str,
    member: Member | None = None,
    person: Person | None = None,
    organization: Organization | None = None,
    **fields: Any,
) -> ScSeat:
    """A holder's term on the SC: three years from 1 October, at most two in a row."""
    _live(member, person, organization)
    _key_free(ScSeat, key)
    if constituency == Constituency.GOVERNMENT and member is None:
        raise _invalid(_("A government seat is held by a member government."), "member")
    if constituency == Constituency.CIVIL_SOCIETY and person is None:
        raise _invalid(_("A civil-society seat is held by a person."), "person")
    policies = PolicySet.load()
    try:
        term = sc_term(policies, term_start)
    except RuleViolation as error:
        raise _rule(error, "term_start") from error
    earlier = _holder_seats(constituency, member, person)
    for seat in earlier:
        if seat.term_start <= term.end and seat.last_day >= term.start:
            raise Conflict(
                _("%(holder)s already holds a seat from %(start)s to %(end)s.")
                % {"holder": seat.holder_name, "start": seat.term_start, "end": seat.last_day}
            )
    number = _term_number(earlier, term.start)
    limit = max_consecutive_terms(policies, term.start)
    if number > limit:
        raise _invalid(
            _(
                "This would be a %(number)sth term in a row; members serve at most %(limit)s "
                "consecutive terms (rule %(rule)s)."
            )
            % {
                "number": number,
                "limit": limit,
                "rule": term.rule.public_id if term.rule else "",
            },
            "term_start",
        )
    _check_capacity(constituency, term.start, term.end, policies)
    seat = ScSeat(
        key=key,
        constituency=constituency,
        member=member,
        person=person,
        organization=organization,
        selection=selection,
        term_number=number,
        term_start=term.start,
        term_end=term.end,
        term_rule=term.rule.public_id if term.rule else "",
        **fields,
    )
    save_record(seat, actor=actor)
    return seat


@service(INTERNATIONAL)
def end_sc_seat(actor: Any, seat: ScSeat, *, on: dt.date, reason: str) -> ScSeat:
    """A holder leaves before the term ends; the seat stands vacant until the next holder."""
    _live(seat)
    if seat.ended_on is not None:
        raise Conflict(_("This seat was already left on %(day)s.") % {"day": seat.ended_on})
    if not seat.term_start <= on <= seat.term_end:
        raise _invalid(_("A seat is left during its term."), "on")
    seat.ended_on = on
    seat.end_reason = reason
    save_record(seat, actor=actor)
    return seat


# ---------------------------------------------------------------- co-chairs


@service(INTERNATIONAL)
def appoint_co_chair(
    actor: Any, *, key: str, seat: ScSeat, role: str, starts_on: dt.date, source_url: str = ""
) -> CoChair:
    """A seat's co-chair year. One lead and one incoming per constituency at any time."""
    _live(seat)
    _key_free(CoChair, key)
    try:
        starts_on, ends_on = co_chair_year(starts_on)
    except RuleViolation as error:
        raise _rule(error, "starts_on") from error
    if not (seat.holds_on(starts_on) and seat.holds_on(ends_on)):
        raise _invalid(
            _("A co-chair holds a Steering Committee seat for the whole co-chair year."),
            "seat",
        )
    taken = CoChair.objects.filter(
        seat__constituency=seat.constituency,
        role=role,
        retracted_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    ).first()
    if taken is not None:
        raise Conflict(
            _("%(holder)s is already the %(role)s for %(constituency)s in that year.")
            % {
                "holder": taken.seat.holder_name,
                "role": taken.get_role_display().lower(),
                "constituency": Constituency(seat.constituency).label.lower(),
            }
        )
    co_chair = CoChair(
        key=key,
        seat=seat,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        source_url=source_url,
    )
    save_record(co_chair, actor=actor)
    return co_chair


# ---------------------------------------------------------------- subcommittees


@service(INTERNATIONAL)
def create_subcommittee(
    actor: Any, *, key: str, code: str, name: str, **fields: Any
) -> Subcommittee:
    _key_free(Subcommittee, key)
    subcommittee = Subcommittee(key=key, code=code, name=name, **fields)
    save_record(subcommittee, actor=actor)
    return subcommittee


@service(INTERNATIONAL)
def set_subcommittee_members(
    actor: Any,
    subcommittee: Subcommittee,
    *,
    on: dt.date,
    seats: Iterable[ScSeat],
    co_chairs: Iterable[ScSeat] = (),
) -> Subcommittee:
    """The subcommittee's membership from ``on``: equal numbers from each constituency,
    every member holding an SC seat that day. Earlier memberships end the day before; an
    empty set ends them all (the subcommittee has no members from ``on``)."""
    _live(subcommittee)
    seats = list(seats)
    chairs = {seat.pk for seat in co_chairs}
    if not chairs <= {seat.pk for seat in seats}:
        raise _invalid(_("A subcommittee's co-chairs are among its members."), "co_chairs")
    for seat in seats:
        _live(seat)
        if not seat.holds_on(on):
            raise _invalid(
                _("%(holder)s does not hold a Steering Committee seat on %(day)s.")
                % {"holder": seat.holder_name, "day": on.isoformat()},
                "seats",
            )
    government = sum(1 for seat in seats if seat.constituency == Constituency.GOVERNMENT)
    if not seats and not subcommittee.memberships.filter(ends_on__isnull=True).exists():
        raise _invalid(_("The subcommittee has no current members to end."), "seats")
    if government * 2 != len(seats):
        raise _invalid(
            _(
                "A subcommittee has an equal number of government and civil-society members "
                "(here %(government)s and %(civil)s)."
            )
            % {"government": government, "civil": len(seats) - government},
            "seats",
        )

    def write_members() -> None:
        current = subcommittee.memberships.filter(ends_on__isnull=True, starts_on__lt=on)
        current.update(ends_on=on - dt.timedelta(days=1))
        subcommittee.memberships.filter(starts_on__gte=on).delete()
        SubcommitteeMembership.objects.bulk_create(
            SubcommitteeMembership(
                subcommittee=subcommittee, seat=seat, co_chair=seat.pk in chairs, starts_on=on
            )
            for seat in seats
        )

    save_record(subcommittee, actor=actor, write_related=write_members)
    return subcommittee


# ---------------------------------------------------------------- meetings


def _write_sc_agenda(meeting: ScMeeting, agenda: Iterable[Mapping[str, Any] | str]) -> None:
    meeting.agenda_items.all().delete()
    for position, item in enumerate(agenda, start=1):
        entry: dict[str, Any] = {"title": item} if isinstance(item, str) else dict(item)
        if not str(entry.get("title", "")).strip():
            raise _invalid(_("Each agenda item needs a title."), "agenda")
        ScAgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=entry["title"],
            member=entry.get("member"),
            case=entry.get("case"),
        )


@service(INTERNATIONAL)
def schedule_sc_meeting(
    actor: Any,
    *,
    key: str,
    title: str,
    level: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    agenda: Iterable[Mapping[str, Any] | str] = (),
    **fields: Any,
) -> ScMeeting:
    """An SC meeting; the date its minutes are due comes from the rule in force."""
    _key_free(ScMeeting, key)
    ends_on = ends_on or starts_on
    due = minutes_due(PolicySet.load(), ends_on)
    meeting = ScMeeting(
        key=key,
        title=title,
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        minutes_due_on=due.due_on if due else None,
        minutes_rule=due.rule.public_id if due else "",
        **fields,
    )
    items = list(agenda)
    save_record(meeting, actor=actor, write_related=lambda: _write_sc_agenda(meeting, items))
    return meeting


@service(INTERNATIONAL)
def set_sc_agenda(
    actor: Any, meeting: ScMeeting, *, agenda: Iterable[Mapping[str, Any] | str]
) -> ScMeeting:
    _live(meeting)
    items = list(agenda)
    save_record(meeting, actor=actor, write_related=lambda: _write_sc_agenda(meeting, items))
    return meeting


@service(INTERNATIONAL)
def add_background_document(
    actor: Any, meeting: ScMeeting, *, title: str, url: str = "", published_on: dt.date
) -> ScMeeting:
    """A background document; the meeting page shows whether it came in advance."""
    _live(meeting)
    if not title.strip():
        raise _invalid(_("A document needs a title."), "title")

    def write() -> None:
        BackgroundDocument.objects.create(
            meeting=meeting, title=title, url=url, published_on=published_on
        )

    save_record(meeting, actor=actor, write_related=write)
    return meeting


@service(INTERNATIONAL)
def publish_sc_minutes(
    actor: Any, meeting: ScMeeting, *, published_on: dt.date, url: str = "", text: str = ""
) -> ScMeeting:
    """The minutes of a meeting: a link, a text or both; late ones stay flagged as late."""
    _live(meeting)
    if not (url or text.strip()):
        raise _invalid(_("Minutes need a text or the address where they are published."), "url")
    if meeting.minutes_published_on is not None:
        raise Conflict(_("The minutes of this meeting are already published; edit them instead."))
    meeting.minutes_published_on = published_on
    meeting.minutes_url = url
    meeting.minutes_text = text
    save_record(meeting, actor=actor)
    return meeting


# ---------------------------------------------------------------- resolutions


def _body_size(body: str, day: dt.date) -> int | None:
    """How many can vote in ``body`` on ``day``: the SC's seats, or a subcommittee's members."""
    if body == Body.SC:
        per = seats_per_constituency(PolicySet.load(), day)
        return per * 2 if per is not None else None
    code = {"cs": "C&S", "gl": "GL"}.get(body)
    memberships = SubcommitteeMembership.objects.filter(subcommittee__code=code)
    members = [m for m in memberships if m.holds_on(day)]
    return len(members) or None


@service(INTERNATIONAL)
def record_resolution(
    actor: Any,
    *,
    key: str,
    title: str,
    text: str,
    adopted_on: dt.date,
    method: str,
    body: str = Body.SC,
    votes: Mapping[str, int] | None = None,
    meeting: ScMeeting | None = None,
    member: Member | None = None,
    case: ConcernCase | None = None,
    **fields: Any,
) -> Resolution:
    """A resolution by consensus, or by a recorded vote no larger than the body that cast it."""
    _live(meeting, member, case)
    _key_free(Resolution, key)
    if body not in (Body.SC, Body.CRITERIA_STANDARDS, Body.GOVERNANCE_LEADERSHIP):
        raise _invalid(_("Resolutions are made by the SC or one of its subcommittees."), "body")
    if case is not None and member is not None and case.member_id != member.pk:
        raise _invalid(_("The case must concern the same member as the resolution."), "case")
    counts = dict(votes or {})
    unknown = set(counts) - {"for", "against", "abstain"}
    if unknown:
        raise _invalid(_("A vote counts for, against and abstain."), "votes")
    resolution = Resolution(
        key=key,
        title=title,
        text=text,
        adopted_on=adopted_on,
        method=method,
        body=body,
        meeting=meeting,
        member=member or (case.member if case else None),
        case=case,
        votes_for=counts.get("for"),
        votes_against=counts.get("against"),
        abstentions=counts.get("abstain"),
        **fields,
    )
    if method == DecisionMethod.VOTE and None not in counts.values() and counts:
        size = _body_size(body, adopted_on)
        if size is not None and resolution.votes_cast > size:
            raise _invalid(
                _("%(cast)s votes were recorded but the body had %(size)s seats that day.")
                % {"cast": resolution.votes_cast, "size": size},
                "votes",
            )
    save_record(resolution, actor=actor)
    return resolution


# ---------------------------------------------------------------- member status


@service(INTERNATIONAL)
def change_member_status(
    actor: Any,
    member: Member,
    *,
    to: str,
    on: dt.date,
    reason: str,
    key: str | None = None,
    resolution: Resolution | None = None,
    letter: Letter | None = None,
    review: ProceduralReview | None = None,
    case: ConcernCase | None = None,
) -> StatusChange:
    """Move a member along state machine A, with the reason and what decided it."""
    _live(member, resolution, letter, review, case)
    if not reason.strip():
        raise _invalid(_("Say why the status changes."), "reason")
    try:
        check_status_change(
            member.status,
            to,
            has_resolution=resolution is not None,
            has_letter=letter is not None,
            has_review=review is not None,
        )
    except RuleViolation as error:
        raise _rule(error, "to") from error
    if member.status_since and on < member.status_since:
        raise _invalid(
            _(
                "%(member)s has had its status since %(since)s; a later change cannot be "
                "dated earlier."
            )
            % {"member": member.name, "since": member.status_since},
            "on",
        )
    for record, label in (
        (resolution, "resolution"),
        (letter, "letter"),
        (review, "review"),
        (case, "case"),
    ):
        if record is not None and getattr(record, "member_id", member.pk) not in (None, member.pk):
            raise _invalid(str(OTHER_MEMBER[label]), label)
    if resolution is not None and resolution.adopted_on > on:
        raise _invalid(_("A status cannot change before the resolution behind it."), "on")
    change = StatusChange(
        key=key or f"{member.key}-{on.isoformat()}-{to}",
        member=member,
        from_status=member.status,
        to_status=to,
        on=on,
        reason=reason,
        resolution=resolution,
        letter=letter,
        review=review,
        case=case,
    )
    _key_free(StatusChange, change.key)
    save_record(change, actor=actor)
    member.status = to
    member.status_since = on
    save_record(member, actor=actor, reason=reason)
    return change


# ---------------------------------------------------------------- envoy missions


@service(INTERNATIONAL)
def record_mission(
    actor: Any,
    *,
    key: str,
    member: Member,
    title: str,
    mandate: str,
    envoys: Iterable[Person],
    staff: Iterable[Person] = (),
    resolution: Resolution | None = None,
    case: ConcernCase | None = None,
    **fields: Any,
) -> EnvoyMission:
    """Envoys sent to a member, with the mandate the resolution gave them."""
    _live(member, resolution, case)
    _key_free(EnvoyMission, key)
    envoys, staff = list(envoys), list(staff)
    if not envoys:
        raise _invalid(_("A mission has at least one envoy."), "envoys")
    for record, label in ((resolution, "resolution"), (case, "case")):
        if record is not None and record.member_id not in (None, member.pk):
            raise _invalid(str(OTHER_MEMBER[label]), label)
    mission = EnvoyMission(
        key=key,
        member=member,
        title=title,
        mandate=mandate,
        resolution=resolution,
        case=case,
        **fields,
    )

    def write_people() -> None:
        mission.envoys.set(envoys)
        mission.staff.set(staff)

    save_record(mission, actor=actor, write_related=write_people)
    return mission


@service(INTERNATIONAL)
def report_mission(
    actor: Any,
    mission: EnvoyMission,
    *,
    reported_on: dt.date,
    report: str = "",
    report_url: str = "",
) -> EnvoyMission:
    _live(mission)
    if not (report.strip() or report_url):
        raise _invalid(_("A report needs a text or the address where it is published."), "report")
    mission.reported_on = reported_on
    mission.report = report
    mission.report_url = report_url
    save_record(mission, actor=actor)
    return mission


# ------------------------------------------------------ any record: new version, retraction


@service(INTERNATIONAL)
def update_record(
    actor: Any, record: PublicRecord, *, changes: Mapping[str, Any], reason: str = ""
) -> RecordVersion:
    """Publish a new version of an oversight record with some editable fields changed."""
    return publish_changes(
        record,
        actor=actor,
        changes=changes,
        allowed=EDITABLE_FIELDS.get(type(record), ()),
        reason=reason,
    )


@service(JOINT)
def retract(actor: Any, record: PublicRecord, *, reason: str) -> RecordVersion:
    """Retract an oversight record: a new version that says why. Nothing is deleted."""
    return retract_record(record, actor=actor, reason=reason)
