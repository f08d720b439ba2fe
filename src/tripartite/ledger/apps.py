"""The Django side of the transparency log (docs/subsystems/ledger.md).

The pure modules of this package (merkle, note, checkpoint, tiles, proof, policy) never import
Django; this app adds the tables, the append in the writer's transaction, the checkpointer and
the public endpoints around them.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    from .storage import register_sqlite_functions

    register_sqlite_functions(connection)


def _on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Only once per migrate run (the signal is sent for every app), and only when the
    # tables exist; reinstalls triggers a later migration dropped by remaking a table (SQLite).
    if getattr(sender, "label", None) != LedgerConfig.label:
        return
    from django.db import connections

    from .storage import install_append_only_triggers, ledger_tables_exist

    connection = connections[using]
    if ledger_tables_exist(connection):
        install_append_only_triggers(connection)


class LedgerConfig(AppConfig):
    name = "tripartite.ledger"
    label = "ledger"
    verbose_name = _("Public log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_on_connection_created, dispatch_uid="tripartite.ledger.sqlite")
        post_migrate.connect(_on_post_migrate, dispatch_uid="tripartite.ledger.triggers")
