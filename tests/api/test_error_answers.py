"""Regression tests for what the schemathesis run found: errors the API gave but did not
document, and an offset the database could not take."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

PROBLEM = "application/problem+json"


def documented_api() -> Any:
    """The OpenAPI document as clients read it (JSON: every status is a string)."""
    return json.loads(Client().get("/api/v1/openapi.json").content)


@pytest.mark.django_db
def test_an_offset_beyond_any_list_is_refused_as_invalid_not_a_server_error(client: Client) -> None:
    response = client.get("/api/v1/plans", {"offset": 10**24})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["query", "offset"]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_answered_400_as_documented(client: Client) -> None:
    response = client.post(
        "/api/v1/plans/none/inputs", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    documented = documented_api()["paths"]["/api/v1/plans/{key}/inputs"]["post"]
    assert PROBLEM in documented["responses"]["400"]["content"]


@pytest.mark.django_db
def test_a_detail_operation_documents_its_404_and_422_as_problem_json() -> None:
    responses = documented_api()["paths"]["/api/v1/members/{key}"]["get"]["responses"]
    assert set(responses) == {"200", "404", "422"}
    for status in ("404", "422"):
        assert list(responses[status]["content"]) == [PROBLEM]


@pytest.mark.django_db
def test_a_list_operation_documents_422_but_no_404() -> None:
    responses = documented_api()["paths"]["/api/v1/members"]["get"]["responses"]
    assert set(responses) == {"200", "422"}


@pytest.mark.django_db
def test_declared_problem_answers_are_documented_with_their_real_media_type() -> None:
    responses = documented_api()["paths"]["/api/v1/plans/{key}/inputs"]["post"]["responses"]
    assert list(responses["409"]["content"]) == [PROBLEM]
    assert list(responses["202"]["content"]) == ["application/json"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/letters?member=%00",
        "/api/v1/letters?type=response&member=J%00x",
        "/api/v1/letters/a%00b",
        "/api/v1/search?q=mesa%00",
    ],
)
def test_a_nul_character_in_a_parameter_is_refused_as_invalid(client: Client, url: str) -> None:
    """Regression: PostgreSQL cannot store NUL, and these answered 500 there."""
    response = client.get(url)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert "NUL" in response.json()["detail"]


@pytest.mark.django_db
def test_a_nul_character_in_a_json_body_is_refused_as_invalid(client: Client) -> None:
    body = b'{"title": "An idea", "text": "with a \\u0000 inside"}'
    response = client.post("/api/v1/plans/none/inputs", body, content_type="application/json")
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(client: Client) -> None:
    body = b'{"title": "An idea", "text": "a path like C:\\\\u0000"}'
    response = client.post("/api/v1/plans/none/inputs", body, content_type="application/json")
    assert response.status_code == 404  # the plan does not exist: the body was accepted
