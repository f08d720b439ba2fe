"""Append-only in the database itself: raw SQL UPDATE and DELETE fail on the log's tables and
on core_recordversion, on whichever database the suite runs (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories
from tripartite.ledger import services
from tripartite.ledger.models import Checkpoint, Cosignature, LogEntry, TreeHead, TreeNode
from tripartite.ledger.storage import (
    APPEND_ONLY_TABLES,
    HEAD_TABLE,
    expected_triggers,
    install_append_only_triggers,
    installed_triggers,
    maintenance,
    read_head,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_key(log_key: None) -> None:
    """Every test here signs with a fresh key (see conftest)."""


@pytest.fixture
def filled() -> None:
    """A row in every guarded table: versions, entries, nodes, a checkpoint, a cosignature."""
    factories.member(key="a")
    factories.member(key="b")
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None
    Cosignature.objects.create(
        checkpoint=checkpoint,
        witness="w1",
        sector="civil_society",
        key_name="witness.example",
        key_id="00000000",
        timestamp=1,
        line="— witness.example AAAA\n",
    )


def execute(sql: str) -> None:
    """Run raw SQL in a savepoint, so a refused statement leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


UPDATES = {
    "core_recordversion": "UPDATE core_recordversion SET sha256 = 'forged'",
    "ledger_logentry": "UPDATE ledger_logentry SET record_version_id = record_version_id",
    "ledger_treenode": "UPDATE ledger_treenode SET level = level",
    "ledger_checkpoint": "UPDATE ledger_checkpoint SET size = 0",
    "ledger_cosignature": "UPDATE ledger_cosignature SET witness = 'someone else'",
}


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_raw_update_fails(table: str) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        execute(UPDATES[table])


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_raw_delete_fails(table: str) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        execute(f"DELETE FROM {table}")


@pytest.mark.usefixtures("filled")
def test_nothing_was_changed_by_the_refused_statements() -> None:
    counts = [RecordVersion.objects.count(), LogEntry.objects.count(), TreeNode.objects.count()]
    for table in APPEND_ONLY_TABLES:
        for sql in (UPDATES[table], f"DELETE FROM {table}"):
            with pytest.raises(IntegrityError):
                execute(sql)
    assert [RecordVersion.objects.count(), LogEntry.objects.count(), TreeNode.objects.count()] == (
        counts
    )
    assert RecordVersion.objects.filter(sha256="forged").count() == 0


@pytest.mark.usefixtures("filled")
def test_the_orm_is_refused_too() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LogEntry.objects.filter(index=0).update(data=b"forged")
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordVersion.objects.filter(record_key="a").delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkpoint.objects.all().delete()


@pytest.mark.usefixtures("filled")
def test_the_head_only_moves_forward_and_cannot_be_deleted() -> None:
    size, _root = read_head()
    with pytest.raises(IntegrityError, match="forward"):
        execute(f"UPDATE {HEAD_TABLE} SET size = {size - 1}")
    with pytest.raises(IntegrityError, match="forward"), transaction.atomic():
        TreeHead.objects.filter(pk=1).update(root=b"\x00" * 32)  # same size, another root
    with pytest.raises(IntegrityError, match="append-only"):
        execute(f"DELETE FROM {HEAD_TABLE}")
    assert read_head()[0] == size


def test_every_trigger_is_installed() -> None:
    assert expected_triggers(connection.vendor) <= installed_triggers(connection)


def test_reinstalling_the_triggers_is_idempotent_and_restores_a_missing_one() -> None:
    table = "ledger_logentry"
    name = f"{table}_no_update" if connection.vendor == "sqlite" else f"{table}_append_only"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER {name}"
            if connection.vendor == "sqlite"
            else f"DROP TRIGGER {name} ON {table}"
        )
    assert name not in installed_triggers(connection)
    install_append_only_triggers(connection)
    install_append_only_triggers(connection)
    assert expected_triggers(connection.vendor) <= installed_triggers(connection)


def test_deleting_a_user_leaves_the_versions_they_wrote_untouched() -> None:
    from tripartite.forums import services as forum_services
    from tripartite.forums.tests.editing import user

    editor = user("editor", staff=True)  # holds the Support Unit role, with MFA

    forum_services.create_member(editor, key="xx", name="X", kind="country")
    version = RecordVersion.objects.get(record_key="xx")
    assert version.actor_id == editor.pk
    editor.delete()  # no SET NULL on versions: that would be an UPDATE
    version = RecordVersion.objects.select_related("actor").get(record_key="xx")
    assert version.actor_id is not None
    assert version.actor is None  # shown as "not recorded"


def wipe(table: str) -> str:
    """How ``flush`` empties a table: row-by-row DELETE on SQLite, TRUNCATE on PostgreSQL."""
    if connection.vendor == "sqlite":
        return f"DELETE FROM {table}"
    return f"TRUNCATE {table} CASCADE"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize("table", [*APPEND_ONLY_TABLES, HEAD_TABLE])
def test_emptying_a_table_the_way_flush_does_fails_outside_maintenance(table: str) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        execute(wipe(table))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("filled")
def test_maintenance_lets_only_a_flush_through() -> None:
    """Inside ``maintenance`` the way flush empties a table works; nothing else does."""
    with maintenance(connection):
        execute(wipe("ledger_cosignature"))
        with pytest.raises(IntegrityError, match="append-only"):
            execute("UPDATE ledger_checkpoint SET size = 0")
        if connection.vendor == "postgresql":
            with pytest.raises(IntegrityError, match="append-only"):
                execute("DELETE FROM ledger_checkpoint")
    assert Cosignature.objects.count() == 0
    with pytest.raises(IntegrityError, match="append-only"):
        execute(wipe("ledger_checkpoint"))  # the door is closed again


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("filled")
def test_flush_still_empties_the_database() -> None:
    """Only a whole-database flush (as the test suite does between tests) may remove rows."""
    call_command("flush", interactive=False, verbosity=0)
    assert (
        RecordVersion.objects.count(),
        LogEntry.objects.count(),
        Checkpoint.objects.count(),
    ) == (
        0,
        0,
        0,
    )
    factories.member(key="after-flush")  # the head is re-created on the next append
    assert read_head()[0] == 1
