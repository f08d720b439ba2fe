"""The read-replica router's rules (core/routers.py), on either database: which alias a
read goes to, and when the middleware pins a client to the primary.

These tests register a ``replica`` alias (a copy of the default's settings) without ever
querying it; test_replica_postgres.py proves the reads really reach a second database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test import Client

from tripartite.core.routers import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    ReplicaRouter,
    read_database,
    request_reads,
)
from tripartite.forums.models import Member, Person
from tripartite.ledger.models import LogEntry

MIDDLEWARE = "tripartite.core.routers.ReplicaReadsMiddleware"


@pytest.fixture
def replica_alias() -> Iterator[None]:
    """A ``replica`` alias that is known to the router (never connected to here)."""
    connections.settings[REPLICA] = {**connections.settings[PRIMARY], "TEST": {"MIRROR": None}}
    yield
    del connections.settings[REPLICA]


@pytest.fixture
def routed(settings: Any, replica_alias: None) -> None:
    settings.DATABASE_ROUTERS = ["tripartite.core.routers.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


def test_reads_outside_a_request_go_to_the_primary(replica_alias: None) -> None:
    # The worker, the checkpointer, the CLI and migrations never enter a request.
    assert read_database(Person) == PRIMARY


def test_public_reads_in_an_allowed_request_go_to_the_replica(replica_alias: None) -> None:
    with request_reads(replica_allowed=True):
        assert read_database(Person) == REPLICA
        assert read_database(Member) == REPLICA


def test_reads_of_a_pinned_or_unsafe_request_go_to_the_primary(replica_alias: None) -> None:
    with request_reads(replica_allowed=False):
        assert read_database(Person) == PRIMARY


@pytest.mark.parametrize("model", [get_user_model(), Session, LogEntry])
def test_accounts_sessions_and_the_ledger_always_read_the_primary(
    replica_alias: None, model: Any
) -> None:
    with request_reads(replica_allowed=True):
        assert read_database(model) == PRIMARY


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    with request_reads(replica_allowed=True):
        assert read_database(Person) == PRIMARY


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(replica_alias: None) -> None:
    with request_reads(replica_allowed=True), transaction.atomic():
        assert read_database(Person) == PRIMARY


def test_after_a_write_the_rest_of_the_request_reads_the_primary(replica_alias: None) -> None:
    router = ReplicaRouter()
    with request_reads(replica_allowed=True) as state:
        assert router.db_for_write(Person) == PRIMARY
        assert state.wrote
        assert read_database(Person) == PRIMARY


def test_migrations_never_run_on_the_replica() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "forums") is False
    assert router.allow_migrate(PRIMARY, "forums") is None


@pytest.mark.django_db
def test_a_safe_request_that_writes_nothing_sets_no_pin(client: Client, routed: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert PIN_COOKIE not in response.cookies


@pytest.mark.django_db
def test_a_post_pins_the_client_to_the_primary_for_a_while(
    client: Client, routed: None, settings: Any
) -> None:
    settings.TRIPARTITE_REPLICA_PIN_SECONDS = 7
    response = client.post("/search/", {})
    cookie = response.cookies[PIN_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == 7
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
