"""C2SP signed notes: keys, signing, and the verification rules."""

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tripartite.ledger import note

TEXT = "tripartite test note\nsecond line\n"


def signer(label: str, name: str | None = None) -> note.Ed25519Signer:
    """A deterministic test key."""
    seed = hashlib.sha256(label.encode()).digest()
    return note.Ed25519Signer.from_seed(name or f"example.org/{label}", seed)


ALICE = signer("alice")
BOB = signer("bob")


# --------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------


def test_key_id_is_sha256_of_name_newline_type_and_key() -> None:
    pub = ALICE.key.public_key
    digest = hashlib.sha256(ALICE.name.encode() + b"\n\x01" + pub).digest()
    assert note.key_id(ALICE.name, 0x01, pub) == int.from_bytes(digest[:4], "big")
    assert ALICE.key_id == int.from_bytes(digest[:4], "big")


def test_cosignature_key_type_changes_the_key_id() -> None:
    pub = ALICE.key.public_key
    assert note.key_id(ALICE.name, 0x04, pub) != note.key_id(ALICE.name, 0x01, pub)


def test_generated_keys_round_trip_through_their_strings() -> None:
    skey, vkey = note.generate_key("example.org/fresh")
    parsed = note.parse_signer_key(skey)
    assert parsed.to_string() == skey
    assert parsed.verifier_key().to_string() == vkey
    assert note.parse_verifier_key(vkey).public_key == parsed.public_key
    assert skey.startswith("PRIVATE+KEY+example.org/fresh+")


def test_generated_cosignature_key_has_type_4() -> None:
    _skey, vkey = note.generate_key("example.org/witness", note.SIG_TYPE_COSIGNATURE_ED25519)
    assert note.parse_verifier_key(vkey).sig_type == 0x04


def test_verifier_key_whose_base64_contains_plus_parses() -> None:
    label = next(
        f"k{i}" for i in range(1000) if "+" in signer(f"k{i}").key.verifier_key().to_string()
    )
    vkey = signer(label).key.verifier_key().to_string()
    assert "+" in vkey.split("+", 2)[2]
    assert note.parse_verifier_key(vkey).to_string() == vkey


def test_signer_key_repr_does_not_show_the_seed() -> None:
    assert ALICE.key.seed.hex() not in repr(ALICE.key)
    assert "seed" not in repr(ALICE.key)


@pytest.mark.parametrize(
    "bad",
    [
        "no-plus-signs",
        "name+530d903a",
        "bad name+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+0x0d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
        "example.com/foo+530d903a+",
    ],
    ids=[
        "no-fields",
        "two-fields",
        "space-in-name",
        "hex-prefix-id",
        "wrong-key-id",
        "bad-base64",
        "empty-key",
    ],
)
def test_malformed_verifier_keys_are_rejected(bad: str) -> None:
    with pytest.raises(note.KeyFormatError):
        note.parse_verifier_key(bad)


def test_verifier_key_of_unknown_type_is_rejected() -> None:
    raw = b"\x02" + ALICE.key.public_key
    kid = note.key_id(ALICE.name, 0x02, ALICE.key.public_key)
    vkey = f"{ALICE.name}+{kid:08x}+{base64.b64encode(raw).decode()}"
    with pytest.raises(note.KeyFormatError, match="unsupported"):
        note.parse_verifier_key(vkey)


def test_signer_key_with_wrong_key_id_is_rejected() -> None:
    skey = ALICE.key.to_string()
    name_and_rest = skey.removeprefix("PRIVATE+KEY+")
    name, _kid, encoded = name_and_rest.split("+", 2)
    with pytest.raises(note.KeyFormatError):
        note.parse_signer_key(f"PRIVATE+KEY+{name}+00000000+{encoded}")


def test_signer_key_without_private_prefix_is_rejected() -> None:
    with pytest.raises(note.KeyFormatError):
        note.parse_signer_key(ALICE.key.verifier_key().to_string())


def test_note_verifier_refuses_a_cosignature_key() -> None:
    key = note.VerifierKey(ALICE.name, 0x04, ALICE.key.public_key)
    with pytest.raises(note.KeyFormatError):
        note.Ed25519Verifier(key)


# --------------------------------------------------------------------------
# Signing and opening
# --------------------------------------------------------------------------


def test_signed_note_opens_with_the_signers_key() -> None:
    data = note.sign_note(TEXT, [ALICE])
    opened = note.open_note(data, [ALICE.verifier()])
    assert opened.text == TEXT
    assert opened.verified_names == [ALICE.name]


def test_signature_line_format_is_em_dash_name_and_base64() -> None:
    data = note.sign_note(TEXT, [ALICE]).decode()
    line = data.removeprefix(TEXT + "\n")
    assert line.startswith(f"\u2014 {ALICE.name} ")
    raw = base64.b64decode(line.split(" ")[2])
    assert int.from_bytes(raw[:4], "big") == ALICE.key_id
    assert len(raw) == 4 + 64


def test_forged_signature_under_a_trusted_name_and_id_is_rejected() -> None:
    forged = note.NoteSignature(ALICE.name, ALICE.key_id, BOB.sign(TEXT.encode()))
    data = note.Note(TEXT, (forged,)).to_bytes()
    with pytest.raises(note.InvalidSignatureError):
        note.open_note(data, [ALICE.verifier()])


def test_note_signed_by_the_wrong_key_is_unverified() -> None:
    data = note.sign_note(TEXT, [BOB])
    with pytest.raises(note.UnverifiedNoteError):
        note.open_note(data, [ALICE.verifier()])


def test_tampered_text_is_rejected() -> None:
    data = note.sign_note(TEXT, [ALICE]).replace(b"second", b"Second")
    with pytest.raises(note.InvalidSignatureError):
        note.open_note(data, [ALICE.verifier()])


def test_signatures_from_unknown_keys_are_ignored() -> None:
    data = note.sign_note(TEXT, [BOB, ALICE, signer("carol")])
    opened = note.open_note(data, [ALICE.verifier()])
    assert opened.verified_names == [ALICE.name]
    assert len(opened.signatures) == 3


def test_signature_with_known_name_but_other_key_id_is_ignored() -> None:
    impostor = signer("impostor", name=ALICE.name)  # same name, different key => different ID
    data = note.sign_note(TEXT, [impostor, ALICE])
    assert note.open_note(data, [ALICE.verifier()]).verified_names == [ALICE.name]


def test_signature_with_known_key_id_but_other_name_is_ignored() -> None:
    renamed = note.NoteSignature("example.org/other", ALICE.key_id, b"\x00" * 64)
    data = note.add_signatures(note.sign_note(TEXT, [ALICE]), [renamed])
    assert note.open_note(data, [ALICE.verifier()]).verified_names == [ALICE.name]


def test_repeated_signature_line_of_a_key_counts_once() -> None:
    data = note.sign_note(TEXT, [ALICE])
    doubled = data + data.decode().removeprefix(TEXT + "\n").encode()
    assert note.open_note(doubled, [ALICE.verifier()]).verified_names == [ALICE.name]


def test_sixteen_signatures_are_accepted() -> None:
    signers = [signer(f"s{i}") for i in range(16)]
    data = note.sign_note(TEXT, signers)
    opened = note.open_note(data, [s.verifier() for s in signers])
    assert len(opened.verified) == 16


def test_one_hundred_signatures_are_accepted_and_101_rejected() -> None:
    data = note.sign_note(TEXT, [signer(f"s{i}") for i in range(100)])
    assert len(note.open_note(data, [signer("s0").verifier()]).signatures) == 100
    extra = note.NoteSignature("example.org/extra", 1, b"\x00" * 64).to_line().encode()
    with pytest.raises(note.MalformedNoteError, match="more than 100"):
        note.open_note(data + extra, [signer("s0").verifier()])


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode(),
        (TEXT + "\n").encode(),
        (TEXT + "\n\u2014 example.org/alice AAAAAAAA").encode(),
        (TEXT + "\n- example.org/alice AAAAAAAA\n").encode(),
        (TEXT + "\n\u2014 example.org/alice AAAA\n").encode(),
        (TEXT + "\n\u2014 example.org/alice not-base64!\n").encode(),
        (TEXT + "\n\u2014 example org AAAAAAAA\n").encode(),
        ("bell\x07\n\n\u2014 example.org/alice AAAAAAAA\n").encode(),
        b"\xff\n\n\xe2\x80\x94 example.org/alice AAAAAAAA\n",
        ("\n\u2014 example.org/alice AAAAAAAA\n").encode(),
    ],
    ids=[
        "no-blank-line",
        "no-signatures",
        "no-final-newline",
        "hyphen-not-em-dash",
        "signature-too-short",
        "bad-base64",
        "space-in-name",
        "control-character",
        "invalid-utf8",
        "empty-text",
    ],
)
def test_malformed_notes_are_rejected(data: bytes) -> None:
    with pytest.raises(note.MalformedNoteError):
        note.open_note(data, [ALICE.verifier()])


@pytest.mark.parametrize(
    "text", ["no final newline", "tab\there\n", ""], ids=["no-newline", "tab", "empty"]
)
def test_signing_invalid_text_is_refused(text: str) -> None:
    with pytest.raises(note.MalformedNoteError):
        note.sign_note(text, [ALICE])


def test_signing_with_no_signers_is_refused() -> None:
    with pytest.raises(note.NoteError):
        note.sign_note(TEXT, [])


def test_text_may_contain_blank_lines() -> None:
    text = "para one\n\npara two\n"
    assert note.open_note(note.sign_note(text, [ALICE]), [ALICE.verifier()]).text == text


def test_cosign_note_appends_a_second_signature() -> None:
    data = note.cosign_note(note.sign_note(TEXT, [ALICE]), [BOB])
    opened = note.open_note(data, [ALICE.verifier(), BOB.verifier()])
    assert opened.verified_names == [ALICE.name, BOB.name]


def test_add_signatures_replaces_an_existing_line_of_the_same_key() -> None:
    data = note.sign_note(TEXT, [ALICE, BOB])
    fresh = note.signature_for(TEXT, BOB)
    updated = note.add_signatures(data, [fresh])
    assert [s.name for s in note.parse_note(updated).signatures] == [ALICE.name, BOB.name]


note_texts = st.lists(
    st.text(
        # Any Unicode except surrogates (not UTF-8) and ASCII control characters.
        alphabet=st.characters(codec="utf-8", min_codepoint=0x20).filter(lambda c: c != "\x7f"),
        max_size=40,
    ),
    min_size=1,
    max_size=5,
).map(lambda lines: "".join(line + "\n" for line in lines))


@given(text=note_texts)
def test_any_valid_text_round_trips_through_sign_and_open(text: str) -> None:
    opened = note.open_note(note.sign_note(text, [ALICE]), [ALICE.verifier()])
    assert opened.text == text
