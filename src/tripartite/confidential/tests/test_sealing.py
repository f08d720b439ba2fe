"""Sealing and opening with real keys (PyNaCl), padding and key files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tripartite.confidential import sealing

FIELDS = {"kind": "intimidation", "about": "Mexico", "message": "Nos siguen. ñ €", "contact": ""}


def test_a_sealed_message_opens_with_each_recipients_key_and_no_other() -> None:
    alice, bob, eve = (sealing.generate_key_pair() for _ in range(3))
    copies = sealing.seal_message(
        FIELDS, [("recipientkey/alice", alice.public_b64), ("recipientkey/bob", bob.public_b64)]
    )
    bundle = sealing.make_bundle(
        copies, {"recipientkey/alice": alice.public_b64, "recipientkey/bob": bob.public_b64}
    )
    for pair in (alice, bob):
        opened = sealing.open_bundle(bundle, pair)
        assert {name: opened[name] for name in FIELDS} == FIELDS
        assert opened["format"] == sealing.MESSAGE_FORMAT
    with pytest.raises(sealing.OpenError, match="other keys"):
        sealing.open_bundle(bundle, eve)
    assert FIELDS["message"].encode() not in bundle


def test_a_copy_that_does_not_open_with_the_key_fails_cleanly() -> None:
    alice, eve = sealing.generate_key_pair(), sealing.generate_key_pair()
    copies = sealing.seal_message(FIELDS, [("recipientkey/alice", alice.public_b64)])
    # A bundle claiming Eve's key for Alice's copy: Eve's key does not open it.
    forged = sealing.make_bundle(copies, {"recipientkey/alice": eve.public_b64})
    with pytest.raises(sealing.OpenError, match="does not open"):
        sealing.open_bundle(forged, eve)


def test_sealing_twice_gives_different_ciphertexts_of_the_same_bucket_size() -> None:
    pair = sealing.generate_key_pair()
    one = sealing.seal_message(FIELDS, [("r", pair.public_b64)])["r"]
    two = sealing.seal_message(FIELDS, [("r", pair.public_b64)])["r"]
    assert one != two
    assert len(sealing.unb64(one)) == 1024 + sealing.SEAL_OVERHEAD


@pytest.mark.parametrize(("chars", "bucket"), [(10, 1024), (2000, 4096), (10000, 16384)])
def test_the_length_shows_only_the_bucket(chars: int, bucket: int) -> None:
    padded = sealing.encode_message({**FIELDS, "message": "x" * chars})
    assert len(padded) == bucket
    assert json.loads(padded)["message"] == "x" * chars


def test_a_message_longer_than_the_largest_bucket_is_refused() -> None:
    with pytest.raises(sealing.SealingError, match="too long"):
        sealing.encode_message({**FIELDS, "message": "x" * 70000})


def test_check_copies_accepts_one_copy_per_key_of_a_bucket_size() -> None:
    pair = sealing.generate_key_pair()
    copies = sealing.seal_message(FIELDS, [("a", pair.public_b64)])
    assert sealing.check_copies(copies, {"a": pair.public_b64}) == 1024
    with pytest.raises(sealing.SealingError, match="current keys"):
        sealing.check_copies(copies, {"a": pair.public_b64, "b": pair.public_b64})
    with pytest.raises(sealing.SealingError, match="size"):
        sealing.check_copies({"a": sealing.b64(b"plain text, not sealed")}, {"a": "k"})
    with pytest.raises(sealing.SealingError, match="base64"):
        sealing.check_copies({"a": "not base64!"}, {"a": "k"})


def test_key_file_is_private_and_round_trips(tmp_path: Path) -> None:
    pair = sealing.generate_key_pair()
    path = tmp_path / "me.key"
    sealing.write_key_file(path, pair, label="Co-chair")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sealing.read_key_file(path).public_b64 == pair.public_b64
    with pytest.raises(FileExistsError):
        sealing.write_key_file(path, sealing.generate_key_pair())


def test_a_file_that_is_not_a_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(sealing.SealingError, match="not a Tripartite"):
        sealing.read_key_file(path)


def test_public_keys_must_be_32_bytes_of_base64() -> None:
    with pytest.raises(sealing.SealingError):
        sealing.parse_public_key(sealing.b64(b"short"))
    pair = sealing.generate_key_pair()
    assert len(sealing.fingerprint(pair.public_b64).split()) == 8


def test_receipt_codes_are_random_and_kept_only_as_a_hash() -> None:
    code = sealing.new_receipt_code()
    assert len(code) == 19 and code.count("-") == 3
    assert code != sealing.new_receipt_code()
    assert sealing.receipt_hash(code.lower()) == sealing.receipt_hash(code)
    assert code not in sealing.receipt_hash(code)
