"""The action-plan API under /api/v1/: shapes, pagination, filters, and errors as problem
JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tripartite.core.policy import SEED
from tripartite.plans import schemas as s
from tripartite.plans.tests import factories
from tripartite.plans.tests.factories import PlanWorld

D = dt.date


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is RFC 9457 problem JSON with the given status."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


# ---------------------------------------------------------------- lists: envelope and pagination

LISTS = {
    "/plans": ("plan", 2),
    "/commitments": ("commitment", 3),
    "/milestones": ("milestone", 3),
    "/progress": ("progress", 4),
    "/irm-reports": ("irm-report", 2),
    "/assessments": ("assessment", 3),
    "/policies": ("policy", len(SEED)),
}


@pytest.mark.parametrize("path", LISTS)
def test_list_answers_the_pagination_envelope(client: Client, world: PlanWorld, path: str) -> None:
    body = get(client, path)
    assert set(body) == {"items", "count"}


@pytest.mark.parametrize("path", LISTS)
def test_list_counts_every_record(client: Client, world: PlanWorld, path: str) -> None:
    record_type, count = LISTS[path]
    body = get(client, path)
    assert body["count"] == count
    assert all(item_id.startswith(f"{record_type}/") for item_id in ids(body))


@pytest.mark.parametrize("path", LISTS)
def test_list_pages_with_limit_and_offset(client: Client, world: PlanWorld, path: str) -> None:
    everything = ids(get(client, path))
    assert ids(get(client, path, limit=1, offset=1)) == everything[1:2]


@pytest.mark.parametrize("path", LISTS)
def test_list_refuses_a_limit_above_the_page_size(
    client: Client, world: PlanWorld, path: str
) -> None:
    response = client.get(f"/api/v1{path}", {"limit": settings.TRIPARTITE_PAGE_SIZE + 1})
    body = assert_problem(response, 422)
    assert str(settings.TRIPARTITE_PAGE_SIZE) in body["detail"]


def test_list_of_commitments_never_exceeds_the_page_size(client: Client, world: PlanWorld) -> None:
    for n in range(settings.TRIPARTITE_PAGE_SIZE + 1):
        factories.commitment(world.plan, f"XX1{n:03d}", number=10 + n)
    body = get(client, "/commitments")
    assert body["count"] == settings.TRIPARTITE_PAGE_SIZE + 4
    assert len(body["items"]) == settings.TRIPARTITE_PAGE_SIZE


# ---------------------------------------------------------------- filters

FILTERS = [
    ("/plans", {"member": "xx"}, ["plan/xx-3", "plan/xx-5"]),
    ("/plans", {"member": "zz"}, []),
    ("/plans", {"state": "implementing"}, ["plan/xx-3"]),
    ("/plans", {"member": "xx", "state": "co_creation"}, ["plan/xx-5"]),
    ("/commitments", {"plan": "xx-3"}, ["commitment/XX0001", "commitment/XX0002"]),
    ("/commitments", {"plan": "xx-5"}, ["commitment/XX0010"]),
    ("/commitments", {"theme": "Anti-corruption"}, ["commitment/XX0010"]),
    ("/commitments", {"theme": "Anti"}, []),
    ("/commitments", {"plan": "xx-3", "theme": "Anti-corruption"}, []),
    ("/milestones", {"commitment": "XX0001"}, ["milestone/XX0001-m1", "milestone/XX0001-m2"]),
    ("/progress", {"commitment": "XX0002"}, ["progress/XX0002-r001"]),
    ("/progress", {"party": "civil_society"}, ["progress/XX0001-r002"]),
    ("/progress", {"commitment": "XX0001", "party": "government"}, ["progress/XX0001-r001"]),
    ("/irm-reports", {"plan": "xx-5"}, ["irm-report/xx-5-review"]),
    (
        "/assessments",
        {"report": "xx-3-progress"},
        ["assessment/xx-3-progress-xx0001", "assessment/xx-3-progress-xx0002"],
    ),
    ("/assessments", {"commitment": "XX0010"}, ["assessment/xx-5-review-xx0010"]),
]


@pytest.mark.parametrize(("path", "params", "expected"), FILTERS)
def test_list_filters(
    client: Client, world: PlanWorld, path: str, params: dict[str, str], expected: list[str]
) -> None:
    assert ids(get(client, path, **params)) == expected


@pytest.mark.parametrize(
    ("path", "params"),
    [("/plans", {"state": "nonsense"}), ("/progress", {"party": "everyone"})],
)
def test_list_with_an_unknown_value_is_a_422_problem(
    client: Client, world: PlanWorld, path: str, params: dict[str, str]
) -> None:
    body = assert_problem(client.get(f"/api/v1{path}", params), 422)
    assert body["errors"]


# ---------------------------------------------------------------- details

DETAILS = [
    "/plans/xx-3",
    "/commitments/XX0001",
    "/milestones/XX0001-m1",
    "/progress/XX0001-r001",
    "/irm-reports/xx-3-progress",
    "/assessments/xx-3-progress-xx0001",
    "/policies/plan-delivery-2015",
]


@pytest.mark.parametrize("path", DETAILS)
def test_detail_of_an_unknown_key_is_a_404_problem(
    client: Client, world: PlanWorld, path: str
) -> None:
    collection = path.rsplit("/", 1)[0]
    assert_problem(client.get(f"/api/v1{collection}/nope"), 404)


@pytest.mark.parametrize("path", DETAILS)
def test_detail_links_to_its_page(client: Client, world: PlanWorld, path: str) -> None:
    body = get(client, path)
    assert client.get(body["url"]).status_code == 200


@pytest.mark.parametrize("path", DETAILS)
def test_detail_agrees_with_its_list_entry(client: Client, world: PlanWorld, path: str) -> None:
    """A list item is the detail minus the detail-only fields."""
    detail = get(client, path)
    collection = path.rsplit("/", 1)[0]
    listed = next(
        item for item in get(client, collection, limit=50)["items"] if item["id"] == detail["id"]
    )
    assert {name: detail[name] for name in listed} == listed


def test_plan_detail_gives_its_deadlines_and_the_rule(client: Client, world: PlanWorld) -> None:
    body = get(client, "/plans/xx-3")
    assert body["due_on"] == "2016-06-30"
    assert body["due_rule"]["id"] == "policy/plan-delivery-2015"
    assert body["days_late"] == 1


@pytest.mark.parametrize("key", ["xx-3", "xx-5"])
def test_plan_detail_validates_against_its_schema(
    client: Client, world: PlanWorld, key: str
) -> None:
    """The dashboard's shapes are built without validation (for speed): check them here."""
    body = get(client, f"/plans/{key}")
    assert s.PlanDetail.model_validate(body).model_dump(mode="json") == body


def test_plan_detail_flags_disagreement_without_averaging(client: Client, world: PlanWorld) -> None:
    water = get(client, "/plans/xx-3")["commitments"][0]
    assert water["disagreement"] is True
    assert water["disagreement_on"] == ["1"]
    assert {v["party"]: v["completion"] for v in water["views"]} == {
        "government": "substantial",
        "civil_society": "limited",
        "oversight_body": "substantial",
    }


def test_plan_detail_counts_commitments_per_level_by_value(
    client: Client, world: PlanWorld
) -> None:
    by_value = get(client, "/plans/xx-3")["progress"]["by_value"]
    counts = {
        row["key"]: {c["level"]: c["count"] for c in row["counts"] if c["count"]}
        for row in by_value
    }
    assert counts == {"ati": {"substantial": 1}, "cp": {"substantial": 1}, "pa": {"not_started": 1}}


def test_commitment_detail_sets_each_partys_latest_per_milestone(
    client: Client, world: PlanWorld
) -> None:
    views = get(client, "/commitments/XX0001")["views"]
    assert [(v["milestone"] or {}).get("id") for v in views] == [
        "milestone/XX0001-m1",
        "milestone/XX0001-m2",
        None,
    ]
    assert [v["disagreement"] for v in views] == [True, False, False]


def test_commitment_detail_lists_only_published_input(client: Client, world: PlanWorld) -> None:
    assert get(client, "/commitments/XX0001")["inputs"] == [
        {
            "id": world.inputs[0].public_id,
            "label": "Open the water data",
            "url": f"/input/{world.inputs[0].key}/",
        }
    ]


def test_assessment_detail_gives_the_verdict_and_the_derivation(
    client: Client, world: PlanWorld
) -> None:
    body = get(client, "/assessments/xx-3-progress-xx0001")
    assert (body["starred"], body["derived_starred"], body["verdict_differs"]) == (
        True,
        True,
        False,
    )
    assert body["star_rule"]["id"] == "policy/irm-starred-2015"


def test_refreshed_assessment_derives_no_star(client: Client, world: PlanWorld) -> None:
    body = get(client, "/assessments/xx-5-review-xx0010")
    assert (body["promising"], body["derived_starred"], body["star_rule"]) == (True, None, None)


def test_progress_detail_sets_the_other_parties_beside_it(client: Client, world: PlanWorld) -> None:
    view = get(client, "/progress/XX0001-r001")["view"]
    assert [p["completion"] for p in view["parties"]] == ["substantial", "limited", ""]
    assert view["disagreement"] is True


def test_policy_detail_lists_the_plans_it_gave_a_due_date(client: Client, world: PlanWorld) -> None:
    body = get(client, "/policies/plan-delivery-2015")
    assert [plan["id"] for plan in body["plans"]] == ["plan/xx-3"]


def test_new_plan_appears_in_the_list(client: Client, world: PlanWorld) -> None:
    factories.plan(
        world.member,
        key="xx-7",
        number=7,
        start_on=D(2026, 1, 1),
        end_on=D(2027, 12, 31),
        previous=world.next_plan,
    )
    assert "plan/xx-7" in ids(get(client, "/plans", member="xx"))


def test_openapi_lists_every_plan_operation(client: Client) -> None:
    paths = get(client, "/openapi.json")["paths"]
    expected = {
        "/api/v1/plans",
        "/api/v1/plans/{key}",
        "/api/v1/commitments",
        "/api/v1/commitments/{key}",
        "/api/v1/milestones",
        "/api/v1/milestones/{key}",
        "/api/v1/progress",
        "/api/v1/progress/{key}",
        "/api/v1/irm-reports",
        "/api/v1/irm-reports/{key}",
        "/api/v1/assessments",
        "/api/v1/assessments/{key}",
        "/api/v1/policies",
        "/api/v1/policies/{key}",
    }
    assert expected <= set(paths)
