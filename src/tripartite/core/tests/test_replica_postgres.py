"""Read-replica routing against a second PostgreSQL database (core/routers.py).

The test database is copied into a second database (``CREATE DATABASE … TEMPLATE``: a
real, separate copy, as a streaming replica would hold), which is then registered as the
``replica`` alias with the router and its middleware on, as ``DATABASE_REPLICA_URL`` does.
A row changed in the copy only shows which database a page was read from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tripartite.core.actors import system_actor
from tripartite.core.routers import PIN_COOKIE, REPLICA
from tripartite.forums import services
from tripartite.forums.models import Person
from tripartite.forums.tests.editing import user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the replica is a second PostgreSQL database",
    ),
    pytest.mark.django_db(transaction=True),
]

PAGE = "/person/ana-perez/"


def _server_url(name: str) -> str:
    conf = connections["default"].settings_dict
    user_part = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    return f"postgresql://{user_part}@{conf['HOST'] or 'localhost'}:{conf['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


@pytest.fixture
def replica(transactional_db: None, settings: Any) -> Iterator[str]:
    """The test database with one person, copied into a second database registered as
    ``replica`` and connected at once (Django's test guard refuses only connections that
    open later, to aliases it did not know when the test began)."""
    services.create_person(system_actor(), key="ana-perez", name="Ana Pérez")
    primary = connections["default"].settings_dict["NAME"]
    name = f"{primary}_replica"[:63]
    connections.close_all()  # a template must have no other session
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{primary}"')
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "NAME": name,
        "TEST": {"MIRROR": None, "NAME": name},
    }
    connections[REPLICA].connect()
    settings.DATABASE_ROUTERS = ["tripartite.core.routers.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tripartite.core.routers.ReplicaReadsMiddleware"]
    try:
        yield name
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        _admin(f'DROP DATABASE IF EXISTS "{name}"')


def _on_replica(sql: str, params: list[Any]) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql, params)


def test_public_pages_read_from_the_replica(replica: str, client: Client) -> None:
    _on_replica("UPDATE forums_person SET name = %s WHERE key = %s", ["Ana Replica", "ana-perez"])

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "Ana Replica" in response.content.decode()
    assert Person.objects.get(key="ana-perez").name == "Ana Pérez"  # the primary's row


def test_search_reads_from_the_replica(replica: str, client: Client) -> None:
    _on_replica(
        "UPDATE documents_searchentry SET title = %s WHERE record_key = %s",
        ["Zyxwvut only in the replica", "ana-perez"],
    )

    data = client.get("/search.json", {"q": "zyxwvut"}).json()

    assert [item["id"] for item in data["items"]] == ["person/ana-perez"]


def test_a_write_goes_to_the_primary_and_its_author_reads_it_back(
    replica: str, client: Client
) -> None:
    client.force_login(user("editor", staff=True))
    url = reverse("record-new-version", kwargs={"record_type": "person", "key": "ana-perez"})
    form = client.get(url).context["form"]
    data = {bound.html_name: bound.value() or "" for bound in form}
    data.update({"name": "Ana María Pérez", "reason": "The name was incomplete."})

    response = client.post(url, data)

    assert response.status_code == 303, response.content.decode()[:2000]
    assert response.cookies[PIN_COOKIE].value == "1"
    # The author, pinned to the primary, sees the new version at once…
    assert "Ana María Pérez" in client.get(PAGE).content.decode()
    # …which is on the primary only: the replica's copy (no replication here) still
    # holds the old name, and a visitor without the pin reads the replica.
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT name FROM forums_person WHERE key = %s", ["ana-perez"])
        assert cursor.fetchone() == ("Ana Pérez",)
    assert Person.objects.get(key="ana-perez").name == "Ana María Pérez"
    visitor = Client()
    text = visitor.get(PAGE).content.decode()
    assert "Ana Pérez" in text and "Ana María Pérez" not in text
