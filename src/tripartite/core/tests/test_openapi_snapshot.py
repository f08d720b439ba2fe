"""The API's OpenAPI document equals the committed snapshot, so every API change is reviewed.

After an intended change, regenerate it: ``make openapi-snapshot``
(``python scripts/openapi_snapshot.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tripartite.api import api

REGENERATE = "run `make openapi-snapshot` (python scripts/openapi_snapshot.py) and commit it"


def current_schema() -> dict[str, Any]:
    """The schema as plain JSON data, normalised as the snapshot script writes it."""
    schema: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return schema


@pytest.fixture
def snapshot(pytestconfig: pytest.Config) -> dict[str, Any]:
    path = Path(pytestconfig.rootpath) / "tests" / "snapshots" / "openapi.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: {REGENERATE}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """JSON pointers at which two documents differ (the first differences only)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            pointer = f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in actual:
                found.append(f"removed {pointer}")
            elif key not in expected:
                found.append(f"added {pointer}")
            else:
                found += differences(expected[key], actual[key], pointer)
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [
            d
            for n, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, a, f"{where}/{n}")
        ]
    return [] if expected == actual else [f"changed {where or '/'}"]


def test_openapi_schema_matches_the_committed_snapshot(snapshot: dict[str, Any]) -> None:
    current = current_schema()
    if current != snapshot:
        changes = differences(snapshot, current)
        shown = "\n  ".join(changes[:25]) + ("\n  …" if len(changes) > 25 else "")
        pytest.fail(
            f"The OpenAPI schema differs from tests/snapshots/openapi.json:\n  {shown}\n"
            f"If the change is intended, {REGENERATE}.",
            pytrace=False,
        )


def test_openapi_schema_is_version_3_1() -> None:
    assert current_schema()["openapi"].startswith("3.1.")


def test_every_api_operation_is_in_the_schema() -> None:
    paths = current_schema()["paths"]
    for path in [
        "/api/v1/members",
        "/api/v1/members/{key}",
        "/api/v1/forums",
        "/api/v1/forums/{key}",
        "/api/v1/seats",
        "/api/v1/seats/{key}",
        "/api/v1/meetings",
        "/api/v1/meetings/{key}",
        "/api/v1/decisions",
        "/api/v1/decisions/{key}",
        "/api/v1/letters",
        "/api/v1/letters/{key}",
        "/api/v1/statements",
        "/api/v1/statements/{key}",
        "/api/v1/organizations/{key}",
        "/api/v1/people/{key}",
        "/api/v1/records/{record_type}/{key}/versions",
        "/api/v1/records/{record_type}/{key}/versions/{version}",
    ]:
        assert "get" in paths.get(path, {}), path


def test_every_operation_has_a_summary_and_typed_success_responses() -> None:
    for path, operations in current_schema()["paths"].items():
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            assert operation.get("summary"), f"{name} has no summary"
            success = {
                code: r for code, r in operation["responses"].items() if str(code).startswith("2")
            }
            assert success, f"{name} declares no success response"
            for response in success.values():
                for media in response.get("content", {}).values():
                    assert media.get("schema"), f"{name} has an untyped response"


def test_differences_names_the_json_pointers_that_changed() -> None:
    before = {"paths": {"/a": {"get": 1}, "/b": 2}, "openapi": "3.1.0"}
    after = {"paths": {"/a": {"get": 2}, "/c": 2}, "openapi": "3.1.0"}
    assert differences(before, after) == [
        "changed /paths/~1a/get",
        "removed /paths/~1b",
        "added /paths/~1c",
    ]
