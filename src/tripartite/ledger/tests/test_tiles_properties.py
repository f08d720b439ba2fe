"""Properties of the tile formats a mirror or monitor imports from another instance
(``ledger.tiles``): entry bundles, hash tiles and tile paths.

What the module writes it reads back unchanged, and any bytes or path an untrusted server
sends are read or refused with ``TileError``, never another exception.
"""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import tiles

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200, database=None)

entries = st.lists(st.binary(max_size=300), min_size=1, max_size=40)


@DETERMINISTIC
@given(entries)
def test_an_entry_bundle_reads_back_into_the_same_entries(written: list[bytes]) -> None:
    bundle = tiles.build_entry_bundle(written)
    assert tiles.parse_entry_bundle(bundle, len(written)) == written


@DETERMINISTIC
@given(st.binary(max_size=2000), st.none() | st.integers(1, 256))
def test_arbitrary_bytes_are_read_as_a_bundle_or_refused_with_a_tile_error(
    data: bytes, width: int | None
) -> None:
    with contextlib.suppress(tiles.TileError):
        read = tiles.parse_entry_bundle(data, width)
        assert tiles.build_entry_bundle(read) == data


@DETERMINISTIC
@given(st.binary(max_size=600), st.integers(1, 256))
def test_arbitrary_bytes_are_read_as_a_hash_tile_or_refused_with_a_tile_error(
    data: bytes, width: int
) -> None:
    with contextlib.suppress(tiles.TileError):
        assert b"".join(tiles.parse_tile(data, width)) == data


@DETERMINISTIC
@given(st.integers(0, 63), st.integers(0, 2**63), st.none() | st.integers(1, 255))
def test_a_tile_path_reads_back_into_the_same_tile(
    level: int, index: int, width: int | None
) -> None:
    path = tiles.tile_path(level, index, width)
    assert tiles.parse_tile_path(path).path == path


@DETERMINISTIC
@given(
    st.text(max_size=80)
    | st.lists(
        st.sampled_from(
            ["tile", "entries", "0", "1", "x001", "000", "255", "256", "p", "-1", ".."]
        ),
        max_size=6,
    ).map("/".join)
)
def test_an_arbitrary_path_is_read_as_a_tile_or_refused_with_a_tile_error(path: str) -> None:
    with contextlib.suppress(tiles.TileError):
        assert tiles.parse_tile_path(path).path == path
