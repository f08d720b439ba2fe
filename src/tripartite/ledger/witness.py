"""A C2SP tlog-witness (c2sp.org/tlog-witness) as a plain WSGI application.

Any sector of a forum (government, civil society, an oversight body) can run
one: the witness keeps, per log origin, the latest checkpoint it cosigned, and
cosigns a new checkpoint only when the log proves that it is an append-only
extension of that one.  A log that rewrote or truncated its history can no
longer obtain this witness's cosignature, so a verifier that requires the
witness (c2sp.org/tlog-policy) will refuse the log's checkpoints.

HTTP interface (stdlib ``wsgiref`` types, no Django):

* ``POST /add-checkpoint``: the body is ``old <size>\\n``, zero to 63 base64
  consistency-proof lines, an empty line, and the signed checkpoint note.
  Answers, in the order the spec checks them:

  - 400 malformed request, or old size > checkpoint size;
  - 404 unknown origin;
  - 403 no signature by a trusted key of the origin, or a trusted key's
    signature fails;
  - 409 the old size is not the size this witness last cosigned for the origin
    (body: that size and a newline, ``Content-Type: text/x.tlog.size``);
  - 422 the consistency proof does not verify, a non-empty proof with old size
    0, a size-0 checkpoint whose root is not SHA-256(""), or the same size with
    a different root;
  - 200 one cosignature line (timestamped Ed25519, ``cosignature/v1``).

  The old-size check and the new state are done inside one SQLite
  ``BEGIN IMMEDIATE`` transaction, so two concurrent requests cannot roll the
  state back (the race the spec describes).  Validly signed but refused
  checkpoints (422) are kept in an ``evidence`` table: they are proof that the
  log misbehaved.
* ``GET /<hex SHA-256 of the origin>/checkpoint``: the latest checkpoint this
  witness cosigned for that origin (the log's signature plus this witness's
  cosignature), for monitors.
* ``GET /``: the witness name, its verifier key and the origins it accepts.

State lives in a directory of its own: ``witness.key`` (the Ed25519 cosigner
key, type 0x04, created with mode 0600), ``witness.vkey`` (its verifier key)
and ``witness.sqlite3`` (latest state per origin, the history of cosigned
checkpoints, the evidence).  The accepted logs are configured with tlog-policy
style ``log <vkey>`` lines (a forum's policy file can be given as it is: its
other lines are ignored) or ``ORIGIN=VKEY`` options; the key name of a log's
verifier key must equal its origin.
"""

import hashlib
import logging
import os
import re
import socket
import socketserver
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIEnvironment

from .checkpoint import (
    MAX_TREE_SIZE,
    Checkpoint,
    CheckpointError,
    CosignatureSigner,
    parse_checkpoint,
)
from .merkle import EMPTY_ROOT, HASH_SIZE, verify_consistency
from .note import (
    SIG_TYPE_COSIGNATURE_ED25519,
    SIG_TYPE_ED25519,
    Ed25519Verifier,
    InvalidSignatureError,
    KeyFormatError,
    MalformedNoteError,
    Note,
    NoteError,
    SignerKey,
    UnverifiedNoteError,
    VerifierKey,
    decode_base64,
    encode_base64,
    generate_signer_key,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    signature_for,
    valid_key_name,
)

logger = logging.getLogger("tripartite.witness")

#: The client MUST NOT send more than 63 consistency proof lines.
MAX_PROOF_LINES = 63
#: Upper bound of a request body (a checkpoint with 100 signatures is ~15 KiB).
MAX_BODY_SIZE = 256 * 1024
SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

KEY_FILE = "witness.key"
VKEY_FILE = "witness.vkey"
DB_FILE = "witness.sqlite3"

_OLD_LINE = re.compile(r"old (0|[1-9][0-9]*)")
_MONITOR_PATH = re.compile(r"/([0-9a-f]{64})/checkpoint")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS latest (
    origin TEXT PRIMARY KEY,
    origin_sha256 TEXT NOT NULL UNIQUE,
    size TEXT NOT NULL,          -- decimal: a uint64 does not fit SQLite's signed INTEGER
    root BLOB NOT NULL,
    checkpoint BLOB NOT NULL,    -- the log's signature(s) and this witness's cosignature
    cosigned_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    size TEXT NOT NULL,
    root BLOB NOT NULL,
    checkpoint BLOB NOT NULL,
    cosigned_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    request BLOB NOT NULL,
    received_at INTEGER NOT NULL
);
"""


class WitnessConfigError(ValueError):
    """The witness configuration (logs, key, state directory) is unusable."""


class RequestError(ValueError):
    """An add-checkpoint request body is malformed (answered with 400)."""


@dataclass(frozen=True)
class WitnessResponse:
    """Status, body and content type of one answer of the witness."""

    status: int
    body: bytes
    content_type: str = TEXT_CONTENT_TYPE

    @classmethod
    def text(cls, status: int, message: str) -> "WitnessResponse":
        return cls(status, (message.rstrip("\n") + "\n").encode())


@dataclass(frozen=True)
class AddCheckpointRequest:
    """A parsed add-checkpoint body: old size, consistency proof, checkpoint note."""

    old_size: int
    proof: tuple[bytes, ...]
    note: bytes


@dataclass(frozen=True)
class WitnessedState:
    """What the witness last cosigned for one origin."""

    origin: str
    size: int
    root_hash: bytes
    checkpoint: bytes
    cosigned_at: int


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


def origin_hash(origin: str) -> str:
    """The monitoring path component of an origin: hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(origin.encode()).hexdigest()


def _log_key(text: str) -> VerifierKey:
    try:
        key = parse_verifier_key(text)
    except KeyFormatError as exc:
        raise WitnessConfigError(f"invalid log verifier key {text!r}: {exc}") from exc
    if key.sig_type != SIG_TYPE_ED25519:
        raise WitnessConfigError(f"log key {key.name} must be an Ed25519 note key (type 0x01)")
    return key


def parse_log_option(text: str) -> VerifierKey:
    """``ORIGIN=VKEY`` (or a bare ``VKEY``): a log the witness accepts.

    The key name of a log's verifier key is its origin, so ORIGIN must equal it.
    """
    origin, sep, rest = text.partition("=")
    if sep and "+" not in origin:
        key = _log_key(rest)
        if key.name != origin:
            raise WitnessConfigError(
                f"origin {origin!r} does not match the key name {key.name!r} of its verifier key"
            )
        return key
    return _log_key(text)


def parse_log_config(text: str) -> list[VerifierKey]:
    """Logs from tlog-policy style text: ``log <vkey> [<url>]`` lines.

    Blank lines, ``#`` comments and the other tlog-policy lines (``witness``,
    ``group``, ``quorum``) are ignored, so a forum's policy file can serve as
    the witness configuration.
    """
    keys: list[VerifierKey] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0] in ("witness", "group", "quorum"):
            continue
        if fields[0] != "log" or len(fields) not in (2, 3):
            raise WitnessConfigError(f"line {number}: expected 'log <vkey> [<url>]'")
        keys.append(_log_key(fields[1]))
    return keys


def logs_by_origin(keys: Iterable[VerifierKey]) -> dict[str, list[VerifierKey]]:
    """Group log keys by origin (several keys per origin allow key rotation)."""
    out: dict[str, list[VerifierKey]] = {}
    for key in keys:
        bucket = out.setdefault(key.name, [])
        if key not in bucket:
            bucket.append(key)
    return out


# --------------------------------------------------------------------------
# Key and state
# --------------------------------------------------------------------------


def default_witness_name() -> str:
    """A key name for a new witness when none is given: ``<host name>/witness``."""
    host = "".join(c for c in socket.gethostname() if not c.isspace() and c != "+")
    return f"{host or 'localhost'}/witness"


def _write_private(path: Path, data: str) -> bool:
    """Create ``path`` with mode 0600 unless it exists; True if this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
    return True


def load_or_create_key(state_dir: Path, name: str | None = None) -> SignerKey:
    """The witness's cosigner key in ``state_dir``, generated (mode 0600) on first use."""
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = state_dir / KEY_FILE
    if not path.exists():
        wanted = name or default_witness_name()
        if not valid_key_name(wanted):
            raise WitnessConfigError(f"invalid witness name {wanted!r} (no spaces, no '+')")
        new = generate_signer_key(wanted, SIG_TYPE_COSIGNATURE_ED25519)
        if _write_private(path, new.to_string() + "\n"):
            (state_dir / VKEY_FILE).write_text(new.verifier_key().to_string() + "\n")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise WitnessConfigError(f"{path} is accessible by other users: chmod 600 {path}")
    try:
        key = parse_signer_key(path.read_text(encoding="utf-8").strip())
    except KeyFormatError as exc:
        raise WitnessConfigError(f"{path} does not hold a signer key: {exc}") from exc
    if key.sig_type != SIG_TYPE_COSIGNATURE_ED25519:
        raise WitnessConfigError(f"{path} must hold a cosignature key (type 0x04)")
    if name is not None and key.name != name:
        raise WitnessConfigError(f"the witness key in {path} is named {key.name!r}, not {name!r}")
    return key


class WitnessState:
    """The witness's SQLite state file: one connection per operation."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
        if created:
            path.chmod(0o600)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are opened explicitly below.
        return sqlite3.connect(self.path, timeout=30.0, isolation_level=None)

    @contextmanager
    def immediate(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: the write lock is taken before the first read."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @staticmethod
    def _row(row: tuple[str, str, bytes, bytes, int] | None) -> WitnessedState | None:
        if row is None:
            return None
        origin, size, root, note, at = row
        return WitnessedState(origin, int(size), bytes(root), bytes(note), at)

    @classmethod
    def read_latest(cls, conn: sqlite3.Connection, origin: str) -> WitnessedState | None:
        row = conn.execute(
            "SELECT origin, size, root, checkpoint, cosigned_at FROM latest WHERE origin = ?",
            (origin,),
        ).fetchone()
        return cls._row(row)

    def latest(self, origin: str) -> WitnessedState | None:
        conn = self._connect()
        try:
            return self.read_latest(conn, origin)
        finally:
            conn.close()

    def latest_by_hash(self, digest: str) -> WitnessedState | None:
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT origin, size, root, checkpoint, cosigned_at FROM latest"
                " WHERE origin_sha256 = ?",
                (digest,),
            ).fetchone()
            return self._row(row)
        finally:
            conn.close()

    @staticmethod
    def write_latest(conn: sqlite3.Connection, state: WitnessedState, changed: bool) -> None:
        conn.execute(
            "INSERT INTO latest (origin, origin_sha256, size, root, checkpoint, cosigned_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET"
            " size = excluded.size, root = excluded.root,"
            " checkpoint = excluded.checkpoint, cosigned_at = excluded.cosigned_at",
            (
                state.origin,
                origin_hash(state.origin),
                str(state.size),
                state.root_hash,
                state.checkpoint,
                state.cosigned_at,
            ),
        )
        if changed:
            conn.execute(
                "INSERT INTO history (origin, size, root, checkpoint, cosigned_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    state.origin,
                    str(state.size),
                    state.root_hash,
                    state.checkpoint,
                    state.cosigned_at,
                ),
            )

    def record_evidence(self, origin: str, reason: str, request: bytes, at: int) -> None:
        conn = self._connect()
        try:
            conn.execute(
                "INSERT INTO evidence (origin, reason, request, received_at) VALUES (?, ?, ?, ?)",
                (origin, reason, request, at),
            )
        finally:
            conn.close()

    def evidence(self) -> list[tuple[str, str, bytes]]:
        """``(origin, reason, request body)`` of every refused, validly signed checkpoint."""
        conn = self._connect()
        try:
            rows = conn.execute("SELECT origin, reason, request FROM evidence ORDER BY id")
            return [(o, r, bytes(b)) for o, r, b in rows.fetchall()]
        finally:
            conn.close()

    def history(self, origin: str) -> list[tuple[int, bytes]]:
        """``(size, root)`` of every checkpoint cosigned for ``origin``, oldest first."""
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT size, root FROM history WHERE origin = ? ORDER BY id", (origin,)
            )
            return [(int(s), bytes(r)) for s, r in rows.fetchall()]
        finally:
            conn.close()


# --------------------------------------------------------------------------
# The protocol
# --------------------------------------------------------------------------


def parse_add_checkpoint(body: bytes) -> AddCheckpointRequest:
    """Split an add-checkpoint body; raises ``RequestError`` when it is malformed."""
    first, sep, rest = body.partition(b"\n")
    if not sep:
        raise RequestError("the body must start with an 'old <size>' line")
    match = _OLD_LINE.fullmatch(first.decode("ascii", "replace"))
    if match is None:
        raise RequestError("the first line must be 'old <size>' (decimal, no leading zeros)")
    old_size = int(match[1])
    if old_size > MAX_TREE_SIZE:
        raise RequestError("old size does not fit in 64 bits")
    proof: list[bytes] = []
    while True:
        line, sep, rest = rest.partition(b"\n")
        if not sep:
            raise RequestError("missing the empty line before the checkpoint")
        if line == b"":
            break
        if len(proof) == MAX_PROOF_LINES:
            raise RequestError(f"more than {MAX_PROOF_LINES} consistency proof lines")
        try:
            text = line.decode("ascii")
            value = decode_base64(text)
        except (UnicodeDecodeError, ValueError) as exc:
            raise RequestError(f"proof line is not base64: {exc}") from exc
        if len(value) != HASH_SIZE or encode_base64(value) != text:
            raise RequestError("proof lines must be canonical base64 of 32-byte hashes")
        proof.append(value)
    if not rest:
        raise RequestError("missing the checkpoint")
    return AddCheckpointRequest(old_size, tuple(proof), rest)


def _now() -> int:
    return int(time.time())


def _origin_of(text: str) -> str:
    return text.split("\n", 1)[0]


def _is_empty_tree_with_bad_root(text: str) -> bool:
    """A well-formed checkpoint of size 0 whose root is not SHA-256("")."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[1] != "0":
        return False
    try:
        root = decode_base64(lines[2])
    except ValueError:
        return False
    return len(root) == HASH_SIZE and root != EMPTY_ROOT


class Witness:
    """The witness logic, independent of HTTP: ``add_checkpoint(body)`` and ``latest``."""

    def __init__(
        self,
        state_dir: Path,
        logs: Mapping[str, Sequence[VerifierKey]],
        *,
        name: str | None = None,
        clock: Callable[[], int] = _now,
    ) -> None:
        self.state_dir = state_dir
        self.key = load_or_create_key(state_dir, name)
        self.clock = clock
        self.signer = CosignatureSigner(self.key, clock)
        self.state = WitnessState(state_dir / DB_FILE)
        self.logs: dict[str, list[Ed25519Verifier]] = {}
        for origin, keys in logs.items():
            for key in keys:
                if key.name != origin or key.sig_type != SIG_TYPE_ED25519:
                    raise WitnessConfigError(f"log key {key} does not belong to origin {origin}")
            if keys:
                self.logs[origin] = [Ed25519Verifier(k) for k in keys]
        if not self.logs:
            raise WitnessConfigError("a witness needs at least one log to accept")

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def verifier_key(self) -> str:
        """This witness's cosignature verifier key (for the forum's tlog-policy)."""
        return self.key.verifier_key().to_string()

    def latest(self, origin: str) -> WitnessedState | None:
        return self.state.latest(origin)

    def add_checkpoint(self, body: bytes) -> WitnessResponse:
        """Handle one add-checkpoint request body and return the answer."""
        try:
            request = parse_add_checkpoint(body)
            parsed = parse_note(request.note)
        except (RequestError, NoteError) as exc:
            return WitnessResponse.text(HTTPStatus.BAD_REQUEST, f"malformed request: {exc}")
        origin = _origin_of(parsed.text)
        verifiers = self.logs.get(origin)
        if verifiers is None:
            return WitnessResponse.text(HTTPStatus.NOT_FOUND, f"unknown log origin {origin!r}")
        try:
            opened = open_note(request.note, verifiers)
        except (InvalidSignatureError, UnverifiedNoteError) as exc:
            return WitnessResponse.text(HTTPStatus.FORBIDDEN, f"checkpoint not trusted: {exc}")
        except MalformedNoteError as exc:  # pragma: no cover - parse_note already passed
            return WitnessResponse.text(HTTPStatus.BAD_REQUEST, f"malformed note: {exc}")
        try:
            checkpoint = parse_checkpoint(opened.text)
        except CheckpointError as exc:
            if _is_empty_tree_with_bad_root(opened.text):
                self._evidence(origin, f"size 0 with a non-empty root: {exc}", body)
                return WitnessResponse.text(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
            return WitnessResponse.text(HTTPStatus.BAD_REQUEST, f"malformed checkpoint: {exc}")
        if request.old_size > checkpoint.size:
            return WitnessResponse.text(
                HTTPStatus.BAD_REQUEST,
                f"old size {request.old_size} is larger than the checkpoint size {checkpoint.size}",
            )
        # The old-size check, the proof check and the new state in one write transaction.
        refusal: str | None = None
        with self.state.immediate() as conn:
            stored = WitnessState.read_latest(conn, origin)
            stored_size = stored.size if stored else 0
            stored_root = stored.root_hash if stored else EMPTY_ROOT
            if request.old_size != stored_size:
                logger.info("409 %s: old %d, cosigned %d", origin, request.old_size, stored_size)
                return WitnessResponse(
                    HTTPStatus.CONFLICT, f"{stored_size}\n".encode(), SIZE_CONTENT_TYPE
                )
            refusal = self._consistency_refusal(request, checkpoint, stored_size, stored_root)
            if refusal is None:
                cosignature = signature_for(opened.text, self.signer)
                note = Note(opened.text, (*opened.verified, cosignature)).to_bytes()
                changed = (checkpoint.size, checkpoint.root_hash) != (stored_size, stored_root)
                at = self.clock()
                new = WitnessedState(origin, checkpoint.size, checkpoint.root_hash, note, at)
                WitnessState.write_latest(conn, new, changed or stored is None)
        if refusal is not None:
            self._evidence(origin, refusal, body)
            logger.warning("422 %s: %s", origin, refusal)
            return WitnessResponse.text(HTTPStatus.UNPROCESSABLE_ENTITY, refusal)
        logger.info("200 %s: cosigned size %d", origin, checkpoint.size)
        return WitnessResponse(HTTPStatus.OK, cosignature.to_line().encode())

    @staticmethod
    def _consistency_refusal(
        request: AddCheckpointRequest, checkpoint: Checkpoint, stored_size: int, root: bytes
    ) -> str | None:
        """Why the checkpoint is not a consistent extension of the stored one (None if it is)."""
        if request.old_size == 0:
            if request.proof:
                return "the consistency proof must be empty when the old size is 0"
            return None
        if checkpoint.size == stored_size:
            if request.proof:
                return "the consistency proof must be empty for the same tree size"
            if checkpoint.root_hash != root:
                return f"same tree size {stored_size} with a different root hash (a fork)"
            return None
        if not verify_consistency(
            stored_size, checkpoint.size, request.proof, root, checkpoint.root_hash
        ):
            return (
                f"the consistency proof from size {stored_size} to {checkpoint.size} does not"
                " verify: the log's history differs from the one this witness cosigned"
            )
        return None

    def _evidence(self, origin: str, reason: str, body: bytes) -> None:
        self.state.record_evidence(origin, reason, body, self.clock())


# --------------------------------------------------------------------------
# WSGI
# --------------------------------------------------------------------------


class WitnessApp:
    """The WSGI application serving a ``Witness``."""

    def __init__(self, witness: Witness, max_body: int = MAX_BODY_SIZE) -> None:
        self.witness = witness
        self.max_body = max_body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response, extra = self._dispatch(environ)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("Cache-Control", "no-store"),
            *extra,
        ]
        status = HTTPStatus(response.status)
        start_response(f"{status.value} {status.phrase}", headers)
        return [response.body]

    def _dispatch(self, environ: WSGIEnvironment) -> tuple[WitnessResponse, list[tuple[str, str]]]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"
        if path == "/add-checkpoint":
            if method != "POST":
                return WitnessResponse.text(HTTPStatus.METHOD_NOT_ALLOWED, "use POST"), [
                    ("Allow", "POST")
                ]
            return self._add_checkpoint(environ), []
        if method != "GET":
            return WitnessResponse.text(HTTPStatus.METHOD_NOT_ALLOWED, "use GET"), [
                ("Allow", "GET")
            ]
        if path == "/":
            return WitnessResponse.text(HTTPStatus.OK, self._info()), []
        match = _MONITOR_PATH.fullmatch(path)
        if match:
            latest = self.witness.state.latest_by_hash(match[1])
            if latest is None or latest.origin not in self.witness.logs:
                return WitnessResponse.text(HTTPStatus.NOT_FOUND, "no checkpoint cosigned"), []
            return WitnessResponse(HTTPStatus.OK, latest.checkpoint), []
        return WitnessResponse.text(HTTPStatus.NOT_FOUND, "not found"), []

    def _add_checkpoint(self, environ: WSGIEnvironment) -> WitnessResponse:
        length_text = environ.get("CONTENT_LENGTH") or ""
        if not length_text.isdigit():
            return WitnessResponse.text(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
        length = int(length_text)
        if length > self.max_body:
            return WitnessResponse.text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
        body = environ["wsgi.input"].read(length)
        if len(body) != length:
            return WitnessResponse.text(HTTPStatus.BAD_REQUEST, "truncated body")
        return self.witness.add_checkpoint(body)

    def _info(self) -> str:
        lines = [
            "Tripartite transparency-log witness (c2sp.org/tlog-witness)",
            f"name: {self.witness.name}",
            f"verifier key: {self.witness.verifier_key}",
            "logs:",
        ]
        for origin in sorted(self.witness.logs):
            lines.append(f"  {origin}  /{origin_hash(origin)}/checkpoint")
        return "\n".join(lines)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request (the state file serialises writes)."""

    daemon_threads = True


class ThreadingWSGIServer6(ThreadingWSGIServer):
    """The same over IPv6."""

    address_family = socket.AF_INET6


class QuietHandler(WSGIRequestHandler):
    """Request handler that logs through ``logging`` instead of stderr lines."""

    #: Seconds a client may stay silent before its connection is dropped.
    timeout = 30

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)


def parse_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) into a host and a port."""
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise WitnessConfigError(f"--bind must be HOST:PORT, got {bind!r}")
    return host.strip("[]"), int(port)


def make_witness_server(witness: Witness, bind: str) -> WSGIServer:
    """A threaded wsgiref server for ``witness`` listening on ``bind`` (``HOST:PORT``)."""
    host, port = parse_bind(bind)
    server_class = ThreadingWSGIServer6 if ":" in host else ThreadingWSGIServer
    return make_server(
        host, port, WitnessApp(witness), server_class=server_class, handler_class=QuietHandler
    )


# --------------------------------------------------------------------------
# Configuration from the environment (for gunicorn)
# --------------------------------------------------------------------------

ENV_STATE_DIR = "TRIPARTITE_WITNESS_STATE_DIR"
ENV_LOGS = "TRIPARTITE_WITNESS_LOGS"
ENV_CONFIG = "TRIPARTITE_WITNESS_CONFIG"
ENV_NAME = "TRIPARTITE_WITNESS_NAME"


def witness_from_env(environ: Mapping[str, str] | None = None) -> Witness:
    """A ``Witness`` configured from environment variables.

    ``TRIPARTITE_WITNESS_STATE_DIR`` (required), ``TRIPARTITE_WITNESS_LOGS``
    (newline-separated ``ORIGIN=VKEY``), ``TRIPARTITE_WITNESS_CONFIG`` (a file
    of ``log <vkey>`` lines) and ``TRIPARTITE_WITNESS_NAME``.
    """
    env = os.environ if environ is None else environ
    state_dir = env.get(ENV_STATE_DIR)
    if not state_dir:
        raise WitnessConfigError(f"{ENV_STATE_DIR} is not set")
    keys = [parse_log_option(line) for line in env.get(ENV_LOGS, "").split() if line]
    config = env.get(ENV_CONFIG)
    if config:
        keys += parse_log_config(Path(config).read_text(encoding="utf-8"))
    return Witness(Path(state_dir), logs_by_origin(keys), name=env.get(ENV_NAME) or None)


def application() -> WitnessApp:
    """WSGI factory for gunicorn: ``gunicorn 'tripartite.ledger.witness:application()'``."""
    return WitnessApp(witness_from_env())
