"""Freshness stamps: the newest log position that changed each part of the public record.

Every public page depends on a few *scopes*, and each scope has a stamp in the database
table ``core_freshness_stamp`` (migration ``core/0005``), shared by every app server:

* ``member/<key>`` — any record that belongs to that member (``accounts.roles.scope_of``):
  its forums, seats, meetings, letters, plans, commitments, progress, documents…
* ``shared`` — any record that belongs to no member (policy rows, translations…): every
  page may show one, so every page depends on it;
* ``type/<record type>`` — any record of that type, for the registers that list one type
  across all members (the letters register);
* ``record/<public id>`` — the record itself; its ``grp`` column remembers which member
  scope it belongs to, so a page learns its stamp in one query.

Stamps are positions in the transparency log (the log's size just after the entry that
changed them), so they only grow and a page's validator is the largest stamp it depends
on. They are derived *from the log* rather than written by the services: the first
request that sees the log larger than ``@indexed`` applies the new entries (``catch_up``).
Whatever wrote them (a service, the demo loader, a restore, another server), no page can
miss a change, and no writer pays for it. A backlog larger than ``CATCH_UP_LIMIT`` (a bulk
load) is not read entry by entry: it raises ``@floor``, which every scope counts as
changed, i.e. everything is fresh again once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, connections, transaction

TABLE = "core_freshness_stamp"
INDEXED = "@indexed"  # log entries below this position have been applied to the stamps
FLOOR = "@floor"  # every scope counts as changed at this position (after a bulk load)
SHARED = "shared"
CATCH_UP_LIMIT = 200
USING = "default"  # stamps are written on the primary


def _read_alias() -> str:
    """Where this request reads the public record from (a replica, when routed there):
    stamps are read from the same database, so a page is never keyed newer than the
    data it was rendered from."""
    from django.apps import apps
    from django.db import router

    return router.db_for_read(apps.get_model("forums", "Member")) or USING


def member_scope(member_key: str) -> str:
    return f"member/{member_key}"


def type_scope(record_type: str) -> str:
    return f"type/{record_type}"


def record_scope(public_id: str) -> str:
    return f"record/{public_id}"


@dataclass(frozen=True)
class Stamp:
    """The newest log position among a page's scopes, and when that write happened."""

    position: int
    changed_at: int  # Unix seconds
    # The leaf hash of the entry at ``position``: a restored database re-uses positions
    # with other entries, and a page stored by another process must not match them.
    leaf: str
    # The newest checkpoint and cosignature ("<id>.<id>"): they change what record pages
    # say about their place in the log without adding an entry.
    proofs: str = ""


_UPSERT = f"""
INSERT INTO {TABLE} (scope, position, changed_at, leaf, grp) VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (scope) DO UPDATE SET
  position = CASE WHEN excluded.position > {TABLE}.position
                  THEN excluded.position ELSE {TABLE}.position END,
  changed_at = CASE WHEN excluded.position > {TABLE}.position
                    THEN excluded.changed_at ELSE {TABLE}.changed_at END,
  leaf = CASE WHEN excluded.position > {TABLE}.position
              THEN excluded.leaf ELSE {TABLE}.leaf END,
  grp = CASE WHEN excluded.grp <> '' THEN excluded.grp ELSE {TABLE}.grp END
"""  # noqa: S608  (constant table name; values are parameters)

Row = tuple[int, int, str, str]  # position, changed_at, leaf, grp
NO_ROW: Row = (0, 0, "", "")


def _read(
    scopes: Sequence[str], via_record: str | None, alias: str = USING
) -> tuple[dict[str, Row], int]:
    """The rows of ``scopes`` (and of the scope ``via_record``'s row points to), the log's
    size (under ``@head``) and the newest checkpoint and cosignature (under ``@proofs``:
    record pages show which checkpoint covers them), in one query (one snapshot)."""
    from tripartite.ledger.models import HEAD_ID, Checkpoint, Cosignature, TreeHead

    connection = connections[alias]
    quote = connection.ops.quote_name
    head = quote(TreeHead._meta.db_table)
    checkpoints = quote(Checkpoint._meta.db_table)
    cosignatures = quote(Cosignature._meta.db_table)
    wanted = [INDEXED, FLOOR, SHARED, *scopes]
    marks = ", ".join(["%s"] * len(wanted))
    params: list[Any] = [*wanted]
    where = f"scope IN ({marks})"
    if via_record is not None:
        where += f" OR scope = (SELECT grp FROM {TABLE} WHERE scope = %s)"  # noqa: S608
        params.append(via_record)
    sql = (
        f"SELECT scope, position, changed_at, leaf, grp FROM {TABLE} WHERE {where}"  # noqa: S608
        f" UNION ALL SELECT '@head', size, 0, '', '' FROM {head} WHERE id = %s"
        f" UNION ALL SELECT '@proofs', COALESCE((SELECT MAX(id) FROM {checkpoints}), 0),"
        f" COALESCE((SELECT MAX(id) FROM {cosignatures}), 0), '', ''"
    )
    params.append(HEAD_ID)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {s: (int(p), int(c), str(h), str(g)) for s, p, c, h, g in cursor.fetchall()}
    size = rows.pop("@head", NO_ROW)[0]
    return rows, size


def _upsert(rows: Iterable[tuple[str, int, int, str, str]]) -> None:
    # Sorted, so two servers catching up at once lock the same rows in the same order.
    ordered = sorted(rows)
    if ordered:
        with connections[USING].cursor() as cursor:
            cursor.executemany(_UPSERT, ordered)


def group_of(record_type: str, key: str) -> str | None:
    """The member scope a record belongs to, ``shared``, or None when there is no such
    record."""
    from tripartite.accounts.roles import scope_of
    from tripartite.documents.records import record_models

    model = record_models().get(record_type)
    record = model._default_manager.filter(key=key).first() if model else None
    if record is None:
        return None
    member = scope_of(record).member
    return member_scope(member.key) if member is not None else SHARED


class Busy(Exception):
    """The stamps could not be brought up to date without waiting for a writer: the page
    is then served as if it had no stamps (rendered, not stored, no validators)."""


#: How long a read may wait for the write lock its catch-up needs (milliseconds).
WAIT_MS = 50


@contextmanager
def _without_waiting() -> Iterator[None]:
    """A transaction on the stamps that gives up at once when a writer holds the lock.

    Catching up is a read's side job: a page must never queue behind a long write (on
    SQLite the whole database's write lock; on PostgreSQL another server's catch-up)."""
    connection = connections[USING]
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                (before,) = cursor.fetchone()
                cursor.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            try:
                with transaction.atomic(using=USING):
                    yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
        else:
            with transaction.atomic(using=USING):
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{WAIT_MS}ms'")
                yield
    except OperationalError as error:
        if "lock" not in str(error).lower():
            raise
        raise Busy from error


def catch_up() -> None:
    """Apply the log entries the stamps have not seen yet (nothing when none).
    Raises ``Busy`` rather than wait for a writer."""
    rows, size = _read([], None)
    indexed = rows.get(INDEXED, NO_ROW)[0]
    if indexed == size:
        return
    with _without_waiting():
        _apply(indexed, size)


def _apply(indexed: int, size: int) -> None:
    from tripartite.ledger.models import LogEntry

    now = int(time.time())
    if indexed > size or size - indexed > CATCH_UP_LIMIT:
        # A shorter log means the database was replaced (restore, flush): no old stamp
        # means anything. A long backlog is a bulk load: everything counts as changed.
        if indexed > size:
            with connections[USING].cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        last = LogEntry.objects.using(USING).filter(index=size - 1).values_list("leaf_hash")
        leaf = bytes(last[0][0]).hex() if size and last else ""
        _upsert([(FLOOR, size, now, leaf, ""), (INDEXED, size, now, leaf, "")])
        return
    entries = (
        LogEntry.objects.using(USING)
        .filter(index__gte=indexed, index__lt=size)
        .order_by("index")
        .values_list(
            "index",
            "record_version__record_type",
            "record_version__record_key",
            "record_version__at",
            "leaf_hash",
        )
    )
    previous = _previous_groups(
        [record_scope(f"{t}/{k}") for _i, t, k, _a, _h in entries]  # one query for all
    )
    last_at, leaf = now, ""
    for index, record_type, key, at, leaf_hash in entries:
        position, last_at, leaf = index + 1, int(at.timestamp()), bytes(leaf_hash).hex()
        own = record_scope(f"{record_type}/{key}")
        group = group_of(record_type, key) or SHARED
        scopes = {group, type_scope(record_type)}
        if previous.get(own, group) != group:
            scopes.add(previous[own])  # the record moved: its old member changed too
        previous[own] = group
        _upsert(
            [(own, position, last_at, leaf, group)]
            + [(s, position, last_at, leaf, "") for s in scopes]
        )
    _upsert([(INDEXED, size, last_at, leaf, "")])


def _previous_groups(record_scopes: list[str]) -> dict[str, str]:
    if not record_scopes:
        return {}
    unique = sorted(set(record_scopes))
    marks = ", ".join(["%s"] * len(unique))
    with connections[USING].cursor() as cursor:
        cursor.execute(f"SELECT scope, grp FROM {TABLE} WHERE scope IN ({marks})", unique)  # noqa: S608
        return {scope: grp for scope, grp in cursor.fetchall() if grp}


_PROOFS_AT: dict[tuple[int, int], int] = {}
# Cosignatures are stored a little after their witness signed them: Last-Modified may be
# later than the change, never earlier.
PROOFS_MARGIN_S = 60


def _proofs_time(checkpoint: int, cosignature: int) -> int:
    """When the newest checkpoint or cosignature appeared (Unix seconds); the same on
    every server, read once per process and state (two primary-key reads)."""
    key = (checkpoint, cosignature)
    if key not in _PROOFS_AT:
        from tripartite.ledger.models import Checkpoint, Cosignature

        if len(_PROOFS_AT) > 1000:
            _PROOFS_AT.clear()
        signed = Checkpoint.objects.filter(id=checkpoint).values_list("signed_at", flat=True)
        cosigned = Cosignature.objects.filter(id=cosignature).values_list("timestamp", flat=True)
        times = [int(t.timestamp()) for t in signed] + [int(t) for t in cosigned]
        newest = max(times) + PROOFS_MARGIN_S if times else 0
        now = int(time.time())
        if newest > now:
            return now  # within the margin: asked again next time, so servers converge
        _PROOFS_AT[key] = newest
    return _PROOFS_AT[key]


def _newest(rows: dict[str, Row], scopes: Iterable[str]) -> Stamp:
    checkpoint, cosignature, _leaf, _grp = rows.get("@proofs", NO_ROW)
    proofs_at = _proofs_time(checkpoint, cosignature)
    found = [rows[s] for s in scopes if s in rows]
    position, changed_at, leaf, _grp = max(found) if found else NO_ROW
    return Stamp(position, max(changed_at, proofs_at), leaf, f"{checkpoint}.{cosignature}")


def _current(scopes: Sequence[str], via_record: str | None = None) -> dict[str, Row]:
    alias = _read_alias()
    rows, size = _read(scopes, via_record, alias)
    if rows.get(INDEXED, NO_ROW)[0] != size:
        catch_up()
        # On a lagging replica the stamps may still trail its log: the page is then
        # rendered from data newer than its key, never older.
        rows, size = _read(scopes, via_record, alias)
    return rows


def log_stamp() -> Stamp:
    """The whole log: pages that may show any record."""
    return _newest(_current([]), [INDEXED])


def types_stamp(record_types: Iterable[str]) -> Stamp:
    """Registers across members: any record of these types (and shared records)."""
    scopes = [type_scope(t) for t in record_types]
    return _newest(_current(scopes), [FLOOR, SHARED, *scopes])


def record_stamp(record_type: str, key: str) -> Stamp:
    """A record's page: its member's scope (shared records: the whole log)."""
    own = record_scope(f"{record_type}/{key}")
    rows = _current([own], via_record=own)
    group = rows[own][3] if own in rows else ""
    if not group:
        # Not seen since the stamps began (loaded in bulk, or no such record): learn its
        # member once; its changes so far are all under @floor.
        found = group_of(record_type, key)
        if found is None:
            return _newest(rows, [INDEXED])
        group = found
        with _without_waiting():
            _upsert([(own, 0, 0, "", group)])
        rows[group] = _read([group], None, _read_alias())[0].get(group, NO_ROW)
    if group == SHARED:
        return _newest(rows, [INDEXED])
    return _newest(rows, [FLOOR, SHARED, own, group])
