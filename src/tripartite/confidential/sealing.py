"""Sealing and opening confidential submissions (libsodium sealed boxes, via PyNaCl).

Framework-free: no Django import, so the recipient's ``tripartite concerns open`` and the
tests use the very code the server uses.

* A **message** is a small JSON object (kind, about, message, contact). Before sealing it is
  padded with spaces to a **size bucket** (1, 4, 16 or 64 KiB), so the ciphertext's length
  tells the host only the bucket, not the length of the words. JSON ignores the padding.
* A **sealed copy** is ``crypto_box_seal(padded message, recipient's X25519 public key)``:
  an ephemeral key pair per copy, so only the recipient's private key opens it and not even
  the sender can open it again. There is one copy per active recipient key (the same
  bytes the browser produces with tweetnacl + tweetnacl-sealedbox-js).
* A **bundle** is the canonical JSON (RFC 8785) of ``{format, copies: [{recipient,
  public_key, sealed}]}``; its SHA-256 is what the public record (and so the log) holds.
* A **key file** holds one recipient's private key; it is written with mode 0600 on the
  recipient's own machine and never uploaded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from tripartite.core.canonical import canonical_json

BUNDLE_FORMAT = "tripartite-sealed/1"
MESSAGE_FORMAT = "tripartite-concern/1"
KEY_FILE_HEADER = "TRIPARTITE-CONFIDENTIAL-KEY-1"
# Plaintexts are padded to one of these sizes (bytes) before sealing.
SIZE_BUCKETS = (1024, 4096, 16384, 65536)
# A sealed box adds the ephemeral public key (32 bytes) and the MAC (16 bytes).
SEAL_OVERHEAD = 48
KEY_BYTES = 32
OTHER_KEYS = "Sealed to other keys."
MESSAGE_FIELDS = ("kind", "about", "message", "contact")


class SealingError(ValueError):
    """A message, key or bundle is not what the channel accepts (the reason is safe to show:
    it never quotes the message)."""


class OpenError(Exception):
    """A sealed copy could not be opened with the given key (wrong key, or altered)."""


# ---------------------------------------------------------------- keys


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, *, length: int | None = None, what: str = "value") -> bytes:
    try:
        data = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SealingError(f"The {what} is not valid base64.") from error
    if length is not None and len(data) != length:
        raise SealingError(f"The {what} must be {length} bytes, not {len(data)}.")
    return data


def parse_public_key(text: str) -> PublicKey:
    """A recipient's public key as registered: 32 bytes in standard base64."""
    return PublicKey(unb64(text, length=KEY_BYTES, what="public key"))


def fingerprint(public_key: str) -> str:
    """What a person compares aloud: the first 16 bytes of SHA-256 of the key, in groups."""
    digest = hashlib.sha256(unb64(public_key, length=KEY_BYTES, what="public key")).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class KeyPair:
    private: PrivateKey

    @property
    def public_b64(self) -> str:
        return b64(bytes(self.private.public_key))


def generate_key_pair() -> KeyPair:
    return KeyPair(PrivateKey.generate())


def write_key_file(path: Path, pair: KeyPair, *, label: str = "") -> None:
    """Write the private key with mode 0600; refuse to overwrite an existing file."""
    text = (
        "# Tripartite confidential channel: a recipient's PRIVATE key.\n"
        "# Keep it on your own machine, never upload or e-mail it. Anyone holding this\n"
        "# file can read every submission sealed to the public key below.\n"
        f"# label: {label}\n"
        f"# public key: {pair.public_b64}\n"
        f"{KEY_FILE_HEADER} {b64(bytes(pair.private))}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)


def read_key_file(path: Path) -> KeyPair:
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        if line.startswith(KEY_FILE_HEADER + " "):
            raw = unb64(line[len(KEY_FILE_HEADER) + 1 :], length=KEY_BYTES, what="private key")
            return KeyPair(PrivateKey(raw))
    raise SealingError(f"{path} is not a Tripartite confidential-channel key file.")


# ---------------------------------------------------------------- messages


def bucket_for(length: int) -> int:
    for size in SIZE_BUCKETS:
        if length <= size:
            return size
    raise SealingError("The message is too long to be sealed.")


def encode_message(fields: Mapping[str, str]) -> bytes:
    """The message as compact JSON, padded with spaces to its size bucket."""
    content = {"format": MESSAGE_FORMAT, **{name: fields.get(name, "") for name in MESSAGE_FIELDS}}
    raw = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return raw + b" " * (bucket_for(len(raw)) - len(raw))


def decode_message(padded: bytes) -> dict[str, Any]:
    """An opened plaintext back to its fields (padding ignored)."""
    try:
        value = json.loads(padded.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise OpenError("The opened content is not a Tripartite message.") from error
    if not isinstance(value, dict):
        raise OpenError("The opened content is not a Tripartite message.")
    return value


# ---------------------------------------------------------------- sealing


def seal(padded: bytes, public_key: str) -> bytes:
    return bytes(SealedBox(parse_public_key(public_key)).encrypt(padded))


def seal_message(
    fields: Mapping[str, str], recipients: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """One sealed copy (base64) per recipient: ``{recipient public id: copy}``.

    ``recipients`` are (public id, base64 public key) pairs. The padded plaintext lives
    only in this function's frame; any failure is re-raised without it (no chained
    exception whose frames a debug page or error report could show).
    """
    try:
        padded = encode_message(fields)
        return {rid: b64(seal(padded, key)) for rid, key in recipients}
    except SealingError:
        raise
    except Exception:  # noqa: S110 - raised again below, outside this block, so that no
        pass  # chained exception keeps the frames that hold the plaintext
    raise SealingError("The message could not be sealed.")


def check_copies(copies: Mapping[str, str], expected: Mapping[str, str]) -> int:
    """Validate copies sealed elsewhere (the browser): one per expected recipient, each of
    one bucket's exact sealed length, all alike. Returns the bucket."""
    if set(copies) != set(expected):
        raise SealingError("The message was not sealed to the committee's current keys.")
    lengths = {len(unb64(copy, what="sealed copy")) for copy in copies.values()}
    if len(lengths) != 1:
        raise SealingError("The sealed copies differ in size.")
    (length,) = lengths
    bucket = length - SEAL_OVERHEAD
    if bucket not in SIZE_BUCKETS:
        raise SealingError("A sealed copy has a size the channel does not accept.")
    return bucket


def make_bundle(copies: Mapping[str, str], public_keys: Mapping[str, str]) -> bytes:
    """The canonical bundle bytes that are stored and hashed."""
    return canonical_json(
        {
            "format": BUNDLE_FORMAT,
            "copies": [
                {"recipient": rid, "public_key": public_keys[rid], "sealed": copies[rid]}
                for rid in sorted(copies)
            ],
        }
    )


def bundle_sha256(bundle: bytes) -> str:
    return hashlib.sha256(bundle).hexdigest()


def open_bundle(bundle: bytes, pair: KeyPair) -> dict[str, Any]:
    """Open the copy sealed to ``pair``'s public key. ``OpenError`` when the bundle holds
    no copy for this key, or the copy does not open with it."""
    try:
        parsed = json.loads(bundle)
        copies = parsed["copies"]
    except (ValueError, KeyError, TypeError) as error:
        raise OpenError("Not a sealed bundle.") from error
    mine = [c for c in copies if c.get("public_key") == pair.public_b64]
    if not mine:
        raise OpenError(OTHER_KEYS)
    try:
        padded = SealedBox(pair.private).decrypt(unb64(mine[0]["sealed"], what="sealed copy"))
    except (CryptoError, SealingError) as error:
        raise OpenError("The copy for this key does not open with it.") from error
    return decode_message(padded)


# ---------------------------------------------------------------- receipts


def new_receipt_code() -> str:
    """Sixteen random characters in groups of four (80 bits), easy to copy by hand."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(code: str) -> str:
    """What the server keeps of a receipt code: its SHA-256 (spaces ignored, any case)."""
    normalized = "".join(code.split()).upper()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()
