"""The attacker of the tamper tests: someone with raw access to the database, who removes
the append-only guards (triggers) to rewrite history. Shared by the ledger's tamper tests
and the mirror tests (import the fixture into the test module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from tripartite.ledger import storage


@pytest.fixture
def attacker() -> Iterator[None]:
    """Remove the append-only guards as an attacker with database access would (raw SQL).

    The guards are put back afterwards so that later tests find the database as migrated.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
            tables: list[str] = []
        else:
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            storage.install_append_only_triggers(connection)
        else:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        assert storage.expected_triggers(connection.vendor) <= storage.installed_triggers(
            connection
        )
