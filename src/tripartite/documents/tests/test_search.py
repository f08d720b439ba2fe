"""Search over every record type and document text, through the page, its JSON twin and the
API. Every test here passes on SQLite (FTS5) and on PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.core.actors import system_actor
from tripartite.documents import search
from tripartite.documents.models import SearchEntry
from tripartite.forums import services as forum_services

from .factories import DocsWorld

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()["items"]]


def test_search_finds_words_without_their_accents(world: DocsWorld, client: Client) -> None:
    response = client.get("/search.json", {"q": "sesion participacion"})

    assert response.status_code == 200
    assert "document/mx-stt-2016-04-15-acta" in ids(response)


def test_search_finds_words_with_accents_in_text_written_without(
    world: DocsWorld, client: Client
) -> None:
    response = client.get("/search.json", {"q": "rendición"})

    assert "document/mx-stt-2016-04-15-acta" in ids(response)


def test_search_covers_records_of_every_kind(world: DocsWorld, client: Client) -> None:
    assert "letter/mx-2017-0012" in ids(client.get("/search.json", {"q": "vigilancia"}))
    assert "statement/cochairs-2017-06" in ids(client.get("/search.json", {"q": "co-chairs"}))
    assert "meeting/mx-stt-2016-04-15" in ids(client.get("/search.json", {"q": "plenaria"}))
    assert "plan/mx-3" in ids(client.get("/search.json", {"q": "tercer plan"}))


def test_search_matches_word_prefixes(world: DocsWorld, client: Client) -> None:
    assert "letter/mx-2017-0012" in ids(client.get("/search.json", {"q": "vigila"}))


def test_quoted_words_must_appear_together(world: DocsWorld, client: Client) -> None:
    together = ids(client.get("/search.json", {"q": '"sociedad civil abandona"'}))
    apart = ids(client.get("/search.json", {"q": '"civil sociedad abandona"'}))

    assert "letter/mx-2017-0012" in together
    assert "letter/mx-2017-0012" not in apart


def test_every_word_must_match(world: DocsWorld, client: Client) -> None:
    assert ids(client.get("/search.json", {"q": "vigilancia zanahoria"})) == []


def test_snippets_mark_the_matches_and_escape_the_text(world: DocsWorld, client: Client) -> None:
    response = client.get("/search.json", {"q": "withdrawal"})
    hit = next(h for h in response.json()["items"] if h["id"] == "statement/cochairs-2017-06")

    assert "<mark>withdrawal</mark>" in hit["snippet_html"]
    # Markup in the text is escaped (SQLite) or dropped as markup (PostgreSQL's parser),
    # never passed through.
    assert "<script" not in hit["snippet_html"]
    assert "alert(1)" in hit["snippet_html"]


def test_facets_count_matches_by_type_member_year_and_language(
    world: DocsWorld, client: Client
) -> None:
    data = client.get("/search.json", {"q": "secretariado"}).json()
    facets = {
        facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in data["facets"]
    }

    assert data["count"] == sum(facets["type"].values())
    assert facets["member"]["mx"] == data["count"]
    assert facets["type"]["letter"] == 1
    assert "2016" in facets["year"]
    assert facets["language"]["es"] >= 1


def test_a_facet_filter_narrows_the_results(world: DocsWorld, client: Client) -> None:
    everything = client.get("/search.json", {"q": "secretariado"}).json()
    letters = client.get("/search.json", {"q": "secretariado", "type": "letter"}).json()

    assert everything["count"] > letters["count"] == 1
    assert ids_of(letters) == ["letter/mx-2017-0012"]
    selected = [
        v for f in letters["facets"] if f["name"] == "type" for v in f["values"] if v["selected"]
    ]
    assert [v["value"] for v in selected] == ["letter"]


def ids_of(data: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["id"] for item in data["items"]]


def test_filters_alone_list_records_without_words(world: DocsWorld, client: Client) -> None:
    data = client.get("/search.json", {"type": "document"}).json()

    assert sorted(ids_of(data)) == [
        "document/mx-3-self-assessment",
        "document/mx-stt-2016-04-15-acta",
    ]


def test_document_text_is_found_through_its_document(world: DocsWorld, client: Client) -> None:
    assert ids(client.get("/search.json", {"q": "autoevaluación gobierno abierto"})) == [
        "document/mx-3-self-assessment"
    ]


def test_search_page_works_as_a_plain_form(world: DocsWorld, client: Client) -> None:
    response = client.get("/search/", {"q": "vigilancia"})
    text = response.content.decode()

    assert response.status_code == 200
    assert '<form method="get" action="/search/" role="search"' in text
    assert '<label for="id_q">' in text
    assert 'role="status"' in text
    assert "<mark>" in text
    assert 'href="/letter/mx-2017-0012/"' in text
    assert "htmx-2.0.11.min.js" in text


def test_live_search_answers_htmx_with_the_results_alone(world: DocsWorld, client: Client) -> None:
    response = client.get("/search/", {"q": "vigilancia"}, headers={"HX-Request": "true"})
    text = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in text
    assert "letter/mx-2017-0012" in text
    assert "HX-Request" in response["Vary"]


def test_search_page_without_a_query_shows_only_the_form(client: Client, db: None) -> None:
    response = client.get("/search/")

    assert response.status_code == 200
    assert 'role="status"' not in response.content.decode()


def test_a_search_with_nothing_found_says_so(world: DocsWorld, client: Client) -> None:
    text = html.unescape(client.get("/search/", {"q": "zanahoria"}).content.decode())

    assert "0 results for “zanahoria”" in text
    assert "Nothing matches" in text


def test_an_invalid_filter_is_a_clear_400(world: DocsWorld, client: Client) -> None:
    response = client.get("/search.json", {"q": "x", "year": "last"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_api_search_is_paginated_with_facets(world: DocsWorld, client: Client) -> None:
    first = client.get("/api/v1/search", {"q": "secretariado", "limit": 1}).json()
    second = client.get("/api/v1/search", {"q": "secretariado", "limit": 1, "offset": 1}).json()

    assert first["count"] == second["count"] >= 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert {f["name"] for f in first["facets"]} >= {"type", "member", "year"}


def test_api_search_refuses_a_limit_above_fifty(client: Client, db: None) -> None:
    response = client.get("/api/v1/search", {"q": "x", "limit": 500})

    assert response.status_code == 422


def test_a_record_is_indexed_once_its_transaction_commits(
    world: DocsWorld, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.publish_statement(
            system_actor(),
            key="fundar-2017",
            title="Declaración sobre el espionaje",
            issued_on=world.statement.issued_on,
            issuer_label="Fundar",
            member=world.member,
            text="Pedimos una investigación independiente.",
        )

    assert ids(client.get("/search.json", {"q": "espionaje"})) == ["statement/fundar-2017"]


def test_a_retracted_record_leaves_the_index(
    world: DocsWorld, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.retract(system_actor(), world.letter, reason="Registered twice.")

    assert "letter/mx-2017-0012" not in ids(client.get("/search.json", {"q": "vigilancia"}))


def test_reindex_command_rebuilds_the_index(world: DocsWorld, client: Client) -> None:
    SearchEntry.objects.all().delete()
    assert ids(client.get("/search.json", {"q": "vigilancia"})) == []

    result = CliRunner().invoke(app, ["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "records indexed" in result.output
    assert ids(client.get("/search.json", {"q": "vigilancia"})) == ["letter/mx-2017-0012"]
    assert SearchEntry.objects.count() == search.records_to_index()


def test_query_parsing_keeps_only_words_and_phrases() -> None:
    query = search.Query.parse('Rendición "de cuentas" OR -x:* (y)')

    assert query.terms == [["de", "cuentas"], ["rendición"], ["or"], ["x"], ["y"]]
    assert query.fts5() == '"de cuentas"* "rendición"* "or"* "x"* "y"*'
    assert query.tsquery() == "(de <-> cuentas:*) & rendición:* & or:* & x:* & y:*"
