"""Schemathesis over every operation of the API, on the Mexico 2017 demo data.

Each operation is called with generated requests (reads, and the token-authenticated
writes with a token whose account holds every role) and every answer must be a documented
status, of a documented content type, with a body that matches the documented schema, and
never a server error. Requests that break the description (negative data) must be refused
with a documented 4xx. Every record the demo lists is then fetched by its real key, so the
detail operations are checked on real rows, not only on 404s.

The demo data is loaded once per module inside a transaction that is rolled back at the
end; each test runs in a savepoint of it (pytest-django), so the writes of one test do not
leak into the next. Requests go through Django's WSGI handler in the test's thread, so
they see that transaction. Examples are bounded and derandomized: the run is the same
every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tripartite.accounts.tests.roles import hold_every_role
from tripartite.accounts.token_services import issue_token
from tripartite.api import api as ninja_api
from tripartite.core.actors import system_actor
from tripartite.demo.mexico import load_mexico_2017

EXAMPLES_PER_OPERATION = 25
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The host Django's test set-up allows.
HOST = {"Host": "testserver"}

DESCRIPTION = ninja_api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DESCRIPTION["paths"].items()
    for method, operation in item.items()
]


def operation_ids(operations: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{method} {path}" for method, path, _ in operations]


def can_be_broken(operation: dict[str, Any]) -> bool:
    """Whether a request can break the description: a plain string in the path can not."""
    return "requestBody" in operation or any(
        parameter["in"] != "path" for parameter in operation.get("parameters", [])
    )


NEGATABLE = [op for op in OPERATIONS if can_be_broken(op[2])]
DETAILS = [
    (method, path, operation)
    for method, path, operation in OPERATIONS
    if method == "GET"
    and path.endswith("/{key}")
    and path.removesuffix("/{key}") in DESCRIPTION["paths"]
]


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo data and an API token of an account holding every role; rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_mexico_2017()
        holder = get_user_model().objects.create_user(username="fuzzer", email="fuzzer@example.org")
        hold_every_role(holder)
        token = issue_token(system_actor(), user=holder, name="schemathesis")[1]
        yield token
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def api_schema(demo_world: str) -> Iterator[Any]:
    """The API description, loaded from and calling Django's WSGI application.

    Django's test client detaches ``close_old_connections`` from the request signals for
    the same reason: it would close the connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def headers_for(operation: dict[str, Any], token: str) -> dict[str, str]:
    if operation.get("security"):
        return {**HOST, "Authorization": f"Bearer {token}"}
    return HOST


def run_cases(strategy: Any, call: Callable[[Any], None]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: Any) -> None:
        call(case)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=operation_ids(OPERATIONS))
def test_operation_answers_valid_requests_as_documented(
    api_schema: Any, demo_world: str, method: str, path: str, operation: dict[str, Any]
) -> None:
    headers = headers_for(operation, demo_world)
    run_cases(
        api_schema[path][method].as_strategy(generation_mode=GenerationMode.POSITIVE),
        lambda case: case.call_and_validate(headers=headers, checks=CONFORMANCE),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), NEGATABLE, ids=operation_ids(NEGATABLE))
def test_operation_refuses_invalid_requests_with_a_documented_4xx(
    api_schema: Any, demo_world: str, method: str, path: str, operation: dict[str, Any]
) -> None:
    headers = headers_for(operation, demo_world)
    run_cases(
        api_schema[path][method].as_strategy(generation_mode=GenerationMode.NEGATIVE),
        lambda case: case.call_and_validate(
            headers=headers, checks=[*CONFORMANCE, negative_data_rejection]
        ),
    )


def record_keys(api_schema: Any, collection: str) -> list[str]:
    """The keys of every record a list operation shows, taken from its public ids.

    Called through the schema's WSGI transport like every other request here: Django's
    test client would attach ``close_old_connections`` to the request signals again."""
    keys: list[str] = []
    offset = 0
    while True:
        case = api_schema[collection]["GET"].Case(query={"limit": 50, "offset": offset})
        response = case.call(headers=HOST)
        assert response.status_code == 200, (collection, response.text[:300])
        page = response.json()
        keys += [item["id"].split("/", 1)[-1] for item in page["items"]]
        offset += len(page["items"])
        if not page["items"] or offset >= page["count"]:
            return keys


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), DETAILS, ids=operation_ids(DETAILS))
def test_every_listed_record_is_served_as_documented(
    api_schema: Any, demo_world: str, method: str, path: str, operation: dict[str, Any]
) -> None:
    api_operation = api_schema[path][method]
    for key in record_keys(api_schema, path.removesuffix("/{key}")):
        case = api_operation.Case(path_parameters={"key": key})
        response = case.call_and_validate(headers=HOST, checks=CONFORMANCE)
        assert response.status_code == 200, (path, key, response.text[:300])


@pytest.mark.django_db
def test_every_record_version_is_served_as_documented(api_schema: Any, demo_world: str) -> None:
    versions = api_schema["/api/v1/records/{record_type}/{key}/versions/{version}"]["GET"]
    served = 0
    for method, path, _operation in DETAILS:
        for key in record_keys(api_schema, path.removesuffix("/{key}"))[:3]:
            detail = api_schema[path][method].Case(path_parameters={"key": key}).call(headers=HOST)
            record_type, record_key = detail.json()["id"].split("/", 1)
            case = versions.Case(
                path_parameters={"record_type": record_type, "key": record_key, "version": 1}
            )
            response = case.call_and_validate(headers=HOST, checks=CONFORMANCE)
            served += response.status_code == 200
    assert served > 0
