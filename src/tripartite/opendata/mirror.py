"""Mirroring: a verified, read-only copy of another instance's log and records.

``run_mirror(url)`` runs the independent monitor (``ledger.monitor.Monitor``) against the
source with two additions: its state (pinned key and policy, last accepted checkpoint,
compact range, record versions seen) lives in this database (``MirrorSource.state``), and a
sink stores what the run verified:

* every entry of the log after the last mirrored size (``MirrorEntry``);
* every record version whose canonical bytes hash to the SHA-256 its entry holds
  (``MirrorRecordVersion``).  A version the source serves altered is reported
  (``record-hash``) and never stored; the copy verified earlier stays.

So a mirror accepts exactly what ``tripartite verify URL`` accepts: the checkpoint's
signature (key pinned on first use or given), the witness quorum if a policy is given or
pinned, consistency with the previously mirrored checkpoint, the tree rebuilt from tiles
and entries, and each record against its entry.  Re-running fetches only the entries
after the last mirrored size (plus versions that failed before); ``full=True`` re-fetches
every record version and reports any the source now serves altered.

Writes go in short batches (never one long transaction: on SQLite a mirror run must not
hold the write lock that the instance's own services need).  Rows of a run that did not
check out are removed at its end, and any left by an interrupted run are removed at the
start of the next; ``verified_size`` is set only when the run's state is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from rich.console import Console

from tripartite.ledger.merkle import EMPTY_ROOT
from tripartite.ledger.monitor import (
    DEFAULT_TIMEOUT,
    LoggedEntry,
    Monitor,
    MonitorReport,
    MonitorState,
    check_base_url,
    frontier_append,
    frontier_root,
    parse_entry,
)

from .mirror_models import MirrorEntry, MirrorRecordVersion, MirrorSource

ENTRY_BATCH = 500
RECORD_BATCH = 100
RECORD_BATCH_BYTES = 8 * 1024 * 1024


class MirrorError(Exception):
    """The mirror cannot run (bad URL, an origin already mirrored from elsewhere)."""


@dataclass
class MirrorResult:
    source: MirrorSource
    report: MonitorReport
    entries_stored: int = 0
    versions_stored: int = 0
    #: Versions the source served altered of which this mirror keeps a verified copy.
    kept: int = 0


def origin_slug(origin: str) -> str:
    return slugify(re.sub(r"[/.:]+", "-", origin))[:255] or "log"


class _DatabaseStateStore:
    """The monitor's state in ``MirrorSource.state``; saving it commits the run."""

    def __init__(self, source: MirrorSource, sink: _Sink) -> None:
        self.source = source
        self.sink = sink

    def load(self) -> MonitorState | None:
        return MonitorState.from_json(self.source.state) if self.source.state else None

    def save(self, state: MonitorState) -> None:
        self.sink.flush()
        source = self.source
        if state.origin and source.origin not in (None, state.origin):
            raise MirrorError(
                f"{source.base_url} now serves the log {state.origin!r}, not {source.origin!r}"
            )
        with transaction.atomic():
            source.origin = state.origin
            source.slug = source.slug or origin_slug(state.origin or source.base_url)
            source.log_key = state.log_key or ""
            source.size = state.size
            source.root_hex = state.root_hash.hex() if state.size else ""
            source.checkpoint = state.checkpoint or ""
            source.state = state.to_json()
            source.verified_at = timezone.now()
            try:
                with transaction.atomic():
                    source.save()
            except IntegrityError as exc:
                raise MirrorError(
                    f"the log {state.origin!r} is already mirrored from another address"
                ) from exc
            MirrorRecordVersion.objects.filter(source=source, verified_size=None).update(
                verified_size=state.size
            )


class _Sink:
    """Stores verified entries and record versions in batches."""

    def __init__(self, source: MirrorSource) -> None:
        self.source = source
        self.entries: list[MirrorEntry] = []
        self.records: list[MirrorRecordVersion] = []
        self.record_bytes = 0
        self.entries_stored = 0
        self.versions_stored = 0

    def entry(self, index: int, data: bytes, entry: LoggedEntry | None) -> None:
        self.entries.append(MirrorEntry(source=self.source, index=index, data=data))
        if len(self.entries) >= ENTRY_BATCH:
            self._flush_entries()

    def record(self, entry: LoggedEntry, data: bytes) -> None:
        self.records.append(
            MirrorRecordVersion(
                source=self.source,
                record_type=entry.type,
                record_key=entry.key,
                version=entry.version,
                op=entry.op,
                at=entry.at,
                entry_index=entry.index,
                sha256=entry.sha256,
                content=data,
                verified_size=None,
            )
        )
        self.record_bytes += len(data)
        if len(self.records) >= RECORD_BATCH or self.record_bytes >= RECORD_BATCH_BYTES:
            self._flush_records()

    def _flush_entries(self) -> None:
        if self.entries:
            # ignore_conflicts: a full re-run passes entries this mirror already holds.
            MirrorEntry.objects.bulk_create(self.entries, ignore_conflicts=True)
            self.entries_stored += len(self.entries)
            self.entries = []

    def _flush_records(self) -> None:
        if self.records:
            # ignore_conflicts: a version already mirrored keeps its first verified copy.
            before = MirrorRecordVersion.objects.filter(source=self.source).count()
            MirrorRecordVersion.objects.bulk_create(self.records, ignore_conflicts=True)
            after = MirrorRecordVersion.objects.filter(source=self.source).count()
            self.versions_stored += after - before
            self.records, self.record_bytes = [], 0

    def flush(self) -> None:
        self._flush_entries()
        self._flush_records()


def _discard_unverified(source: MirrorSource) -> None:
    """Remove rows of a run whose state was not saved (failed or interrupted)."""
    MirrorEntry.objects.filter(source=source, index__gte=source.size).delete()
    MirrorRecordVersion.objects.filter(source=source, verified_size=None).delete()


def run_mirror(
    url: str,
    log_vkey: str | None = None,
    policy: str | None = None,
    *,
    full: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = False,
    console: Console | None = None,
    **options: Any,
) -> MirrorResult:
    """Mirror the instance at ``url`` once (see the module docstring)."""
    base_url = check_base_url(url)
    source, _created = MirrorSource.objects.get_or_create(base_url=base_url)
    _discard_unverified(source)
    sink = _Sink(source)
    monitor = Monitor(
        base_url,
        Path("mirror-state-in-database"),  # unused: the state store below replaces the file
        log_vkey,
        policy,
        full=full,
        timeout=timeout,
        progress=progress,
        console=console,
        state_store=_DatabaseStateStore(source, sink),
        sink=sink,
        **options,
    )
    report = monitor.run()
    source.refresh_from_db()
    if not report.state_advanced:
        _discard_unverified(source)
        sink.entries_stored = sink.versions_stored = 0
    kept = 0
    for d in report.discrepancies:
        if d.kind == "record-hash" and d.public_id and d.version:
            record_type, _sep, key = d.public_id.partition("/")
            kept += MirrorRecordVersion.objects.filter(
                source=source, record_type=record_type, record_key=key, version=d.version
            ).count()
    MirrorSource.objects.filter(pk=source.pk).update(
        last_run_at=timezone.now(), last_problems=len(report.discrepancies)
    )
    source.refresh_from_db()
    return MirrorResult(source, report, sink.entries_stored, sink.versions_stored, kept)


# --------------------------------------------------------------------------
# Checking a mirror's own copy (no network)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MirrorProblem:
    kind: str
    detail: str
    where: str | None = None

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where + ': ' if self.where else ''}{self.detail}"


def verify_mirror(source: MirrorSource) -> list[MirrorProblem]:
    """Re-check a mirror's stored copy against the checkpoint it verified.

    The checkpoint's signature with the pinned key; the stored entries rebuild its root;
    every stored record version hashes to its entry's SHA-256.  Streams the entries.
    """
    import hashlib

    from tripartite.ledger.checkpoint import CheckpointError, open_checkpoint
    from tripartite.ledger.merkle import leaf_hash
    from tripartite.ledger.note import KeyFormatError, NoteError, parse_verifier_key
    from tripartite.ledger.policy import verifiers_for

    problems: list[MirrorProblem] = []
    if not source.checkpoint:
        return [MirrorProblem("checkpoint", "nothing has been mirrored yet", str(source))]
    try:
        key = parse_verifier_key(source.log_key)
        signed = open_checkpoint(source.checkpoint.encode(), verifiers_for([key]))
    except (KeyFormatError, NoteError, CheckpointError) as exc:
        problems.append(MirrorProblem("checkpoint", f"the stored checkpoint fails: {exc}"))
        return problems
    checkpoint = signed.checkpoint
    if checkpoint.size != source.size:
        problems.append(MirrorProblem("checkpoint", "stored size and checkpoint differ"))
    frontier: list[bytes] = []
    expected = 0
    entries: dict[int, str] = {}
    rows = (
        MirrorEntry.objects.filter(source=source, index__lt=checkpoint.size)
        .order_by("index")
        .values_list("index", "data")
    )
    for index, data in rows.iterator(chunk_size=1000):
        if index != expected:
            problems.append(MirrorProblem("entries", f"entry {expected} is missing"))
            break
        raw = bytes(data)
        frontier_append(frontier, expected, leaf_hash(raw))
        expected += 1
        entry, _public_id, _problem = parse_entry(index, raw)
        if entry is not None:
            entries[index] = entry.sha256
    root = frontier_root(frontier) if expected else EMPTY_ROOT
    if expected != checkpoint.size or root != checkpoint.root_hash:
        problems.append(
            MirrorProblem("tree", "the stored entries do not rebuild the checkpoint's root")
        )
    versions = MirrorRecordVersion.objects.filter(source=source).values_list(
        "record_type", "record_key", "version", "entry_index", "content"
    )
    for record_type, key_, version, index, content in versions.iterator(chunk_size=200):
        digest = hashlib.sha256(bytes(content)).hexdigest()
        if entries.get(index) != digest:
            problems.append(
                MirrorProblem(
                    "record-hash",
                    f"the stored copy does not hash to entry {index}",
                    f"{record_type}/{key_} v{version}",
                )
            )
    return problems
