"""C2SP tlog-proof receipts (c2sp.org/tlog-proof@v1): offline proofs of logging.

A receipt (``.tlog-proof`` file) is::

    c2sp.org/tlog-proof@v1
    [extra <base64 opaque data>]
    index <decimal leaf index>
    <base64 inclusion proof hash>      (zero or more, leaf's sibling first)
    <empty line>
    <the checkpoint note, verbatim, with the log signature and cosignatures>

``verify_receipt`` follows the spec's verification order: compute the leaf
hash of the entry (here the RFC 6962 leaf hash of the logged bytes), check the
checkpoint's log signature and origin, check the witness cosignatures against
the tlog-policy quorum, then verify the inclusion proof against the root.
The ``extra`` data is not authenticated and is only passed through.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .checkpoint import (
    Checkpoint,
    CheckpointError,
    Cosignature,
    open_checkpoint,
    parse_checkpoint,
)
from .merkle import (
    HASH_SIZE,
    HashReader,
    inclusion_proof_at,
    leaf_hash,
    root_from_inclusion_proof,
)
from .note import (
    NoteError,
    Verifier,
    VerifierKey,
    decode_base64,
    encode_base64,
    parse_note,
    parse_verifier_key,
)
from .policy import Policy, verifiers_for

HEADER = "c2sp.org/tlog-proof@v1"
#: An inclusion proof in a tree of at most 2**64 - 1 leaves has at most 63 hashes.
MAX_PROOF_HASHES = 63


class ReceiptError(ValueError):
    """Base class of receipt errors."""


class MalformedReceiptError(ReceiptError):
    """The receipt text does not follow the tlog-proof format."""


class ReceiptVerificationError(ReceiptError):
    """The receipt is well formed but does not prove what it claims."""


class ReceiptSignatureError(ReceiptVerificationError):
    """The checkpoint lacks a valid trusted log signature, or a known key's signature is bad."""


class ReceiptQuorumError(ReceiptVerificationError):
    """The verified cosignatures do not meet the policy quorum."""


class ReceiptInclusionError(ReceiptVerificationError):
    """The entry is not proven to be at the index in the checkpointed tree."""


@dataclass(frozen=True)
class Receipt:
    """A parsed receipt; ``checkpoint`` is the signed checkpoint note's bytes."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: bytes
    extra: bytes | None = None

    def to_bytes(self) -> bytes:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {encode_base64(self.extra)}")
        lines.append(f"index {self.index}")
        lines += [encode_base64(h) for h in self.proof]
        return ("\n".join(lines) + "\n\n").encode() + self.checkpoint


@dataclass(frozen=True)
class ReceiptVerification:
    """What a successfully verified receipt proves."""

    checkpoint: Checkpoint
    index: int
    leaf_hash: bytes
    #: Policy names of the witnesses whose cosignatures verified.
    witnesses: frozenset[str]
    cosignatures: tuple[Cosignature, ...]
    #: Unauthenticated extra data carried by the receipt, if any.
    extra: bytes | None


# --------------------------------------------------------------------------
# Creating and parsing
# --------------------------------------------------------------------------


def _parse_index(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text.startswith("0")):
        raise MalformedReceiptError(f"index {text!r} is not a canonical decimal")
    return int(text)


def _parse_hash_line(line: str) -> bytes:
    try:
        value = decode_base64(line)
    except ValueError as exc:
        raise MalformedReceiptError(f"proof line is not base64: {exc}") from exc
    if len(value) != HASH_SIZE or encode_base64(value) != line:
        raise MalformedReceiptError("proof lines must be canonical base64 of 32-byte hashes")
    return value


def _parse_extra(text: str) -> bytes:
    try:
        extra = decode_base64(text)
    except ValueError as exc:
        raise MalformedReceiptError(f"extra data is not base64: {exc}") from exc
    if not extra:
        raise MalformedReceiptError("an extra line must carry data")
    return extra


def _checkpoint_of(note: bytes) -> Checkpoint:
    try:
        return parse_checkpoint(parse_note(note).text)
    except (NoteError, CheckpointError) as exc:
        raise MalformedReceiptError(f"embedded checkpoint is malformed: {exc}") from exc


def parse_receipt(data: bytes) -> Receipt:
    """Strictly parse a ``.tlog-proof`` file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedReceiptError("receipt is not valid UTF-8") from exc
    # The proof block has no blank lines, so the first one ends it.
    head, sep, note_text = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != HEADER:
        raise MalformedReceiptError(f"receipt must start with {HEADER!r} and a proof block")
    pos = 1
    extra = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        extra = _parse_extra(lines[pos][len("extra ") :])
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise MalformedReceiptError("missing index line")
    index = _parse_index(lines[pos][len("index ") :])
    proof = tuple(_parse_hash_line(line) for line in lines[pos + 1 :])
    if len(proof) > MAX_PROOF_HASHES:
        raise MalformedReceiptError(f"more than {MAX_PROOF_HASHES} proof hashes")
    checkpoint = note_text.encode()
    if index >= _checkpoint_of(checkpoint).size:
        raise MalformedReceiptError("index is outside the checkpointed tree")
    return Receipt(index, proof, checkpoint, extra)


def create_receipt(
    index: int, proof: Sequence[bytes], checkpoint_note: bytes, extra: bytes | None = None
) -> bytes:
    """Serialise a receipt; the result is re-parsed so only valid receipts come out."""
    data = Receipt(index, tuple(proof), checkpoint_note, extra).to_bytes()
    parse_receipt(data)
    return data


def receipt_from_store(
    index: int, checkpoint_note: bytes, reader: HashReader, extra: bytes | None = None
) -> bytes:
    """A receipt for leaf ``index`` in the tree of a signed checkpoint, proof from storage."""
    size = _checkpoint_of(checkpoint_note).size
    return create_receipt(index, inclusion_proof_at(index, size, reader), checkpoint_note, extra)


# --------------------------------------------------------------------------
# Verifying
# --------------------------------------------------------------------------


def _log_verifiers(vkeys: Sequence[str | VerifierKey], policy: Policy) -> list[Verifier]:
    """Trusted log keys from the caller and the policy, each once."""
    keys = [parse_verifier_key(k) if isinstance(k, str) else k for k in vkeys]
    return verifiers_for(list(dict.fromkeys([*keys, *policy.log_verifier_keys()])))


def verify_receipt(
    receipt: Receipt | bytes,
    entry_bytes: bytes,
    vkeys: Sequence[str | VerifierKey],
    policy: Policy,
    *,
    leaf_hasher: Callable[[bytes], bytes] = leaf_hash,
) -> ReceiptVerification:
    """Verify that ``entry_bytes`` is logged under a checkpoint trusted by ``policy``.

    ``vkeys`` are the trusted log keys, in addition to the policy's ``log``
    lines.  Raises ``MalformedReceiptError`` or a ``ReceiptVerificationError``
    subclass naming the step that failed.
    """
    parsed = parse_receipt(receipt) if isinstance(receipt, bytes) else receipt
    leaf = leaf_hasher(entry_bytes)  # step 1
    log_keys = _log_verifiers(vkeys, policy)
    if not log_keys:
        raise ReceiptSignatureError("no trusted log keys given")
    try:  # step 2: log signature and origin (and validity of known cosignatures)
        signed = open_checkpoint(
            parsed.checkpoint, log_keys, verifiers_for(policy.witness_verifier_keys())
        )
    except (NoteError, CheckpointError) as exc:
        raise ReceiptSignatureError(f"checkpoint not trusted: {exc}") from exc
    witnesses = frozenset(policy.witness_names_for(signed.note.verified))
    if not policy.evaluate(witnesses):  # step 3
        raise ReceiptQuorumError(
            f"quorum {policy.quorum!r} not met by cosigners {sorted(witnesses) or '(none)'}"
        )
    checkpoint = signed.checkpoint
    try:  # step 4
        root = root_from_inclusion_proof(leaf, parsed.index, checkpoint.size, parsed.proof)
    except ValueError as exc:
        raise ReceiptInclusionError(f"inclusion proof invalid: {exc}") from exc
    if root != checkpoint.root_hash:
        raise ReceiptInclusionError("inclusion proof does not lead to the checkpoint root")
    return ReceiptVerification(
        checkpoint, parsed.index, leaf, witnesses, signed.cosignatures, parsed.extra
    )
