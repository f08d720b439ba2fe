"""Popolo JSON of the demo data, validated against the Popolo JSON Schemas (vendored in
``opendata/schemas/popolo``, draft 3), with every ``$ref`` resolved locally."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from tripartite.opendata import popolo
from tripartite.opendata.tests.world import ExportWorld, fresh

SCHEMAS = Path(popolo.__file__).parent / "schemas" / "popolo"
CLASSES = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "events": "event",
    "motions": "motion",
    "vote_events": "vote_event",
}


@cache
def registry() -> Registry:
    """Every vendored schema under both spellings of the Popolo host."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        resource = Resource.from_contents(
            json.loads(path.read_text()), default_specification=DRAFT3
        )
        for host in ("http://www.popoloproject.com", "http://popoloproject.com"):
            resources.append((f"{host}/schemas/{path.name}", resource))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft3Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return Draft3Validator(schema, registry=registry(), format_checker=FormatChecker())


def document(client: Client) -> dict[str, Any]:
    response = client.get("/open-data/popolo.json")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def data(client: Client, world: ExportWorld) -> dict[str, Any]:
    return document(client)


def test_every_item_is_valid_against_its_popolo_schema(data: dict[str, Any]) -> None:
    assert set(data) == set(CLASSES)
    errors = [
        f"{section} {item.get('id')}: {error.message}"
        for section, name in CLASSES.items()
        for item in data[section]
        for error in validator(name).iter_errors(item)
    ]
    assert errors == []
    assert all(data[section] for section in CLASSES)


def test_the_schemas_bite(data: dict[str, Any]) -> None:
    bad_dates = {**data["memberships"][0], "start_date": "15 April 2016"}
    assert list(validator("membership").iter_errors(bad_dates))
    bad_count = {"id": "x", "counts": [{"option": "for", "value": "three"}]}
    assert list(validator("vote_event").iter_errors(bad_count))  # resolved through $ref


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_a_forum_seat_is_a_membership_on_behalf_of_the_organisation(data: dict[str, Any]) -> None:
    seat = by_id(data["memberships"])["seat/qq-forum-qq-gov"]
    assert seat["organization_id"] == "forum/qq-forum"
    assert seat["on_behalf_of_id"] == "organization/qq-gov"
    assert seat["person_id"] == "person/qq-rep"
    assert seat["label"] == "government"
    assert by_id(data["persons"])["person/qq-rep"]["name"] == "Ana Quux"


def test_steering_committee_seats_are_memberships_of_the_committee(data: dict[str, Any]) -> None:
    seats = [m for m in data["memberships"] if m["id"].startswith("scseat/")]
    assert seats
    assert {m["organization_id"] for m in seats} == {popolo.STEERING_COMMITTEE_ID}
    assert popolo.STEERING_COMMITTEE_ID in by_id(data["organizations"])


def test_forums_are_organisations_within_their_member(data: dict[str, Any]) -> None:
    forum = by_id(data["organizations"])["forum/qq-forum"]
    assert forum["classification"] == "forum"
    assert forum["parent_id"] == "member/qq"


def test_meetings_are_events(data: dict[str, Any]) -> None:
    meeting = by_id(data["events"])["meeting/qq-2016-04"]
    assert meeting["start_date"] == "2016-04-15"
    assert meeting["organization_id"] == "forum/qq-forum"
    assert any(e["id"].startswith("scmeeting/") for e in data["events"])


def test_a_decision_is_a_motion_and_a_vote_event_with_each_seats_vote(
    data: dict[str, Any],
) -> None:
    motion = by_id(data["motions"])["decision/qq-2016-d1"]
    assert motion["date"] == "2016-04-15T00:00:00Z"
    assert motion["legislative_session_id"] == "meeting/qq-2016-04"
    vote_event = by_id(data["vote_events"])["decision/qq-2016-d1#vote"]
    assert vote_event["motion_id"] == "decision/qq-2016-d1"
    assert {(v["voter_id"], v["option"]) for v in vote_event["votes"]} == {
        ("organization/qq-gov", "for"),
        ("organization/qq-cso1", "against"),
        ("organization/qq-cso2", "abstain"),
    }
    assert vote_event["counts"] == [
        {"option": "abstain", "value": 1},
        {"option": "against", "value": 1},
        {"option": "for", "value": 1},
    ]


def test_a_resolution_by_vote_gives_its_counts(data: dict[str, Any]) -> None:
    voted = [
        event
        for event in data["vote_events"]
        if event["id"].startswith("resolution/") and event.get("classification") == "vote"
    ]
    for event in voted:
        assert [count["option"] for count in event["counts"]] == ["for", "against", "abstain"]
    motions = [m for m in data["motions"] if m["id"].startswith("resolution/")]
    assert motions and all(m["organization_id"] == popolo.STEERING_COMMITTEE_ID for m in motions)


def test_a_retracted_record_is_not_in_popolo(client: Client, world: ExportWorld) -> None:
    from tripartite.core.actors import system_actor
    from tripartite.forums import services

    services.retract(system_actor(), fresh(world.decision), reason="Recorded twice.")
    data = document(client)
    assert "decision/qq-2016-d1" not in by_id(data["motions"])
    assert "decision/qq-2016-d1#vote" not in by_id(data["vote_events"])


def test_date_times_are_rfc3339(data: dict[str, Any]) -> None:
    """The installed jsonschema does not check ``format: date-time`` (it needs an extra
    package), so the properties the schemas declare as date-times are checked here."""
    values = [
        item[name]
        for section in CLASSES
        for item in data[section]
        for name in ("date", "start_date", "end_date", "created_at", "updated_at")
        # events and memberships take plain dates for their start and end
        if name in item
        and not (section in ("events", "memberships") and name in ("start_date", "end_date"))
    ]
    assert values
    for value in values:
        assert "T" in value and value.endswith("Z"), value
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
