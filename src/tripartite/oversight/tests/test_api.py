"""The oversight API under /api/v1/: shapes, pagination, filters, and errors as problem
JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tripartite.oversight.tests.factories import OversightWorld

SECRET = "The filer asked that its staff not be named."


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


LISTS = {
    "/sc-seats": 4,
    "/co-chairs": 4,
    "/subcommittees": 1,
    "/sc-meetings": 1,
    "/resolutions": 2,
    "/status-changes": 2,
    "/cases": 1,
    "/missions": 1,
    "/contrary-findings": 2,
    "/reviews": 1,
    "/compliance-readings": 1,
}


@pytest.mark.parametrize("path", LISTS)
def test_list_answers_the_pagination_envelope(
    client: Client, world: OversightWorld, path: str
) -> None:
    body = get(client, path)
    assert set(body) == {"items", "count"}
    assert body["count"] == LISTS[path] == len(body["items"])


@pytest.mark.parametrize("path", LISTS)
def test_list_pages_with_limit_and_offset(client: Client, world: OversightWorld, path: str) -> None:
    everything = ids(get(client, path))
    assert ids(get(client, path, limit=1, offset=0)) == everything[:1]


DETAILS = [
    "/members/xx/standing",
    "/sc-seats/yy-2015",
    "/co-chairs/yy-lead-2016",
    "/subcommittees/cs",
    "/sc-meetings/sc-2017-06",
    "/resolutions/yy-inactive-2017",
    "/cases/xx-2017",
    "/missions/xx-2017-10",
    "/contrary-findings/xx-1-late",
    "/compliance-readings/xx-1",
]


@pytest.mark.parametrize("path", DETAILS)
def test_unknown_key_is_problem_json_404(client: Client, world: OversightWorld, path: str) -> None:
    unknown = path.rsplit("/", 1)[0] + "/nope"
    if path.endswith("/standing"):
        unknown = "/members/nope/standing"
    assert_problem(client.get(f"/api/v1{unknown}"), 404)


def test_review_and_status_change_details_answer(client: Client, world: OversightWorld) -> None:
    review = get(client, f"/reviews/{world.review.key}")
    assert [f["id"] for f in review["findings"]] == ["contrary/xx-1-late", "contrary/xx-2-late"]
    change = get(client, "/status-changes", member="yy")["items"][0]
    detail = get(client, "/status-changes/" + change["id"].split("/", 1)[1])
    assert detail["resolution"]["id"] == "resolution/yy-inactive-2017"


def test_case_detail_carries_only_the_commitment_to_a_confidential_note(
    client: Client, world: OversightWorld
) -> None:
    response = client.get("/api/v1/cases/xx-2017")
    assert SECRET not in response.content.decode()
    commitments = [step["confidential_commitment"] for step in response.json()["steps"]]
    assert sum(c is not None for c in commitments) == 1


def test_cases_filter_by_state(client: Client, world: OversightWorld) -> None:
    assert ids(get(client, "/cases", state="eligibility_review")) == ["case/xx-2017"]
    assert ids(get(client, "/cases", state="resolved")) == []


def test_invalid_filter_is_problem_json_422(client: Client, world: OversightWorld) -> None:
    assert_problem(client.get("/api/v1/cases", {"state": "nonsense"}), 422)


def test_resolutions_filter_by_member(client: Client, world: OversightWorld) -> None:
    assert ids(get(client, "/resolutions", member="yy")) == ["resolution/yy-inactive-2017"]


def test_resolution_carries_its_vote(client: Client, world: OversightWorld) -> None:
    body = get(client, "/resolutions/yy-inactive-2017")
    assert (body["votes_for"], body["votes_against"], body["abstentions"]) == (3, 0, 1)


def test_meeting_detail_says_the_minutes_are_overdue(client: Client, world: OversightWorld) -> None:
    body = get(client, "/sc-meetings/sc-2017-06")
    assert (body["minutes_state"], body["minutes_due_on"]) == ("overdue", "2017-07-12")
    assert body["minutes_rule"]["id"] == "policy/sc-minutes-2011"


def test_steering_committee_on_a_date(client: Client, world: OversightWorld) -> None:
    body = get(client, "/steering-committee", on="2017-01-01")
    assert body["on"] == "2017-01-01" and body["seats_per_constituency"] == 2
    assert [side["held"] for side in body["sides"]] == [2, 2] and body["parity"] is True
    assert sorted(c["role"] for c in body["co_chairs"]) == ["incoming", "incoming", "lead", "lead"]


def test_steering_committee_with_a_bad_date_is_problem_json(
    client: Client, world: OversightWorld
) -> None:
    assert_problem(client.get("/api/v1/steering-committee", {"on": "not-a-date"}), 422)


def test_standing_reads_every_plan_cycle(client: Client, world: OversightWorld) -> None:
    body = get(client, "/members/xx/standing")
    assert [cycle["plan"]["id"] for cycle in body["compliance"]] == ["plan/xx-1", "plan/xx-2"]
    statuses = {f["status"] for cycle in body["compliance"] for f in cycle["findings"]}
    assert statuses <= {"met", "not_met", "not_applicable", "insufficient_evidence"}


def test_compliance_reading_keeps_its_findings(client: Client, world: OversightWorld) -> None:
    body = get(client, "/compliance-readings/xx-1")
    assert body["plan"]["id"] == "plan/xx-1" and len(body["findings"]) > 5
