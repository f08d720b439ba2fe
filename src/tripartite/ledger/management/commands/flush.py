"""``manage.py flush`` that may also empty the append-only tables (``storage.maintenance``).

Flushing wipes the whole database, the public log included, so it is the one operation the
append-only triggers let through: SQLite's row-by-row DELETE, PostgreSQL's TRUNCATE.  The
test suite flushes between transactional tests; production has no reason to flush.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from tripartite.ledger.storage import maintenance


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with maintenance(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            super().handle(**options)
