"""C2SP tlog-proof receipts: creation, parsing and offline verification."""

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import checkpoint, merkle, note, policy, proof

ORIGIN = "forum.example.gov/log"
NOW = 1_700_000_000


def seed(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


def cosigner(label: str) -> checkpoint.CosignatureSigner:
    key = note.SignerKey(f"{label}.witness.example", 0x04, seed(label))
    return checkpoint.CosignatureSigner(key, clock=lambda: NOW)


LOG = note.Ed25519Signer.from_seed(ORIGIN, seed("log"))
GOV = [cosigner("gov1"), cosigner("gov2"), cosigner("gov3")]
CSO = [cosigner("cso1"), cosigner("cso2")]

POLICY_TEXT = "\n".join(
    [
        *(f"witness G{i + 1} {w.key.verifier_key()}" for i, w in enumerate(GOV)),
        "group government 2 G1 G2 G3",
        *(f"witness C{i + 1} {w.key.verifier_key()}" for i, w in enumerate(CSO)),
        "group civil-society any C1 C2",
        "group both all government civil-society",
        "quorum both",
    ]
)
POLICY = policy.parse_policy(POLICY_TEXT)
LOG_VKEYS = [LOG.key.verifier_key().to_string()]
ENTRIES = [b'{"type":"decision","id":%d}' % i for i in range(37)]


@dataclass
class Log:
    store: merkle.InMemoryHashStore
    note: bytes


def make_log(cosigners: list[checkpoint.CosignatureSigner], size: int = len(ENTRIES)) -> Log:
    store = merkle.InMemoryHashStore()
    store.append_entries(ENTRIES[:size])
    cp = checkpoint.Checkpoint(ORIGIN, size, merkle.root_at(size, store))
    signed = checkpoint.sign_checkpoint(cp, LOG)
    lines = [checkpoint.cosign(signed, c) for c in cosigners]
    return Log(store, checkpoint.add_cosignatures(signed, lines))


WITNESSED = make_log([GOV[0], GOV[2], CSO[1]])


def receipt_for(index: int, log: Log = WITNESSED) -> bytes:
    return proof.receipt_from_store(index, log.note, log.store)


# --------------------------------------------------------------------------
# Format
# --------------------------------------------------------------------------


def test_receipt_text_layout_follows_tlog_proof() -> None:
    text = receipt_for(5).decode()
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1] == "index 5"
    hashes = merkle.inclusion_proof_at(5, len(ENTRIES), WITNESSED.store)
    assert lines[2 : 2 + len(hashes)] == [base64.b64encode(h).decode() for h in hashes]
    assert lines[2 + len(hashes)] == ""
    assert text.endswith(WITNESSED.note.decode())


def test_receipt_round_trips_through_parse() -> None:
    data = proof.create_receipt(3, [b"\x01" * 32], WITNESSED.note, extra=b"context")
    parsed = proof.parse_receipt(data)
    assert parsed == proof.Receipt(3, (b"\x01" * 32,), WITNESSED.note, b"context")
    assert parsed.to_bytes() == data
    assert data.split(b"\n")[1] == b"extra " + base64.b64encode(b"context")


def test_single_entry_tree_has_an_empty_proof() -> None:
    one = make_log(GOV[:2] + CSO[:1], size=1)
    data = receipt_for(0, one)
    assert proof.parse_receipt(data).proof == ()
    assert proof.verify_receipt(data, ENTRIES[0], LOG_VKEYS, POLICY).index == 0


def _mutate(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(
    "mutation",
    [
        lambda d: _mutate(d, b"tlog-proof@v1", b"tlog-proof@v2"),
        lambda d: _mutate(d, b"index 5\n", b"index 05\n"),
        lambda d: _mutate(d, b"index 5\n", b"index five\n"),
        lambda d: _mutate(d, b"index 5\n", b""),
        lambda d: _mutate(d, b"@v1\n", b"@v1\nextra \n"),
        lambda d: _mutate(d, b"index 5\n", b"index 5\nnot base64!\n"),
        lambda d: _mutate(d, b"index 5\n", b"index 5\n" + base64.b64encode(b"short") + b"\n"),
        lambda d: _mutate(d, b"index 5\n", b"index 99\n"),
        lambda d: d.split(b"\n\n", 1)[0],
        lambda d: _mutate(d, ORIGIN.encode() + b"\n37\n", ORIGIN.encode() + b"\n037\n"),
        lambda d: d + b"\xff",
    ],
    ids=[
        "wrong-header",
        "leading-zero-index",
        "non-numeric-index",
        "missing-index",
        "empty-extra",
        "bad-base64-hash",
        "short-hash",
        "index-beyond-tree",
        "no-checkpoint",
        "malformed-checkpoint",
        "invalid-utf8",
    ],
)
def test_malformed_receipts_are_rejected(mutation: Callable[[bytes], bytes]) -> None:
    with pytest.raises(proof.MalformedReceiptError):
        proof.parse_receipt(mutation(receipt_for(5)))


def test_more_than_63_proof_hashes_are_rejected() -> None:
    hashes = [b"\x00" * 32] * 64
    data = proof.Receipt(0, tuple(hashes), WITNESSED.note).to_bytes()
    with pytest.raises(proof.MalformedReceiptError, match="63"):
        proof.parse_receipt(data)


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------


def test_valid_receipt_verifies_with_quorum_and_reports_what_it_proves() -> None:
    result = proof.verify_receipt(receipt_for(5), ENTRIES[5], LOG_VKEYS, POLICY)
    assert result.index == 5
    assert result.checkpoint.size == len(ENTRIES)
    assert result.leaf_hash == merkle.leaf_hash(ENTRIES[5])
    assert result.witnesses == frozenset({"G1", "G3", "C2"})
    assert {c.timestamp for c in result.cosignatures} == {NOW}


def test_tampered_entry_fails_the_receipt() -> None:
    with pytest.raises(proof.ReceiptInclusionError):
        proof.verify_receipt(receipt_for(5), ENTRIES[5] + b" ", LOG_VKEYS, POLICY)


def test_receipt_for_another_entry_fails() -> None:
    with pytest.raises(proof.ReceiptInclusionError):
        proof.verify_receipt(receipt_for(6), ENTRIES[5], LOG_VKEYS, POLICY)


def test_truncated_proof_fails_the_receipt() -> None:
    parsed = proof.parse_receipt(receipt_for(5))
    short = proof.Receipt(parsed.index, parsed.proof[:-1], parsed.checkpoint)
    with pytest.raises(proof.ReceiptInclusionError, match="short"):
        proof.verify_receipt(short, ENTRIES[5], LOG_VKEYS, POLICY)


def test_wrong_log_key_fails_the_receipt() -> None:
    other = note.Ed25519Signer.from_seed(ORIGIN, seed("another log"))
    with pytest.raises(proof.ReceiptSignatureError):
        proof.verify_receipt(
            receipt_for(5), ENTRIES[5], [other.key.verifier_key().to_string()], POLICY
        )


def test_forged_log_signature_fails_the_receipt() -> None:
    parsed = note.parse_note(WITNESSED.note)
    impostor = note.Ed25519Signer.from_seed(ORIGIN, seed("impostor"))
    forged_sig = note.NoteSignature(ORIGIN, LOG.key_id, impostor.sign(parsed.text.encode()))
    forged = note.Note(parsed.text, (forged_sig, *parsed.signatures[1:])).to_bytes()
    data = proof.create_receipt(5, proof.parse_receipt(receipt_for(5)).proof, forged)
    with pytest.raises(proof.ReceiptSignatureError):
        proof.verify_receipt(data, ENTRIES[5], LOG_VKEYS, POLICY)


def test_forged_witness_cosignature_fails_the_receipt() -> None:
    parsed = note.parse_note(WITNESSED.note)
    witness_sig = parsed.signatures[1]
    bad = note.NoteSignature(
        witness_sig.name,
        witness_sig.key_id,
        witness_sig.signature[:-1] + bytes([witness_sig.signature[-1] ^ 1]),
    )
    forged = note.Note(parsed.text, (parsed.signatures[0], bad, *parsed.signatures[2:])).to_bytes()
    data = proof.create_receipt(5, proof.parse_receipt(receipt_for(5)).proof, forged)
    with pytest.raises(proof.ReceiptSignatureError):
        proof.verify_receipt(data, ENTRIES[5], LOG_VKEYS, POLICY)


def test_policy_quorum_not_met_fails_the_receipt() -> None:
    only_government = make_log([GOV[0], GOV[1], GOV[2]])
    with pytest.raises(proof.ReceiptQuorumError, match="both"):
        proof.verify_receipt(receipt_for(5, only_government), ENTRIES[5], LOG_VKEYS, POLICY)


def test_unwitnessed_checkpoint_fails_a_witnessing_policy() -> None:
    with pytest.raises(proof.ReceiptQuorumError):
        proof.verify_receipt(receipt_for(5, make_log([])), ENTRIES[5], LOG_VKEYS, POLICY)


def test_quorum_none_policy_accepts_a_log_signed_checkpoint() -> None:
    log_only = policy.parse_policy("quorum none\n")
    result = proof.verify_receipt(receipt_for(5, make_log([])), ENTRIES[5], LOG_VKEYS, log_only)
    assert result.witnesses == frozenset()


def test_log_key_may_come_from_the_policy() -> None:
    with_log = policy.parse_policy(f"log {LOG.key.verifier_key()}\n{POLICY_TEXT}\n")
    assert proof.verify_receipt(receipt_for(5), ENTRIES[5], [], with_log).index == 5
    assert proof.verify_receipt(receipt_for(5), ENTRIES[5], LOG_VKEYS, with_log).index == 5


def test_no_trusted_log_key_at_all_is_an_error() -> None:
    with pytest.raises(proof.ReceiptSignatureError, match="no trusted log keys"):
        proof.verify_receipt(receipt_for(5), ENTRIES[5], [], POLICY)


def test_extra_data_is_passed_through_unauthenticated() -> None:
    parsed = proof.parse_receipt(receipt_for(5))
    data = proof.create_receipt(5, parsed.proof, parsed.checkpoint, extra=b"salt")
    assert proof.verify_receipt(data, ENTRIES[5], LOG_VKEYS, POLICY).extra == b"salt"


@settings(max_examples=25, deadline=None)
@given(index=st.integers(0, len(ENTRIES) - 1))
def test_every_entry_of_the_log_has_a_verifying_receipt(index: int) -> None:
    result = proof.verify_receipt(receipt_for(index), ENTRIES[index], LOG_VKEYS, POLICY)
    assert result.index == index
