"""The database checked against its own log: ``verify_local() -> list[Discrepancy]``.

What is checked (``tripartite verify --local`` prints the result):

1. **Versions.** Every ``RecordVersion``'s stored content still hashes to its ``sha256``;
   every version has exactly one log entry, whose bytes are the canonical JSON of the
   version's commitment; each record's versions run 1, 2, 3 … without a gap.
2. **Records.** Every current record row's ``to_record()`` hashes to its latest version's
   ``sha256`` and carries that version's number; no version belongs to a row that is gone.
   A record row changed directly in SQL is named here.
3. **Tree.** Entry indices run 0 … n-1 with n the head's size; every entry's leaf hash is
   the hash of its bytes; every stored tree node is recomputed, level by level, from the
   entries, and the recomputed root equals the head's root.
4. **Checkpoints.** Each verifies with a trusted log key (and its known witnesses'
   cosignatures with theirs), states the size and root stored beside it, matches the stored
   tree at its size, and is consistent with the next one (RFC 9162 consistency proof).

Everything streams in index order; memory holds one level of the tree at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Max, Min, OuterRef, Subquery

from tripartite.core.canonical import canonical_json, canonical_sha256
from tripartite.core.models import PublicRecord, RecordVersion

from . import keys
from .checkpoint import CheckpointError, open_checkpoint, parse_checkpoint
from .merkle import (
    EMPTY_ROOT,
    consistency_proof_at,
    leaf_hash,
    node_hash,
    root_at,
    subtree_keys,
    verify_consistency,
)
from .models import Checkpoint, LogEntry, TreeNode
from .note import NoteError, parse_note
from .policy import verifiers_for
from .storage import DatabaseHashReader, read_head

LOG_ID = "log"
#: Per check, how many individual problems are listed before a summary line.
MAX_LISTED = 20
_CHUNK = 2000


@dataclass(frozen=True)
class Discrepancy:
    """One problem: the record's public id (or ``log``), a short kind and what is wrong."""

    public_id: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.public_id}: {self.kind}: {self.detail}"


def verify_local() -> list[Discrepancy]:
    """Check the database against its own log; an empty list means all is well."""
    found: list[Discrepancy] = []
    found += _check_versions()
    found += _check_records()
    tree_ok, tree_problems = _check_tree()
    found += tree_problems
    found += _check_checkpoints(tree_ok)
    return found


def _capped(problems: Iterable[Discrepancy], kind: str) -> list[Discrepancy]:
    listed: list[Discrepancy] = []
    more = 0
    for problem in problems:
        if len(listed) < MAX_LISTED:
            listed.append(problem)
        else:
            more += 1
    if more:
        listed.append(Discrepancy(LOG_ID, kind, f"… and {more} more of the same kind"))
    return listed


def _entry_id(data: bytes) -> str:
    """The public id an entry names, for reporting (``log`` if it cannot be read)."""
    try:
        value = json.loads(data)
        return str(value["id"]) if isinstance(value, dict) and "id" in value else LOG_ID
    except (ValueError, UnicodeDecodeError):
        return LOG_ID


# --------------------------------------------------------------------------
# 1. Versions and their entries
# --------------------------------------------------------------------------


def _version_problems() -> Iterator[Discrepancy]:
    versions = RecordVersion.objects.select_related("log_entry").order_by("id")
    for version in versions.iterator(chunk_size=_CHUNK):
        label = f"version {version.version}"
        if canonical_sha256(version.content) != version.sha256:
            yield Discrepancy(
                version.public_id,
                "version-content",
                f"{label}: the stored content no longer hashes to its recorded SHA-256",
            )
        try:
            entry: LogEntry | None = version.log_entry
        except LogEntry.DoesNotExist:
            entry = None
        if entry is None:
            yield Discrepancy(version.public_id, "missing-entry", f"{label} has no log entry")
            continue
        if bytes(entry.data) != canonical_json(version.commitment()):
            yield Discrepancy(
                version.public_id,
                "entry-mismatch",
                f"{label}: log entry {entry.index} does not hold this version's commitment"
                " (type, id, version, operation, SHA-256 or time differ)",
            )


def _sequence_problems() -> Iterator[Discrepancy]:
    rows = (
        RecordVersion.objects.values("record_type", "record_key")
        .annotate(n=Count("id"), first=Min("version"), last=Max("version"))
        .order_by("record_type", "record_key")
    )
    for row in rows.iterator(chunk_size=_CHUNK):
        if (row["first"], row["last"]) != (1, row["n"]):
            yield Discrepancy(
                f"{row['record_type']}/{row['record_key']}",
                "version-sequence",
                f"{row['n']} versions numbered {row['first']} to {row['last']}:"
                " a version is missing or repeated",
            )


def _check_versions() -> list[Discrepancy]:
    return _capped(_version_problems(), "version") + _capped(
        _sequence_problems(), "version-sequence"
    )


# --------------------------------------------------------------------------
# 2. Current record rows
# --------------------------------------------------------------------------


def record_models() -> list[type[PublicRecord]]:
    """Every concrete model of a public record type."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PublicRecord) and model.RECORD_TYPE and not model._meta.abstract
    ]


def _record_problems(model: type[PublicRecord]) -> Iterator[Discrepancy]:
    record_type = model.RECORD_TYPE
    latest = RecordVersion.objects.filter(
        record_type=record_type, record_key=OuterRef("key")
    ).order_by("-version")
    rows = model._base_manager.all()
    if model.PRIVATE_UNTIL_MODERATED:
        rows = rows.exclude(version=0)  # submitted, not yet moderated: nothing to log yet
    rows = rows.annotate(
        latest_sha=Subquery(latest.values("sha256")[:1]),
        latest_version=Subquery(latest.values("version")[:1]),
    ).order_by("pk")
    for row in rows.iterator(chunk_size=_CHUNK):
        latest_sha = getattr(row, "latest_sha", None)
        latest_version = getattr(row, "latest_version", None)
        if latest_sha is None:
            yield Discrepancy(row.public_id, "record-unlogged", "the record has no version at all")
            continue
        if row.version != latest_version:
            yield Discrepancy(
                row.public_id,
                "record-version",
                f"the row says version {row.version}, its latest version is {latest_version}",
            )
        try:
            digest = canonical_sha256(row.to_record())
        except Exception as exc:  # a row too damaged to serialise is itself a finding
            yield Discrepancy(row.public_id, "record-row", f"cannot read the record: {exc}")
            continue
        if digest != latest_sha:
            yield Discrepancy(
                row.public_id,
                "record-row",
                f"the current row does not match version {latest_version}: its content hashes"
                f" to {digest}, the logged version to {latest_sha} (changed outside a service)",
            )
    orphans = (
        RecordVersion.objects.filter(record_type=record_type)
        .exclude(record_key__in=model._base_manager.values("key"))
        .values_list("record_key", flat=True)
        .distinct()
        .order_by("record_key")
    )
    for key in orphans.iterator(chunk_size=_CHUNK):
        yield Discrepancy(
            f"{record_type}/{key}", "record-missing", "the record has versions but no row"
        )


def _unknown_type_problems(known: set[str]) -> Iterator[Discrepancy]:
    others = (
        RecordVersion.objects.exclude(record_type__in=known)
        .values_list("record_type", flat=True)
        .distinct()
        .order_by("record_type")
    )
    for record_type in others:
        yield Discrepancy(
            f"{record_type}/", "record-type", f"versions of an unknown record type {record_type!r}"
        )


def _check_records() -> list[Discrepancy]:
    found: list[Discrepancy] = []
    models = record_models()
    for model in models:
        found += _capped(_record_problems(model), f"record ({model.RECORD_TYPE})")
    found += list(_unknown_type_problems({m.RECORD_TYPE for m in models}))
    return found


# --------------------------------------------------------------------------
# 3. Entries and the stored tree
# --------------------------------------------------------------------------


def _leaves(size: int, problems: list[Discrepancy]) -> list[bytes]:
    """Leaf hashes recomputed from the entries (index order); notes bad stored hashes."""
    leaves: list[bytes] = []
    bad: list[Discrepancy] = []
    rows = LogEntry.objects.order_by("index").values_list("index", "data", "leaf_hash")
    for index, data, stored in rows.iterator(chunk_size=_CHUNK):
        if index != len(leaves):
            problems.append(Discrepancy(LOG_ID, "entry-index", f"entry {len(leaves)} is missing"))
            break
        value = leaf_hash(bytes(data))
        if bytes(stored) != value:
            bad.append(
                Discrepancy(
                    _entry_id(bytes(data)),
                    "entry-leaf-hash",
                    f"entry {index}: the stored leaf hash is not the hash of its bytes",
                )
            )
        leaves.append(value)
    problems += _capped(bad, "entry-leaf-hash")
    if len(leaves) != size:
        problems.append(
            Discrepancy(
                LOG_ID, "entry-count", f"the head says {size} entries, {len(leaves)} are stored"
            )
        )
    return leaves


def _check_tree() -> tuple[bool, list[Discrepancy]]:
    """Recompute every stored node from the entries; (tree is sound, problems)."""
    size, head_root = read_head()
    problems: list[Discrepancy] = []
    level_hashes = _leaves(size, problems)
    count = len(level_hashes)  # the root of what is stored, compared with the head below
    wanted = {key: b"" for key in (subtree_keys(0, count) if count else [])}
    level = 0
    while level_hashes:
        mismatches: list[Discrepancy] = []
        seen = 0
        rows = TreeNode.objects.filter(level=level).order_by("index").values_list("index", "hash")
        for index, value in rows.iterator(chunk_size=_CHUNK):
            seen += 1
            if index >= len(level_hashes):
                mismatches.append(
                    Discrepancy(LOG_ID, "tree-node", f"node {level}/{index} lies beyond the tree")
                )
            elif bytes(value) != level_hashes[index]:
                mismatches.append(
                    Discrepancy(
                        LOG_ID,
                        "tree-node",
                        f"node {level}/{index} does not hash the entries below it",
                    )
                )
        if seen < len(level_hashes):
            mismatches.append(
                Discrepancy(
                    LOG_ID,
                    "tree-node",
                    f"level {level}: {len(level_hashes) - seen} nodes are missing",
                )
            )
        problems += _capped(mismatches, "tree-node")
        for key in wanted:
            if key[0] == level:
                wanted[key] = level_hashes[key[1]]
        level_hashes = [
            node_hash(level_hashes[i], level_hashes[i + 1])
            for i in range(0, len(level_hashes) - 1, 2)
        ]
        level += 1
    if TreeNode.objects.filter(level__gte=level).exists():
        problems.append(Discrepancy(LOG_ID, "tree-node", f"nodes above level {level - 1} exist"))
    root = _fold([wanted[key] for key in wanted]) if wanted else EMPTY_ROOT
    if root != head_root:
        problems.append(
            Discrepancy(
                LOG_ID,
                "tree-root",
                f"the entries hash to root {root.hex()}, the head says {head_root.hex()}",
            )
        )
    return not problems, problems


def _fold(hashes: list[bytes]) -> bytes:
    acc = hashes[-1]
    for value in reversed(hashes[:-1]):
        acc = node_hash(value, acc)
    return acc


# --------------------------------------------------------------------------
# 4. Checkpoints
# --------------------------------------------------------------------------


def _checkpoint_problems(tree_ok: bool) -> Iterator[Discrepancy]:
    size, _root = read_head()
    log_keys = keys.trusted_log_keys()
    witness_keys = {w.key for w in keys.configured_witnesses()}
    try:
        witness_keys |= set(keys.policy().witness_verifier_keys())
    except ValueError as exc:
        yield Discrepancy(LOG_ID, "policy", f"the witness policy does not parse: {exc}")
    log_verifiers = verifiers_for(log_keys)
    witness_verifiers = verifiers_for(sorted(witness_keys, key=lambda k: k.to_string()))
    reader = DatabaseHashReader()
    previous: tuple[int, bytes] | None = None
    for checkpoint in Checkpoint.objects.order_by("size", "id").iterator(chunk_size=_CHUNK):
        where = f"checkpoint {checkpoint.size} (#{checkpoint.pk})"
        stored_root = bytes(checkpoint.root)
        try:
            signed = open_checkpoint(
                checkpoint.note.encode("utf-8"), log_verifiers, witness_verifiers
            )
            body = signed.checkpoint
        except (NoteError, CheckpointError) as exc:
            yield Discrepancy(LOG_ID, "checkpoint-signature", f"{where}: {exc}")
            try:
                body = parse_checkpoint(parse_note(checkpoint.note.encode("utf-8")).text)
            except (NoteError, CheckpointError):
                continue
        if (body.size, body.root_hash) != (checkpoint.size, stored_root):
            yield Discrepancy(
                LOG_ID, "checkpoint-fields", f"{where}: the signed note states another tree"
            )
        if body.size > size:
            yield Discrepancy(
                LOG_ID, "checkpoint-size", f"{where}: larger than the log ({size} entries)"
            )
            continue
        if tree_ok and body.size and root_at(body.size, reader) != body.root_hash:
            yield Discrepancy(
                LOG_ID, "checkpoint-root", f"{where}: the stored tree has another root there"
            )
        if previous is not None:
            old_size, old_root = previous
            if (
                old_size
                and body.size
                and not _consistent(old_size, old_root, body.size, body.root_hash, reader)
            ):
                yield Discrepancy(
                    LOG_ID,
                    "checkpoint-consistency",
                    f"{where} is not consistent with checkpoint {old_size}",
                )
        previous = (body.size, body.root_hash)


def _consistent(
    old_size: int, old_root: bytes, size: int, root: bytes, reader: DatabaseHashReader
) -> bool:
    if old_size > size:
        return False
    try:
        proof = consistency_proof_at(old_size, size, reader) if old_size < size else []
    except LookupError:
        return False
    return verify_consistency(old_size, size, proof, old_root, root)


def _check_checkpoints(tree_ok: bool) -> list[Discrepancy]:
    return _capped(_checkpoint_problems(tree_ok), "checkpoint")
