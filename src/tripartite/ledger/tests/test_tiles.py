"""C2SP tlog-tiles: paths, layout, tile contents, entry bundles, client-side root."""

from collections.abc import Callable
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import merkle, tiles


def entries(n: int) -> list[bytes]:
    return [b"record-%d" % i for i in range(n)]


@cache
def big_store(size: int = 70_000) -> merkle.InMemoryHashStore:
    store = merkle.InMemoryHashStore()
    items = entries(size)
    for i in range(0, size, 4096):
        store.append_entries(items[i : i + 4096])
    return store


def publish(size: int, store: merkle.InMemoryHashStore) -> dict[str, bytes]:
    """Every hash tile of a tree of ``size``, as a static file server would hold them."""
    return {t.path: tiles.read_tile(t, store) for t in tiles.iter_tiles(size)}


def fetcher(files: dict[str, bytes], log: list[str] | None = None) -> Callable[[str], bytes]:
    def fetch(path: str) -> bytes:
        if log is not None:
            log.append(path)
        return files[path]

    return fetch


# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------


def test_index_is_split_into_x_prefixed_groups_of_three_digits() -> None:
    assert tiles.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tiles.tile_path(3, 5) == "tile/3/005"


def test_partial_tiles_carry_their_width() -> None:
    assert tiles.tile_path(1, 1, 17) == "tile/1/001.p/17"
    assert tiles.tile_path(1, 1, 256) == "tile/1/001"


def test_entry_bundles_live_under_tile_entries() -> None:
    assert tiles.entries_path(273, 112) == "tile/entries/273.p/112"


@pytest.mark.parametrize(
    ("level", "index", "width"),
    [(0, -1, None), (64, 0, None), (-2, 0, None), (0, 0, 0), (0, 0, 257)],
    ids=["negative-index", "level-64", "level-minus-2", "width-0", "width-257"],
)
def test_invalid_tile_coordinates_are_rejected(level: int, index: int, width: int | None) -> None:
    with pytest.raises(tiles.TileError):
        tiles.tile_path(level, index, width)


@given(
    level=st.integers(-1, 63),
    index=st.integers(0, 10**12),
    width=st.one_of(st.none(), st.integers(1, 255)),
)
def test_tile_paths_parse_back_to_their_coordinates(
    level: int, index: int, width: int | None
) -> None:
    tile = tiles.parse_tile_path(tiles.tile_path(level, index, width))
    assert (tile.level, tile.index, tile.width) == (level, index, width or 256)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/x000/001",
        "tile/0/0001",
        "tile/0/1",
        "tile/01/000",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/0/000.p/05",
        "tile/64/000",
        "tile/0/x001",
        "tile/0/000/",
        "/tile/0/000",
    ],
)
def test_non_canonical_tile_paths_are_rejected(path: str) -> None:
    with pytest.raises(tiles.TileError):
        tiles.parse_tile_path(path)


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def test_empty_tree_has_no_tiles() -> None:
    assert tiles.tiles_for_size(0) == []
    assert list(tiles.iter_tiles(0)) == []


def test_size_70000_publishes_the_spec_layout() -> None:
    published = list(tiles.iter_tiles(70_000))
    assert published[-1] == tiles.Tile(2, 0, 1)
    assert len(published) == 273 + 1 + 1 + 1 + 1
    assert tiles.Tile(0, 273, 112) in published
    assert tiles.Tile(1, 1, 17) in published


def test_entry_bundles_mirror_level_zero_tiles() -> None:
    assert tiles.entry_bundles_for_size(513) == [
        tiles.Tile(-1, 0),
        tiles.Tile(-1, 1),
        tiles.Tile(-1, 2, 1),
    ]


def test_growing_within_one_tile_changes_only_the_partial_tiles() -> None:
    # The level-1 partial tile still holds the same single hash, so it is not republished.
    assert tiles.changed_tiles(300, 301) == [tiles.Tile(0, 1, 45)]


def test_completing_a_tile_publishes_it_in_full() -> None:
    assert tiles.changed_tiles(255, 256) == [tiles.Tile(0, 0), tiles.Tile(1, 0, 1)]


@settings(deadline=None)
@given(old=st.integers(0, 200_000), grow=st.integers(0, 70_000))
def test_changed_tiles_bring_a_mirror_up_to_date(old: int, grow: int) -> None:
    new = old + grow
    mirror = {(t.level, t.index): t.width for t in tiles.iter_tiles(old)}
    for t in tiles.changed_tiles(old, new):
        assert mirror.get((t.level, t.index)) != t.width
        mirror[(t.level, t.index)] = t.width
    assert mirror == {(t.level, t.index): t.width for t in tiles.iter_tiles(new)}


# --------------------------------------------------------------------------
# Tile contents
# --------------------------------------------------------------------------


def test_level_zero_tile_holds_leaf_hashes() -> None:
    data = tiles.read_tile(tiles.Tile(0, 1, 3), big_store())
    assert tiles.parse_tile(data, 3) == [merkle.leaf_hash(e) for e in entries(259)[256:259]]


def test_level_one_tile_holds_roots_of_256_leaf_subtrees() -> None:
    data = tiles.read_tile(tiles.Tile(1, 0, 2), big_store())
    assert tiles.parse_tile(data, 2)[1] == merkle.root_hash(entries(512)[256:512])


def test_tile_with_wrong_length_is_rejected() -> None:
    with pytest.raises(tiles.TileError):
        tiles.parse_tile(b"\x00" * 95, 3)


def test_reading_a_tile_beyond_the_stored_tree_fails() -> None:
    store = merkle.InMemoryHashStore()
    store.append_entries(entries(10))
    with pytest.raises(tiles.TileError):
        tiles.read_tile(tiles.Tile(0, 0, 11), store)


# --------------------------------------------------------------------------
# Entry bundles
# --------------------------------------------------------------------------


def test_entry_bundle_is_uint16_length_prefixed() -> None:
    assert tiles.build_entry_bundle([b"ab", b""]) == b"\x00\x02ab\x00\x00"


@given(st.lists(st.binary(max_size=300), min_size=1, max_size=256))
def test_entry_bundles_round_trip(items: list[bytes]) -> None:
    assert tiles.parse_entry_bundle(tiles.build_entry_bundle(items), len(items)) == items


def test_entry_larger_than_64k_is_refused() -> None:
    with pytest.raises(tiles.TileError):
        tiles.build_entry_bundle([b"x" * 65536])


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"\x00\x05abc", b"\x00\x01a\x00"],
    ids=["empty", "half-prefix", "short-entry", "trailing-byte"],
)
def test_truncated_entry_bundles_are_rejected(data: bytes) -> None:
    with pytest.raises(tiles.TileError):
        tiles.parse_entry_bundle(data)


def test_entry_bundle_with_unexpected_count_is_rejected() -> None:
    with pytest.raises(tiles.TileError):
        tiles.parse_entry_bundle(tiles.build_entry_bundle([b"a", b"b"]), 3)


def test_entry_bundle_is_checked_against_the_level_zero_tile() -> None:
    tile = tiles.read_tile(tiles.Tile(0, 0, 5), big_store())
    assert tiles.bundle_matches_tile(tiles.build_entry_bundle(entries(5)), tile)
    assert not tiles.bundle_matches_tile(tiles.build_entry_bundle([*entries(4), b"x"]), tile)


# --------------------------------------------------------------------------
# Client side
# --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 511, 65_535, 65_536, 65_537, 70_000])
def test_root_recomputed_from_tiles_equals_the_stored_root(size: int) -> None:
    store = big_store()
    files = publish(size, store)
    assert tiles.root_from_tiles(size, fetcher(files)) == merkle.root_at(size, store)


def test_root_from_tiles_fetches_only_a_few_tiles() -> None:
    files = publish(70_000, big_store())
    fetched: list[str] = []
    tiles.root_from_tiles(70_000, fetcher(files, fetched))
    assert len(fetched) <= 3 * len(tiles.tiles_for_size(70_000))


def test_tampered_tile_changes_the_recomputed_root() -> None:
    store = big_store()
    files = publish(1000, store)
    path = tiles.Tile(0, 3, 232).path
    files[path] = files[path][:-1] + bytes([files[path][-1] ^ 1])
    assert tiles.root_from_tiles(1000, fetcher(files)) != merkle.root_at(1000, store)


def test_truncated_tile_from_the_server_is_rejected() -> None:
    files = publish(1000, big_store())
    path = tiles.Tile(0, 3, 232).path
    files[path] = files[path][:-32]
    with pytest.raises(tiles.TileError):
        tiles.root_from_tiles(1000, fetcher(files))


def test_proofs_can_be_computed_from_tiles() -> None:
    store = big_store()
    reader = tiles.TileHashReader(70_000, fetcher(publish(70_000, store)))
    assert merkle.inclusion_proof_at(12_345, 70_000, reader) == merkle.inclusion_proof_at(
        12_345, 70_000, store
    )
    assert merkle.consistency_proof_at(65_000, 70_000, reader) == merkle.consistency_proof_at(
        65_000, 70_000, store
    )
