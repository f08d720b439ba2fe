"""Properties of receipt parsing (``ledger.proof.parse_receipt``): a ``.tlog-proof`` file
any visitor may upload to the receipt checker.

A receipt the ledger writes reads back unchanged, and any other bytes are refused with the
module's own ``MalformedReceiptError``, never another exception.
"""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import checkpoint, proof

from .signers import LOG, ORIGIN

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200, database=None)

hashes = st.binary(min_size=32, max_size=32)
receipts = st.builds(
    lambda size, index, path, extra, root: proof.Receipt(
        index % size,
        tuple(path),
        checkpoint.sign_checkpoint(checkpoint.Checkpoint(ORIGIN, size, root), LOG),
        extra,
    ),
    st.integers(1, 2**40),
    st.integers(0, 2**40),
    st.lists(hashes, max_size=8),
    st.none() | st.binary(min_size=1, max_size=40),
    hashes,
)


@DETERMINISTIC
@given(receipts)
def test_a_written_receipt_reads_back_unchanged(receipt: proof.Receipt) -> None:
    assert proof.parse_receipt(receipt.to_bytes()) == receipt


@DETERMINISTIC
@given(st.binary(max_size=600))
def test_arbitrary_bytes_are_refused_as_a_malformed_receipt(data: bytes) -> None:
    with contextlib.suppress(proof.MalformedReceiptError):
        proof.parse_receipt(data)


@DETERMINISTIC
@given(receipts, st.integers(0, 2000), st.binary(min_size=1, max_size=3))
def test_a_damaged_receipt_is_read_or_refused_as_malformed(
    receipt: proof.Receipt, at: int, splice: bytes
) -> None:
    data = receipt.to_bytes()
    at %= len(data)
    with contextlib.suppress(proof.MalformedReceiptError):
        proof.parse_receipt(data[:at] + splice + data[at + len(splice) :])
