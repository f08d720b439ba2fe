"""The Atom feed of the letters register: every letter and the responses it got."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.test import Client

from tripartite.forums.tests import factories as forum_factories
from tripartite.oversight import queries
from tripartite.oversight.tests.factories import OversightWorld

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/letters/feed.atom"


def entries(client: Client) -> list[ET.Element]:
    response = client.get(FEED)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def text(entry: ET.Element, tag: str) -> str:
    return entry.findtext(f"{ATOM}{tag}") or ""


def test_feed_is_atom(client: Client, world: OversightWorld) -> None:
    response = client.get(FEED)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert ET.fromstring(response.content).tag == f"{ATOM}feed"


def test_feed_is_titled_after_the_register(client: Client, world: OversightWorld) -> None:
    feed = ET.fromstring(client.get(FEED).content)
    assert feed.findtext(f"{ATOM}title") == "Letters register"


def test_feed_has_an_entry_per_letter(client: Client, world: OversightWorld) -> None:
    assert [text(e, "title") for e in entries(client)] == [
        "CONCERN-1: Concerns about civic space in Exampleland"
    ]


def test_feed_entry_links_to_the_letter_page(client: Client, world: OversightWorld) -> None:
    link = entries(client)[0].find(f"{ATOM}link")
    assert link is not None and link.get("href") == "http://testserver/letter/concern-1/"


def test_feed_entry_names_the_signatories(client: Client, world: OversightWorld) -> None:
    author = entries(client)[0].find(f"{ATOM}author")
    assert author is not None and author.findtext(f"{ATOM}name") == "Watchdog"


def test_feed_includes_responses_newest_first(client: Client, world: OversightWorld) -> None:
    forum_factories.letter(
        "reply-1",
        direction="outbound",
        letter_type="response",
        response_to=world.letter,
        sent_on=dt.date(2017, 6, 1),
        subject="The co-chairs answer",
    )
    titles = [text(e, "title") for e in entries(client)]
    assert titles[0] == "Response to CONCERN-1 — REPLY-1: The co-chairs answer"
    assert len(titles) == 2


def test_feed_escapes_the_letter_text(client: Client, world: OversightWorld) -> None:
    forum_factories.letter("l-html", body="We <b>leave</b> & go", sent_on=dt.date(2018, 1, 1))
    assert text(entries(client)[0], "summary") == "<p>We &lt;b&gt;leave&lt;/b&gt; &amp; go</p>"


def test_feed_is_bounded(client: Client, world: OversightWorld) -> None:
    for n in range(queries.FEED_SIZE + 2):
        forum_factories.letter(f"bulk-{n}", sent_on=dt.date(2019, 1, 1) + dt.timedelta(n))
    assert len(entries(client)) == queries.FEED_SIZE


def test_letters_register_announces_the_feed(client: Client, world: OversightWorld) -> None:
    markup = client.get("/letters/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/letters/feed.atom"' in markup
    assert f'<a href="{FEED}" type="application/atom+xml">' in markup
