"""An independent monitor of a Tripartite instance's transparency log.

``Monitor(base_url, state_file).run()`` checks, with nothing but the public
HTTP interface of an instance (C2SP tlog-tiles plus the records' canonical
JSON), that the instance did not rewrite what it published:

1. **Signature.** The checkpoint (``/log/checkpoint``) must carry a valid
   signature of the log key.  The key is given (``log_vkey``), taken from the
   policy, or pinned in the state file on first use (``/log/key``, trust on
   first use) and never silently replaced afterwards.
2. **Witness policy.** With a tlog-policy (given or pinned), the verified
   witness cosignatures must satisfy its quorum.
3. **Consistency.** The checkpoint must extend the last checkpoint this
   monitor accepted (state file): not smaller (truncation, stale view), not a
   different root at the same size (fork), and an RFC 9162 consistency proof
   built from the published tiles must verify against the old root.
4. **Tiles.** The tree recomputed from the tiles must give the checkpoint's
   root; every new hash of a higher-level tile must be the hash of the tile
   below it; the hashes this monitor verified before must still be there.
5. **Entries.** Every new entry (entry bundles) is re-hashed and compared
   with the level-0 tiles, and the tree is recomputed from the entries alone
   (a compact range carried in the state file) and compared with the
   checkpoint's root.  Entries must be RFC 8785 canonical JSON of
   ``{type, id, version, op, sha256, at}`` and each record's versions must
   follow one another (1, 2, 3 … with no gap or repeat).
6. **Records.** For each new entry the record version's canonical JSON
   (``/records/<type>/<key>/v<n>.json``) is fetched and its SHA-256 compared
   with the one in the log.

Every problem is reported as a ``Discrepancy`` naming the record's public id
where there is one.  Later runs are incremental: only entries after the last
accepted checkpoint are fetched (records that failed are re-checked until they
match again); ``full=True`` re-checks everything.  The state file only moves
forward when the log checks (1-5) pass.  Only the standard library's urllib is
used for HTTP, with timeouts; ``rich`` draws the progress bar.
"""

import base64
import binascii
import hashlib
import json
import os
import re
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from .checkpoint import CheckpointError, SignedCheckpoint, open_checkpoint
from .merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MissingHashError,
    NodeKey,
    consistency_proof_at,
    leaf_hash,
    node_hash,
    root_at,
    verify_consistency,
)
from .note import (
    SIG_TYPE_ED25519,
    KeyFormatError,
    NoteError,
    Verifier,
    VerifierKey,
    parse_verifier_key,
)
from .policy import Policy, PolicyError, parse_policy, verifiers_for
from .tiles import (
    ENTRIES_LEVEL,
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    TileError,
    TileHashReader,
    changed_tiles,
    parse_entry_bundle,
    parse_tile,
    parse_tile_path,
)

STATE_FORMAT = "tripartite-monitor/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_WORKERS = 8
USER_AGENT = "tripartite-monitor/1"

MAX_CHECKPOINT_BYTES = 64 * 1024
MAX_KEY_BYTES = 4 * 1024
MAX_TILE_BYTES = TILE_WIDTH * HASH_SIZE
MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 0xFFFF)
MAX_RECORD_BYTES = 16 * 1024 * 1024

ENTRY_FIELDS = frozenset({"type", "id", "version", "op", "sha256", "at"})
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")

#: Kinds of discrepancy that mean the log itself cannot be trusted at this checkpoint.
LOG_KINDS = frozenset(
    {
        "key",
        "fetch",
        "checkpoint",
        "witness-quorum",
        "rollback",
        "fork",
        "consistency",
        "split-view",
        "tiles",
        "entry-hash",
        "tree",
    }
)


class MonitorError(Exception):
    """The monitor cannot run at all (bad arguments, unreadable state file)."""


class FetchError(Exception):
    """An HTTP request failed (``status`` is None for network errors)."""

    def __init__(self, url: str, status: int | None, reason: str) -> None:
        super().__init__(f"{url}: {status or 'error'} {reason}")
        self.url = url
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Discrepancy:
    """One thing the monitor found wrong; ``public_id`` names the record if known."""

    kind: str
    detail: str
    public_id: str | None = None
    index: int | None = None
    version: int | None = None

    def __str__(self) -> str:
        where = []
        if self.public_id:
            where.append(self.public_id + (f" v{self.version}" if self.version else ""))
        if self.index is not None:
            where.append(f"entry {self.index}")
        prefix = f"{', '.join(where)}: " if where else ""
        return f"[{self.kind}] {prefix}{self.detail}"


@dataclass
class MonitorReport:
    """What one run checked and found."""

    base_url: str
    origin: str | None = None
    log_key: str | None = None
    key_source: str | None = None
    size: int | None = None
    root_hash: bytes | None = None
    previous_size: int = 0
    witnesses: list[str] = field(default_factory=list)
    quorum: str | None = None
    entries_checked: int = 0
    records_checked: int = 0
    state_advanced: bool = False
    notes: list[str] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def add(
        self,
        kind: str,
        detail: str,
        public_id: str | None = None,
        index: int | None = None,
        version: int | None = None,
    ) -> None:
        self.discrepancies.append(Discrepancy(kind, detail, public_id, index, version))

    @property
    def log_trusted(self) -> bool:
        return not any(d.kind in LOG_KINDS for d in self.discrepancies)


@dataclass(frozen=True)
class LoggedEntry:
    """A parsed log entry: the commitment to one record version."""

    index: int
    type: str
    id: str
    key: str
    version: int
    op: str
    sha256: str
    at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "type": self.type,
            "id": self.id,
            "version": self.version,
            "op": self.op,
            "sha256": self.sha256,
            "at": self.at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LoggedEntry":
        type_, id_ = str(data["type"]), str(data["id"])
        return cls(
            int(data["index"]),
            type_,
            id_,
            id_[len(type_) + 1 :],
            int(data["version"]),
            str(data["op"]),
            str(data["sha256"]),
            str(data["at"]),
        )

    @property
    def record_path(self) -> str:
        return f"records/{self.type}/{self.key}/v{self.version}.json"


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


class Fetcher(Protocol):
    """Fetches a path below the instance's base URL."""

    def get(self, path: str, limit: int) -> bytes: ...


class StateStore(Protocol):
    """Where a monitor keeps its state between runs (default: a JSON file)."""

    def load(self) -> "MonitorState | None": ...

    def save(self, state: "MonitorState") -> None: ...


class MonitorSink(Protocol):
    """Receives what a run verified, as it goes (a mirror stores it).

    ``entry`` gets every entry of the checked range with its parsed form (None if
    malformed); ``record`` gets each record version whose bytes hash to the SHA-256
    of its entry (a version that does not match is reported, never passed on).  Both
    are called from the thread that runs the monitor.  What they receive counts only
    if the run's report ends ``log_trusted``.
    """

    def entry(self, index: int, data: bytes, entry: "LoggedEntry | None") -> None: ...

    def record(self, entry: "LoggedEntry", data: bytes) -> None: ...


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) URLs only."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-HTTP URL", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_base_url(base_url: str) -> str:
    """An http(s) base URL without a trailing slash."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MonitorError(f"not an http(s) URL: {base_url!r}")
    return base_url.rstrip("/")


class HttpFetcher:
    """urllib with a timeout, a size limit per response and a request counter."""

    def __init__(self, base_url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = check_base_url(base_url)
        self.timeout = timeout
        self.requests = 0
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def get(self, path: str, limit: int) -> bytes:
        url = self.url(path)
        with self._lock:
            self.requests += 1
        # The scheme is checked in check_base_url; redirects stay on http(s).
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(limit + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise FetchError(url, exc.code, str(exc.reason)) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FetchError(url, None, str(getattr(exc, "reason", exc))) from exc
        if len(data) > limit:
            raise FetchError(url, None, f"response larger than {limit} bytes")
        return data


class TileSource:
    """Tiles and entry bundles below ``log/``, cached, with the tlog-tiles partial fallback.

    A partial tile that is no longer served (the tree grew) is read from the
    full tile, truncated to the width asked for.
    """

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._hashes: dict[tuple[int, int, int], list[bytes]] = {}

    def _get(self, tile: Tile, limit: int) -> tuple[bytes, bool]:
        """The tile's bytes, and whether they are the full tile (to be truncated)."""
        try:
            return self.fetcher.get(f"log/{tile.path}", limit), False
        except FetchError as exc:
            if exc.status != HTTPStatus.NOT_FOUND or tile.is_full:
                raise
        return self.fetcher.get(f"log/{Tile(tile.level, tile.index).path}", limit), True

    def hashes(self, level: int, index: int, width: int) -> list[bytes]:
        key = (level, index, width)
        if key not in self._hashes:
            data, full = self._get(Tile(level, index, width), MAX_TILE_BYTES)
            if full:
                self._hashes[key] = parse_tile(data, TILE_WIDTH)[:width]
            else:
                self._hashes[key] = parse_tile(data, width)
        return self._hashes[key]

    def fetch_path(self, path: str) -> bytes:
        """``fetch`` callable for ``TileHashReader``."""
        tile = parse_tile_path(path)
        return b"".join(self.hashes(tile.level, tile.index, tile.width))

    def entries(self, index: int, width: int) -> list[bytes]:
        data, full = self._get(Tile(ENTRIES_LEVEL, index, width), MAX_BUNDLE_BYTES)
        if full:
            return parse_entry_bundle(data, TILE_WIDTH)[:width]
        return parse_entry_bundle(data, width)


# --------------------------------------------------------------------------
# Compact ranges (the verified tree's right edge, carried in the state file)
# --------------------------------------------------------------------------


def frontier_keys(size: int) -> list[NodeKey]:
    """The complete subtrees whose hashes make up a tree of ``size``, largest first."""
    return [(h, (size >> h) - 1) for h in reversed(range(size.bit_length())) if size >> h & 1]


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> None:
    """Add a leaf hash to the compact range of a tree of ``size`` (in place)."""
    value = leaf
    while size & 1:
        value = node_hash(frontier.pop(), value)
        size >>= 1
    frontier.append(value)


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """MTH of the tree whose compact range this is (the right fold of its subtrees)."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for value in reversed(frontier[:-1]):
        root = node_hash(value, root)
    return root


def subtree_root(hashes: Sequence[bytes]) -> bytes:
    """The hash of a complete subtree from its 2**k leaves' (or nodes') hashes."""
    level = list(hashes)
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def _tile_width(level: int, index: int, size: int) -> int:
    nodes = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, nodes - index * TILE_WIDTH))


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    from tripartite.core.canonical import canonical_json  # stdlib-only module

    return canonical_json(value)


def parse_entry(index: int, data: bytes) -> tuple[LoggedEntry | None, str | None, str | None]:
    """``(entry, None, None)`` or ``(None, public id if readable, what is wrong)``."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, None, f"entry is not JSON: {exc}"
    if not isinstance(value, dict):
        return None, None, "entry is not a JSON object"
    public_id = value.get("id") if isinstance(value.get("id"), str) else None
    missing = ENTRY_FIELDS - value.keys()
    if missing:
        return None, public_id, f"entry lacks {', '.join(sorted(missing))}"
    extra = value.keys() - ENTRY_FIELDS
    if extra:
        return None, public_id, f"entry has unexpected fields {', '.join(sorted(extra))}"
    type_, id_, version, op = value["type"], value["id"], value["version"], value["op"]
    sha, at = value["sha256"], value["at"]
    if not (isinstance(type_, str) and _SLUG.fullmatch(type_)):
        return None, public_id, f"bad record type {type_!r}"
    if not (isinstance(id_, str) and id_.startswith(type_ + "/")):
        return None, public_id, f"id {id_!r} is not '<type>/<key>'"
    key = id_[len(type_) + 1 :]
    if not _SLUG.fullmatch(key):
        return None, public_id, f"bad record key in id {id_!r}"
    if not (isinstance(version, int) and not isinstance(version, bool) and version >= 1):
        return None, public_id, f"bad version {version!r}"
    if not (isinstance(op, str) and op):
        return None, public_id, f"bad operation {op!r}"
    if not (isinstance(sha, str) and _SHA256_HEX.fullmatch(sha)):
        return None, public_id, f"bad sha256 {sha!r}"
    try:
        if not isinstance(at, str):
            raise ValueError(at)
        datetime.fromisoformat(at)
    except ValueError:
        return None, public_id, f"bad timestamp {at!r}"
    try:
        canonical = _canonical(value)
    except ValueError as exc:
        # A number beyond I-JSON (a version of 2**60) has no canonical form at all.
        return None, public_id, f"entry is not I-JSON: {exc}"
    if canonical != data:
        return None, public_id, "entry is not in RFC 8785 canonical form"
    return LoggedEntry(index, type_, id_, key, version, op, sha, at), None, None


# --------------------------------------------------------------------------
# State file
# --------------------------------------------------------------------------


@dataclass
class MonitorState:
    """What the monitor remembers between runs (JSON in the state file)."""

    base_url: str
    origin: str | None = None
    log_key: str | None = None
    policy: str | None = None
    size: int = 0
    root_hash: bytes = EMPTY_ROOT
    checkpoint: str | None = None
    frontier: list[bytes] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    failed: dict[int, LoggedEntry] = field(default_factory=dict)
    checked_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        def b64(value: bytes) -> str:
            return base64.b64encode(value).decode()

        return {
            "format": STATE_FORMAT,
            "base_url": self.base_url,
            "origin": self.origin,
            "log_key": self.log_key,
            "policy": self.policy,
            "size": self.size,
            "root_hash": b64(self.root_hash),
            "checkpoint": self.checkpoint,
            "frontier": [b64(h) for h in self.frontier],
            "versions": self.versions,
            "failed": [e.to_json() for e in self.failed.values()],
            "checked_at": self.checked_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MonitorState":
        if data.get("format") != STATE_FORMAT:
            raise MonitorError(f"not a {STATE_FORMAT} state file")
        failed = [LoggedEntry.from_json(e) for e in data.get("failed", [])]
        state = cls(
            base_url=str(data["base_url"]),
            origin=data.get("origin"),
            log_key=data.get("log_key"),
            policy=data.get("policy"),
            size=int(data.get("size", 0)),
            root_hash=base64.b64decode(data.get("root_hash") or "", validate=True) or EMPTY_ROOT,
            checkpoint=data.get("checkpoint"),
            frontier=[base64.b64decode(h, validate=True) for h in data.get("frontier", [])],
            versions={str(k): int(v) for k, v in data.get("versions", {}).items()},
            failed={e.index: e for e in failed},
            checked_at=data.get("checked_at"),
        )
        if len(state.frontier) != state.size.bit_count() or frontier_root(state.frontier) != (
            state.root_hash if state.size else EMPTY_ROOT
        ):
            raise MonitorError("state file is inconsistent (compact range does not match root)")
        return state


def load_state(path: Path) -> MonitorState | None:
    if not path.exists():
        return None
    try:
        return MonitorState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise MonitorError(f"cannot read the state file {path}: {exc}") from exc


def save_state(path: Path, state: MonitorState) -> None:
    """Write the state file atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".monitor-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.to_json(), handle, indent=1, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_state_file(base_url: str) -> Path:
    """``$XDG_STATE_HOME/tripartite/monitor/<host>-<hash>.json`` for a base URL."""
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    url = check_base_url(base_url)
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", urllib.parse.urlsplit(url).netloc)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return base / "tripartite" / "monitor" / f"{host}-{digest}.json"


class FileStateStore:
    """The monitor's state in a JSON file (``tripartite verify URL --state FILE``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> MonitorState | None:
        return load_state(self.path)

    def save(self, state: MonitorState) -> None:
        save_state(self.path, state)


# --------------------------------------------------------------------------
# The monitor
# --------------------------------------------------------------------------


class _Stop(Exception):
    """Internal: a log-level problem makes further checks meaningless."""


class Monitor:
    """Check a Tripartite instance's log against its own published data.

    ``log_vkey``: the log's verifier key (else the pinned one, the policy's,
    or trust on first use).  ``policy``: tlog-policy text (else the pinned
    one).  ``full``: re-check every entry and record, not only new ones.
    ``state_store``: where the state lives instead of ``state_file`` (a mirror keeps
    it in its database); ``sink``: receives the verified entries and records.
    """

    def __init__(
        self,
        base_url: str,
        state_file: Path | str,
        log_vkey: str | None = None,
        policy: str | None = None,
        *,
        full: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        workers: int = DEFAULT_WORKERS,
        progress: bool = False,
        console: Console | None = None,
        fetcher: Fetcher | None = None,
        check_witnesses: bool = True,
        state_store: StateStore | None = None,
        sink: MonitorSink | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.state_file = Path(state_file)
        self.state_store: StateStore = state_store or FileStateStore(self.state_file)
        self.sink = sink
        self.log_vkey = log_vkey.strip() if log_vkey else None
        self.policy_text = policy
        self.full = full
        self.workers = max(1, workers)
        self.show_progress = progress
        self.console = console or Console(stderr=True)
        self.fetcher: Fetcher = fetcher or HttpFetcher(self.base_url, timeout)
        self.timeout = timeout
        self.check_witnesses = check_witnesses
        if self.log_vkey is not None:
            self._parse_log_key(self.log_vkey, "--key")
        self.policy: Policy | None = None
        if policy is not None:
            try:
                self.policy = parse_policy(policy)
            except PolicyError as exc:
                raise MonitorError(f"invalid policy: {exc}") from exc

    @staticmethod
    def _parse_log_key(text: str, where: str) -> VerifierKey:
        try:
            key = parse_verifier_key(text)
        except KeyFormatError as exc:
            raise MonitorError(f"{where}: invalid log verifier key: {exc}") from exc
        if key.sig_type != SIG_TYPE_ED25519:
            raise MonitorError(f"{where}: the log key must be an Ed25519 note key (type 0x01)")
        return key

    # ---------------------------------------------------------------- run

    def run(self) -> MonitorReport:
        """One monitoring pass; the state file is updated only if the log checks pass."""
        report = MonitorReport(self.base_url)
        state = self.state_store.load()
        new_state = state or MonitorState(self.base_url)
        with suppress(_Stop):
            self._run(report, state, new_state)
        if report.log_trusted and report.size is not None:
            new_state.base_url = self.base_url
            new_state.checked_at = datetime.now().astimezone().isoformat(timespec="seconds")
            self.state_store.save(new_state)
            report.state_advanced = True
        return report

    def _run(self, report: MonitorReport, state: MonitorState | None, new: MonitorState) -> None:
        if state is not None and state.base_url != self.base_url:
            report.notes.append(f"the state file was last used with {state.base_url}")
        policy = self._resolve_policy(report, state, new)
        log_keys = self._resolve_log_keys(report, state, policy)
        signed = self._checkpoint(report, log_keys, policy)
        checkpoint = signed.checkpoint
        if state is not None and state.origin and state.origin != checkpoint.origin:
            report.add(
                "checkpoint",
                f"origin changed from {state.origin!r} to {checkpoint.origin!r}",
            )
            raise _Stop
        key = next(k for k in log_keys if k.name == checkpoint.origin)
        new.origin, new.log_key = checkpoint.origin, key.to_string()
        report.origin, report.log_key = checkpoint.origin, new.log_key
        report.size, report.root_hash = checkpoint.size, checkpoint.root_hash
        self._check_quorum(report, signed, policy)

        old_size = state.size if state else 0
        old_root = state.root_hash if state else EMPTY_ROOT
        report.previous_size = old_size
        if checkpoint.size < old_size:
            report.add(
                "rollback",
                f"the log's checkpoint has {checkpoint.size} entries, fewer than the {old_size}"
                " of the checkpoint accepted before: the log was truncated or serves a stale view",
            )
            raise _Stop
        if checkpoint.size == old_size and checkpoint.root_hash != old_root:
            report.add(
                "fork",
                f"same size {old_size} as the checkpoint accepted before, different root hash",
            )
            raise _Stop

        tiles = TileSource(self.fetcher)
        reader = TileHashReader(checkpoint.size, tiles.fetch_path)
        # Tiles that do not even give the signed root say nothing about consistency.
        tiles_ok = self._check_root_from_tiles(
            report, reader, checkpoint.size, checkpoint.root_hash
        )
        if tiles_ok:
            self._check_consistency(
                report, reader, old_size, old_root, checkpoint.size, checkpoint.root_hash
            )
        if state is not None and 0 < state.size <= checkpoint.size:
            tiles_ok = self._check_frontier(report, reader, state.size, state.frontier) and tiles_ok
        if not tiles_ok:
            raise _Stop
        if self.check_witnesses and policy is not None:
            self._cross_check_witnesses(
                report, policy, log_keys, reader, checkpoint.size, checkpoint.root_hash
            )

        start = 0 if self.full or state is None else state.size
        frontier = [] if start == 0 else list(state.frontier if state else [])
        versions = {} if start == 0 else dict(state.versions if state else {})

        with self._progress() as progress:
            new_entries = self._check_entries(
                report,
                tiles,
                start,
                checkpoint.size,
                checkpoint.root_hash,
                frontier,
                versions,
                progress,
            )
            self._check_tile_levels(report, tiles, start, checkpoint.size)
            recheck = [] if self.full or state is None else list(state.failed.values())
            failed = self._check_records(report, [*recheck, *new_entries], progress)
        fixed = [e for e in recheck if e.index not in failed]
        for entry in fixed:
            report.notes.append(
                f"{entry.id} v{entry.version} (entry {entry.index}) matches the log again"
            )
        if report.log_trusted:
            new.size, new.root_hash = checkpoint.size, checkpoint.root_hash
            new.checkpoint = (
                signed.note.text + "\n" + "".join(s.to_line() for s in signed.note.signatures)
            )
            new.frontier, new.versions, new.failed = frontier, versions, failed

    # ---------------------------------------------------------- keys, policy

    def _resolve_policy(
        self, report: MonitorReport, state: MonitorState | None, new: MonitorState
    ) -> Policy | None:
        if self.policy is not None:
            if state is not None and state.policy is not None and state.policy != self.policy_text:
                report.notes.append("the witness policy given replaces the pinned one")
            new.policy = self.policy_text
            report.quorum = self.policy.quorum
            return self.policy
        if state is not None and state.policy:
            try:
                policy = parse_policy(state.policy)
            except PolicyError as exc:
                raise MonitorError(f"the policy pinned in {self.state_file} is invalid") from exc
            report.quorum = policy.quorum
            return policy
        return None

    def _resolve_log_keys(
        self, report: MonitorReport, state: MonitorState | None, policy: Policy | None
    ) -> list[VerifierKey]:
        pinned = state.log_key if state else None
        if self.log_vkey is not None:
            given = self._parse_log_key(self.log_vkey, "--key")
            if pinned and parse_verifier_key(pinned) != given:
                report.add(
                    "key",
                    f"the log key given ({given}) differs from the key pinned in"
                    f" {self.state_file} ({pinned}); if the log really rotated its key,"
                    " verify the new key out of band and start a new state file",
                )
                raise _Stop
            report.key_source = "given"
            return [given]
        if pinned:
            report.key_source = "pinned"
            return [self._parse_log_key(pinned, str(self.state_file))]
        if policy is not None and policy.log_verifier_keys():
            report.key_source = "policy"
            return policy.log_verifier_keys()
        try:
            text = self.fetcher.get("log/key", MAX_KEY_BYTES).decode("utf-8").strip()
            key = self._parse_log_key(text, "/log/key")
        except (FetchError, UnicodeDecodeError, MonitorError) as exc:
            report.add("key", f"cannot get the log key (give it with --key): {exc}")
            raise _Stop from exc
        report.key_source = "trust on first use"
        report.notes.append(
            f"pinned the log key {key} on first use: compare it with the key the forum"
            " publishes elsewhere (minutes, official gazette, its members' own sites)"
        )
        return [key]

    def _checkpoint(
        self, report: MonitorReport, log_keys: list[VerifierKey], policy: Policy | None
    ) -> SignedCheckpoint:
        try:
            raw = self.fetcher.get("log/checkpoint", MAX_CHECKPOINT_BYTES)
        except FetchError as exc:
            hint = " (has the instance signed a checkpoint yet?)" if exc.status == 404 else ""
            report.add("fetch", f"cannot fetch the checkpoint: {exc}{hint}")
            raise _Stop from exc
        witness_verifiers: list[Verifier] = []
        if policy is not None:
            witness_verifiers = verifiers_for(policy.witness_verifier_keys())
        try:
            return open_checkpoint(raw, verifiers_for(log_keys), witness_verifiers)
        except (NoteError, CheckpointError) as exc:
            report.add("checkpoint", f"checkpoint rejected: {exc}")
            raise _Stop from exc

    def _check_quorum(
        self, report: MonitorReport, signed: SignedCheckpoint, policy: Policy | None
    ) -> None:
        if policy is None:
            return
        names = sorted(policy.witness_names_for(signed.note.verified))
        report.witnesses = names
        if not policy.evaluate(names):
            report.add(
                "witness-quorum",
                f"the checkpoint's cosignatures ({', '.join(names) or 'none'}) do not meet the"
                f" policy's quorum {policy.quorum!r}",
            )

    # ------------------------------------------------------------------ tree

    def _check_consistency(
        self,
        report: MonitorReport,
        reader: TileHashReader,
        old_size: int,
        old_root: bytes,
        size: int,
        root: bytes,
    ) -> None:
        if not 0 < old_size < size:
            return
        try:
            proof = consistency_proof_at(old_size, size, reader)
        except (FetchError, TileError, MissingHashError) as exc:
            report.add("tiles", f"cannot build the consistency proof from the tiles: {exc}")
            raise _Stop from exc
        if not verify_consistency(old_size, size, proof, old_root, root):
            report.add(
                "consistency",
                f"the tree of size {size} is not an extension of the tree of size {old_size}"
                " accepted before: the log's history was rewritten",
            )
            raise _Stop

    def _check_root_from_tiles(
        self, report: MonitorReport, reader: TileHashReader, size: int, root: bytes
    ) -> bool:
        try:
            computed = root_at(size, reader) if size else EMPTY_ROOT
        except (FetchError, TileError, MissingHashError) as exc:
            report.add("tiles", f"cannot recompute the tree from the tiles: {exc}")
            raise _Stop from exc
        if computed != root:
            report.add("tiles", "the tree recomputed from the tiles does not match the checkpoint")
            return False
        return True

    def _check_frontier(
        self, report: MonitorReport, reader: TileHashReader, size: int, frontier: list[bytes]
    ) -> bool:
        """The subtrees verified in earlier runs must still be what the tiles say."""
        keys = frontier_keys(size)
        try:
            got = reader.get_hashes(keys)
        except (FetchError, TileError) as exc:
            report.add("tiles", f"cannot read the previously verified subtrees: {exc}")
            raise _Stop from exc
        changed = False
        for key, expected in zip(keys, frontier, strict=True):
            if got.get(key) != expected:
                changed = True
                first, last = key[1] << key[0], ((key[1] + 1) << key[0]) - 1
                report.add(
                    "tiles",
                    f"the tiles' hash of entries {first}..{last} changed since it was verified",
                )
        return not changed

    def _check_tile_levels(
        self, report: MonitorReport, tiles: TileSource, start: int, size: int
    ) -> None:
        """Each new hash of a tile above level 0 must hash the (full) tile below it."""
        for tile in changed_tiles(start, size):
            if tile.level == 0:
                continue
            try:
                hashes = tiles.hashes(tile.level, tile.index, tile.width)
                first_new = _tile_width(tile.level, tile.index, start)
                for i in range(first_new, tile.width):
                    below = tiles.hashes(tile.level - 1, tile.index * TILE_WIDTH + i, TILE_WIDTH)
                    if subtree_root(below) != hashes[i]:
                        report.add(
                            "tiles",
                            f"hash {i} of tile {tile.path} is not the hash of the tile below it",
                        )
            except (FetchError, TileError) as exc:
                report.add("tiles", f"cannot check {tile.path}: {exc}")

    # --------------------------------------------------------------- entries

    def _check_entries(
        self,
        report: MonitorReport,
        tiles: TileSource,
        start: int,
        size: int,
        root: bytes,
        frontier: list[bytes],
        versions: dict[str, int],
        progress: Progress,
    ) -> list[LoggedEntry]:
        """Re-hash entries ``start..size-1`` against the level-0 tiles; rebuild the tree."""
        task = progress.add_task("entries", total=size - start)
        parsed: list[LoggedEntry] = []
        tree_size = start
        first_bundle = start // TILE_WIDTH if start < size else -(-size // TILE_WIDTH)
        for bundle in range(first_bundle, -(-size // TILE_WIDTH)):
            width = min(TILE_WIDTH, size - bundle * TILE_WIDTH)
            try:
                entries = tiles.entries(bundle, width)
                level0 = tiles.hashes(0, bundle, width)
            except (FetchError, TileError) as exc:
                report.add("tiles", f"cannot read entry bundle or tile {bundle}: {exc}")
                raise _Stop from exc
            for offset, data in enumerate(entries):
                index = bundle * TILE_WIDTH + offset
                hashed = leaf_hash(data)
                entry, public_id, problem = parse_entry(index, data)
                if hashed != level0[offset]:
                    report.add(
                        "entry-hash",
                        "the entry does not hash to the leaf hash in the level-0 tile",
                        entry.id if entry else public_id,
                        index,
                        entry.version if entry else None,
                    )
                if index < start:
                    continue
                if self.sink is not None:
                    self.sink.entry(index, data, entry)
                frontier_append(frontier, tree_size, hashed)
                tree_size += 1
                report.entries_checked += 1
                progress.advance(task)
                if entry is None:
                    report.add("entry", problem or "malformed entry", public_id, index)
                    continue
                self._check_sequence(report, entry, versions)
                parsed.append(entry)
        if frontier_root(frontier) != root:
            report.add(
                "tree",
                "the entries published do not rebuild the tree of the signed checkpoint",
            )
        return parsed

    @staticmethod
    def _check_sequence(
        report: MonitorReport, entry: LoggedEntry, versions: dict[str, int]
    ) -> None:
        last = versions.get(entry.id, 0)
        if entry.version != last + 1:
            what = "repeats" if entry.version <= last else "skips versions after"
            report.add(
                "entry-sequence",
                f"version {entry.version} {what} version {last} in the log",
                entry.id,
                entry.index,
                entry.version,
            )
        if (entry.version == 1) != (entry.op == "create"):
            report.add(
                "entry-sequence",
                f"operation {entry.op!r} at version {entry.version}",
                entry.id,
                entry.index,
                entry.version,
            )
        versions[entry.id] = max(last, entry.version)

    # --------------------------------------------------------------- records

    def _check_records(
        self, report: MonitorReport, entries: list[LoggedEntry], progress: Progress
    ) -> dict[int, LoggedEntry]:
        """Fetch every record version and compare its SHA-256 with the log; return failures."""
        task = progress.add_task("records", total=len(entries))
        failed: dict[int, LoggedEntry] = {}

        def check(entry: LoggedEntry) -> tuple[LoggedEntry, str | None, str | None, bytes]:
            try:
                data = self.fetcher.get(entry.record_path, MAX_RECORD_BYTES)
            except FetchError as exc:
                if exc.status == HTTPStatus.NOT_FOUND:
                    return entry, "record-missing", "the record version is not published", b""
                return entry, "record-fetch", f"cannot fetch the record version: {exc}", b""
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry.sha256:
                return (
                    entry,
                    "record-hash",
                    f"the published content has SHA-256 {digest}, the log has {entry.sha256}",
                    b"",
                )
            # Only a sink needs the bytes; the plain monitor lets them go at once.
            return entry, None, None, data if self.sink is not None else b""

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for entry, kind, detail, data in pool.map(check, entries):
                progress.advance(task)
                report.records_checked += 1
                if kind is not None and detail is not None:
                    report.add(kind, detail, entry.id, entry.index, entry.version)
                    failed[entry.index] = entry
                elif self.sink is not None:
                    self.sink.record(entry, data)
        return failed

    # ------------------------------------------------------------- witnesses

    def _cross_check_witnesses(
        self,
        report: MonitorReport,
        policy: Policy,
        log_keys: list[VerifierKey],
        reader: TileHashReader,
        size: int,
        root: bytes,
    ) -> None:
        """Ask each policy witness with a URL what it last cosigned; it must fit this tree.

        A witness that cosigned a tree the log does not show to us means the
        log shows different views to different parties (a split view).
        """
        origin = report.origin or ""
        digest = hashlib.sha256(origin.encode()).hexdigest()
        for witness in policy.witnesses:
            if not witness.url:
                continue
            try:
                fetcher = HttpFetcher(witness.url, self.timeout)
                raw = fetcher.get(f"{digest}/checkpoint", MAX_CHECKPOINT_BYTES)
                seen = open_checkpoint(
                    raw, verifiers_for(log_keys), verifiers_for([witness.key])
                ).checkpoint
            except (FetchError, MonitorError, NoteError, CheckpointError) as exc:
                report.notes.append(f"witness {witness.name}: no usable checkpoint ({exc})")
                continue
            if seen.size > size:
                report.add(
                    "split-view",
                    f"witness {witness.name} cosigned a tree of {seen.size} entries, but the"
                    f" log shows only {size}",
                )
                continue
            try:
                if seen.size == size:
                    consistent = seen.root_hash == root
                elif seen.size == 0:
                    consistent = True
                else:
                    proof = consistency_proof_at(seen.size, size, reader)
                    consistent = verify_consistency(seen.size, size, proof, seen.root_hash, root)
            except (FetchError, TileError, MissingHashError) as exc:
                report.notes.append(f"witness {witness.name}: cannot compare ({exc})")
                continue
            if not consistent:
                report.add(
                    "split-view",
                    f"witness {witness.name} cosigned a tree of size {seen.size} that is not"
                    " part of the tree the log shows",
                )

    # -------------------------------------------------------------- progress

    @contextmanager
    def _progress(self) -> Iterator[Progress]:
        progress = Progress(
            TextColumn("[bold]{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            disable=not self.show_progress,
            transient=False,
        )
        with progress:
            yield progress


def run_monitor(
    base_url: str,
    state_file: Path | str,
    log_vkey: str | None = None,
    policy: str | None = None,
    **options: Any,
) -> MonitorReport:
    """Convenience wrapper: ``Monitor(...).run()``."""
    return Monitor(base_url, state_file, log_vkey, policy, **options).run()
