"""Offline verification of an exit-proof archive (``tripartite verify-archive DIR``).

Pure Python over the files of the bag: no database, no network, no Django settings, so a
civil-society organisation can check its copy on any machine with the package installed.
The log checks reuse the ledger core (``ledger.checkpoint``, ``ledger.proof``,
``ledger.tiles``) and the monitor's entry parsing and compact range (``ledger.monitor``),
so an archive is held to exactly the rules a live instance is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tripartite.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_checkpoint,
)
from tripartite.ledger.merkle import EMPTY_ROOT, MissingHashError, leaf_hash
from tripartite.ledger.monitor import (
    frontier_append,
    frontier_root,
    parse_entry,
)
from tripartite.ledger.note import KeyFormatError, NoteError, VerifierKey, parse_note
from tripartite.ledger.note import parse_verifier_key as parse_vkey
from tripartite.ledger.policy import Policy, PolicyError, parse_policy, verifiers_for
from tripartite.ledger.proof import (
    ReceiptError,
    parse_receipt,
    verify_receipt,
)
from tripartite.ledger.tiles import (
    TILE_WIDTH,
    Tile,
    TileError,
    entry_bundles_for_size,
    parse_entry_bundle,
    parse_tile_path,
    root_from_tiles,
)

ARCHIVE_FORMAT = "tripartite-archive/v1"
EXTRA_DIR = "extra"
EXTRA_INDEX = "index.jsonl"
#: Problems listed per kind before the rest are only counted.
MAX_PER_KIND = 50


@dataclass(frozen=True)
class ArchiveProblem:
    """One thing wrong with the archive; ``where`` names the file or record."""

    kind: str
    detail: str
    where: str | None = None

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where + ': ' if self.where else ''}{self.detail}"


@dataclass
class ArchiveReport:
    path: Path
    origin: str | None = None
    size: int | None = None
    root_hex: str | None = None
    key: str | None = None
    key_source: str | None = None
    witnesses: list[str] = field(default_factory=list)
    quorum: str | None = None
    entries_checked: int = 0
    records_checked: int = 0
    receipts_checked: int = 0
    extra_checked: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[ArchiveProblem] = field(default_factory=list)
    _counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self._counts

    def add(self, kind: str, detail: str, where: str | None = None) -> None:
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= MAX_PER_KIND:
            self.problems.append(ArchiveProblem(kind, detail, where))

    @property
    def hidden(self) -> dict[str, int]:
        """Problems of each kind beyond the ones listed."""
        return {k: n - MAX_PER_KIND for k, n in self._counts.items() if n > MAX_PER_KIND}

    @property
    def problem_count(self) -> int:
        return sum(self._counts.values())


class _Stop(Exception):
    pass


def _wider(log: Path, tile: Tile) -> tuple[bytes, int]:
    """A tile's file, or (tlog-tiles fallback) the smallest wider one: bytes and its width.

    An archive holds the tiles of its own checkpoint; a checkpoint of another size (one
    swapped in) asks for partial tiles that are only there at another width.
    """
    try:
        return _read(log / tile.path), tile.width
    except OSError:
        if tile.is_full:
            raise
    full = Tile(tile.level, tile.index)
    candidates = [(TILE_WIDTH, log / full.path)]
    partial_dir = log / (full.path + ".p")
    if partial_dir.is_dir():
        candidates += [(int(p.name), p) for p in partial_dir.iterdir() if p.name.isdigit()]
    for width, path in sorted(candidates):
        if width > tile.width and path.is_file():
            return _read(path), width
    raise FileNotFoundError(str(log / tile.path))


def _read_hash_tile(log: Path, path: str) -> bytes:
    tile = parse_tile_path(path)
    data, _width = _wider(log, tile)
    return data[: tile.width * 32]


def _read(path: Path, limit: int | None = None) -> bytes:
    with path.open("rb") as handle:
        return handle.read() if limit is None else handle.read(limit)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def verify_archive(
    path: Path | str,
    log_vkey: str | None = None,
    policy_text: str | None = None,
    *,
    check_bag: bool = True,
) -> ArchiveReport:
    """Check an archive written by ``export_archive``; see the module docstring."""
    root = Path(path)
    report = ArchiveReport(root)
    data = root / "data"
    if check_bag:
        _check_bag(report, root)
    if not data.is_dir():
        report.add("bag", "there is no data/ directory: not a Tripartite archive", str(root))
        return report
    try:
        checkpoint, policy, note = _check_checkpoint(report, data, log_vkey, policy_text)
        latest = _check_entries(report, data, checkpoint)
        _check_tiles(report, data, checkpoint)
        _check_receipts(report, data, note, checkpoint, latest, policy, log_vkey)
    except _Stop:
        pass
    _check_extra(report, data)
    return report


# --------------------------------------------------------------------------
# BagIt
# --------------------------------------------------------------------------


def _check_bag(report: ArchiveReport, root: Path) -> None:
    import bagit

    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        report.add("bag", f"not a valid BagIt bag: {exc}", str(root))
        return
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        details = getattr(exc, "details", None) or []
        for detail in details:
            report.add("bag", str(detail), getattr(detail, "path", None))
        if not details:
            report.add("bag", str(exc.message if hasattr(exc, "message") else exc))
            # BagIt stops at a wrong total size (Payload-Oxum) without naming the file:
            # compare each file with the manifest so that the report says which one.
            _name_changed_files(report, root, bag)
    except bagit.BagError as exc:
        report.add("bag", str(exc))


def _name_changed_files(report: ArchiveReport, root: Path, bag: Any) -> None:
    for relative, hashes in sorted(bag.entries.items()):
        expected = hashes.get("sha256")
        path = root / relative
        if expected is None or not relative.startswith("data/"):
            continue
        if not path.is_file():
            report.add("bag", "a file listed in the manifest is missing", relative)
        elif _sha256_file(path) != expected:
            report.add("bag", "the file differs from the manifest", relative)


# --------------------------------------------------------------------------
# Checkpoint
# --------------------------------------------------------------------------


def _check_checkpoint(
    report: ArchiveReport, data: Path, log_vkey: str | None, policy_text: str | None
) -> tuple[Checkpoint, Policy | None, bytes]:
    try:
        note = _read(data / "log" / "checkpoint", 64 * 1024)
    except OSError as exc:
        report.add("checkpoint", f"cannot read the checkpoint: {exc}", "log/checkpoint")
        raise _Stop from exc
    try:
        checkpoint = parse_checkpoint(parse_note(note).text)
    except (NoteError, CheckpointError) as exc:
        report.add("checkpoint", f"the checkpoint is malformed: {exc}", "log/checkpoint")
        raise _Stop from exc
    report.origin, report.size = checkpoint.origin, checkpoint.size
    report.root_hex = checkpoint.root_hash.hex()

    key = _log_key(report, data, log_vkey)
    policy: Policy | None = None
    archived_policy: Policy | None = None
    if policy_text is not None:
        try:
            policy = parse_policy(policy_text)
        except PolicyError as exc:
            report.add("policy", f"the policy given is invalid: {exc}")
        report.quorum = policy.quorum if policy else None
    try:
        archived_policy = parse_policy(_read(data / "log" / "policy", 64 * 1024))
    except (OSError, PolicyError) as exc:
        report.notes.append(f"the archived witness policy is unreadable ({exc})")
    naming = policy or archived_policy
    if key is None:
        return checkpoint, policy, note
    witness_keys = naming.witness_verifier_keys() if naming else []
    try:
        signed = open_checkpoint(note, verifiers_for([key]), verifiers_for(witness_keys))
    except (NoteError, CheckpointError) as exc:
        report.add(
            "checkpoint-signature",
            f"the checkpoint is not validly signed by the log key {key}: {exc}",
            "log/checkpoint",
        )
        return checkpoint, policy, note
    if naming is not None:
        report.witnesses = sorted(naming.witness_names_for(signed.note.verified))
    if policy is not None and not policy.evaluate(report.witnesses):
        report.add(
            "witness-quorum",
            f"the cosignatures ({', '.join(report.witnesses) or 'none'}) do not meet the"
            f" policy's quorum {policy.quorum!r}",
            "log/checkpoint",
        )
    return checkpoint, policy, note


def _log_key(report: ArchiveReport, data: Path, given: str | None) -> VerifierKey | None:
    archived: VerifierKey | None = None
    try:
        archived = parse_vkey(_read(data / "log" / "key", 4096).decode("utf-8").strip())
    except (OSError, UnicodeDecodeError, KeyFormatError) as exc:
        if given is None:
            report.add("key", f"no usable log key in the archive ({exc}); give it with --key")
            return None
    if given is not None:
        try:
            key = parse_vkey(given.strip())
        except KeyFormatError as exc:
            report.add("key", f"the key given is invalid: {exc}")
            return None
        report.key, report.key_source = key.to_string(), "given"
        if archived is not None and archived != key:
            report.notes.append(
                f"the archive names another log key ({archived}); the key given is used"
            )
        return key
    assert archived is not None
    report.key, report.key_source = archived.to_string(), "archive"
    report.notes.append(
        "the log key was taken from the archive itself: compare it with the key the forum"
        " publishes elsewhere (its /log/key page, minutes, official gazette), or give it"
        " with --key"
    )
    return archived


# --------------------------------------------------------------------------
# Entries and records
# --------------------------------------------------------------------------


def _check_entries(
    report: ArchiveReport, data: Path, checkpoint: Checkpoint
) -> dict[str, tuple[int, int, bytes]]:
    """Rebuild the tree from the entry bundles; hash every record version against its entry.

    Returns each record's latest entry: public id → (index, version, leaf hash).
    """
    size = checkpoint.size
    frontier: list[bytes] = []
    latest: dict[str, tuple[int, int, bytes]] = {}
    tree_size = 0
    beyond = 0
    for bundle in entry_bundles_for_size(size):
        where = f"log/{bundle.path}"
        try:
            raw_bundle, width = _wider(data / "log", bundle)
            entries = parse_entry_bundle(raw_bundle, width)
            beyond = width - bundle.width
            entries = entries[: bundle.width]
        except OSError:
            report.add("entries", "the entry bundle is missing", where)
            report.add("tree", "the entries cannot rebuild the checkpoint's tree")
            return latest
        except TileError as exc:
            report.add("entries", f"the entry bundle is malformed: {exc}", where)
            report.add("tree", "the entries cannot rebuild the checkpoint's tree")
            return latest
        for offset, raw in enumerate(entries):
            index = bundle.index * 256 + offset
            hashed = leaf_hash(raw)
            frontier_append(frontier, tree_size, hashed)
            tree_size += 1
            report.entries_checked += 1
            entry, public_id, problem = parse_entry(index, raw)
            if entry is None:
                report.add("entry", problem or "malformed entry", public_id or f"entry {index}")
                continue
            last = latest.get(entry.id)
            if entry.version != (last[1] if last else 0) + 1:
                report.add(
                    "entry-sequence",
                    f"version {entry.version} follows version {last[1] if last else 0}",
                    f"{entry.id} (entry {index})",
                )
            latest[entry.id] = (index, entry.version, hashed)
            _check_record(report, data, entry.record_path, entry.sha256, entry.id, entry.version)
    if beyond:
        report.add(
            "entries",
            f"the archive holds {beyond} entries more than the checkpoint covers ({size}):"
            " the checkpoint was swapped for an older one, or entries were added",
            "log/checkpoint",
        )
    if (frontier_root(frontier) if size else EMPTY_ROOT) != checkpoint.root_hash:
        report.add(
            "tree",
            f"the archived entries do not rebuild the root of the checkpoint ({size} entries,"
            f" root {checkpoint.root_hash.hex()}): the checkpoint or the entries were swapped"
            " or altered",
            "log/checkpoint",
        )
    _check_unlogged(report, data, latest)
    return latest


def _check_record(
    report: ArchiveReport, data: Path, relative: str, sha256: str, public_id: str, version: int
) -> None:
    path = data / relative
    where = f"{public_id} v{version}"
    try:
        digest = _sha256_file(path)
    except OSError:
        report.add("record-missing", f"the record version {relative} is missing", where)
        return
    report.records_checked += 1
    if digest != sha256:
        report.add(
            "record-hash",
            f"{relative} has SHA-256 {digest}, but the log holds {sha256}: the record was altered",
            where,
        )


def _record_files(data: Path) -> Iterator[Path]:
    records = data / "records"
    if records.is_dir():
        yield from records.rglob("*")


def _check_unlogged(
    report: ArchiveReport, data: Path, latest: dict[str, tuple[int, int, bytes]]
) -> None:
    """Every file under records/ must be a logged version (or its record's receipt)."""
    for path in _record_files(data):
        if path.is_dir():
            continue
        relative = path.relative_to(data / "records")
        parts = relative.parts
        if len(parts) != 3 or not parts[2].startswith("v"):
            report.add("record-unlogged", "a file that is no record version", f"records/{relative}")
            continue
        stem, _dot, suffix = parts[2][1:].partition(".")
        public_id = f"{parts[0]}/{parts[1]}"
        known = latest.get(public_id)
        if not stem.isdigit() or known is None or int(stem) > known[1]:
            report.add(
                "record-unlogged",
                "this file is not a record version the archived log holds",
                f"records/{relative}",
            )
        elif suffix == "receipt" and int(stem) != known[1]:
            report.add(
                "receipt",
                f"a receipt for version {stem}, but the latest logged version is {known[1]}",
                f"records/{relative}",
            )
        elif suffix not in ("json", "receipt"):
            report.add("record-unlogged", "unexpected file", f"records/{relative}")


# --------------------------------------------------------------------------
# Tiles and receipts
# --------------------------------------------------------------------------


def _check_tiles(report: ArchiveReport, data: Path, checkpoint: Checkpoint) -> None:
    if checkpoint.size == 0:
        return
    try:
        computed = root_from_tiles(checkpoint.size, lambda p: _read_hash_tile(data / "log", p))
    except (OSError, TileError, MissingHashError) as exc:
        report.add("tiles", f"the hash tiles are incomplete: {exc}", "log/tile")
        return
    if computed != checkpoint.root_hash:
        report.add(
            "tiles", "the hash tiles do not give the checkpoint's root hash", "log/checkpoint"
        )


def _check_receipts(
    report: ArchiveReport,
    data: Path,
    note: bytes,
    checkpoint: Checkpoint,
    latest: dict[str, tuple[int, int, bytes]],
    policy: Policy | None,
    log_vkey: str | None,
) -> None:
    keys: list[str | VerifierKey] = [report.key] if report.key else []
    if not keys:
        return
    check_policy = policy or parse_policy("quorum none\n")
    for public_id, (index, version, leaf) in latest.items():
        relative = f"records/{public_id}/v{version}.receipt"
        where = f"{public_id} v{version}"
        try:
            raw = _read(data / relative, 64 * 1024)
        except OSError:
            report.add("receipt-missing", f"no receipt {relative}", where)
            continue
        try:
            parsed = parse_receipt(raw)
            if parsed.checkpoint != note:
                embedded = parse_checkpoint(parse_note(parsed.checkpoint).text)
                report.add(
                    "receipt-checkpoint",
                    f"the receipt proves inclusion under another checkpoint ({embedded.size}"
                    f" entries) than the archived one ({checkpoint.size} entries)",
                    where,
                )
                continue
            entry = parsed.extra if parsed.extra is not None else b""
            result = verify_receipt(parsed, entry, keys, check_policy)
        except (ReceiptError, NoteError, CheckpointError, ValueError) as exc:
            report.add("receipt", f"{relative} does not verify: {exc}", where)
            continue
        report.receipts_checked += 1
        if result.index != index or result.leaf_hash != leaf:
            report.add(
                "receipt",
                f"{relative} proves entry {result.index}, not the record's latest entry {index}",
                where,
            )


# --------------------------------------------------------------------------
# Extra payloads
# --------------------------------------------------------------------------


def _check_extra(report: ArchiveReport, data: Path) -> None:
    extra = data / EXTRA_DIR
    if not extra.is_dir():
        return
    for provider in sorted(p for p in extra.iterdir() if p.is_dir()):
        index_file = provider / EXTRA_INDEX
        listed: set[str] = set()
        try:
            lines = index_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            report.add("extra", f"cannot read the index: {exc}", str(index_file.relative_to(data)))
            continue
        for number, line in enumerate(lines, start=1):
            where = f"{EXTRA_DIR}/{provider.name}/{EXTRA_INDEX}:{number}"
            try:
                item = json.loads(line)
                relative, sha256 = str(item["path"]), str(item["sha256"])
            except (ValueError, KeyError, TypeError) as exc:
                report.add("extra", f"malformed index line: {exc}", where)
                continue
            target = (provider / relative).resolve()
            if provider.resolve() not in target.parents:
                report.add("extra", f"path {relative!r} leaves the payload directory", where)
                continue
            listed.add(relative)
            name = f"{EXTRA_DIR}/{provider.name}/{relative}"
            try:
                digest = _sha256_file(target)
            except OSError:
                report.add("extra-missing", "the file is missing", item.get("public_id") or name)
                continue
            report.extra_checked += 1
            if digest != sha256:
                report.add(
                    "extra-hash",
                    f"{name} has SHA-256 {digest}, but the record states {sha256}",
                    item.get("public_id") or name,
                )
        for path in provider.rglob("*"):
            relative = path.relative_to(provider).as_posix()
            if path.is_file() and relative != EXTRA_INDEX and relative not in listed:
                report.add("extra", "a file the index does not list", f"{EXTRA_DIR}/{relative}")
