"""Properties of the search query parser (``documents.search.Query``) for arbitrary text.

Whatever a visitor types, parsing never raises, and the full-text query it becomes is
always valid syntax for the database in use: SQLite's FTS5 ``MATCH`` or PostgreSQL's
``to_tsquery`` in every configuration. Run on both databases in CI (DATABASE_URL).
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tripartite.documents import search

from .factories import DocsWorld

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200, database=None)
# Search runs against the database: fewer examples, and the fixture's data stays as it is.
AGAINST_THE_DATABASE = settings(
    derandomize=True,
    deadline=None,
    max_examples=60,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Text as typed, with the characters FTS5 and tsquery give meaning to made common.
SYNTAX = "\"*^:()&|!<>-+'\\.,;{}[]NEAR AND OR NOT"
queries = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(list(SYNTAX))), max_size=120
) | st.lists(st.sampled_from(['"', "*", "OR", "NOT", "-", "(", ")", "word", "é", ":", "&"])).map(
    " ".join
)


@DETERMINISTIC
@given(queries)
def test_parsing_any_text_gives_at_most_twelve_terms_of_lower_case_words(text: str) -> None:
    query = search.Query.parse(text)
    assert len(query.terms) <= search.MAX_TERMS
    for words in query.terms:
        assert words
        assert all(re.fullmatch(r"\w+", word) and word == word.lower() for word in words)


@DETERMINISTIC
@given(queries)
def test_the_fts5_query_of_any_text_is_valid_fts5_syntax(text: str) -> None:
    fts5 = search.Query.parse(text).fts5()
    with sqlite3.connect(":memory:") as db:
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
        db.execute("INSERT INTO t VALUES ('una sesión de participación')")
        if fts5:
            db.execute("SELECT count(*) FROM t WHERE t MATCH ?", [fts5]).fetchall()


@pytest.mark.django_db
@AGAINST_THE_DATABASE
@given(text=queries)
def test_the_tsquery_of_any_text_is_valid_in_every_postgresql_configuration(text: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: CI runs the suite again with DATABASE_URL on PostgreSQL")
    tsquery = search.Query.parse(text).tsquery()
    with connection.cursor() as cursor:
        for config in search.PG_CONFIGS:
            cursor.execute(f"SELECT to_tsquery('{config}', %s)::text", [tsquery])


@AGAINST_THE_DATABASE
@given(text=queries)
def test_searching_any_text_answers_without_error(world: DocsWorld, text: str) -> None:
    results = search.search(text)
    assert results.count >= len(results.items)


@AGAINST_THE_DATABASE
@given(text=queries)
def test_the_search_api_answers_any_text_with_200(world: DocsWorld, text: str) -> None:
    response = Client().get("/api/v1/search", {"q": text})
    assert response.status_code == 200, response.content[:300]
