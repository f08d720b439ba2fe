"""Atom feeds of decisions and meetings (site-wide and per forum), checked as
``plans/tests/test_feeds.py`` checks the progress feed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.forums import services
from tripartite.forums.tests import factories
from tripartite.opendata.tests.world import ExportWorld, fresh
from tripartite.plans.queries import FEED_SIZE

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "/decisions/feed.atom",
    "/meetings/feed.atom",
    "/forum/qq-forum/decisions.atom",
    "/forum/qq-forum/meetings.atom",
]


def feed(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(client: Client, path: str) -> list[ET.Element]:
    return feed(client, path).findall(f"{ATOM}entry")


def text(entry: ET.Element, tag: str) -> str:
    return entry.findtext(f"{ATOM}{tag}") or ""


@pytest.mark.parametrize("path", FEEDS)
def test_feed_is_atom_with_id_title_updated_and_self_link(
    client: Client, world: ExportWorld, path: str
) -> None:
    root = feed(client, path)
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}updated")
    assert any(
        link.get("rel") == "self" and link.get("href") == f"http://testserver{path}"
        for link in root.findall(f"{ATOM}link")
    )
    for entry in root.findall(f"{ATOM}entry"):  # RFC 4287: id, title, updated, a link
        assert text(entry, "id") and text(entry, "title") and text(entry, "updated")
        assert entry.find(f"{ATOM}link") is not None


def test_forum_decisions_feed(client: Client, world: ExportWorld) -> None:
    [entry] = entries(client, "/forum/qq-forum/decisions.atom")
    assert text(entry, "title") == "Adopt the plan: No consensus"
    assert text(entry, "summary") == "<p>The forum adopts the plan.</p>"
    assert text(entry, "published")[:10] == "2016-04-15"
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "http://testserver/decision/qq-2016-d1/"
    author = entry.find(f"{ATOM}author")
    assert author is not None and author.findtext(f"{ATOM}name") == "Quuxland Forum"


def test_forum_meetings_feed_newest_first(client: Client, world: ExportWorld) -> None:
    factories.meeting(
        world.forum, key="qq-2016-09", title="September <plenary>", day=dt.date(2016, 9, 1)
    )
    titles = [text(e, "title") for e in entries(client, "/forum/qq-forum/meetings.atom")]
    assert titles == [
        "2016-09-01 — September <plenary> (Held)",
        "2016-04-15 — Plenary of April (Held)",
    ]
    summary = text(entries(client, "/forum/qq-forum/meetings.atom")[1], "summary")
    assert "Place: Quux City" in summary


def test_site_wide_feeds_cover_every_forum(client: Client, world: ExportWorld) -> None:
    meetings = {text(e, "id") for e in entries(client, "/meetings/feed.atom")}
    assert "http://testserver/meeting/qq-2016-04/" in meetings
    assert any("/meeting/qq-" not in url for url in meetings)  # the demo's meetings too
    decisions = {text(e, "id") for e in entries(client, "/decisions/feed.atom")}
    assert "http://testserver/decision/qq-2016-d1/" in decisions


def test_a_retracted_decision_shows_the_reason_not_the_motion(
    client: Client, world: ExportWorld
) -> None:
    services.retract(system_actor(), fresh(world.decision), reason="Recorded twice.")
    [entry] = entries(client, "/forum/qq-forum/decisions.atom")
    assert text(entry, "title").startswith("Retracted: ")
    assert text(entry, "summary") == "<p>Recorded twice.</p>"


def test_feeds_are_bounded(client: Client, world: ExportWorld) -> None:
    for n in range(FEED_SIZE + 2):
        factories.meeting(
            world.forum, key=f"qq-bulk-{n}", day=dt.date(2017, 1, 1) + dt.timedelta(n)
        )
    assert len(entries(client, "/forum/qq-forum/meetings.atom")) == FEED_SIZE
    assert len(entries(client, "/meetings/feed.atom")) == FEED_SIZE


def test_unknown_forum_is_404(client: Client, world: ExportWorld) -> None:
    assert client.get("/forum/nope/meetings.atom").status_code == 404
    assert client.get("/forum/nope/decisions.atom").status_code == 404


def test_forum_meeting_and_decision_pages_announce_their_feeds(
    client: Client, world: ExportWorld
) -> None:
    meetings = (
        '<link rel="alternate" type="application/atom+xml" href="/forum/qq-forum/meetings.atom"'
    )
    decisions = (
        '<link rel="alternate" type="application/atom+xml" href="/forum/qq-forum/decisions.atom"'
    )
    forum_page = client.get("/forum/qq-forum/").content.decode()
    assert meetings in forum_page and decisions in forum_page
    assert meetings in client.get("/meeting/qq-2016-04/").content.decode()
    assert decisions in client.get("/decision/qq-2016-d1/").content.decode()


def test_open_data_page_announces_the_site_wide_feeds(client: Client, world: ExportWorld) -> None:
    page = client.get("/open-data/").content.decode()
    for path in ("/decisions/feed.atom", "/meetings/feed.atom", "/letters/feed.atom"):
        assert f'<link rel="alternate" type="application/atom+xml" href="{path}"' in page
        assert f'<a href="{path}" type="application/atom+xml">' in page
