"""Co-creation under /api/v1/: the register of inputs and responses (published and withheld
input only, no private data) and submitting input as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tripartite.forums.tests.editing import versions
from tripartite.plans.models import Input
from tripartite.plans.tests.factories import PlanWorld

API = "/api/v1"


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


# ---------------------------------------------------------------- reading


def test_inputs_list_only_published_and_withheld_input(client: Client, world: PlanWorld) -> None:
    body = get(client, "/inputs", plan="xx-3")
    assert set(body) == {"items", "count"}
    assert ids(body) == [
        world.inputs[0].public_id,
        world.inputs[1].public_id,
        world.unanswered.public_id,
        world.withheld.public_id,
    ]
    assert body["count"] == 4
    withheld = body["items"][3]
    assert (withheld["moderation"], withheld["title"], withheld["text"]) == ("withheld", "", "")
    assert withheld["moderation_reason"] == "Personal attacks on a named official."
    raw = json.dumps(body)
    for private in ("a@example.org", "Kept Private", "Awaiting a moderator", "Abusive text"):
        assert private not in raw
    assert "contact_email" not in raw and '"account"' not in raw
    assert body["items"][0]["submitter"] == "Ana Ruiz"


def test_inputs_list_is_paginated(client: Client, world: PlanWorld) -> None:
    body = get(client, "/inputs", plan="xx-3", limit=2, offset=1)
    assert body["count"] == 4
    assert ids(body) == [world.inputs[1].public_id, world.unanswered.public_id]


@pytest.mark.parametrize(("answered", "expected"), [("true", 2), ("false", 1)])
def test_inputs_filter_by_answer(
    client: Client, world: PlanWorld, answered: str, expected: int
) -> None:
    body = get(client, "/inputs", plan="xx-3", answered=answered)
    assert body["count"] == expected
    assert all(item["answered"] is (answered == "true") for item in body["items"])
    if answered == "false":
        assert ids(body) == [world.unanswered.public_id]
        assert body["items"][0]["waiting_days"] == 0


def test_inputs_filter_by_commitment(client: Client, world: PlanWorld) -> None:
    assert ids(get(client, "/inputs", commitment="XX0001")) == [world.inputs[0].public_id]
    assert get(client, "/inputs", plan="xx-5")["count"] == 0


def test_input_detail_and_pending_404(client: Client, world: PlanWorld) -> None:
    body = get(client, f"/inputs/{world.inputs[0].key}")
    assert body["commitments"] == [
        {
            "id": "commitment/XX0001",
            "label": "XX0001 — Water metering and discharges",
            "url": "/commitment/XX0001/",
        }
    ]
    assert body["responses"][0]["id"] == world.response.public_id
    assert_problem(client.get(f"{API}/inputs/{world.pending.key}"), 404)
    assert_problem(client.get(f"{API}/inputs/nope"), 404)


def test_responses_list_and_detail(client: Client, world: PlanWorld) -> None:
    body = get(client, "/responses", plan="xx-3")
    assert ids(body) == [world.response.public_id] and body["count"] == 1
    assert get(client, "/responses", plan="xx-5")["count"] == 0
    detail = get(client, f"/responses/{world.response.key}")
    assert detail["decision"] == "accepted"
    assert [i["id"] for i in detail["inputs"]] == [i.public_id for i in world.inputs]
    assert [c["id"] for c in detail["commitments"]] == ["commitment/XX0001", "commitment/XX0002"]
    assert_problem(client.get(f"{API}/responses/nope"), 404)


# ---------------------------------------------------------------- submitting


def test_anyone_can_submit_and_it_waits_for_moderation(client: Client, world: PlanWorld) -> None:
    before = versions()
    response = post(
        client,
        "/plans/xx-5/inputs",
        {
            "title": "Open contracting",
            "text": "Publish every contract in OCDS.",
            "language": "es",
            "submitter_name": "Luz",
            "publish_name": True,
            "contact_email": "luz@example.org",
        },
    )
    assert response.status_code == 202, response.content
    body = response.json()
    item = Input.objects.get(key=body["key"])
    assert body["id"] == item.public_id and body["status"] == "pending"
    assert (item.moderation, item.version, item.language, item.publish_name) == (
        "pending",
        0,
        "es",
        True,
    )
    assert versions() == before
    assert_problem(client.get(f"{API}/inputs/{item.key}"), 404)


def test_submission_ignores_the_session(world: PlanWorld, public: Client) -> None:
    """No CSRF check applies to the API, so it never acts as the signed-in user."""
    response = post(public, "/plans/xx-5/inputs", {"title": "T", "text": "X"})
    assert response.status_code == 202
    assert Input.objects.get(key=response.json()["key"]).account is None


def test_submission_to_a_closed_plan_is_409(client: Client, world: PlanWorld) -> None:
    before = (versions(), Input.objects.count())
    body = assert_problem(post(client, "/plans/xx-3/inputs", {"title": "T", "text": "X"}), 409)
    assert body["detail"] == "This plan is not open for co-creation input."
    assert (versions(), Input.objects.count()) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "T"}, "text"),
        ({"title": "T", "text": "   "}, "text"),
        ({"title": "T", "text": "X", "publish_name": True}, "submitter_name"),
        ({"title": "T", "text": "X", "contact_email": "nope"}, "contact_email"),
        ({"title": "T", "text": "X", "language": "English!"}, "language"),
    ],
)
def test_invalid_submission_is_422_and_writes_nothing(
    client: Client, world: PlanWorld, data: dict[str, Any], field: str
) -> None:
    before = Input.objects.count()
    body = assert_problem(post(client, "/plans/xx-5/inputs", data), 422)
    assert field in json.dumps(body["errors"])
    assert Input.objects.count() == before


def test_submission_to_an_unknown_plan_is_404(client: Client, world: PlanWorld) -> None:
    assert_problem(post(client, "/plans/nope/inputs", {"title": "T", "text": "X"}), 404)


def test_operations_are_in_the_openapi_document(client: Client, world: PlanWorld) -> None:
    paths = get(client, "/openapi.json")["paths"]
    assert {"/api/v1/inputs", "/api/v1/inputs/{key}", "/api/v1/responses"} <= set(paths)
    submit = paths["/api/v1/plans/{key}/inputs"]["post"]
    assert {"202", "404", "409", "422"} <= set(submit["responses"])
