"""C2SP tlog-checkpoint and tlog-cosignature (Ed25519, ``cosignature/v1``).

A checkpoint (c2sp.org/tlog-checkpoint) is the text of a signed note:

    <origin>\\n<tree size, decimal>\\n<base64 root hash>\\n[<extension line>\\n ...]

It is signed by the log (signature type 0x01, key name = origin) and
cosigned by witnesses with timestamped Ed25519 cosignatures
(c2sp.org/tlog-cosignature, signature type 0x04), whose payload is an 8-byte
big-endian POSIX timestamp followed by an Ed25519 signature over

    cosignature/v1\\ntime <timestamp>\\n<the whole checkpoint body>

Parsing is strict: at least three non-empty lines, a canonical decimal size
(no leading zeros, fits in a uint64), canonical base64 of exactly 32 bytes,
non-empty extension lines, no control characters, and a final newline.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .merkle import EMPTY_ROOT, HASH_SIZE
from .note import (
    SIG_TYPE_COSIGNATURE_ED25519,
    SIG_TYPE_ED25519,
    Ed25519Signer,
    Ed25519Verifier,
    KeyedVerifier,
    KeyFormatError,
    NoteSignature,
    Signer,
    SignerKey,
    VerifiedNote,
    Verifier,
    VerifierKey,
    add_signatures,
    decode_base64,
    ed25519_verify,
    encode_base64,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
    signature_for,
)

MAX_TREE_SIZE = 2**64 - 1
#: tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1.
MAX_TIMESTAMP = 2**63 - 1
COSIGNATURE_HEADER = "cosignature/v1\n"
_TIMESTAMP_SIZE = 8
_COSIGNATURE_SIZE = _TIMESTAMP_SIZE + 64


class CheckpointError(ValueError):
    """A checkpoint body is malformed, or a signed checkpoint is unacceptable."""


# --------------------------------------------------------------------------
# Checkpoint body
# --------------------------------------------------------------------------


def _has_control(text: str) -> bool:
    return any((ord(c) < 0x20 and c != "\n") or c == "\x7f" for c in text)


def _parse_size(text: str) -> int:
    # str.isdigit() accepts non-ASCII digits such as "²"; insist on ASCII.
    if not (text.isascii() and text.isdigit()):
        raise CheckpointError(f"tree size {text!r} is not a decimal number")
    if len(text) > 1 and text.startswith("0"):
        raise CheckpointError("tree size must not have leading zeros")
    size = int(text)
    if size > MAX_TREE_SIZE:
        raise CheckpointError("tree size does not fit in 64 bits")
    return size


def _parse_root(text: str) -> bytes:
    try:
        root = decode_base64(text)
    except ValueError as exc:
        raise CheckpointError(f"root hash is not base64: {exc}") from exc
    if len(root) != HASH_SIZE:
        raise CheckpointError(f"root hash must be {HASH_SIZE} bytes, got {len(root)}")
    # Only one text per checkpoint: refuse padding-bit variants of the encoding.
    if encode_base64(root) != text:
        raise CheckpointError("root hash is not canonically base64-encoded")
    return root


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint: origin, tree size, root hash and extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for line in (self.origin, *self.extensions):
            if line == "" or "\n" in line or _has_control(line):
                raise CheckpointError(f"invalid checkpoint line {line!r}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError("tree size out of range")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError("root hash must be 32 bytes")

    def to_text(self) -> str:
        """The note body: origin, size, base64 root, extension lines, each newline-terminated."""
        lines = [self.origin, str(self.size), encode_base64(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)


def format_checkpoint(
    origin: str, size: int, root_hash: bytes, extensions: Sequence[str] = ()
) -> str:
    """Checkpoint body text for the given fields (validated)."""
    return Checkpoint(origin, size, root_hash, tuple(extensions)).to_text()


def parse_checkpoint(body: str) -> Checkpoint:
    """Strictly parse a checkpoint body (the note text, without signatures)."""
    if not body.endswith("\n"):
        raise CheckpointError("checkpoint body must end in a newline")
    if _has_control(body):
        raise CheckpointError("checkpoint body contains a control character")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root hash lines")
    if any(line == "" for line in lines):
        raise CheckpointError("checkpoint lines must be non-empty")
    origin, size_text, root_text, *extensions = lines
    checkpoint = Checkpoint(
        origin, _parse_size(size_text), _parse_root(root_text), tuple(extensions)
    )
    if checkpoint.size == 0 and checkpoint.root_hash != EMPTY_ROOT:
        raise CheckpointError("the empty tree's root hash must be SHA-256 of the empty string")
    return checkpoint


# --------------------------------------------------------------------------
# Cosignatures (tlog-cosignature, Ed25519 type 0x04)
# --------------------------------------------------------------------------


def cosignature_message(body: str, timestamp: int) -> bytes:
    """The cosignature/v1 signed message for a checkpoint body at ``timestamp``."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise CheckpointError(f"timestamp {timestamp} out of range")
    if not body.endswith("\n"):
        raise CheckpointError("checkpoint body must end in a newline")
    return f"{COSIGNATURE_HEADER}time {timestamp}\n{body}".encode()


def cosignature_timestamp(signature: NoteSignature) -> int | None:
    """The timestamp of a timestamped Ed25519 cosignature line, None for other lines."""
    if len(signature.signature) != _COSIGNATURE_SIZE:
        return None
    return int.from_bytes(signature.signature[:_TIMESTAMP_SIZE], "big")


def _now() -> int:
    return int(time.time())


class CosignatureSigner:
    """A witness key signing checkpoints with timestamped Ed25519 cosignatures."""

    def __init__(self, key: SignerKey, clock: Callable[[], int] = _now) -> None:
        if key.sig_type != SIG_TYPE_COSIGNATURE_ED25519:
            raise KeyFormatError("CosignatureSigner needs a type 0x04 key")
        self.key = key
        self._signer = Ed25519Signer.from_seed(key.name, key.seed)
        self._key_id = key.key_id
        self._clock = clock

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def key_id(self) -> int:
        return self._key_id

    def verifier(self) -> "CosignatureVerifier":
        return CosignatureVerifier(self.key.verifier_key())

    def sign(self, message: bytes) -> bytes:
        """Cosign a checkpoint body at the clock's current time."""
        return self.sign_at(message, self._clock())

    def sign_at(self, message: bytes, timestamp: int) -> bytes:
        """``timestamp || Ed25519(cosignature/v1 message)``; refuses non-checkpoints."""
        body = message.decode()
        parse_checkpoint(body)  # a cosigner vouches for checkpoints, nothing else
        if timestamp <= 0:  # tlog-witness: the timestamp MUST be non-zero
            raise CheckpointError("cosignature timestamp must be positive")
        signed = cosignature_message(body, timestamp)
        return timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + self._signer.sign(signed)


class CosignatureVerifier(KeyedVerifier):
    """Verifier for type-0x04 cosignatures on checkpoint notes."""

    SIG_TYPE = SIG_TYPE_COSIGNATURE_ED25519

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _COSIGNATURE_SIZE:
            return False
        timestamp = int.from_bytes(signature[:_TIMESTAMP_SIZE], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        try:
            signed = cosignature_message(message.decode(), timestamp)
        except (CheckpointError, UnicodeDecodeError):
            return False
        return ed25519_verify(self.key.public_key, signed, signature[_TIMESTAMP_SIZE:])


def verifier_for_key(key: VerifierKey | str) -> Verifier:
    """The right verifier for a vkey: 0x01 note signatures or 0x04 cosignatures."""
    parsed = parse_verifier_key(key) if isinstance(key, str) else key
    if parsed.sig_type == SIG_TYPE_ED25519:
        return Ed25519Verifier(parsed)
    return CosignatureVerifier(parsed)


def signer_for_key(key: SignerKey | str, clock: Callable[[], int] = _now) -> Signer:
    """The right signer for a signer key: 0x01 log key or 0x04 cosigner key."""
    parsed = parse_signer_key(key) if isinstance(key, str) else key
    if parsed.sig_type == SIG_TYPE_ED25519:
        return Ed25519Signer(parsed)
    return CosignatureSigner(parsed, clock)


# --------------------------------------------------------------------------
# Signed checkpoints
# --------------------------------------------------------------------------


def sign_checkpoint(checkpoint: Checkpoint, log_signer: Signer) -> bytes:
    """The checkpoint as a note signed by the log; its key name must be the origin."""
    if log_signer.name != checkpoint.origin:
        raise CheckpointError("the log's key name must equal the checkpoint origin")
    return sign_note(checkpoint.to_text(), [log_signer])


def cosign(note: bytes, cosigner: Signer) -> NoteSignature:
    """A cosigner's signature line for a checkpoint note (not verified here)."""
    text = parse_note(note).text
    parse_checkpoint(text)
    return signature_for(text, cosigner)


def add_cosignatures(note: bytes, cosignatures: Iterable[NoteSignature]) -> bytes:
    """Append cosignature lines to a signed checkpoint note."""
    parse_checkpoint(parse_note(note).text)
    return add_signatures(note, list(cosignatures))


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: cosigner key name, key ID and timestamp (if timestamped)."""

    name: str
    key_id: int
    timestamp: int | None


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint whose log signature (and some cosignatures) verified."""

    checkpoint: Checkpoint
    note: VerifiedNote
    cosignatures: tuple[Cosignature, ...]


def open_checkpoint(
    data: bytes,
    log_verifiers: Sequence[Verifier],
    cosigner_verifiers: Sequence[Verifier] = (),
) -> SignedCheckpoint:
    """Verify a checkpoint note: a trusted log signature is required, and the
    origin must equal the verifying log key's name.  Cosignatures by the given
    cosigners are verified too (a bad one rejects the note, as signed-note
    requires); cosignatures by unknown keys are ignored.
    """
    opened = open_note(data, [*log_verifiers, *cosigner_verifiers])
    checkpoint = parse_checkpoint(opened.text)
    log_slots = {(v.name, v.key_id) for v in log_verifiers}
    log_sigs = [s for s in opened.verified if (s.name, s.key_id) in log_slots]
    if not log_sigs:
        raise CheckpointError("checkpoint is not signed by a trusted log key")
    if all(s.name != checkpoint.origin for s in log_sigs):
        raise CheckpointError(f"origin {checkpoint.origin!r} does not match the log key name")
    cosigs = tuple(
        Cosignature(s.name, s.key_id, cosignature_timestamp(s))
        for s in opened.verified
        if (s.name, s.key_id) not in log_slots
    )
    return SignedCheckpoint(checkpoint, opened, cosigs)
