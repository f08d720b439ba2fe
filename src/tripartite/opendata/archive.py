"""The exit-proof archive: a BagIt bundle of the public record that anyone can verify offline.

``export_archive(target)`` writes, streaming (one entry bundle and one record version in
memory at a time), a BagIt bag (RFC 8493) whose payload ``data/`` is a static copy of the
instance's public log interface at its latest signed checkpoint:

``data/log/checkpoint``
    the latest checkpoint exactly as ``/log/checkpoint`` serves it (log signature and
    witnesses' cosignatures).
``data/log/key``, ``data/log/policy``
    the log's verifier key and the witness policy (a verifier should compare the key with
    the one the forum publishes elsewhere, or pass its own with ``--key``).
``data/log/tile/…``, ``data/log/tile/entries/…``
    the C2SP tlog-tiles of the tree at that checkpoint: hash tiles and entry bundles.
``data/records/<type>/<key>/v<n>.json``
    every logged version's canonical JSON, byte for byte what was hashed.
``data/records/<type>/<key>/v<n>.receipt``
    for each record, its latest version's C2SP tlog-proof receipt against the archived
    checkpoint (the format ``tripartite verify-receipt`` checks).
``data/extra/<provider>/…``
    files from *extra payload providers* (``register_payload_provider``), e.g. document
    blobs, with ``index.jsonl`` naming each file's SHA-256 and the record it belongs to.
``data/archive.json``, ``data/README.txt``
    what was exported, and how to check it by hand, in plain words.

Because the layout is the tlog-tiles one, ``python -m http.server -d DIR/data`` serves the
archive to ``tripartite verify http://localhost:8000`` as if it were the instance itself.

``verify_archive(path)`` (no database, no network, no Django) checks the bag: its BagIt
manifests; the checkpoint's signature; the entries rebuild the checkpoint's root, and so do
the hash tiles; every record version hashes to the SHA-256 its entry holds; every receipt
proves its record's latest entry against the archived checkpoint; every extra payload file
has the SHA-256 its index names.  Each problem names the file or record concerned.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tripartite.core.canonical import canonical_json

from .archive_verify import (
    ARCHIVE_FORMAT,
    EXTRA_DIR,
    EXTRA_INDEX,
    ArchiveProblem,
    ArchiveReport,
    verify_archive,
)

__all__ = [
    "ARCHIVE_FORMAT",
    "ArchiveError",
    "ArchiveProblem",
    "ArchiveReport",
    "ArchiveSummary",
    "ExtraPayload",
    "export_archive",
    "payload_providers",
    "register_payload_provider",
    "unregister_payload_provider",
    "verify_archive",
]

CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written (no checkpoint yet, target not empty, …)."""


# --------------------------------------------------------------------------
# Extra payload providers (document blobs and the like)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraPayload:
    """One file an app adds to the archive under ``data/extra/<provider>/<path>``.

    ``chunks`` yields the file's bytes (stream them: the archive is written in constant
    memory).  ``sha256`` is the hash the file must have, as the public record states it
    (e.g. a document version's logged content names its blob's SHA-256): verify-archive
    checks the file against it.  ``public_id`` names the record the file belongs to.
    """

    path: str
    chunks: Callable[[], Iterable[bytes]]
    sha256: str
    public_id: str | None = None
    media_type: str = "application/octet-stream"


PayloadProvider = Callable[[], Iterable[ExtraPayload]]
_PROVIDERS: dict[str, PayloadProvider] = {}


def register_payload_provider(name: str, provider: PayloadProvider) -> None:
    """Add a provider of extra files (call it from the owning app's ``AppConfig.ready``).

    ``name`` is one path segment (``documents``); ``provider()`` is called once per export
    and must yield only public files.
    """
    if not name or "/" in name or name.startswith(".") or name != name.strip():
        raise ValueError(f"bad payload provider name {name!r}")
    _PROVIDERS[name] = provider


def unregister_payload_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def payload_providers() -> dict[str, PayloadProvider]:
    return dict(_PROVIDERS)


def _safe_relative(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        raise ArchiveError(f"unsafe payload path {path!r}")
    return "/".join(parts)


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------


@dataclass
class ArchiveSummary:
    """What an export wrote."""

    path: Path
    origin: str
    size: int
    root_hex: str
    versions: int = 0
    records: int = 0
    receipts: int = 0
    tiles: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    #: Versions logged after the archived checkpoint (not in the archive: no proof yet).
    after_checkpoint: int = 0
    #: Versions whose stored content no longer hashes to its logged SHA-256.
    mismatches: list[str] = field(default_factory=list)


class _Writer:
    """Writes payload files below a root, creating directories as needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._dirs: set[Path] = set()

    def path(self, relative: str) -> Path:
        target = self.root / relative
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        return target

    def write(self, relative: str, data: bytes) -> None:
        self.path(relative).write_bytes(data)

    def write_chunks(self, relative: str, chunks: Iterable[bytes]) -> str:
        digest = hashlib.sha256()
        with self.path(relative).open("wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
        return digest.hexdigest()


def _check_target(target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            raise ArchiveError(f"{target} exists and is not a directory")
        if any(target.iterdir()):
            raise ArchiveError(f"{target} is not empty: give a new or empty directory")
    else:
        target.mkdir(parents=True)


def _checkpoint_key(note: bytes) -> str:
    """The trusted log key (current or retired) whose signature the checkpoint carries."""
    from tripartite.ledger import keys
    from tripartite.ledger.checkpoint import CheckpointError, open_checkpoint
    from tripartite.ledger.note import NoteError
    from tripartite.ledger.policy import verifiers_for

    for key in keys.trusted_log_keys():
        try:
            open_checkpoint(note, verifiers_for([key]))
        except (NoteError, CheckpointError):
            continue
        return key.to_string()
    raise ArchiveError("the latest checkpoint is not signed by any of this log's keys")


def export_archive(
    target: Path,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> ArchiveSummary:
    """Write the archive of the public record at the latest checkpoint into ``target``.

    ``target`` must be new or empty.  ``progress(what, count)`` is called now and then.
    """
    import bagit
    from django.db.models import Exists, OuterRef
    from django.template.loader import render_to_string
    from django.utils import translation

    from tripartite.ledger import keys, queries
    from tripartite.ledger.checkpoint import parse_checkpoint
    from tripartite.ledger.merkle import inclusion_proof_at, root_at
    from tripartite.ledger.models import LogEntry
    from tripartite.ledger.note import parse_note
    from tripartite.ledger.proof import create_receipt
    from tripartite.ledger.storage import DatabaseHashReader, read_head
    from tripartite.ledger.tiles import (
        TILE_WIDTH,
        Tile,
        build_entry_bundle,
        iter_tiles,
        read_tile,
    )

    latest = queries.latest_checkpoint()
    if latest is None:
        raise ArchiveError(
            "no checkpoint has been signed yet: run the worker (or wait for it) and try again"
        )
    note = latest.note.encode("utf-8")
    checkpoint = parse_checkpoint(parse_note(note).text)
    size = checkpoint.size
    reader = DatabaseHashReader()
    if size and root_at(size, reader) != checkpoint.root_hash:
        raise ArchiveError(
            "the stored tree does not match the latest checkpoint: run `tripartite verify"
            " --local` before exporting"
        )
    vkey = _checkpoint_key(note)
    _check_target(target)
    out = _Writer(target)
    summary = ArchiveSummary(target, checkpoint.origin, size, checkpoint.root_hash.hex())
    summary.after_checkpoint = max(0, read_head()[0] - size)

    out.write("log/checkpoint", note)
    out.write("log/key", (vkey + "\n").encode())
    out.write("log/policy", keys.policy_text().encode())

    # Hash tiles: one query each, immutable once the tree reached this size.
    for tile in iter_tiles(size):
        out.write(f"log/{tile.path}", read_tile(tile, reader))
        summary.tiles += 1

    # Entry bundles and every version's canonical bytes, in log order.
    rows = (
        LogEntry.objects.filter(index__lt=size)
        .order_by("index")
        .select_related("record_version")
        .only(
            "index",
            "data",
            "record_version__record_type",
            "record_version__record_key",
            "record_version__version",
            "record_version__content",
            "record_version__sha256",
        )
    )
    bundle: list[bytes] = []
    bundle_index = 0

    def flush_bundle() -> None:
        nonlocal bundle, bundle_index
        width = len(bundle)
        tile = Tile(-1, bundle_index) if width == TILE_WIDTH else Tile(-1, bundle_index, width)
        out.write(f"log/{tile.path}", build_entry_bundle(bundle))
        summary.tiles += 1
        bundle, bundle_index = [], bundle_index + 1

    for row in rows.iterator(chunk_size=500):
        bundle.append(bytes(row.data))
        version = row.record_version
        content = canonical_json(version.content)
        logged = json.loads(bytes(row.data)).get("sha256")
        if hashlib.sha256(content).hexdigest() != logged:
            summary.mismatches.append(f"{version.public_id} v{version.version}")
        out.write(
            f"records/{version.record_type}/{version.record_key}/v{version.version}.json",
            content,
        )
        summary.versions += 1
        if len(bundle) == TILE_WIDTH:
            flush_bundle()
        if progress and summary.versions % 1000 == 0:
            progress("versions", summary.versions)
    if bundle:
        flush_bundle()

    # One receipt per record: its latest version (in the checkpointed tree).
    newer = LogEntry.objects.filter(
        index__lt=size,
        index__gt=OuterRef("index"),
        record_version__record_type=OuterRef("record_version__record_type"),
        record_version__record_key=OuterRef("record_version__record_key"),
    )
    heads = (
        LogEntry.objects.filter(index__lt=size)
        .filter(~Exists(newer))
        .order_by("index")
        .values_list(
            "index",
            "data",
            "record_version__record_type",
            "record_version__record_key",
            "record_version__version",
        )
    )
    for index, data, record_type, record_key, number in heads.iterator(chunk_size=500):
        proof = inclusion_proof_at(index, size, reader)
        out.write(
            f"records/{record_type}/{record_key}/v{number}.receipt",
            create_receipt(index, proof, note, extra=bytes(data)),
        )
        summary.receipts += 1
    summary.records = summary.receipts

    # Extra payloads (document blobs, …) from the registered providers.
    for name, provider in sorted(_PROVIDERS.items()):
        count = 0
        index_path = out.path(f"{EXTRA_DIR}/{name}/{EXTRA_INDEX}")
        with index_path.open("w", encoding="utf-8") as index_file:
            for item in provider():
                relative = _safe_relative(item.path)
                digest = out.write_chunks(f"{EXTRA_DIR}/{name}/{relative}", item.chunks())
                line = {
                    "path": relative,
                    "sha256": item.sha256,
                    "public_id": item.public_id,
                    "media_type": item.media_type,
                }
                index_file.write(json.dumps(line, sort_keys=True) + "\n")
                if digest != item.sha256:
                    summary.mismatches.append(f"{name}/{relative}")
                count += 1
        summary.extra[name] = count

    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    description = {
        "format": ARCHIVE_FORMAT,
        "origin": checkpoint.origin,
        "tree_size": size,
        "root_hash": checkpoint.root_hash.hex(),
        "log_key": vkey,
        "exported_at": exported_at,
        "record_versions": summary.versions,
        "records": summary.records,
        "extra": summary.extra,
    }
    out.write("archive.json", (json.dumps(description, indent=1, sort_keys=True) + "\n").encode())
    with translation.override(translation.get_language()):
        readme = render_to_string(
            "opendata/archive_readme.txt",
            {
                "origin": checkpoint.origin,
                "size": size,
                "root_hex": checkpoint.root_hash.hex(),
                "vkey": vkey,
                "exported_at": exported_at,
                "versions": summary.versions,
                "records": summary.records,
                "extra": sorted(summary.extra),
            },
        )
    out.write("README.txt", readme.encode("utf-8"))

    bag_info = {
        "Source-Organization": checkpoint.origin,
        "External-Description": (
            f"Tripartite public record of {checkpoint.origin} at checkpoint {size};"
            " see data/README.txt"
        ),
        "External-Identifier": f"{checkpoint.origin}@{size}",
        "Bagging-Date": exported_at[:10],
        "Tripartite-Archive-Format": ARCHIVE_FORMAT,
    }
    cwd = os.getcwd()
    try:
        bagit.make_bag(str(target), bag_info, checksums=["sha256"])
    finally:
        os.chdir(cwd)  # bagit changes directory while bagging
    return summary


def iter_file(path: Path) -> Iterator[bytes]:
    """Read a file in chunks (for payload providers that stream stored files)."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
