"""C2SP tlog-tiles (c2sp.org/tlog-tiles): the static read API of the log.

* Tile paths: ``tile/<L>/<N>[.p/<W>]`` and ``tile/entries/<N>[.p/<W>]``, with
  N split into zero-padded 3-digit groups, all but the last prefixed by ``x``
  (1234067 -> ``x001/x234/067``).
* Tiles have height 8: a full tile holds 256 hashes.  Hash i of tile N at
  level L is MTH(D[(N*256+i) * 256**L : (N*256+i+1) * 256**L]), i.e. the
  stored complete-subtree node ``(8*L, N*256+i)``.  A partial tile at level L
  for tree size s holds ``floor(s / 256**L) mod 256`` hashes.
* Entry bundles: up to 256 entries, each a big-endian uint16 length followed
  by the entry bytes (so entries are at most 65535 bytes).
* A client side ``TileHashReader`` that serves node hashes out of tiles fetched
  through a callable, so monitors can recompute the root (and any proof) of a
  published tree without trusting the server.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .merkle import HASH_SIZE, HashReader, NodeKey, leaf_hash, node_hash, root_at

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes per full tile
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF
#: ``tile_path`` level that denotes entry bundles (as in check_vectors.py).
ENTRIES_LEVEL = -1
_LENGTH_PREFIX = 2


class TileError(ValueError):
    """Bad tile coordinates, a malformed tile or entry bundle, or a bad path."""


# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------


def _encode_index(index: int) -> str:
    if index < 0:
        raise TileError("tile index must not be negative")
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index > 0:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


def tile_path(level: int, index: int, width: int | None = None) -> str:
    """``tile/<level>/<index>[.p/<width>]``; level ``ENTRIES_LEVEL`` gives entry bundles.

    ``width`` None or 256 means a full tile; 1..255 a partial one.
    """
    if level != ENTRIES_LEVEL and not 0 <= level <= MAX_TILE_LEVEL:
        raise TileError(f"tile level {level} out of range")
    path = f"tile/{'entries' if level == ENTRIES_LEVEL else level}/{_encode_index(index)}"
    if width is None or width == TILE_WIDTH:
        return path
    if not 1 <= width < TILE_WIDTH:
        raise TileError(f"partial tile width {width} must be 1..255")
    return f"{path}.p/{width}"


def entries_path(index: int, width: int | None = None) -> str:
    """Path of entry bundle ``index`` (``tile/entries/...``)."""
    return tile_path(ENTRIES_LEVEL, index, width)


@dataclass(frozen=True, order=True)
class Tile:
    """A tile (or entry bundle, level ``ENTRIES_LEVEL``): level, index, width 1..256."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        tile_path(self.level, self.index, self.width)  # validates every field

    @property
    def is_full(self) -> bool:
        return self.width == TILE_WIDTH

    @property
    def path(self) -> str:
        return tile_path(self.level, self.index, self.width)

    def node_keys(self) -> list[NodeKey]:
        """The stored nodes whose hashes make up this (hash) tile, in order."""
        if self.level == ENTRIES_LEVEL:
            raise TileError("entry bundles hold entries, not hashes")
        base = self.index * TILE_WIDTH
        return [(self.level * TILE_HEIGHT, base + i) for i in range(self.width)]


_PATH_RE = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)"
    r"/(?P<index>(?:x[0-9]{3}/)*[0-9]{3})"
    r"(?:\.p/(?P<width>[1-9][0-9]{0,2}))?"
)


def parse_tile_path(path: str) -> Tile:
    """Parse a tile or entry-bundle path; only the canonical spelling is accepted."""
    match = _PATH_RE.fullmatch(path)
    if match is None:
        raise TileError(f"not a tile path: {path!r}")
    level_text = match["level"]
    level = ENTRIES_LEVEL if level_text == "entries" else int(level_text)
    index = int(match["index"].replace("x", "").replace("/", ""))
    width = TILE_WIDTH
    if match["width"]:
        width = int(match["width"])
        if width >= TILE_WIDTH:  # a full tile has no ".p/" suffix
            raise TileError(f"partial tile width {width} must be 1..255")
    tile = Tile(level, index, width)
    if tile.path != path:  # e.g. "x000/001": a leading zero group is not canonical
        raise TileError(f"non-canonical tile path {path!r}")
    return tile


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def tiles_for_size(size: int) -> list[tuple[int, int, int]]:
    """``[(level, full tile count, partial width)]`` for every level that has tiles."""
    if size < 0:
        raise TileError("tree size must not be negative")
    out: list[tuple[int, int, int]] = []
    level = 0
    while size >> (TILE_HEIGHT * level) > 0:
        nodes = size >> (TILE_HEIGHT * level)  # complete nodes at level 8*L
        out.append((level, nodes // TILE_WIDTH, nodes % TILE_WIDTH))
        level += 1
    return out


def _tile_width(level: int, index: int, size: int) -> int:
    """Width of tile (level, index) in a tree of ``size``; 0 if it does not exist."""
    nodes = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, nodes - index * TILE_WIDTH))


def iter_tiles(size: int) -> Iterator[Tile]:
    """Every hash tile a tree of ``size`` publishes (full ones, then the partial one)."""
    for level, full, partial in tiles_for_size(size):
        for index in range(full):
            yield Tile(level, index)
        if partial:
            yield Tile(level, full, partial)


def changed_tiles(old_size: int, new_size: int) -> list[Tile]:
    """Hash tiles that are new or wider at ``new_size`` than at ``old_size``.

    These are what a log must (re)publish after integrating a batch; all other
    tiles are immutable.
    """
    if not 0 <= old_size <= new_size:
        raise TileError("need 0 <= old_size <= new_size")
    out: list[Tile] = []
    for level, full, partial in tiles_for_size(new_size):
        first = (old_size >> (TILE_HEIGHT * level)) // TILE_WIDTH
        last = full + (1 if partial else 0)
        for index in range(first, last):
            width = _tile_width(level, index, new_size)
            if width != _tile_width(level, index, old_size):
                out.append(Tile(level, index, width))
    return out


def entry_bundles_for_size(size: int) -> list[Tile]:
    """Entry bundles of a tree of ``size`` (level ``ENTRIES_LEVEL``)."""
    full, partial = divmod(size, TILE_WIDTH)
    bundles = [Tile(ENTRIES_LEVEL, i) for i in range(full)]
    if partial:
        bundles.append(Tile(ENTRIES_LEVEL, full, partial))
    return bundles


# --------------------------------------------------------------------------
# Tile contents
# --------------------------------------------------------------------------


def read_tile(tile: Tile, reader: HashReader) -> bytes:
    """A hash tile's bytes: the concatenated hashes of its level-8L nodes."""
    keys = tile.node_keys()
    got = reader.get_hashes(keys)
    missing = [k for k in keys if k not in got]
    if missing:
        raise TileError(f"hash store lacks nodes {missing[:4]} for {tile.path}")
    return b"".join(got[k] for k in keys)


def parse_tile(data: bytes, width: int) -> list[bytes]:
    """Split a hash tile of ``width`` hashes into 32-byte hashes."""
    if len(data) != width * HASH_SIZE:
        raise TileError(f"tile must be {width * HASH_SIZE} bytes, got {len(data)}")
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def build_entry_bundle(entries: Sequence[bytes]) -> bytes:
    """Serialise up to 256 entries, each as a uint16 big-endian length plus the bytes."""
    if not 0 < len(entries) <= TILE_WIDTH:
        raise TileError("an entry bundle holds 1..256 entries")
    parts: list[bytes] = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(f"entry of {len(entry)} bytes exceeds {MAX_ENTRY_SIZE}")
        parts.append(len(entry).to_bytes(_LENGTH_PREFIX, "big") + entry)
    return b"".join(parts)


def parse_entry_bundle(data: bytes, width: int | None = None) -> list[bytes]:
    """Split an entry bundle; with ``width`` the entry count must match exactly."""
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + _LENGTH_PREFIX > len(data):
            raise TileError("truncated entry length prefix")
        length = int.from_bytes(data[pos : pos + _LENGTH_PREFIX], "big")
        pos += _LENGTH_PREFIX
        if pos + length > len(data):
            raise TileError("truncated entry")
        entries.append(data[pos : pos + length])
        pos += length
    if not 0 < len(entries) <= TILE_WIDTH:
        raise TileError("an entry bundle holds 1..256 entries")
    if width is not None and len(entries) != width:
        raise TileError(f"entry bundle has {len(entries)} entries, expected {width}")
    return entries


def bundle_matches_tile(bundle: bytes, level0_tile: bytes) -> bool:
    """True iff the bundle's leaf hashes are exactly the level-0 tile's hashes."""
    try:
        entries = parse_entry_bundle(bundle)
        hashes = parse_tile(level0_tile, len(entries))
    except TileError:
        return False
    return [leaf_hash(e) for e in entries] == hashes


# --------------------------------------------------------------------------
# Client side: node hashes from fetched tiles
# --------------------------------------------------------------------------


class TileHashReader:
    """A ``HashReader`` over the tiles of a tree of ``size``, fetched via ``fetch(path)``.

    Nodes at levels that are multiples of 8 are read directly from a tile;
    a node at level 8L + r (r = 1..7) is recomputed from the 2**r level-8L
    hashes below it, which all lie in one tile.  Fetched tiles are cached.
    """

    def __init__(self, size: int, fetch: Callable[[str], bytes]) -> None:
        if size < 0:
            raise TileError("tree size must not be negative")
        self.size = size
        self._fetch = fetch
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def _tile_hashes(self, level: int, index: int) -> list[bytes]:
        if (level, index) not in self._tiles:
            width = _tile_width(level, index, self.size)
            if width == 0:
                raise TileError(f"tile {level}/{index} does not exist at size {self.size}")
            data = self._fetch(tile_path(level, index, width))
            self._tiles[(level, index)] = parse_tile(data, width)
        return self._tiles[(level, index)]

    def _node(self, key: NodeKey) -> bytes:
        level, index = key
        tile_level, rise = divmod(level, TILE_HEIGHT)
        first = index << rise  # first level-8L node under this node
        tile = self._tile_hashes(tile_level, first // TILE_WIDTH)
        offset = first % TILE_WIDTH
        hashes = tile[offset : offset + (1 << rise)]
        while len(hashes) > 1:  # a complete subtree: pair up level by level
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def get_hashes(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        # Nodes that are not complete at this size are simply absent, as in a store.
        return {k: self._node(k) for k in keys if (k[1] + 1) << k[0] <= self.size}


def root_from_tiles(size: int, fetch: Callable[[str], bytes]) -> bytes:
    """Recompute MTH(D[0:size]) from published tiles (compare it with the checkpoint)."""
    return root_at(size, TileHashReader(size, fetch))
