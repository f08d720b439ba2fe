"""Test helpers: real key pairs registered through the service, and a dump of everything
the database holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connection

from tripartite.confidential import sealing, services
from tripartite.confidential.models import RecipientKey
from tripartite.core.actors import system_actor


def recipient(
    name: str = "Co-chair", role: str = "civil-society co-chair"
) -> tuple[RecipientKey, sealing.KeyPair]:
    """A recipient key registered by staff; the private half stays with the test."""
    pair = sealing.generate_key_pair()
    key = services.register_recipient_key(
        system_actor(), name=name, role=role, public_key=pair.public_b64
    )
    return key, pair


def _rendered(value: Any) -> Iterator[str]:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        yield value.hex()
        yield value.decode("utf-8", errors="ignore")
        yield value.decode("latin-1")
    elif value is not None:
        yield str(value)


def database_dump() -> str:
    """Every value of every table, as text (blobs as hex and as decoded text), plus, on
    SQLite, the engine's own SQL dump. What a thief of the database would have."""
    parts: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # introspected names only
            for row in cursor.fetchall():
                for value in row:
                    parts.extend(_rendered(value))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        parts.extend(connection.connection.iterdump())
    return "\n".join(parts)


def leaks(text: str, secret: str) -> bool:
    """Whether ``secret`` shows in ``text`` as itself, its UTF-8 hex, or JSON-escaped."""
    import json

    forms = {secret, secret.encode().hex(), json.dumps(secret)[1:-1]}
    return any(form in text for form in forms)
