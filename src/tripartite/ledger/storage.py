"""The log's storage on the Django database: hash reader, append, append-only guards.

* ``DatabaseHashReader`` implements ``merkle.HashReader`` over ``TreeNode``: any set of
  node keys in **one** query, so roots, proofs and tiles cost O(log n) rows.
* ``append_versions`` appends record versions' commitments inside the caller's transaction:
  it locks the head row once, adds the entries and the tree nodes they complete (multi-row
  INSERTs), and moves the head once; ``append_version`` is its one-version case.
  Indices are therefore dense (0..n-1) and unique under any number of concurrent writers:
  PostgreSQL serialises them on ``SELECT … FOR UPDATE`` of the head, SQLite on its single
  writer lock (the project opens write transactions with ``BEGIN IMMEDIATE``); the entry's
  primary key is its index, so a broken lock could only fail, never fork.
* ``install_append_only_triggers`` installs the triggers that refuse UPDATE and DELETE on
  the log's tables and on ``core_recordversion`` (vendor-specific SQL).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from tripartite.core.canonical import canonical_json

from .merkle import EMPTY_ROOT, NodeKey, leaf_hash, nodes_for_append, root_at, subtree_keys
from .models import HEAD_ID, LogEntry, TreeHead, TreeNode

if TYPE_CHECKING:
    from tripartite.core.models import RecordVersion


class LogStateError(RuntimeError):
    """The stored log is not in a state it can be extended or signed from."""


# --------------------------------------------------------------------------
# Reading node hashes
# --------------------------------------------------------------------------


def _ranges(indices: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted distinct indices as inclusive runs: [1, 2, 3, 7] → (1, 3), (7, 7)."""
    start = prev = indices[0]
    for index in indices[1:]:
        if index != prev + 1:
            yield start, prev
            start = index
        prev = index
    yield start, prev


def _keys_where(keys: Iterable[NodeKey], quote: Any) -> tuple[str, list[int]]:
    """A WHERE clause selecting the given node keys, as runs of consecutive indices.

    Written as SQL directly: building the equivalent chain of ``Q`` objects cost about
    ten times the query itself (docs/BENCHMARKS.md), on the path of every proof and append.
    """
    by_level: dict[int, set[int]] = {}
    for level, index in keys:
        by_level.setdefault(level, set()).add(index)
    level_col, index_col = quote(_NODE_LEVEL), quote(_NODE_INDEX)
    parts: list[str] = []
    params: list[int] = []
    for level, indices in sorted(by_level.items()):
        for first, last in _ranges(sorted(indices)):
            if first == last:
                parts.append(f"({level_col} = %s AND {index_col} = %s)")
                params += [level, first]
            else:
                parts.append(f"({level_col} = %s AND {index_col} BETWEEN %s AND %s)")
                params += [level, first, last]
    return " OR ".join(parts), params


_NODE_LEVEL = str(TreeNode._meta.get_field("level").column)
_NODE_INDEX = str(TreeNode._meta.get_field("index").column)
_NODE_HASH = str(TreeNode._meta.get_field("hash").column)


class DatabaseHashReader:
    """``merkle.HashReader`` over the ``TreeNode`` table: one query per ``get_hashes``.

    ``overlay`` holds nodes not (yet) in the table, e.g. those an append is about to write;
    they are served first and only the remaining keys are queried.
    """

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self.overlay: dict[NodeKey, bytes] = {}
        #: Queries made (for the O(log n) tests).
        self.queries = 0

    def get_hashes(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        found = {k: self.overlay[k] for k in keys if k in self.overlay}
        wanted = [k for k in keys if k not in found]
        if wanted:
            self.queries += 1
            connection = connections[self.using]
            quote = connection.ops.quote_name
            where, params = _keys_where(wanted, quote)
            # Only quoted column/table names and %s placeholders are interpolated.
            columns = f"{quote(_NODE_LEVEL)}, {quote(_NODE_INDEX)}, {quote(_NODE_HASH)}"
            table = quote(TreeNode._meta.db_table)
            sql = f"SELECT {columns} FROM {table} WHERE {where}"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for level, index, value in cursor.fetchall():
                    found[(level, index)] = bytes(value)
        return found

    def prefetch(self, keys: list[NodeKey]) -> None:
        """Load ``keys`` into the overlay in one query (missing ones stay missing)."""
        self.overlay.update(self.get_hashes(keys))


# --------------------------------------------------------------------------
# The head
# --------------------------------------------------------------------------


def read_head(using: str = "default") -> tuple[int, bytes]:
    """The current (size, root) without locking; (0, SHA-256("")) for an empty log."""
    row = TreeHead.objects.using(using).filter(pk=HEAD_ID).values_list("size", "root").first()
    if row is None:
        return 0, EMPTY_ROOT
    return row[0], bytes(row[1])


def lock_head(using: str = "default") -> TreeHead:
    """The head row, locked until the end of the current transaction (created if absent)."""
    locked = TreeHead.objects.using(using).select_for_update()
    head = locked.filter(pk=HEAD_ID).first()
    if head is None:
        # A fresh or flushed database: create the empty head; a concurrent creator wins
        # harmlessly (ON CONFLICT DO NOTHING), and both then queue on the same row lock.
        TreeHead.objects.using(using).bulk_create(
            [TreeHead(id=HEAD_ID, size=0, root=EMPTY_ROOT)], ignore_conflicts=True
        )
        head = locked.get(pk=HEAD_ID)
    return head


# --------------------------------------------------------------------------
# Appending
# --------------------------------------------------------------------------


def entry_bytes(version: RecordVersion) -> bytes:
    """What the log holds for a version: RFC 8785 canonical JSON of its commitment."""
    return canonical_json(version.commitment())


#: Rows per INSERT statement when a batch is written (SQLite's variable limit is applied
#: on top of this by Django): large enough that a batch costs a few statements per
#: thousand entries, small enough to keep each statement's parameters in memory.
INSERT_CHUNK = 2000


def append_version(version: RecordVersion, using: str = "default") -> LogEntry:
    """Append ``version``'s commitment to the log, in the caller's transaction.

    Call it right after the version row is created (``core.recording.save_record`` does):
    if the surrounding transaction rolls back, neither the version nor its entry exists.
    The one-version case of ``append_versions``.
    """
    return append_versions([version], using)[0]


def append_versions(versions: Sequence[RecordVersion], using: str = "default") -> list[LogEntry]:
    """Append the commitments of ``versions``, in order, in the caller's transaction.

    The head is locked and moved once, the old tree's right edge read once, and the
    entries and the nodes they complete are written with a few multi-row INSERTs: the
    stored tree is the one appending each version in turn would leave, byte for byte
    (``merkle.nodes_for_append`` computes the same nodes for a batch as for its leaves one
    by one), while the cost per entry falls from ~11 statements to a fraction of one.
    """
    if not connections[using].in_atomic_block:
        raise RuntimeError("append_version must run inside the writer's transaction")
    if not versions:
        return []
    return _append([entry_bytes(version) for version in versions], versions, using)


def _append(
    datas: Sequence[bytes], versions: Sequence[RecordVersion], using: str
) -> list[LogEntry]:
    head = lock_head(using)
    size = head.size
    leaves = [leaf_hash(data) for data in datas]
    reader = DatabaseHashReader(using)
    if size:
        # The old tree's maximal complete subtrees: every old node the new nodes and the
        # new root are built from (at most log2(size) + 1 rows, one query).
        reader.prefetch(subtree_keys(0, size))
    if size and root_at(size, reader) != bytes(head.root):
        raise LogStateError(
            f"the stored tree of size {size} does not hash to the head's root:"
            " the log's tables were changed outside the application"
        )
    new_nodes = nodes_for_append(size, leaves, reader)
    reader.overlay.update(new_nodes)
    new_size = size + len(leaves)
    root = root_at(new_size, reader)
    entries = [
        LogEntry(index=size + offset, data=data, leaf_hash=leaf, record_version=version)
        for offset, (data, leaf, version) in enumerate(zip(datas, leaves, versions, strict=True))
    ]
    _insert_many(
        LogEntry,
        ("index", "data", "leaf_hash", "record_version"),
        [(e.index, e.data, e.leaf_hash, e.record_version_id) for e in entries],
        using,
    )
    _insert_many(
        TreeNode,
        ("level", "index", "hash"),
        [(level, index, value) for (level, index), value in new_nodes.items()],
        using,
    )
    for entry in entries:
        entry._state.adding = False
        entry._state.db = using
    TreeHead.objects.using(using).filter(pk=HEAD_ID).update(
        size=new_size, root=root, updated_at=timezone.now()
    )
    return entries


def _insert_many(
    model: type[Any], fields: Sequence[str], rows: list[tuple[Any, ...]], using: str
) -> None:
    """INSERT ``rows`` with one prepared statement (``executemany``): the log's rows are
    plain values the append computed, and Django's ``bulk_create`` costs several times
    the database's own work per row in building each multi-row statement (the largest
    part of a batch append in docs/BENCHMARKS.md "generate")."""
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Only quoted column/table names and %s placeholders are interpolated.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            cursor.executemany(sql, rows[start : start + INSERT_CHUNK])


# --------------------------------------------------------------------------
# Append-only guards
# --------------------------------------------------------------------------

#: Tables whose rows may be inserted but never updated or deleted.
APPEND_ONLY_TABLES = (
    "core_recordversion",
    "ledger_logentry",
    "ledger_treenode",
    "ledger_checkpoint",
    "ledger_cosignature",
)
HEAD_TABLE = "ledger_treehead"
SQLITE_MAINTENANCE_FUNCTION = "tripartite_ledger_maintenance"
POSTGRESQL_MAINTENANCE_SETTING = "tripartite.ledger_maintenance"

_maintenance = threading.local()


@contextmanager
def maintenance(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Let a whole-database flush empty the append-only tables, and nothing else.

    Only ``manage.py flush`` uses it (it wipes the whole database, the log with it; the test
    suite flushes between transactional tests).  SQLite flushes with ``DELETE``: its DELETE
    triggers call a function that exists only in this application's connections and says
    yes only inside this block, in this thread; any other program (the ``sqlite3`` shell)
    fails on that function.  PostgreSQL flushes with ``TRUNCATE``, which row triggers do
    not see: statement triggers refuse it unless the session setting
    ``tripartite.ledger_maintenance`` is ``on``, which this block sets on ``connection``.
    UPDATE, and a DELETE on PostgreSQL, are refused whatever happens.
    """
    depth = getattr(_maintenance, "depth", 0)
    _maintenance.depth = depth + 1
    postgresql = connection is not None and connection.vendor == "postgresql"
    try:
        if postgresql:
            _set_postgresql_maintenance(connection, "on")
        yield
    finally:
        _maintenance.depth = depth
        if postgresql and depth == 0:
            # In a broken transaction the rollback undoes the setting anyway.
            with suppress(DatabaseError):
                _set_postgresql_maintenance(connection, "")


def _set_postgresql_maintenance(connection: Any, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [POSTGRESQL_MAINTENANCE_SETTING, value])


def _maintenance_active() -> int:
    return 1 if getattr(_maintenance, "depth", 0) > 0 else 0


def register_sqlite_functions(connection: BaseDatabaseWrapper) -> None:
    """Give a new SQLite connection the function the DELETE triggers consult."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_MAINTENANCE_FUNCTION, 0, _maintenance_active, deterministic=False
        )


def _sqlite_trigger_sql() -> list[str]:
    statements = []
    for table in APPEND_ONLY_TABLES:
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE is forbidden'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {SQLITE_MAINTENANCE_FUNCTION}() "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE is forbidden'); END",
        ]
    statements += [
        f"CREATE TRIGGER IF NOT EXISTS {HEAD_TABLE}_forward BEFORE UPDATE ON {HEAD_TABLE} "
        "WHEN NEW.id != OLD.id OR NEW.size < OLD.size "
        "OR (NEW.size = OLD.size AND NEW.root != OLD.root) "
        f"BEGIN SELECT RAISE(ABORT, '{HEAD_TABLE} only moves forward'); END",
        f"CREATE TRIGGER IF NOT EXISTS {HEAD_TABLE}_no_delete BEFORE DELETE ON {HEAD_TABLE} "
        f"WHEN NOT {SQLITE_MAINTENANCE_FUNCTION}() "
        f"BEGIN SELECT RAISE(ABORT, '{HEAD_TABLE} is append-only: DELETE is forbidden'); END",
    ]
    return statements


_PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION tripartite_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % is forbidden', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION tripartite_no_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{setting}', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% is append-only: TRUNCATE is forbidden', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """.replace("{setting}", POSTGRESQL_MAINTENANCE_SETTING),
    """
    CREATE OR REPLACE FUNCTION tripartite_log_head_forward() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '% is append-only: DELETE is forbidden', TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.id <> OLD.id OR NEW.size < OLD.size
           OR (NEW.size = OLD.size AND NEW.root <> OLD.root) THEN
            RAISE EXCEPTION '% only moves forward', TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
]


def _postgresql_trigger_sql() -> list[str]:
    statements = list(_PG_FUNCTIONS)
    for table in APPEND_ONLY_TABLES:
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tripartite_append_only()"
        )
    statements.append(
        f"CREATE OR REPLACE TRIGGER {HEAD_TABLE}_forward BEFORE UPDATE OR DELETE ON {HEAD_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION tripartite_log_head_forward()"
    )
    for table in (*APPEND_ONLY_TABLES, HEAD_TABLE):
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tripartite_no_truncate()"
        )
    return statements


def trigger_sql(vendor: str) -> list[str]:
    """The statements that install the guards on ``vendor`` (idempotent)."""
    if vendor == "sqlite":
        return _sqlite_trigger_sql()
    if vendor == "postgresql":
        return _postgresql_trigger_sql()
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def drop_trigger_sql(vendor: str) -> list[str]:
    """The statements that remove the guards (for unapplying the migration)."""
    if vendor == "sqlite":
        names = [f"{t}_no_update" for t in APPEND_ONLY_TABLES]
        names += [f"{t}_no_delete" for t in APPEND_ONLY_TABLES]
        names += [f"{HEAD_TABLE}_forward", f"{HEAD_TABLE}_no_delete"]
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in APPEND_ONLY_TABLES]
        statements += [
            f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}"
            for t in (*APPEND_ONLY_TABLES, HEAD_TABLE)
        ]
        statements += [
            f"DROP TRIGGER IF EXISTS {HEAD_TABLE}_forward ON {HEAD_TABLE}",
            "DROP FUNCTION IF EXISTS tripartite_append_only()",
            "DROP FUNCTION IF EXISTS tripartite_no_truncate()",
            "DROP FUNCTION IF EXISTS tripartite_log_head_forward()",
        ]
        return statements
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def install_append_only_triggers(connection: BaseDatabaseWrapper) -> None:
    """Install (or re-install) the append-only triggers on ``connection``'s database."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor):
            cursor.execute(statement)


def remove_append_only_triggers(connection: BaseDatabaseWrapper) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in drop_trigger_sql(connection.vendor):
            cursor.execute(statement)


def ledger_tables_exist(connection: BaseDatabaseWrapper) -> bool:
    tables = set(connection.introspection.table_names())
    return {*APPEND_ONLY_TABLES, HEAD_TABLE} <= tables


def installed_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """Names of the append-only triggers present in the database (for tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names: Any = cursor.fetchall()
    return {row[0] for row in names}


def expected_triggers(vendor: str) -> set[str]:
    if vendor == "sqlite":
        names = {f"{t}_no_update" for t in APPEND_ONLY_TABLES}
        names |= {f"{t}_no_delete" for t in APPEND_ONLY_TABLES}
        return names | {f"{HEAD_TABLE}_forward", f"{HEAD_TABLE}_no_delete"}
    names = {f"{t}_append_only" for t in APPEND_ONLY_TABLES} | {f"{HEAD_TABLE}_forward"}
    return names | {f"{t}_no_truncate" for t in (*APPEND_ONLY_TABLES, HEAD_TABLE)}
