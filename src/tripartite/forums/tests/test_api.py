"""The read API under /api/v1/: shapes, pagination, filters, and errors as problem JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tripartite.core.canonical import canonical_sha256
from tripartite.forums.tests import factories
from tripartite.forums.tests.read_world import World

D = dt.date


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is RFC 9457 problem JSON with the given status."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["title"].strip() and body["detail"].strip()
    return body


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


# ---------------------------------------------------------------- lists: envelope and pagination

LISTS = {
    "/members": ("member", 2),
    "/forums": ("forum", 1),
    "/seats": ("seat", 5),
    "/meetings": ("meeting", 1),
    "/decisions": ("decision", 1),
    "/letters": ("letter", 4),
    "/statements": ("statement", 1),
}


@pytest.mark.parametrize("path", LISTS)
def test_list_answers_the_pagination_envelope(client: Client, world: World, path: str) -> None:
    body = get(client, path)
    record_type, count = LISTS[path]
    assert set(body) == {"items", "count"}
    assert body["count"] == count
    assert len(body["items"]) == count
    assert all(item["id"].startswith(f"{record_type}/") for item in body["items"])
    assert all(item["url"].startswith(f"/{record_type}/") for item in body["items"])


@pytest.mark.parametrize("path", LISTS)
def test_list_limit_and_offset_select_a_window(client: Client, world: World, path: str) -> None:
    everything = ids(get(client, path)["items"])
    window = get(client, path, limit=1, offset=1)
    assert window["count"] == len(everything)
    assert ids(window["items"]) == everything[1:2]


def test_list_offset_beyond_the_end_is_empty_with_the_full_count(
    client: Client, world: World
) -> None:
    assert get(client, "/seats", offset=50) == {"items": [], "count": 5}


@pytest.mark.parametrize(
    "params", [{"limit": "abc"}, {"limit": 0}, {"offset": -1}, {"offset": "x"}]
)
def test_list_bad_pagination_is_a_422_problem(
    client: Client, world: World, params: dict[str, Any]
) -> None:
    assert_problem(client.get("/api/v1/seats", params), 422)


def test_list_pages_hold_at_most_the_page_size(client: Client, world: World, settings: Any) -> None:
    for n in range(settings.TRIPARTITE_PAGE_SIZE + 1):
        factories.member(key=f"m{n}", name=f"Member {n}")
    body = get(client, "/members")
    assert body["count"] == settings.TRIPARTITE_PAGE_SIZE + 3
    assert len(body["items"]) == settings.TRIPARTITE_PAGE_SIZE


def test_a_limit_above_the_page_size_is_refused_with_a_problem(
    client: Client, world: World, settings: Any
) -> None:
    response = client.get("/api/v1/members", {"limit": 1000})
    body = assert_problem(response, 422)
    assert str(settings.TRIPARTITE_PAGE_SIZE) in body["detail"]


def test_members_list_shape(client: Client, world: World) -> None:
    [mexico, _zedland] = get(client, "/members")["items"]
    assert mexico == {
        "id": "member/mx",
        "version": 1,
        "name": "Mexico",
        "kind": "country",
        "iso2": "XX",
        "region": "",
        "joined_on": None,
        "status": "active",
        "status_since": None,
        "url": "/member/mx/",
    }


def test_forums_list_filters_by_member(client: Client, world: World) -> None:
    assert ids(get(client, "/forums", member="mx")["items"]) == ["forum/stt"]
    assert get(client, "/forums", member="zz") == {"items": [], "count": 0}


def test_seats_list_filters_by_forum(client: Client, world: World) -> None:
    assert get(client, "/seats", forum="stt")["count"] == 5
    assert get(client, "/seats", forum="nope")["count"] == 0


def test_meetings_list_filters_by_forum(client: Client, world: World) -> None:
    assert ids(get(client, "/meetings", forum="stt")["items"]) == ["meeting/stt-2016-04"]
    assert get(client, "/meetings", forum="nope")["count"] == 0


def test_decisions_list_shape(client: Client, world: World) -> None:
    [decision] = get(client, "/decisions", forum="stt")["items"]
    assert decision["outcome"] == "no_consensus"
    assert decision["meeting"] == {
        "id": "meeting/stt-2016-04",
        "label": "2016-04-15 \u2014 Plenary of April",
        "url": "/meeting/stt-2016-04/",
    }


def test_statements_list_shape(client: Client, world: World) -> None:
    [statement] = get(client, "/statements")["items"]
    assert ids(statement["issued_by"]) == [
        "organization/article19",
        "organization/fundar",
        "organization/imco",
    ]
    assert statement["forum"]["id"] == "forum/stt"


# ---------------------------------------------------------------- the letters register


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "withdrawal"}, ["letter/mx-2017-0001"]),
        ({"type": "response"}, ["letter/mx-2017-0002"]),
        ({"year": 2016}, ["letter/mx-2016-0001"]),
        ({"sector": "government"}, ["letter/mx-2016-0001"]),
        ({"sector": "academia"}, []),
        ({"status": "closed"}, ["letter/mx-2017-0002"]),
        ({"member": "zz"}, ["letter/zz-2017-0001"]),
        ({"member": "mx", "type": "request"}, ["letter/mx-2016-0001"]),
        ({"year": 2017, "member": "zz"}, ["letter/zz-2017-0001"]),
    ],
)
def test_letters_filters(
    client: Client, world: World, params: dict[str, Any], expected: list[str]
) -> None:
    body = get(client, "/letters", **params)
    assert ids(body["items"]) == expected
    assert body["count"] == len(expected)


def test_letters_year_counts_the_date_received_when_none_was_sent(
    client: Client, world: World
) -> None:
    found = ids(get(client, "/letters", year=2017)["items"])
    assert sorted(found) == ["letter/mx-2017-0001", "letter/mx-2017-0002", "letter/zz-2017-0001"]


def test_letters_sector_filter_lists_a_letter_once_whatever_its_signatories(
    client: Client, world: World
) -> None:
    # The walk-out letter has three civil-society signatories.
    body = get(client, "/letters", sector="civil_society")
    assert ids(body["items"]) == ["letter/mx-2017-0001"]
    assert body["count"] == 1


def test_letters_list_item_shape(client: Client, world: World) -> None:
    [letter] = get(client, "/letters", type="withdrawal")["items"]
    assert letter["reference"] == "MX-2017-0001"
    assert letter["status"] == "awaiting_response"
    assert letter["response_deadline"] == "2017-06-30"
    assert letter["member"]["id"] == "member/mx"
    assert [o["sector"] for o in letter["signatories"]] == ["civil_society"] * 3


def test_letters_are_listed_newest_first_by_their_date(client: Client, world: World) -> None:
    # With the newest (2017-06-05) and an oldest letter both dated only by receipt, NULLs
    # sorting first (PostgreSQL) or last (SQLite) each misplace one of them.
    factories.letter(
        key="mx-2015-0001",
        reference="MX-2015-0001",
        subject="Old inquiry",
        direction="inbound",
        letter_type="request",
        sent_on=None,
        received_on=D(2015, 12, 1),
        member=world.member,
    )
    items = get(client, "/letters")["items"]
    dates = [item["sent_on"] or item["received_on"] for item in items]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": 1800}, "year"),
        ({"type": "nonsense"}, "type"),
        ({"sector": "church"}, "sector"),
        ({"status": "lost"}, "status"),
    ],
)
def test_letters_bad_filter_is_a_422_problem_naming_the_parameter(
    client: Client, world: World, params: dict[str, Any], field: str
) -> None:
    body = assert_problem(client.get("/api/v1/letters", params), 422)
    assert field in body["detail"]


# ---------------------------------------------------------------- details


def test_member_detail(client: Client, world: World) -> None:
    body = get(client, "/members/mx")
    assert body["id"] == "member/mx"
    assert ids(body["forums"]) == ["forum/stt"]
    assert sorted(ids(body["letters"])) == [
        "letter/mx-2016-0001",
        "letter/mx-2017-0001",
        "letter/mx-2017-0002",
    ]
    assert ids(body["statements"]) == ["statement/cso-2017-statement"]


def test_forum_detail_composition(client: Client, world: World) -> None:
    body = get(client, "/forums/stt")
    assert ids(body["current_seats"]) == ["seat/stt-inai", "seat/stt-sfp"]
    assert sorted(ids(body["past_seats"])) == [
        "seat/stt-article19",
        "seat/stt-fundar",
        "seat/stt-imco",
    ]
    assert {row["sector"]: row["seats"] for row in body["balance"]} == {
        "government": 1,
        "civil_society": 0,
        "oversight_body": 1,
    }
    assert body["missing_sectors"] == ["civil_society"]


def test_forum_detail_shows_the_collective_withdrawal_as_one_event(
    client: Client, world: World
) -> None:
    body = get(client, "/forums/stt")
    [event] = [e for e in body["timeline"] if e["kind"] == "collective_withdrawal"]
    assert (event["date"], event["sector"], event["text"]) == (
        "2017-05-23",
        "civil_society",
        "Civil society withdraws",
    )
    assert ids(event["seats"]) == ["seat/stt-article19", "seat/stt-fundar", "seat/stt-imco"]
    assert not [e for e in body["timeline"] if e["kind"] == "left"]
    [group] = body["withdrawals"]
    assert (group["id"], group["letter"]["id"]) == (
        "withdrawal/stt-cso-2017",
        "letter/mx-2017-0001",
    )


def test_forum_detail_lists_meetings_and_decisions(client: Client, world: World) -> None:
    body = get(client, "/forums/stt")
    assert ids(body["meetings"]) == ["meeting/stt-2016-04"]
    assert ids(body["decisions"]) == ["decision/stt-2016-d1"]


def test_seat_detail(client: Client, world: World) -> None:
    body = get(client, "/seats/stt-article19")
    assert (body["end_on"], body["end_reason"]) == ("2017-05-23", "withdrawn")
    assert body["withdrawal_letter"]["id"] == "letter/mx-2017-0001"
    assert body["withdrawal_group"] == {
        "id": "withdrawal/stt-cso-2017",
        "label": "Civil society withdraws",
        "url": "/forum/stt/#stt-cso-2017",
    }
    assert body["organization"]["id"] == "organization/article19"


def test_meeting_detail(client: Client, world: World) -> None:
    body = get(client, "/meetings/stt-2016-04")
    assert [item["title"] for item in body["agenda"]] == ["Opening", "Progress of the action plan"]
    assert {(row["seat"]["id"], row["status"]) for row in body["attendance"]} == {
        ("seat/stt-sfp", "present"),
        ("seat/stt-inai", "absent"),
        ("seat/stt-article19", "present"),
    }
    assert ids(body["decisions"]) == ["decision/stt-2016-d1"]
    assert ids(body["letters"]) == ["letter/mx-2017-0001"]


def test_meeting_detail_minutes_and_sign_offs(client: Client, world: World) -> None:
    minutes = get(client, "/meetings/stt-2016-04")["minutes"]
    assert minutes["id"] == "minutes/stt-2016-04"
    signoffs = {so["sector"]: so for so in minutes["signoffs"]}
    assert signoffs["civil_society"]["position"] == "dissent"
    assert signoffs["civil_society"]["statement"] == "The minutes omit the surveillance complaint."
    assert signoffs["government"]["position"] == "approve"
    assert minutes["sectors_pending"] == ["oversight_body"]


def test_decision_detail(client: Client, world: World) -> None:
    body = get(client, "/decisions/stt-2016-d1")
    assert (body["outcome"], body["decision_rule"]) == ("no_consensus", "sector_consensus")
    positions = {
        p["seat"]["id"]: (p["sector"], p["position"], p["statement"]) for p in body["positions"]
    }
    assert positions == {
        "seat/stt-sfp": ("government", "for", ""),
        "seat/stt-inai": ("oversight_body", "for", ""),
        "seat/stt-article19": ("civil_society", "against", "Not consulted."),
        "seat/stt-fundar": ("civil_society", "for", ""),
        "seat/stt-imco": ("civil_society", "abstain", ""),
    }


def test_letter_detail(client: Client, world: World) -> None:
    body = get(client, "/letters/mx-2017-0001")
    assert body["body"] == "We withdraw."
    assert ids(body["responses"]) == ["letter/mx-2017-0002"]
    assert ids(body["meetings"]) == ["meeting/stt-2016-04"]
    assert ids(body["decisions"]) == ["decision/stt-2016-d1"]
    assert ids(body["withdrawn_seats"]) == [
        "seat/stt-article19",
        "seat/stt-fundar",
        "seat/stt-imco",
    ]


def test_response_letter_detail_names_what_it_answers(client: Client, world: World) -> None:
    body = get(client, "/letters/mx-2017-0002")
    assert body["response_to"]["id"] == "letter/mx-2017-0001"
    assert (body["sent_on"], body["received_on"]) == (None, "2017-06-05")


def test_statement_detail(client: Client, world: World) -> None:
    body = get(client, "/statements/cso-2017-statement")
    assert body["text"] == "We cannot take part while surveilled."
    assert body["member"]["id"] == "member/mx"


def test_organization_detail(client: Client, world: World) -> None:
    body = get(client, "/organizations/article19")
    assert (body["id"], body["sector"], body["member"]) == (
        "organization/article19",
        "civil_society",
        "member/mx",
    )
    assert ids(body["seats"]) == ["seat/stt-article19"]
    assert ids(body["letters"]) == ["letter/mx-2017-0001"]
    assert ids(body["statements"]) == ["statement/cso-2017-statement"]


def test_person_detail(client: Client, world: World) -> None:
    body = get(client, "/people/jdoe")
    assert (body["id"], body["name"], body["role_title"]) == (
        "person/jdoe",
        "Jane Doe",
        "Head of Unit",
    )
    assert ids(body["seats"]) == ["seat/stt-sfp"]


DETAILS_UNKNOWN = [
    "/members/nope",
    "/forums/nope",
    "/seats/nope",
    "/meetings/nope",
    "/decisions/nope",
    "/letters/nope",
    "/statements/nope",
    "/organizations/nope",
    "/people/nope",
    "/records/seat/nope/versions",
    "/records/seat/nope/versions/1",
    "/records/seat/stt-sfp/versions/99",
    "/records/nothing/stt-sfp/versions",
]


@pytest.mark.parametrize("path", DETAILS_UNKNOWN)
def test_unknown_record_is_a_404_problem(client: Client, world: World, path: str) -> None:
    body = assert_problem(client.get(f"/api/v1{path}"), 404)
    assert body["instance"] == f"/api/v1{path}"


# ---------------------------------------------------------------- versions of any record


def test_versions_list_every_version_in_order(client: Client, world: World) -> None:
    body = get(client, "/records/seat/stt-article19/versions")
    assert body["count"] == 2
    versions = body["items"]
    assert [(v["version"], v["op"]) for v in versions] == [(1, "create"), (2, "update")]
    assert versions[1]["content_url"] == "/records/seat/stt-article19/v2.json"


def test_version_detail_content_hashes_to_its_sha256(client: Client, world: World) -> None:
    body = get(client, "/records/seat/stt-article19/versions/2")
    assert body["content"]["end_reason"] == "withdrawn"
    assert body["content"]["id"] == "seat/stt-article19"
    assert canonical_sha256(body["content"]) == body["sha256"]


def test_version_detail_matches_the_list_entry(client: Client, world: World) -> None:
    listed = get(client, "/records/seat/stt-article19/versions")["items"][0]
    detail = get(client, "/records/seat/stt-article19/versions/1")
    assert {k: v for k, v in detail.items() if k != "content"} == listed


def test_version_number_must_be_an_integer(client: Client, world: World) -> None:
    assert_problem(client.get("/api/v1/records/seat/stt-sfp/versions/one"), 422)


def test_versions_list_is_paginated(client: Client, world: World) -> None:
    body = get(client, "/records/seat/stt-article19/versions", limit=1)
    assert body["count"] == 2
    assert len(body["items"]) == 1
