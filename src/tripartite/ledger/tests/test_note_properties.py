"""Properties of signed-note parsing (``ledger.note``) for arbitrary notes and bytes.

A note written from parts parses back into the same parts, and no input, however broken,
makes the parser raise anything but the module's own ``NoteError``: a witness or monitor
reading a hostile log server's answer must get a clear refusal, never a crash.
"""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import note

from .signers import LOG

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=300, database=None)

# Any Unicode but surrogates (not UTF-8) and the control characters notes forbid.
note_characters = st.characters(codec="utf-8", min_codepoint=0x20).filter(lambda c: c != "\x7f")
note_texts = st.lists(st.text(note_characters, max_size=30), min_size=1, max_size=5).map(
    lambda lines: "".join(line + "\n" for line in lines)
)
key_names = st.text(note_characters, min_size=1, max_size=20).filter(note.valid_key_name)
signatures = st.builds(
    note.NoteSignature,
    name=key_names,
    key_id=st.integers(0, 2**32 - 1),
    signature=st.binary(min_size=1, max_size=80),
)
notes = st.builds(
    note.Note, text=note_texts, signatures=st.lists(signatures, min_size=1, max_size=5).map(tuple)
)


@DETERMINISTIC
@given(notes)
def test_a_written_note_parses_back_into_the_same_note(written: note.Note) -> None:
    assert note.parse_note(written.to_bytes()) == written


@DETERMINISTIC
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_parsed_or_refused_with_a_note_error(data: bytes) -> None:
    with contextlib.suppress(note.NoteError):
        note.parse_note(data)


@DETERMINISTIC
@given(notes, st.integers(0, 400), st.binary(min_size=1, max_size=4))
def test_a_damaged_note_is_opened_or_refused_with_a_note_error(
    written: note.Note, at: int, splice: bytes
) -> None:
    data = written.to_bytes()
    at %= len(data)
    damaged = data[:at] + splice + data[at + len(splice) :]
    with contextlib.suppress(note.NoteError):
        note.open_note(damaged, [LOG.verifier()])


@DETERMINISTIC
@given(note_texts, st.integers(0, 200))
def test_a_signed_note_with_any_byte_changed_never_verifies(text: str, at: int) -> None:
    data = bytearray(note.sign_note(text, [LOG]))
    at %= len(data)
    data[at] ^= 0x01
    try:
        opened = note.open_note(bytes(data), [LOG.verifier()])
    except note.NoteError:
        return
    # A flipped bit can only be harmless where it does not touch the signed text or the
    # log's signature line, which leaves nothing else in a note signed once.
    raise AssertionError(f"a changed note still verified: {opened!r}")


@DETERMINISTIC
@given(st.text(max_size=120))
def test_arbitrary_text_is_not_accepted_as_a_verifier_key_by_chance(vkey: str) -> None:
    try:
        key = note.parse_verifier_key(vkey)
    except note.NoteError:
        return
    assert key.to_string() == vkey
