"""Properties of checkpoint parsing (``ledger.checkpoint``) for arbitrary bodies and notes.

A checkpoint formatted from its fields parses back into them, and signed, it opens back
into them; any other text or bytes are refused with the module's own errors only
(``CheckpointError`` for the body, ``NoteError`` for the note around it).
"""

from __future__ import annotations

import contextlib
import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import checkpoint, note
from tripartite.ledger.merkle import EMPTY_ROOT

from .signers import CSO, LOG, ORIGIN

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=300, database=None)

line_characters = st.characters(codec="utf-8", min_codepoint=0x20).filter(lambda c: c != "\x7f")
lines = st.text(line_characters, min_size=1, max_size=40)
checkpoints = st.one_of(
    st.builds(
        checkpoint.Checkpoint,
        origin=lines,
        size=st.integers(1, checkpoint.MAX_TREE_SIZE),
        root_hash=st.binary(min_size=32, max_size=32),
        extensions=st.lists(lines, max_size=3).map(tuple),
    ),
    st.builds(checkpoint.Checkpoint, origin=lines, size=st.just(0), root_hash=st.just(EMPTY_ROOT)),
)


@DETERMINISTIC
@given(checkpoints)
def test_a_formatted_checkpoint_parses_back_into_the_same_fields(cp: checkpoint.Checkpoint) -> None:
    body = checkpoint.format_checkpoint(cp.origin, cp.size, cp.root_hash, cp.extensions)
    assert checkpoint.parse_checkpoint(body) == cp


@DETERMINISTIC
@given(st.integers(0, checkpoint.MAX_TREE_SIZE), st.binary(min_size=32, max_size=32))
def test_a_signed_checkpoint_opens_back_into_the_same_fields(size: int, root: bytes) -> None:
    root = EMPTY_ROOT if size == 0 else root
    cp = checkpoint.Checkpoint(ORIGIN, size, root)
    signed = checkpoint.add_cosignatures(
        checkpoint.sign_checkpoint(cp, LOG),
        [checkpoint.cosign(checkpoint.sign_checkpoint(cp, LOG), CSO)],
    )
    opened = checkpoint.open_checkpoint(signed, [LOG.verifier()], [CSO.verifier()])
    assert opened.checkpoint == cp
    assert [c.name for c in opened.cosignatures] == [CSO.name]


@DETERMINISTIC
@given(st.text(max_size=300))
def test_arbitrary_text_is_parsed_or_refused_with_a_checkpoint_error(body: str) -> None:
    with contextlib.suppress(checkpoint.CheckpointError):
        checkpoint.parse_checkpoint(body)


@DETERMINISTIC
@given(
    st.lists(
        st.one_of(
            lines, st.integers(0, 2**70).map(str), st.binary(max_size=40).map(note.encode_base64)
        ),
        min_size=3,
        max_size=5,
    )
)
def test_checkpoint_shaped_text_is_parsed_or_refused_with_a_checkpoint_error(
    body_lines: list[str],
) -> None:
    try:
        cp = checkpoint.parse_checkpoint("".join(line + "\n" for line in body_lines))
    except checkpoint.CheckpointError:
        return
    assert cp.to_text() == "".join(line + "\n" for line in body_lines)


@DETERMINISTIC
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_opened_or_refused_with_the_modules_errors(data: bytes) -> None:
    with contextlib.suppress(note.NoteError, checkpoint.CheckpointError):
        checkpoint.open_checkpoint(data, [LOG.verifier()], [CSO.verifier()])


@DETERMINISTIC
@given(lines, st.binary(min_size=1, max_size=64))
def test_any_extension_line_survives_signing_and_opening(extension: str, seed: bytes) -> None:
    root = hashlib.sha256(seed).digest()
    cp = checkpoint.Checkpoint(ORIGIN, 7, root, (extension,))
    opened = checkpoint.open_checkpoint(checkpoint.sign_checkpoint(cp, LOG), [LOG.verifier()])
    assert opened.checkpoint.extensions == (extension,)
