"""The Atom feed of a plan's progress reports."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.plans import queries, services
from tripartite.plans.models import ProgressReport
from tripartite.plans.tests import factories
from tripartite.plans.tests.factories import PlanWorld

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/plan/xx-3/progress.atom"


def entries(client: Client, path: str = FEED) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def text(entry: ET.Element, tag: str) -> str:
    return entry.findtext(f"{ATOM}{tag}") or ""


def test_feed_is_atom(client: Client, world: PlanWorld) -> None:
    response = client.get(FEED)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert ET.fromstring(response.content).tag == f"{ATOM}feed"


def test_feed_is_titled_after_the_plan(client: Client, world: PlanWorld) -> None:
    feed = ET.fromstring(client.get(FEED).content)
    assert feed.findtext(f"{ATOM}title") == "Progress of Action plan 3"


def test_feed_has_one_entry_per_progress_report(client: Client, world: PlanWorld) -> None:
    assert len(entries(client)) == 4


def test_feed_lists_the_newest_report_first(client: Client, world: PlanWorld) -> None:
    published = [text(entry, "published")[:10] for entry in entries(client)]
    assert published == ["2017-08-01", "2017-07-15", "2017-06-30", "2017-06-30"]


def test_feed_entry_says_which_party_reported_on_what(client: Client, world: PlanWorld) -> None:
    titles = [text(entry, "title") for entry in entries(client)]
    assert titles[1] == "Civil society (shadow report) on milestone 1 of XX0001: Limited"


def test_feed_entry_names_the_reporting_organisation(client: Client, world: PlanWorld) -> None:
    author = entries(client)[1].find(f"{ATOM}author")
    assert author is not None and author.findtext(f"{ATOM}name") == "Civic Group"


def test_feed_entry_links_to_the_report_page(client: Client, world: PlanWorld) -> None:
    link = entries(client)[0].find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == "http://testserver/progress/XX0001-r003/"


def test_feed_entry_carries_the_report_text_escaped(client: Client, world: PlanWorld) -> None:
    factories.report(
        world.commitments[0],
        "civil_society",
        "limited",
        dt.date(2018, 1, 2),
        text="Data <b>missing</b> & late",
    )
    summary = text(entries(client)[0], "summary")
    assert summary == "<p>Data &lt;b&gt;missing&lt;/b&gt; &amp; late</p>"


def test_feed_marks_a_retracted_report(client: Client, world: PlanWorld) -> None:
    report = ProgressReport.objects.get(pk=world.reports[0].pk)
    services.retract(system_actor(), report, reason="Wrong milestone.")
    retracted = [e for e in entries(client) if text(e, "title").startswith("Retracted: ")]
    assert [text(e, "summary") for e in retracted] == ["<p>Wrong milestone.</p>"]


def test_feed_is_bounded(client: Client, world: PlanWorld) -> None:
    water = world.commitments[0]
    for n in range(queries.FEED_SIZE + 3):
        factories.report(water, "government", "limited", dt.date(2017, 9, 1) + dt.timedelta(n))
    assert len(entries(client)) == queries.FEED_SIZE


def test_feed_of_an_unknown_plan_is_404(client: Client, world: PlanWorld) -> None:
    assert client.get("/plan/nope/progress.atom").status_code == 404


def test_plan_page_links_to_its_feed(client: Client, world: PlanWorld) -> None:
    markup = client.get("/plan/xx-3/").content.decode()
    assert f'<a href="{FEED}" type="application/atom+xml">' in markup


def test_a_commitment_has_its_own_progress_feed(client: Client, world: PlanWorld) -> None:
    commitment = world.commitments[0]
    page = client.get(commitment.get_absolute_url()).content.decode()
    feed_url = f"/commitment/{commitment.key}/progress.atom"
    assert f'href="{feed_url}"' in page
    got = entries(client, feed_url)
    assert got and all(commitment.key in text(entry, "title") for entry in got)
    assert len(got) == ProgressReport.objects.filter(commitment=commitment).count()
    assert client.get("/commitment/nope/progress.atom").status_code == 404
