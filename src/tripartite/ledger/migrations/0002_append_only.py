"""Append-only guards: triggers refuse UPDATE and DELETE on the log's tables and on
core_recordversion (SQLite and PostgreSQL SQL in ``tripartite.ledger.storage``), and the
head row of the empty log.

The same idempotent statements run again after every ``migrate`` (``apps.py``), because
SQLite drops a table's triggers when a later migration remakes the table.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from tripartite.ledger.merkle import EMPTY_ROOT
    from tripartite.ledger.storage import trigger_sql

    head = apps.get_model("ledger", "TreeHead")
    head.objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"size": 0, "root": EMPTY_ROOT}
    )
    for statement in trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from tripartite.ledger.storage import drop_trigger_sql

    for statement in drop_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_recordversion_actor_no_constraint"),
        ("ledger", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
