"""URLs of the opendata app: the open-data page, its downloads, the Atom feeds of
decisions and meetings, and the iCalendar feeds of forums and members."""

from django.urls import URLPattern, path

from . import calendars, feeds, views

urlpatterns: list[URLPattern] = [
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/datapackage.zip", views.datapackage_zip, name="open-data-datapackage"),
    path("open-data/popolo.json", views.popolo_json, name="open-data-popolo"),
    path("decisions/feed.atom", feeds.decisions_feed, name="decisions-feed"),
    path("meetings/feed.atom", feeds.meetings_feed, name="meetings-feed"),
    path(
        "forum/<slug:key>/decisions.atom", feeds.forum_decisions_feed, name="forum-decisions-feed"
    ),
    path("forum/<slug:key>/meetings.atom", feeds.forum_meetings_feed, name="forum-meetings-feed"),
    path("forum/<slug:key>/meetings.ics", calendars.forum_calendar, name="forum-calendar"),
    path("member/<slug:key>/calendar.ics", calendars.member_calendar, name="member-calendar"),
]
