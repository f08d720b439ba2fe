"""C2SP signed-note (c2sp.org/signed-note) with Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, and one or more
signature lines ``— <key name> <base64(4-byte key ID || signature)>``.  This
module implements:

* key IDs: ``SHA-256(name || 0x0A || signature type || public key)[:4]``;
* verifier keys (vkeys) ``<name>+<hex8 key ID>+<base64(type || public key)>``
  for signature type 0x01 (Ed25519 note signatures) and 0x04 (timestamped
  Ed25519 cosignatures, c2sp.org/tlog-cosignature);
* signer keys in the golang.org/x/mod/sumdb/note text format
  ``PRIVATE+KEY+<name>+<hex8 key ID>+<base64(type || 32-byte seed)>``
  (Go itself only knows type 0x01; type 0x04 is the same layout);
* signing, parsing and opening notes with the verification rules of the spec
  and of Go's ``note.Open``: signatures from unknown keys (name *and* key ID
  must match) are ignored, a known key whose signature fails makes the whole
  note invalid, a note without any verified signature is invalid, malformed
  notes are rejected, and at most 100 signature lines are accepted (the spec
  asks verifiers to accept at least 16).

The cosignature message format itself lives in ``checkpoint``; here a
cosignature is just another ``Signer``/``Verifier`` pair.
"""

import base64
import binascii
import hashlib
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

#: Signature type byte of plain Ed25519 note signatures.
SIG_TYPE_ED25519 = 0x01
#: Signature type byte of timestamped Ed25519 cosignatures (tlog-cosignature).
SIG_TYPE_COSIGNATURE_ED25519 = 0x04
_SUPPORTED_TYPES = frozenset({SIG_TYPE_ED25519, SIG_TYPE_COSIGNATURE_ED25519})

#: Go's note.Open limit; C2SP only requires accepting at least 16.
MAX_SIGNATURES = 100

ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64
_KEY_ID_SIZE = 4

#: Signature lines start with U+2014 EM DASH and a space.
SIGNATURE_LINE_PREFIX = "\u2014 "

_PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"


class NoteError(ValueError):
    """Base class of every signed-note error."""


class KeyFormatError(NoteError):
    """A verifier or signer key string is malformed or unsupported."""


class MalformedNoteError(NoteError):
    """The note is not a syntactically valid signed note."""


class InvalidSignatureError(NoteError):
    """A signature by a known key (name and key ID match) failed to verify."""


class UnverifiedNoteError(NoteError):
    """No signature by any of the given keys was found on the note."""


# --------------------------------------------------------------------------
# Names, key IDs, key strings
# --------------------------------------------------------------------------


def valid_key_name(name: str) -> bool:
    """Key names are non-empty, contain no Unicode whitespace and no '+'."""
    return name != "" and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, sig_type: int, public_key: bytes) -> int:
    """The 32-bit key ID: SHA-256(name || "\\n" || type || public key)[:4], big-endian."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()
    return int.from_bytes(digest[:_KEY_ID_SIZE], "big")


def decode_base64(text: str) -> bytes:
    """Standard base64 with padding; reject anything outside the alphabet."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"invalid base64: {exc}") from exc


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _parse_hex8(text: str) -> int:
    # int(x, 16) alone would also accept "+", "-", "_" and a "0x" prefix.
    if len(text) != 8 or not all(c in string.hexdigits for c in text):
        raise KeyFormatError(f"key ID must be 8 hex digits, got {text!r}")
    return int(text, 16)


def _check_key_material(sig_type: int, material: bytes) -> None:
    if sig_type not in _SUPPORTED_TYPES:
        raise KeyFormatError(f"unsupported signature type 0x{sig_type:02x}")
    if len(material) != ED25519_KEY_SIZE:
        raise KeyFormatError(f"Ed25519 key material must be 32 bytes, got {len(material)}")


@dataclass(frozen=True)
class VerifierKey:
    """A parsed vkey: key name, signature type and public key."""

    name: str
    sig_type: int
    public_key: bytes

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.sig_type, self.public_key)

    def to_string(self) -> str:
        """The vkey text ``name+hex8+base64(type || key)``."""
        encoded = encode_base64(bytes([self.sig_type]) + self.public_key)
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    def __str__(self) -> str:
        return self.to_string()


def _split_key(text: str, what: str, shape_error: str) -> tuple[str, int, bytes]:
    """``name+hex8+base64`` → (name, key ID, decoded bytes), for verifier and signer keys."""
    # Names cannot contain '+', but base64 can: split at most twice.
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise KeyFormatError(shape_error)
    name, hex_id, encoded = parts
    if not valid_key_name(name):
        raise KeyFormatError(f"invalid key name {name!r}")
    wanted_id = _parse_hex8(hex_id)
    try:
        raw = decode_base64(encoded)
    except ValueError as exc:
        raise KeyFormatError(str(exc)) from exc
    if not raw:
        raise KeyFormatError(f"{what} has no key material")
    return name, wanted_id, raw


def parse_verifier_key(vkey: str) -> VerifierKey:
    """Parse a vkey; the key ID must match the name, type and key."""
    name, wanted_id, raw = _split_key(vkey, "vkey", "vkey must be name+keyid+key")
    key = VerifierKey(name, raw[0], raw[1:])
    _check_key_material(key.sig_type, key.public_key)
    if key.key_id != wanted_id:
        raise KeyFormatError("vkey key ID does not match its name and key")
    return key


@dataclass(frozen=True)
class SignerKey:
    """A parsed signer key: name, signature type and the 32-byte Ed25519 seed."""

    name: str
    sig_type: int
    seed: bytes = field(repr=False)  # never print private key material

    @property
    def public_key(self) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.sig_type, self.public_key)

    def verifier_key(self) -> VerifierKey:
        return VerifierKey(self.name, self.sig_type, self.public_key)

    def to_string(self) -> str:
        """The signer key text ``PRIVATE+KEY+name+hex8+base64(type || seed)``."""
        encoded = encode_base64(bytes([self.sig_type]) + self.seed)
        return f"{_PRIVATE_KEY_PREFIX}{self.name}+{self.key_id:08x}+{encoded}"


def parse_signer_key(skey: str) -> SignerKey:
    """Parse a Go-style signer key; the key ID must match the derived public key."""
    if not skey.startswith(_PRIVATE_KEY_PREFIX):
        raise KeyFormatError("signer key must start with PRIVATE+KEY+")
    name, wanted_id, raw = _split_key(
        skey[len(_PRIVATE_KEY_PREFIX) :],
        "signer key",
        "signer key must be PRIVATE+KEY+name+keyid+key",
    )
    key = SignerKey(name, raw[0], raw[1:])
    _check_key_material(key.sig_type, key.seed)
    if key.key_id != wanted_id:
        raise KeyFormatError("signer key ID does not match its name and key")
    return key


def generate_signer_key(name: str, sig_type: int = SIG_TYPE_ED25519) -> SignerKey:
    """A fresh random Ed25519 key (type 0x01 for logs, 0x04 for cosigners)."""
    if not valid_key_name(name):
        raise KeyFormatError(f"invalid key name {name!r}")
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    _check_key_material(sig_type, seed)
    return SignerKey(name, sig_type, seed)


def generate_key(name: str, sig_type: int = SIG_TYPE_ED25519) -> tuple[str, str]:
    """Return ``(signer key string, verifier key string)`` for a new key."""
    key = generate_signer_key(name, sig_type)
    return key.to_string(), key.verifier_key().to_string()


# --------------------------------------------------------------------------
# Signers and verifiers
# --------------------------------------------------------------------------


class Verifier(Protocol):
    """Checks note signatures for one (key name, key ID)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool:
        """``signature`` is the signature-line payload after the 4-byte key ID."""
        ...


class Signer(Protocol):
    """Produces note signatures for one (key name, key ID)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes:
        """Return the signature-line payload that follows the 4-byte key ID."""
        ...


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Plain Ed25519 verification that never raises."""
    if len(public_key) != ED25519_KEY_SIZE or len(signature) != ED25519_SIGNATURE_SIZE:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


class KeyedVerifier:
    """A verifier bound to one verifier key of one signature type (``SIG_TYPE``)."""

    SIG_TYPE = SIG_TYPE_ED25519

    def __init__(self, key: VerifierKey) -> None:
        if key.sig_type != self.SIG_TYPE:
            raise KeyFormatError(f"{type(self).__name__} needs a type 0x{self.SIG_TYPE:02x} key")
        self.key = key
        self._key_id = key.key_id

    @classmethod
    def from_vkey(cls, vkey: str) -> Self:
        return cls(parse_verifier_key(vkey))

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def key_id(self) -> int:
        return self._key_id


class Ed25519Verifier(KeyedVerifier):
    """Verifier for signature type 0x01: the payload is Ed25519(note text)."""

    SIG_TYPE = SIG_TYPE_ED25519

    def verify(self, message: bytes, signature: bytes) -> bool:
        return ed25519_verify(self.key.public_key, message, signature)


class Ed25519Signer:
    """Signer for signature type 0x01."""

    def __init__(self, key: SignerKey) -> None:
        if key.sig_type != SIG_TYPE_ED25519:
            raise KeyFormatError("Ed25519Signer needs a type 0x01 key")
        self.key = key
        self._private = Ed25519PrivateKey.from_private_bytes(key.seed)
        self._key_id = key.key_id

    @classmethod
    def from_skey(cls, skey: str) -> Self:
        return cls(parse_signer_key(skey))

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Self:
        _check_key_material(SIG_TYPE_ED25519, seed)
        return cls(SignerKey(name, SIG_TYPE_ED25519, seed))

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def key_id(self) -> int:
        return self._key_id

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.key.verifier_key())

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


# --------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, key ID and the payload after the key ID."""

    name: str
    key_id: int
    signature: bytes

    def to_line(self) -> str:
        """The signature line, including its final newline."""
        payload = self.key_id.to_bytes(_KEY_ID_SIZE, "big") + self.signature
        return f"{SIGNATURE_LINE_PREFIX}{self.name} {encode_base64(payload)}\n"


@dataclass(frozen=True)
class Note:
    """A parsed (not yet verified) signed note."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def to_bytes(self) -> bytes:
        return (self.text + "\n" + "".join(s.to_line() for s in self.signatures)).encode()


@dataclass(frozen=True)
class VerifiedNote:
    """A note whose ``verified`` signatures were checked against trusted keys."""

    text: str
    signatures: tuple[NoteSignature, ...]
    verified: tuple[NoteSignature, ...]

    @property
    def verified_names(self) -> list[str]:
        return [s.name for s in self.verified]


def _is_control(c: str) -> bool:
    return (ord(c) < 0x20 and c != "\n") or c == "\x7f"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise MalformedNoteError("note text must end in a newline")
    if any(_is_control(c) for c in text):
        raise MalformedNoteError("note contains a control character")


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_LINE_PREFIX):
        raise MalformedNoteError("signature line must start with an em dash and a space")
    name, sep, encoded = line[len(SIGNATURE_LINE_PREFIX) :].partition(" ")
    if not sep or not valid_key_name(name):
        raise MalformedNoteError(f"invalid key name in signature line {line!r}")
    try:
        raw = decode_base64(encoded)
    except ValueError as exc:
        raise MalformedNoteError(f"signature is not base64: {exc}") from exc
    if len(raw) <= _KEY_ID_SIZE:  # a key ID and at least one signature byte
        raise MalformedNoteError("signature too short")
    return NoteSignature(name, int.from_bytes(raw[:_KEY_ID_SIZE], "big"), raw[_KEY_ID_SIZE:])


def parse_note(data: bytes) -> Note:
    """Split a note into text and signature lines without verifying anything."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedNoteError("note is not valid UTF-8") from exc
    if any(_is_control(c) for c in decoded):
        raise MalformedNoteError("note contains a control character")
    # The text may itself contain blank lines: the signatures start after the last one.
    split = decoded.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("note has no signature block")
    text, block = decoded[: split + 1], decoded[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNoteError("signature block must be non-empty and end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(_parse_signature_line(line) for line in lines))


def _index_verifiers(verifiers: Sequence[Verifier]) -> dict[tuple[str, int], Verifier]:
    index: dict[tuple[str, int], Verifier] = {}
    for v in verifiers:
        slot = (v.name, v.key_id)
        if slot in index and index[slot] is not v:
            raise NoteError(f"two verifiers share name and key ID {v.name}+{v.key_id:08x}")
        index[slot] = v
    return index


def open_note(data: bytes, verifiers: Sequence[Verifier]) -> VerifiedNote:
    """Parse and verify a note against the trusted ``verifiers``.

    Raises ``MalformedNoteError``, ``InvalidSignatureError`` (a known key's
    signature is bad) or ``UnverifiedNoteError`` (no known key signed).
    """
    note = parse_note(data)
    known = _index_verifiers(verifiers)
    message = note.text.encode()
    verified: list[NoteSignature] = []
    seen: set[tuple[str, int]] = set()
    for sig in note.signatures:
        slot = (sig.name, sig.key_id)
        verifier = known.get(slot)
        # Unknown keys are ignored (the spec requires it); repeated lines of a
        # key are dropped, as Go does, so each key counts once.
        if verifier is None or slot in seen:
            continue
        seen.add(slot)
        if not verifier.verify(message, sig.signature):
            raise InvalidSignatureError(f"bad signature from {sig.name}+{sig.key_id:08x}")
        verified.append(sig)
    if not verified:
        raise UnverifiedNoteError("note has no signature from a trusted key")
    return VerifiedNote(note.text, note.signatures, tuple(verified))


def signature_for(text: str, signer: Signer) -> NoteSignature:
    """Sign ``text`` with ``signer`` and return the signature line's content."""
    _check_text(text)
    if not valid_key_name(signer.name):
        raise KeyFormatError(f"invalid key name {signer.name!r}")
    return NoteSignature(signer.name, signer.key_id, signer.sign(text.encode()))


def sign_note(text: str, signers: Sequence[Signer]) -> bytes:
    """A new note: ``text`` signed by every signer, in order."""
    if not signers:
        raise NoteError("a note needs at least one signature")
    return Note(text, tuple(signature_for(text, s) for s in signers)).to_bytes()


def add_signatures(data: bytes, signatures: Sequence[NoteSignature]) -> bytes:
    """Append signature lines to an existing note, replacing earlier lines of the same key.

    The existing signatures are not verified here; use ``open_note`` first
    when the note comes from an untrusted source.
    """
    note = parse_note(data)
    new_slots = {(s.name, s.key_id) for s in signatures}
    kept = tuple(s for s in note.signatures if (s.name, s.key_id) not in new_slots)
    combined = kept + tuple(signatures)
    if len(combined) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return Note(note.text, combined).to_bytes()


def cosign_note(data: bytes, signers: Sequence[Signer]) -> bytes:
    """Sign the text of an existing note with more ``signers`` and append the lines."""
    note = parse_note(data)
    return add_signatures(data, [signature_for(note.text, s) for s in signers])
