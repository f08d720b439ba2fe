"""A log of N entries for the proof benchmark: built with bulk inserts, cached on SQLite.

The rows are what ``append_version`` would have written for N ``person`` records (one
``RecordVersion``, one ``LogEntry``, the ``TreeNode`` rows each batch completes, and the
head), computed in batches with ``merkle.nodes_for_append`` and inserted with multi-row
``INSERT`` statements (``COPY`` on PostgreSQL) through Django's connection
(``insert_rows``; ``bulk_create``'s per-object work made a 1,000,000-entry build take
minutes).  The append-only triggers stay
installed: they allow inserts, and the head only moves forward.  Entry bytes come from a
template of the canonical commitment JSON, checked against ``storage.entry_bytes`` on a
sample.

On SQLite the built database is copied to ``var/bench-cache/`` and later runs start from a
copy of it (``before_setup``), so the expensive part happens once per machine.  The cache
name carries a digest of the core and ledger migrations: when they change it is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Context

#: Bump when the rows built here change.
BUILD_VERSION = 2
BATCH = 10_000
BASE_AT = dt.datetime(2017, 5, 23, tzinfo=dt.UTC)


def _package_dir() -> Path:
    spec = importlib.util.find_spec("tripartite")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the tripartite package is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations)))


def cache_file(ctx: Context, size: int) -> Path:
    """``var/bench-cache/ledger-<size>-<digest>.sqlite3`` for the current schema."""
    digest = hashlib.sha256(f"build {BUILD_VERSION}".encode())
    package = _package_dir()
    for app in ("core", "ledger"):
        for path in sorted((package / app / "migrations").glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return ctx.cache_dir / f"ledger-{size}-{digest.hexdigest()[:12]}.sqlite3"


def proof_tree_size(ctx: Context) -> int:
    return int(ctx.pick(1_000_000, 100_000))


def before_setup(ctx: Context) -> None:
    """On SQLite, start from a copy of the cached log when there is one."""
    if ctx.sqlite_path is None:
        return
    cached = cache_file(ctx, proof_tree_size(ctx))
    if cached.exists():
        ctx.say(f"copying the cached log {cached.name}")
        shutil.copyfile(cached, ctx.sqlite_path)


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def _key(index: int) -> str:
    return f"bench-{index:07d}"


def content_of(index: int) -> dict[str, Any]:
    """The record content of version 1 of ``person/bench-<index>``."""
    return {
        "id": f"person/{_key(index)}",
        "name": f"Person {index}",
        "role_title": "",
        "type": "person",
    }


def _content_sha256(index: int) -> str:
    # RFC 8785 of content_of(index), written out (checked against core.canonical on a sample).
    key = _key(index)
    text = f'{{"id":"person/{key}","name":"Person {index}","role_title":"","type":"person"}}'
    return hashlib.sha256(text.encode()).hexdigest()


def entry_data(index: int) -> tuple[str, dt.datetime, bytes]:
    """(content SHA-256, time, the log entry's bytes) of record ``index``: the canonical JSON
    of its commitment, as ``storage.entry_bytes`` makes it (checked on a sample)."""
    sha = _content_sha256(index)
    at = BASE_AT + dt.timedelta(seconds=index)
    data = (
        f'{{"at":"{at.isoformat()}","id":"person/{_key(index)}","op":"create",'
        f'"sha256":"{sha}","type":"person","version":1}}'
    )
    return sha, at, data.encode()


def version_fields(index: int, sha: str, at: dt.datetime) -> dict[str, Any]:
    """The ``RecordVersion`` of record ``index`` (actor: none, as for imported records)."""
    return {
        "id": index + 1,
        "record_type": "person",
        "record_key": _key(index),
        "version": 1,
        "op": "create",
        "content": content_of(index),
        "sha256": sha,
        "at": at,
        "actor": None,
        "reason": "",
    }


def insert_rows(
    model: Any, names: list[str], rows: list[tuple[Any, ...]], per_statement: int
) -> None:
    """Insert ``rows`` (values already adapted for the backend) in few statements.

    Multi-row ``INSERT … VALUES`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL.  The
    columns come from the model's metadata and the statement goes through Django's
    connection; it skips the per-object work of ``bulk_create`` (model instances, field
    preparation), which made a 1,000,000-entry build take minutes.
    """
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERT
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        for first in range(0, len(rows), per_statement):
            part = rows[first : first + per_statement]
            values = ", ".join([one] * len(part))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 (placeholders)
                [value for row in part for value in row],
            )


VERSION_COLUMNS = list(version_fields(0, "", BASE_AT))


# --------------------------------------------------------------------------
# Build or load
# --------------------------------------------------------------------------


@dataclass
class Tree:
    size: int
    root: bytes
    #: The same tree in memory (``merkle.InMemoryHashStore``), the proofs' baseline.
    store: Any


def prepare(ctx: Context) -> Tree:
    """The log of ``proof_tree_size`` entries in the database, and the same tree in memory."""
    from tripartite.ledger.storage import read_head

    size = proof_tree_size(ctx)
    head_size, head_root = read_head()
    if head_size == 0:
        return _build(ctx, size)
    if head_size != size:
        raise RuntimeError(f"the benchmark database holds a log of {head_size}, not {size}")
    start = time.monotonic()
    store = _load_store(size)
    if store_root(store) != head_root:
        raise RuntimeError("the cached log's leaves do not hash to its head's root")
    ctx.notes.append(
        f"proofs/{ctx.database}: the {size:,}-entry log was copied from the cache "
        f"`var/bench-cache/{cache_file(ctx, size).name}` (its in-memory twin rebuilt from the "
        f"stored leaf hashes in {time.monotonic() - start:.1f} s)"
    )
    return Tree(size, head_root, store)


def store_root(store: Any) -> bytes:
    from tripartite.ledger.merkle import root_at

    return root_at(store.size, store)


def _load_store(size: int) -> Any:
    from tripartite.ledger.merkle import InMemoryHashStore
    from tripartite.ledger.models import LogEntry

    store = InMemoryHashStore()
    batch: list[bytes] = []
    rows = LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)
    for value in rows.iterator(chunk_size=BATCH):
        batch.append(bytes(value))
        if len(batch) == BATCH:
            store.append_leaf_hashes(batch)
            batch = []
    if batch:
        store.append_leaf_hashes(batch)
    if store.size != size:
        raise RuntimeError(f"the log holds {store.size} entries, its head says {size}")
    return store


def _build(ctx: Context, size: int) -> Tree:
    from django.db import connection, transaction

    from tripartite.core.canonical import canonical_sha256
    from tripartite.core.models import RecordVersion
    from tripartite.ledger.merkle import InMemoryHashStore, leaf_hash, nodes_for_append
    from tripartite.ledger.models import HEAD_ID, LogEntry, TreeHead, TreeNode
    from tripartite.ledger.storage import entry_bytes

    ctx.say(f"building a log of {size:,} entries (batches of {BATCH:,})")
    started = time.monotonic()
    ops = connection.ops
    store = InMemoryHashStore()
    for first in range(0, size, BATCH):
        versions, entries, leaves = [], [], []
        for index in range(first, min(size, first + BATCH)):
            sha, at, data = entry_data(index)
            fields = version_fields(index, sha, at)
            if index % 50_000 == 0:  # the template is what the application would log
                version = RecordVersion(**fields)
                if sha != canonical_sha256(content_of(index)) or data != entry_bytes(version):
                    raise RuntimeError("the entry template differs from what the log would hold")
            fields["content"] = ops.adapt_json_value(fields["content"], None)
            fields["at"] = ops.adapt_datetimefield_value(at)
            versions.append(tuple(fields.values()))
            leaf = leaf_hash(data)
            entries.append((index, data, leaf, index + 1))
            leaves.append(leaf)
        nodes = nodes_for_append(store.size, leaves, store)
        store.put_hashes(nodes)
        store.size += len(leaves)
        with transaction.atomic():
            insert_rows(RecordVersion, VERSION_COLUMNS, versions, 500)
            insert_rows(LogEntry, ["index", "data", "leaf_hash", "record_version"], entries, 2000)
            insert_rows(
                TreeNode,
                ["level", "index", "hash"],
                [(level, index, value) for (level, index), value in nodes.items()],
                3000,
            )
        if first and first % 200_000 == 0:
            ctx.say(f"  {first:,} entries, {time.monotonic() - started:.0f} s")
    root = store_root(store)
    with transaction.atomic():
        TreeHead.objects.filter(pk=HEAD_ID).update(size=size, root=root)
    seconds = time.monotonic() - started
    where = "not cached (PostgreSQL is built in every run)"
    if ctx.sqlite_path is not None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cached = cache_file(ctx, size)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        shutil.copyfile(ctx.sqlite_path, partial)
        partial.replace(cached)
        for stale in cached.parent.glob(f"ledger-{size}-*.sqlite3"):
            if stale != cached:
                stale.unlink()
        where = f"cached as `var/bench-cache/{cached.name}` for later runs"
    ctx.notes.append(
        f"proofs/{ctx.database}: the {size:,}-entry log ({size:,} versions, {size:,} entries, "
        f"{store.node_count():,} tree nodes) was built in {seconds:.0f} s with "
        f"{'COPY' if connection.vendor == 'postgresql' else 'multi-row INSERTs'} "
        f"(append-only triggers in place); {where}"
    )
    return Tree(size, root, store)
