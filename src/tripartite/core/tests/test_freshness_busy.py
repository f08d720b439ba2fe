"""A page never waits for a writer to catch its stamps up: when the write lock is taken
(another process writing), the page is rendered fresh, unstored and without validators."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from tripartite.core import page_cache
from tripartite.core.actors import system_actor
from tripartite.forums.tests import factories as forum_factories
from tripartite.plans import services as plan_services
from tripartite.plans.tests import factories as plan_factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="holds SQLite's database-wide write lock"
)


@contextmanager
def write_lock_held_elsewhere() -> Iterator[None]:
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_page_is_served_fresh_while_another_connection_writes(transactional_db: None) -> None:
    page_cache._page_cache().clear()
    plan = plan_factories.plan(forum_factories.member("xx", "Exampleland"), key="xx-3")
    assert "ETag" in Client().get("/plan/xx-3/")  # the stamps are up to date
    plan_services.update_record(system_actor(), plan, changes={"title": "Renamed plan"})

    with write_lock_held_elsewhere():
        started = time.monotonic()
        response = Client().get("/plan/xx-3/")
        waited = time.monotonic() - started

    assert response.status_code == 200
    assert "Renamed plan" in response.content.decode()
    assert "ETag" not in response  # nothing promised about a page the stamps do not know
    assert waited < 5  # far below the 10 s busy timeout a writer would wait: it did not queue
    assert "ETag" in Client().get("/plan/xx-3/")  # caught up once the writer is done
