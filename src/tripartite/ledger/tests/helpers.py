"""Helpers shared by the ledger tests that write records and read the log over HTTP."""

from __future__ import annotations

from django.test import Client

from tripartite.forums.tests import factories
from tripartite.ledger.storage import read_head


def write(count: int, prefix: str = "m") -> None:
    """Append ``count`` members, keyed after the log's current size."""
    start = read_head()[0]
    for i in range(count):
        factories.member(key=f"{prefix}{start + i}")


def get(client: Client, path: str) -> bytes:
    """A 200 answer's body."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:200])
    return bytes(response.content)
