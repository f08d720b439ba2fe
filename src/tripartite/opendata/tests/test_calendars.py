"""iCalendar feeds per forum and per member, parsed back with ``icalendar`` (the library
calendar clients in Python use) as a client would."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.test import Client
from icalendar import Calendar, Event

from tripartite.core.actors import system_actor
from tripartite.demo.mexico import load_mexico_2017
from tripartite.forums import services
from tripartite.forums.tests import factories
from tripartite.opendata.tests.world import ExportWorld, fresh
from tripartite.oversight.models import ScMeeting

FORUM_ICS = "/forum/qq-forum/meetings.ics"


def parse(client: Client, path: str, host: str = "testserver") -> Calendar:
    response = client.get(path, headers={"host": host})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): cast(Event, event) for event in calendar.walk("VEVENT")}


def test_forum_calendar_has_each_meeting_as_an_all_day_event(
    client: Client, world: ExportWorld
) -> None:
    calendar = parse(client, FORUM_ICS)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Meetings of Quuxland Forum"
    event = events(calendar)[f"meeting-qq-2016-04@{settings.TRIPARTITE_LOG_ORIGIN}"]
    assert event.decoded("DTSTART") == dt.date(2016, 4, 15)
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)  # all day
    assert event.decoded("DTEND") == dt.date(2016, 4, 16)  # exclusive end: one day
    assert str(event["SUMMARY"]) == "Quuxland Forum: Plenary of April"
    assert str(event["URL"]) == "http://testserver/meeting/qq-2016-04/"
    assert str(event["LOCATION"]) == "Quux City"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == world.meeting.version
    assert isinstance(event.decoded("DTSTAMP"), dt.datetime)


def test_uids_are_stable_across_downloads_hosts_and_versions(
    client: Client, world: ExportWorld, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    first = set(events(parse(client, FORUM_ICS)))
    services.update_record(
        system_actor(), fresh(world.meeting), reason="Moved.", changes={"place": "Quux Town Hall"}
    )
    again = parse(client, FORUM_ICS, host="mirror.example.org")
    assert set(events(again)) == first
    event = next(iter(events(again).values()))
    assert str(event["LOCATION"]) == "Quux Town Hall"
    assert event.decoded("SEQUENCE") == world.meeting.version + 1


def test_a_multi_day_meeting_spans_its_days(client: Client, world: ExportWorld) -> None:
    calendar = parse(client, "/member/mx/calendar.ics")
    sc = ScMeeting.objects.filter(agenda_items__member__key="mx").order_by("starts_on").first()
    assert sc is not None
    event = events(calendar)[f"scmeeting-{sc.key}@{settings.TRIPARTITE_LOG_ORIGIN}"]
    assert event.decoded("DTSTART") == sc.starts_on
    assert event.decoded("DTEND") == sc.ends_on + dt.timedelta(days=1)
    assert str(event["URL"]) == f"http://testserver{sc.get_absolute_url()}"


def test_member_calendar_has_its_forums_meetings_and_sc_meetings_about_it(
    client: Client, world: ExportWorld
) -> None:
    uids = set(events(parse(client, "/member/mx/calendar.ics")))
    forum_meetings = {u for u in uids if u.startswith("meeting-")}
    sc_meetings = {u for u in uids if u.startswith("scmeeting-")}
    assert forum_meetings and sc_meetings
    # nothing of another member's forum
    assert not any(u.startswith("meeting-qq-") for u in uids)
    quux = set(events(parse(client, "/member/qq/calendar.ics")))
    assert f"meeting-qq-2016-04@{settings.TRIPARTITE_LOG_ORIGIN}" in quux
    assert not any(u.startswith("scmeeting-") for u in quux)


def test_a_cancelled_meeting_says_so_and_a_retracted_one_is_dropped(
    client: Client, world: ExportWorld
) -> None:
    cancelled = factories.meeting(world.forum, key="qq-2016-05", day=dt.date(2016, 5, 20))
    services.update_record(
        system_actor(), cancelled, reason="Called off.", changes={"status": "cancelled"}
    )
    services.retract(system_actor(), fresh(world.meeting), reason="Entered by mistake.")
    found = events(parse(client, FORUM_ICS))
    assert [str(event["STATUS"]) for event in found.values()] == ["CANCELLED"]


def test_unknown_forum_or_member_is_404(client: Client, world: ExportWorld) -> None:
    assert client.get("/forum/nope/meetings.ics").status_code == 404
    assert client.get("/member/nope/calendar.ics").status_code == 404


def test_pages_announce_their_calendars(client: Client, world: ExportWorld) -> None:
    forum_page = client.get("/forum/qq-forum/").content.decode()
    assert f'<link rel="alternate" type="text/calendar" href="{FORUM_ICS}"' in forum_page
    member_page = client.get("/member/qq/").content.decode()
    assert (
        '<link rel="alternate" type="text/calendar" href="/member/qq/calendar.ics"' in member_page
    )


def test_loading_the_demo_twice_keeps_the_uids(client: Client, world: ExportWorld) -> None:
    before = set(events(parse(client, "/member/mx/calendar.ics")))
    load_mexico_2017()  # idempotent: nothing is rewritten
    assert set(events(parse(client, "/member/mx/calendar.ics"))) == before
