"""Public pages of the forum record, their JSON twins, history and canonical bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from typing import Any

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_json
from tripartite.core.models import RecordVersion
from tripartite.forums import services
from tripartite.forums.models import Member
from tripartite.forums.tests import factories
from tripartite.forums.tests.read_world import World

D = dt.date


def page(client: Client, path: str, **params: Any) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    return html.unescape(response.content.decode())


def squash(text: str) -> str:
    """The text with runs of whitespace collapsed, for matching phrases across lines."""
    return re.sub(r"\s+", " ", text)


def visible(markup: str) -> str:
    """What a reader sees: the markup without its tags, whitespace collapsed."""
    return squash(re.sub(r"<[^>]+>", "", markup))


def letter_links(markup: str) -> set[str]:
    """Keys of the letters linked from the register's table."""
    table = markup.split("<tbody>", 1)[-1].split("</tbody>", 1)[0] if "<tbody>" in markup else ""
    return set(re.findall(r'href="/letter/([^/]+)/"', table))


# ---------------------------------------------------------------- every page answers

PAGES = {
    "/": [
        "Mexico",
        "Zedland",
        "Tripartite Technical Secretariat",
        "Civil society leaves the secretariat",
        "Why we left",
    ],
    "/member/mx/": [
        "Mexico",
        "Tripartite Technical Secretariat",
        "MX-2017-0001 — Civil society leaves the secretariat",
        "Why we left",
    ],
    "/forum/stt/": [
        "Tripartite Technical Secretariat",
        "Secretariado Técnico Tripartita",
        "Ministry of Public Administration",
        "Information Institute",
        "Plenary of April",
        "Adopt the third plan",
    ],
    "/seat/stt-article19/": [
        "Article 19 in the Tripartite Technical Secretariat",
        "Withdrawn",
        "Civil society withdraws",
        "MX-2017-0001",
    ],
    "/meeting/stt-2016-04/": [
        "Plenary of April",
        "Mexico City",
        "Opening",
        "Progress of the action plan",
        "The plan was discussed.",
    ],
    "/decision/stt-2016-d1/": [
        "Adopt the third plan",
        "The secretariat adopts the third action plan.",
    ],
    "/letters/": [
        "Letters register",
        "4 letters",
        "Civil society leaves the secretariat",
        "Answer of the co-chairs",
        "Request for information",
        "Invitation",
    ],
    "/letter/mx-2017-0001/": [
        "Civil society leaves the secretariat",
        "MX-2017-0001",
        "3 signatories",
        "Article 19",
        "Fundar",
        "IMCO",
        "We withdraw.",
        "Answer of the co-chairs",
    ],
    "/statement/cso-2017-statement/": [
        "Why we left",
        "We cannot take part while surveilled.",
        "Article 19",
    ],
    "/organization/article19/": [
        "Article 19",
        "Civil society",
        "Tripartite Technical Secretariat",
        "Why we left",
    ],
    "/person/jdoe/": ["Jane Doe", "Head of Unit", "Ministry of Public Administration"],
    "/history/seat/stt-article19/": [
        "History of seat/stt-article19",
        "Version 2",
        "Version 1",
        "withdrawn",
    ],
}


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_its_record(client: Client, world: World, path: str) -> None:
    text = visible(page(client, path))
    missing = [phrase for phrase in PAGES[path] if phrase not in text]
    assert missing == []


# ---------------------------------------------------------------- JSON twins

TWINS = {
    "/member/mx": "/api/v1/members/mx",
    "/forum/stt": "/api/v1/forums/stt",
    "/seat/stt-article19": "/api/v1/seats/stt-article19",
    "/meeting/stt-2016-04": "/api/v1/meetings/stt-2016-04",
    "/decision/stt-2016-d1": "/api/v1/decisions/stt-2016-d1",
    "/letter/mx-2017-0001": "/api/v1/letters/mx-2017-0001",
    "/statement/cso-2017-statement": "/api/v1/statements/cso-2017-statement",
    "/organization/article19": "/api/v1/organizations/article19",
    "/person/jdoe": "/api/v1/people/jdoe",
}


@pytest.mark.parametrize("path", TWINS)
def test_json_twin_returns_the_same_data_as_the_api(
    client: Client, world: World, path: str
) -> None:
    twin = client.get(f"{path}.json")
    assert twin.status_code == 200
    assert twin["Content-Type"].startswith("application/json")
    assert twin.json() == client.get(TWINS[path]).json()


@pytest.mark.parametrize("path", TWINS)
def test_page_links_to_its_json_twin(client: Client, world: World, path: str) -> None:
    assert f'href="{path}.json"' in page(client, f"{path}/")


@pytest.mark.parametrize("path", TWINS)
def test_unknown_key_is_404(client: Client, world: World, path: str) -> None:
    record_type = path.split("/")[1]
    assert client.get(f"/{record_type}/nope/").status_code == 404
    assert client.get(f"/{record_type}/nope.json").status_code == 404


def test_unknown_key_of_a_json_twin_is_a_problem_json(client: Client, world: World) -> None:
    response = client.get("/forum/nope.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_history_is_404(client: Client, world: World) -> None:
    assert client.get("/history/seat/nope/").status_code == 404


# ---------------------------------------------------------------- the letters register


def test_letters_register_lists_every_letter(client: Client, world: World) -> None:
    assert letter_links(page(client, "/letters/")) == {
        "mx-2017-0001",
        "mx-2017-0002",
        "mx-2016-0001",
        "zz-2017-0001",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "withdrawal"}, {"mx-2017-0001"}),
        ({"year": "2016"}, {"mx-2016-0001"}),
        ({"year": "2017"}, {"mx-2017-0001", "mx-2017-0002", "zz-2017-0001"}),
        ({"sector": "civil_society"}, {"mx-2017-0001"}),
        ({"status": "closed"}, {"mx-2017-0002"}),
        ({"member": "zz"}, {"zz-2017-0001"}),
        ({"member": "mx", "type": "request"}, {"mx-2016-0001"}),
    ],
)
def test_letters_register_filters(
    client: Client, world: World, params: dict[str, str], expected: set[str]
) -> None:
    markup = page(client, "/letters/", **params)
    assert letter_links(markup) == expected
    count = len(expected)
    assert f"{count} letter{'s' if count > 1 else ''}" in visible(markup)


def test_letters_register_keeps_the_chosen_filter_selected(client: Client, world: World) -> None:
    assert '<option value="withdrawal" selected>' in page(client, "/letters/", type="withdrawal")


def test_letters_register_with_no_match_says_so(client: Client, world: World) -> None:
    text = visible(page(client, "/letters/", sector="academia"))
    assert "0 letters" in text
    assert "No letter matches these filters." in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Enter a whole number."),
        ({"type": "nonsense"}, "Select a valid choice."),
    ],
)
def test_letters_register_bad_filter_is_400_with_a_message(
    client: Client, world: World, params: dict[str, str], message: str
) -> None:
    response = client.get("/letters/", params)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_letters_json_bad_filter_is_a_400_problem(client: Client, world: World) -> None:
    response = client.get("/letters.json", {"year": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert "year" in body["detail"]


def add_letters(count: int) -> None:
    for n in range(count):
        factories.letter(
            key=f"bulk-{n:02d}",
            reference=f"BULK-{n:02d}",
            subject=f"Bulk {n:02d}",
            letter_type="other",
            sent_on=D(2015, 1, 1) + dt.timedelta(days=n),
        )


def test_letters_register_is_paginated(client: Client, world: World) -> None:
    add_letters(30)
    first = squash(page(client, "/letters/"))
    assert "34 letters" in first
    assert "Page 1 of 2" in first
    assert first.count("<tr>") == 1 + 25  # header row and 25 letters
    second = squash(page(client, "/letters/", page="2"))
    assert "Page 2 of 2" in second
    assert second.count("<tr>") == 1 + 9


def test_letters_register_pagination_keeps_the_filters(client: Client, world: World) -> None:
    add_letters(30)
    text = page(client, "/letters/", type="other")
    assert "?type=other&page=2" in text


def test_letters_json_twin_matches_the_api(client: Client, world: World) -> None:
    twin = client.get("/letters.json", {"type": "withdrawal"})
    assert twin.status_code == 200
    api = client.get("/api/v1/letters", {"type": "withdrawal"}).json()
    assert twin.json() == {"count": api["count"], "page": 1, "items": api["items"]}


# ---------------------------------------------------------------- forum page


def test_forum_page_shows_the_collective_withdrawal_as_one_event(
    client: Client, world: World
) -> None:
    text = squash(page(client, "/forum/stt/"))
    assert text.count('class="event-collective-withdrawal"') == 1
    assert 'class="event-left"' not in text
    event = text.split('class="event-collective-withdrawal"')[1].split("</li>")[0]
    assert "Civil society withdraws" in event
    assert "3 seats withdrew together" in event
    assert all(name in event for name in ("Article 19", "Fundar", "IMCO"))


def test_forum_page_warns_when_civil_society_holds_no_seat(client: Client, world: World) -> None:
    text = visible(page(client, "/forum/stt/"))
    assert "Warning: The civil society sector holds no seat." in text
    assert "The Government sector holds no seat" not in text


def test_forum_page_does_not_warn_when_both_required_sectors_sit(
    client: Client, world: World
) -> None:
    forum = factories.forum(world.member, key="balanced", name="Balanced forum")
    factories.seat(forum, world.gov.organization)
    factories.seat(forum, world.csos[0].organization)
    assert "holds no seat" not in page(client, "/forum/balanced/")


def test_forum_page_lists_former_seats_with_why_they_ended(client: Client, world: World) -> None:
    text = squash(page(client, "/forum/stt/"))
    former = text.split('id="past-heading"')[1]
    assert former.count("Withdrawn") == 3


# ---------------------------------------------------------------- meeting and decision pages


def test_meeting_page_shows_sign_offs_with_the_dissent_statement(
    client: Client, world: World
) -> None:
    text = squash(page(client, "/meeting/stt-2016-04/"))
    row = text.split('id="signoff-civil_society"')[1].split("</tr>")[0]
    assert "Dissents" in row
    assert '<blockquote class="statement">The minutes omit the surveillance complaint.' in row
    assert "Approves" in text.split('id="signoff-government"')[1].split("</tr>")[0]
    assert "Not yet signed off by: Oversight body" in text


def test_decision_page_shows_positions_by_sector(client: Client, world: World) -> None:
    text = squash(page(client, "/decision/stt-2016-d1/"))
    sections = re.findall(r'<h3 class="sector-[a-z-]+">([^<]+)</h3>', text)
    assert sections == ["Civil society", "Government", "Oversight body"]
    civil_society = text.split(">Civil society</h3>")[1].split("</table>")[0]
    assert "Against" in civil_society
    assert "Not consulted." in civil_society
    assert "Abstains" in civil_society


def test_decision_page_shows_the_computed_outcome(client: Client, world: World) -> None:
    text = squash(page(client, "/decision/stt-2016-d1/"))
    assert '<strong class="outcome-no-consensus">No consensus</strong>' in text
    assert "Consensus of sectors" in text


# ---------------------------------------------------------------- history and canonical bytes


def test_history_page_shows_the_diff_after_an_update(client: Client, world: World) -> None:
    member = Member.objects.get(key="mx")
    services.update_record(
        system_actor(), member, changes={"name": "United Mexican States"}, reason="Official name"
    )
    text = squash(page(client, "/history/member/mx/"))
    latest = text.split('id="v2"')[1].split("</section>")[0]
    assert "What changed" in latest
    assert "Official name" in latest
    assert '<td class="diff-del">Mexico</td><td class="diff-add">United Mexican States</td>' in (
        latest
    )
    assert '<th scope="row">region</th>' not in latest  # unchanged fields are not listed


def test_history_page_links_every_version_to_its_canonical_json(
    client: Client, world: World
) -> None:
    text = page(client, "/history/seat/stt-article19/")
    assert 'href="/records/seat/stt-article19/v1.json"' in text
    assert 'href="/records/seat/stt-article19/v2.json"' in text


def test_record_page_links_to_its_history(client: Client, world: World) -> None:
    assert 'href="/history/seat/stt-article19/"' in page(client, "/seat/stt-article19/")


def test_canonical_json_bytes_hash_to_the_header_and_the_version(
    client: Client, world: World
) -> None:
    response = client.get("/records/seat/stt-article19/v2.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    version = RecordVersion.objects.get(record_type="seat", record_key="stt-article19", version=2)
    digest = hashlib.sha256(response.content).hexdigest()
    assert digest == response["X-Content-SHA256"] == version.sha256
    assert response.content == canonical_json(version.content)


def test_unknown_canonical_version_is_404(client: Client, world: World) -> None:
    assert client.get("/records/seat/stt-article19/v9.json").status_code == 404
    assert client.get("/records/seat/nope/v1.json").status_code == 404
