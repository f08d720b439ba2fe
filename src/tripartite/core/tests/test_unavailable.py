"""Database and storage faults give a clear 503 with Retry-After (core/unavailable.py).

The faults are real: another database connection holds a lock on the letters' table (on
SQLite a write lock; on PostgreSQL ``LOCK TABLE`` with a short ``lock_timeout`` on the
server's connection), PostgreSQL is asked for on a port where nothing listens, and the
kernel's ``/dev/full`` refuses a write with ENOSPC. The whole server under SIGKILL, a
locked SQLite file and a stopped PostgreSQL are in tests/system/test_database_faults.py.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler
from django.test import Client

from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.accounts.token_services import issue_token
from tripartite.core.actors import system_actor
from tripartite.core.unavailable import BUSY, DOWN, FULL, classify
from tripartite.forums.models import Letter
from tripartite.forums.tests import factories as ff
from tripartite.ledger.models import LogEntry

LETTERS_API = "/api/v1/letters"


def client() -> Client:
    """A client that gets the answer a browser would get: Django's test client otherwise
    re-raises an exception that a middleware turned into a response."""
    return Client(raise_request_exception=False)


@contextmanager
def letters_table_locked() -> Iterator[None]:
    """Another connection holds a lock on ``forums_letter`` until the block ends."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        other = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE forums_letter SET subject = subject WHERE 0")
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    settings = connection.settings_dict
    other_pg = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        other_pg.execute("LOCK TABLE forums_letter IN ACCESS EXCLUSIVE MODE")
        # PostgreSQL waits for a lock as long as it is told: the site's connection gives
        # up after a moment, as a production server with lock_timeout would.
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        yield
    finally:
        other_pg.rollback()
        other_pg.close()


@pytest.fixture
def token(transactional_db: None) -> str:
    ff.forum(ff.member("xx", "Exampleland"))
    user = get_user_model().objects.create_user(username="su", email="su@example.org")
    grant(user, Role.SUPPORT_UNIT)
    return issue_token(system_actor(), user=user, name="test")[1]


def register(token: str, reference: str = "SU-2017-001") -> Any:
    payload = {
        "reference": reference,
        "direction": "outbound",
        "letter_type": "other",
        "subject": "On the forum's next meeting",
        "sent_on": "2017-06-01",
        "member": "xx",
    }
    return client().post(
        LETTERS_API, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_write_to_a_locked_table_gets_503_problem_json_with_retry_after(token: str) -> None:
    with letters_table_locked():
        response = register(token)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["Retry-After"] == str(BUSY.retry_after)
    body = response.json()
    assert body["status"] == 503 and body["fault"] == "busy"
    assert "Nothing of this request was saved" in body["detail"]


def test_a_write_refused_for_a_lock_leaves_nothing_half_written(token: str) -> None:
    entries = LogEntry.objects.count()
    with letters_table_locked():
        register(token)
    assert not Letter.objects.exists()
    assert LogEntry.objects.count() == entries


def test_the_same_write_succeeds_once_the_lock_is_released(token: str) -> None:
    with letters_table_locked():
        assert register(token).status_code == 503
    response = register(token)
    assert response.status_code == 201, response.content
    assert Letter.objects.get().reference == "SU-2017-001"


def test_a_page_behind_a_lock_gets_the_503_page_in_the_visitors_language(token: str) -> None:
    with letters_table_locked():
        response = client().get("/letters/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(BUSY.retry_after)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert 'role="alert"' in html


def test_postgresql_refusing_connections_is_a_fault_that_passes(django_db_blocker: Any) -> None:
    import socket

    with socket.socket() as closed:  # a port that nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "tripartite",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    # A connection of its own, to a server that is not there (not the test database).
    with django_db_blocker.unblock(), pytest.raises(OperationalError) as caught:
        handler["default"].ensure_connection()
    assert classify(caught.value) == DOWN


def test_a_full_disk_is_a_fault_that_passes() -> None:
    with pytest.raises(OSError) as caught, open("/dev/full", "wb", buffering=0) as full:
        full.write(b"a record")
    assert caught.value.errno == errno.ENOSPC
    assert classify(caught.value) == FULL


def test_a_programming_error_is_not_called_a_passing_fault() -> None:
    with pytest.raises(sqlite3.OperationalError) as caught:
        sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table")
    wrapped = OperationalError(*caught.value.args)
    wrapped.__cause__ = caught.value
    assert classify(wrapped) is None
