"""Atom feeds of decisions and meetings, site-wide and per forum.

They follow the feeds that already exist (``plans/feeds.py`` for progress,
``oversight/feeds.py`` for letters): newest first, at most ``FEED_SIZE`` entries, one
entry per record linking to its page, the text escaped as HTML, and a retracted record
shown as retracted with the reason instead of its content.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from tripartite.forums.choices import DecisionOutcome, MeetingStatus
from tripartite.forums.models import Decision, Forum, Meeting
from tripartite.plans.queries import FEED_SIZE

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def _feed(request: HttpRequest, *, title: str, link: str, description: str) -> Atom1Feed:
    return Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description=description,
        feed_url=request.build_absolute_uri(request.path),
        language=getattr(request, "LANGUAGE_CODE", None),
        feed_guid=request.build_absolute_uri(request.path),
    )


def _response(feed: Atom1Feed) -> HttpResponse:
    response = HttpResponse(content_type=ATOM_TYPE)
    feed.write(response, "utf-8")
    return response


def _retracted(title: str) -> str:
    return _("Retracted: %(title)s") % {"title": title}


# ---------------------------------------------------------------- decisions


def feed_decisions(forum: Forum | None = None) -> list[Decision]:
    """The latest decisions (of one forum, or of all), newest first, bounded."""
    queryset = Decision.objects.filter(version__gt=0).select_related("forum")
    if forum is not None:
        queryset = queryset.filter(forum=forum)
    return list(queryset.order_by("-decided_on", "-id")[:FEED_SIZE])


def _add_decisions(request: HttpRequest, feed: Atom1Feed, decisions: list[Decision]) -> None:
    for decision in decisions:
        url = request.build_absolute_uri(decision.get_absolute_url())
        title = _("%(title)s: %(outcome)s") % {
            "title": decision.title,
            "outcome": DecisionOutcome(decision.outcome).label,
        }
        text = decision.motion_text
        if decision.is_retracted:
            title, text = _retracted(title), decision.retraction_reason
        feed.add_item(
            title=title,
            link=url,
            description=linebreaks(text, autoescape=True),
            unique_id=url,
            pubdate=_when(decision.decided_on),
            updateddate=decision.updated_at,
            author_name=decision.forum.name,
            categories=[decision.outcome],
        )


def decisions_feed(request: HttpRequest) -> HttpResponse:
    """``/decisions/feed.atom``: the decisions of every forum."""
    feed = _feed(
        request,
        title=_("Decisions of every forum"),
        link=reverse("open-data"),
        description=_("Every decision of the forums on the record, with its outcome."),
    )
    _add_decisions(request, feed, feed_decisions())
    return _response(feed)


def forum_decisions_feed(request: HttpRequest, key: str) -> HttpResponse:
    """``/forum/<key>/decisions.atom``: the forum's decisions."""
    forum = get_object_or_404(Forum, key=key, version__gt=0)
    feed = _feed(
        request,
        title=_("Decisions of %(forum)s") % {"forum": forum.name},
        link=forum.get_absolute_url(),
        description=_("Every decision of %(forum)s, with its outcome.") % {"forum": forum.name},
    )
    _add_decisions(request, feed, feed_decisions(forum))
    return _response(feed)


# ---------------------------------------------------------------- meetings


def feed_meetings(forum: Forum | None = None) -> list[Meeting]:
    """The latest meetings (of one forum, or of all) by date, newest first, bounded."""
    queryset = Meeting.objects.filter(version__gt=0).select_related("forum")
    if forum is not None:
        queryset = queryset.filter(forum=forum)
    return list(queryset.order_by("-date", "-id")[:FEED_SIZE])


def _add_meetings(request: HttpRequest, feed: Atom1Feed, meetings: list[Meeting]) -> None:
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        title = _("%(date)s — %(title)s (%(status)s)") % {
            "date": meeting.date.isoformat(),
            "title": meeting.title,
            "status": MeetingStatus(meeting.status).label,
        }
        text = meeting.summary or meeting.title
        if meeting.place:
            text = _("%(text)s\n\nPlace: %(place)s") % {"text": text, "place": meeting.place}
        if meeting.is_retracted:
            title, text = _retracted(title), meeting.retraction_reason
        feed.add_item(
            title=title,
            link=url,
            description=linebreaks(text, autoescape=True),
            unique_id=url,
            pubdate=meeting.created_at,
            updateddate=meeting.updated_at,
            author_name=meeting.forum.name,
            categories=[meeting.status],
        )


def meetings_feed(request: HttpRequest) -> HttpResponse:
    """``/meetings/feed.atom``: the meetings of every forum."""
    feed = _feed(
        request,
        title=_("Meetings of every forum"),
        link=reverse("open-data"),
        description=_("Meetings of the forums on the record: scheduled, held and cancelled."),
    )
    _add_meetings(request, feed, feed_meetings())
    return _response(feed)


def forum_meetings_feed(request: HttpRequest, key: str) -> HttpResponse:
    """``/forum/<key>/meetings.atom``: the forum's meetings."""
    forum = get_object_or_404(Forum, key=key, version__gt=0)
    feed = _feed(
        request,
        title=_("Meetings of %(forum)s") % {"forum": forum.name},
        link=forum.get_absolute_url(),
        description=_("Meetings of %(forum)s: scheduled, held and cancelled.")
        % {"forum": forum.name},
    )
    _add_meetings(request, feed, feed_meetings(forum))
    return _response(feed)
