"""C2SP tlog-checkpoint parsing and tlog-cosignature signing/verification."""

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tripartite.ledger import checkpoint, merkle, note

ORIGIN = "forum.example.gov/log"
ROOT = merkle.root_hash([b"a", b"b", b"c"])
CP = checkpoint.Checkpoint(ORIGIN, 3, ROOT)


def seed(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


LOG = note.Ed25519Signer.from_seed(ORIGIN, seed("log"))
WITNESS_KEY = note.SignerKey("witness.example.org/w1", 0x04, seed("w1"))
WITNESS = checkpoint.CosignatureSigner(WITNESS_KEY, clock=lambda: 1_700_000_000)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --------------------------------------------------------------------------
# Body format
# --------------------------------------------------------------------------


def test_checkpoint_body_is_origin_size_and_base64_root() -> None:
    assert CP.to_text() == f"{ORIGIN}\n3\n{b64(ROOT)}\n"


def test_extension_lines_follow_the_root() -> None:
    body = checkpoint.format_checkpoint(ORIGIN, 3, ROOT, ["ext one", "ext two"])
    assert body.endswith(f"{b64(ROOT)}\next one\next two\n")
    assert checkpoint.parse_checkpoint(body).extensions == ("ext one", "ext two")


def test_empty_tree_checkpoint_uses_the_empty_root() -> None:
    body = checkpoint.format_checkpoint(ORIGIN, 0, merkle.EMPTY_ROOT)
    assert checkpoint.parse_checkpoint(body).size == 0


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n03\n{b64(ROOT)}\n",
        f"{ORIGIN}\n-3\n{b64(ROOT)}\n",
        f"{ORIGIN}\n+3\n{b64(ROOT)}\n",
        f"{ORIGIN}\n\u0663\n{b64(ROOT)}\n",
        f"{ORIGIN}\n{2**64}\n{b64(ROOT)}\n",
        f"{ORIGIN}\n3\n{b64(ROOT[:31])}\n",
        f"{ORIGIN}\n3\n{b64(ROOT)[:-2]}\n",
        f"{ORIGIN}\n3\n{b64(ROOT)}",
        f"{ORIGIN}\n3\n",
        f"{ORIGIN}\n3\n{b64(ROOT)}\n\n",
        f"{ORIGIN}\r\n3\n{b64(ROOT)}\n",
        f"{ORIGIN}\n0\n{b64(ROOT)}\n",
    ],
    ids=[
        "leading-zero",
        "negative",
        "plus-sign",
        "non-ascii-digit",
        "over-uint64",
        "short-root",
        "truncated-base64",
        "no-final-newline",
        "missing-root",
        "empty-extension",
        "carriage-return",
        "empty-tree-wrong-root",
    ],
)
def test_malformed_checkpoint_bodies_are_rejected(body: str) -> None:
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.parse_checkpoint(body)


def test_non_canonical_base64_root_is_rejected() -> None:
    text = b64(ROOT)
    # The last base64 digit before "=" carries 2 unused bits; setting one changes
    # the text but not the decoded bytes.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(text[-2])
    variant = text[:-2] + alphabet[last | 1] + "="
    assert variant != text and base64.b64decode(variant) == ROOT
    with pytest.raises(checkpoint.CheckpointError, match="canonical"):
        checkpoint.parse_checkpoint(f"{ORIGIN}\n3\n{variant}\n")


def test_checkpoint_fields_are_validated_on_construction() -> None:
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.Checkpoint("two\nlines", 1, ROOT)
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.Checkpoint(ORIGIN, -1, ROOT)
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.Checkpoint(ORIGIN, 1, b"short")


@given(
    origin=st.from_regex(r"[a-z0-9./-]{1,40}", fullmatch=True),
    size=st.integers(1, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(st.from_regex(r"[ -~]{1,20}", fullmatch=True), max_size=3),
)
def test_format_and_parse_round_trip(
    origin: str, size: int, root: bytes, extensions: list[str]
) -> None:
    body = checkpoint.format_checkpoint(origin, size, root, extensions)
    assert checkpoint.parse_checkpoint(body) == checkpoint.Checkpoint(
        origin, size, root, tuple(extensions)
    )


# --------------------------------------------------------------------------
# Cosignatures
# --------------------------------------------------------------------------


def test_cosignature_message_prefixes_header_and_time() -> None:
    body = CP.to_text()
    assert checkpoint.cosignature_message(body, 42) == f"cosignature/v1\ntime 42\n{body}".encode()


@pytest.mark.parametrize("timestamp", [-1, 2**63], ids=["negative", "over-2^63-1"])
def test_cosignature_message_rejects_out_of_range_timestamps(timestamp: int) -> None:
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.cosignature_message(CP.to_text(), timestamp)


def test_cosignature_payload_is_timestamp_then_signature() -> None:
    payload = WITNESS.sign(CP.to_text().encode())
    assert len(payload) == 72
    assert int.from_bytes(payload[:8], "big") == 1_700_000_000
    message = checkpoint.cosignature_message(CP.to_text(), 1_700_000_000)
    assert note.ed25519_verify(WITNESS_KEY.public_key, message, payload[8:])


def test_cosignature_verifies_and_reports_its_timestamp() -> None:
    signed = checkpoint.sign_checkpoint(CP, LOG)
    cosigned = checkpoint.add_cosignatures(signed, [checkpoint.cosign(signed, WITNESS)])
    opened = checkpoint.open_checkpoint(cosigned, [LOG.verifier()], [WITNESS.verifier()])
    assert opened.checkpoint == CP
    assert opened.cosignatures == (
        checkpoint.Cosignature(WITNESS.name, WITNESS.key_id, 1_700_000_000),
    )


def test_cosignature_over_another_checkpoint_is_rejected() -> None:
    other = checkpoint.Checkpoint(ORIGIN, 4, merkle.root_hash([b"a", b"b", b"c", b"d"]))
    stolen = checkpoint.cosign(checkpoint.sign_checkpoint(other, LOG), WITNESS)
    cosigned = checkpoint.add_cosignatures(checkpoint.sign_checkpoint(CP, LOG), [stolen])
    with pytest.raises(note.InvalidSignatureError):
        checkpoint.open_checkpoint(cosigned, [LOG.verifier()], [WITNESS.verifier()])


def test_cosignature_with_altered_timestamp_is_rejected() -> None:
    line = checkpoint.cosign(checkpoint.sign_checkpoint(CP, LOG), WITNESS)
    altered = note.NoteSignature(
        line.name, line.key_id, (1).to_bytes(8, "big") + line.signature[8:]
    )
    assert not WITNESS.verifier().verify(CP.to_text().encode(), altered.signature)


def test_cosigner_refuses_to_sign_text_that_is_not_a_checkpoint() -> None:
    with pytest.raises(checkpoint.CheckpointError):
        WITNESS.sign(b"hello\n")


def test_cosigner_refuses_a_zero_timestamp() -> None:
    with pytest.raises(checkpoint.CheckpointError):
        WITNESS.sign_at(CP.to_text().encode(), 0)


def test_cosigner_needs_a_type_4_key() -> None:
    with pytest.raises(note.KeyFormatError):
        checkpoint.CosignatureSigner(LOG.key)


def test_key_strings_dispatch_to_the_right_signer_and_verifier() -> None:
    assert isinstance(checkpoint.signer_for_key(LOG.key.to_string()), note.Ed25519Signer)
    assert isinstance(
        checkpoint.signer_for_key(WITNESS_KEY.to_string()), checkpoint.CosignatureSigner
    )
    vkey = WITNESS_KEY.verifier_key().to_string()
    assert isinstance(checkpoint.verifier_for_key(vkey), checkpoint.CosignatureVerifier)
    assert isinstance(checkpoint.verifier_for_key(LOG.key.verifier_key()), note.Ed25519Verifier)


# --------------------------------------------------------------------------
# Signed checkpoints
# --------------------------------------------------------------------------


def test_log_key_name_must_equal_origin_when_signing() -> None:
    other = note.Ed25519Signer.from_seed("other.example/log", seed("log"))
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.sign_checkpoint(CP, other)


def test_checkpoint_signed_under_another_name_is_rejected() -> None:
    other = note.Ed25519Signer.from_seed("other.example/log", seed("log"))
    data = note.sign_note(CP.to_text(), [other])
    with pytest.raises(checkpoint.CheckpointError, match="origin"):
        checkpoint.open_checkpoint(data, [other.verifier()])


def test_cosignature_alone_does_not_make_a_checkpoint_trusted() -> None:
    data = note.sign_note(CP.to_text(), [LOG, WITNESS])
    with pytest.raises(checkpoint.CheckpointError, match="log key"):
        checkpoint.open_checkpoint(data, [], [WITNESS.verifier()])


def test_unknown_cosigners_are_ignored() -> None:
    stranger = checkpoint.CosignatureSigner(note.SignerKey("stranger.example", 0x04, seed("s")))
    signed = checkpoint.sign_checkpoint(CP, LOG)
    data = checkpoint.add_cosignatures(signed, [checkpoint.cosign(signed, stranger)])
    assert (
        checkpoint.open_checkpoint(data, [LOG.verifier()], [WITNESS.verifier()]).cosignatures == ()
    )


def test_forged_log_signature_is_rejected() -> None:
    impostor = note.Ed25519Signer.from_seed(ORIGIN, seed("not the log"))
    forged = note.Note(
        CP.to_text(),
        (note.NoteSignature(ORIGIN, LOG.key_id, impostor.sign(CP.to_text().encode())),),
    ).to_bytes()
    with pytest.raises(note.InvalidSignatureError):
        checkpoint.open_checkpoint(forged, [LOG.verifier()])


def test_signed_note_with_malformed_checkpoint_body_is_rejected() -> None:
    data = note.sign_note(f"{ORIGIN}\n007\n{b64(ROOT)}\n", [LOG])
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.open_checkpoint(data, [LOG.verifier()])
