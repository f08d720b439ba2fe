"""iCalendar feeds (RFC 5545): a forum's meetings, and a member's calendar (the meetings
of all its forums and the Steering Committee meetings with an agenda item about it).

Meetings are all-day events: the record keeps their days, not their hours, so DTSTART
and DTEND are dates (DTEND is the day after the last day, as RFC 5545 counts it). Each
event's UID is built from the record's public id and the log origin, so it never changes
between downloads, hosts or versions; SEQUENCE is the record's version. Retracted and
unpublished meetings are left out, so a subscribed calendar drops them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tripartite.core.models import PublicRecord
from tripartite.forums.choices import MeetingMode, MeetingStatus
from tripartite.forums.models import Forum, Meeting, Member
from tripartite.oversight.choices import Body, MeetingLevel
from tripartite.oversight.models import ScMeeting

ICS_TYPE = "text/calendar; charset=utf-8"
STATUS = {
    MeetingStatus.SCHEDULED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def uid(record: PublicRecord) -> str:
    """A stable, globally unique UID: the public id at this instance's log origin."""
    return f"{record.RECORD_TYPE}-{record.key}@{settings.TRIPARTITE_LOG_ORIGIN}"


def _calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tripartite//Open data//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    return calendar


def _event(
    request: HttpRequest,
    record: PublicRecord,
    *,
    summary: str,
    first: dt.date,
    last: dt.date,
    location: str = "",
    description: str = "",
    status: str = "CONFIRMED",
    categories: Iterable[str] = (),
) -> Event:
    event = Event()
    event.add("uid", uid(record))
    event.add("dtstamp", record.updated_at.astimezone(dt.UTC))
    event.add("last-modified", record.updated_at.astimezone(dt.UTC))
    event.add("created", record.created_at.astimezone(dt.UTC))
    event.add("sequence", record.version)
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", request.build_absolute_uri(record.get_absolute_url()))
    event.add("status", status)
    event.add("transp", "TRANSPARENT")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    labels = [label for label in categories if label]
    if labels:
        event.add("categories", labels)
    return event


def meeting_event(request: HttpRequest, meeting: Meeting) -> Event:
    return _event(
        request,
        meeting,
        summary=f"{meeting.forum.name}: {meeting.title}",
        first=meeting.date,
        last=meeting.date,
        location=meeting.place,
        description=meeting.summary,
        status=STATUS.get(MeetingStatus(meeting.status), "CONFIRMED"),
        categories=[str(MeetingMode(meeting.mode).label)],
    )


def sc_meeting_event(request: HttpRequest, meeting: ScMeeting) -> Event:
    return _event(
        request,
        meeting,
        summary=_("%(body)s: %(title)s")
        % {"body": Body(meeting.body).label, "title": meeting.title},
        first=meeting.starts_on,
        last=meeting.ends_on,
        location=meeting.place,
        description=meeting.summary,
        categories=[str(MeetingLevel(meeting.level).label)],
    )


def _on_record() -> Q:
    return Q(retracted_at__isnull=True, version__gt=0)


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def forum_calendar(request: HttpRequest, key: str) -> HttpResponse:
    """``/forum/<key>/meetings.ics``: every meeting of the forum."""
    forum = get_object_or_404(Forum.objects.filter(_on_record()), key=key)
    calendar = _calendar(
        _("Meetings of %(forum)s") % {"forum": forum.name},
        _("Every meeting of %(forum)s on the public record.") % {"forum": forum.name},
    )
    meetings = (
        Meeting.objects.filter(_on_record(), forum=forum)
        .select_related("forum")
        .order_by("date", "key")
    )
    for meeting in meetings.iterator(chunk_size=500):
        calendar.add_component(meeting_event(request, meeting))
    return _response(calendar, f"{forum.key}-meetings.ics")


def member_calendar(request: HttpRequest, key: str) -> HttpResponse:
    """``/member/<key>/calendar.ics``: the meetings of all the member's forums and the
    Steering Committee meetings with an agenda item about the member or one of its cases."""
    member = get_object_or_404(Member.objects.filter(_on_record()), key=key)
    calendar = _calendar(
        _("Calendar of %(member)s") % {"member": member.name},
        _(
            "Meetings of the forums of %(member)s, and Steering Committee meetings that "
            "discuss %(member)s."
        )
        % {"member": member.name},
    )
    meetings = (
        Meeting.objects.filter(
            _on_record(),
            forum__member=member,
            forum__retracted_at__isnull=True,
        )
        .select_related("forum")
        .order_by("date", "key")
    )
    for meeting in meetings.iterator(chunk_size=500):
        calendar.add_component(meeting_event(request, meeting))
    sc_meetings = (
        ScMeeting.objects.filter(_on_record())
        .filter(Q(agenda_items__member=member) | Q(agenda_items__case__member=member))
        .distinct()
        .order_by("starts_on", "key")
    )
    for sc_meeting in sc_meetings.iterator(chunk_size=500):
        calendar.add_component(sc_meeting_event(request, sc_meeting))
    return _response(calendar, f"{member.key}-calendar.ics")
