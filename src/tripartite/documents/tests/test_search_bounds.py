"""A search's work is bounded: it looks at its newest ``search.CANDIDATES`` matches at
most (docs/subsystems/search.md). Here the bound is lowered to 5 over 12 matches, so
both sides of it show on a small index; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.documents import search
from tripartite.forums import services

pytestmark = pytest.mark.django_db

MATCHES = 12


@pytest.fixture
def people() -> list[str]:
    """Twelve people named "Zanzibar …", oldest first, and the index rebuilt."""
    keys = []
    for number in range(1, MATCHES + 1):
        key = f"zanzibar-{number:02d}"
        services.create_person(system_actor(), key=key, name=f"Zanzibar Delegate {number}")
        keys.append(f"person/{key}")
    search.reindex()
    return keys


def _search(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/search.json", {"q": "zanzibar", **params})
    assert response.status_code == 200
    return response.json()


def _type_count(data: dict[str, Any]) -> int:
    (facet,) = [facet for facet in data["facets"] if facet["name"] == "type"]
    return sum(value["count"] for value in facet["values"])


def test_under_the_bound_counts_and_facets_are_exact(people: list[str], client: Client) -> None:
    data = _search(client)

    assert data["count"] == _type_count(data) == MATCHES


def test_over_the_bound_results_come_from_the_newest_matches(
    people: list[str], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 5)

    data = _search(client)

    assert {item["id"] for item in data["items"]} == set(people[-5:])
    assert _type_count(data) == 5  # the facets count the candidates


def test_over_the_bound_the_count_is_estimated_from_how_far_back_they_reach(
    people: list[str], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 5)

    # Every entry of the index matches here, so the estimate is exact.
    assert _search(client)["count"] == MATCHES


def test_no_page_reaches_past_the_candidates(
    people: list[str], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 5)

    response = client.get("/api/v1/search", {"q": "zanzibar", "limit": "5", "offset": "5"})

    assert response.status_code == 200
    assert response.json()["items"] == []  # matches 6 to 10 exist, past the bound
