"""A mirror republishes the log it verified, so anyone can check the mirror itself with
``tripartite verify <host>/mirrors/<slug>`` exactly as they would check the source.

Below ``/mirrors/<slug>/`` the mirror serves the source's signed checkpoint (as verified,
with its cosignatures), the source's log key, hash tiles and entry bundles up to the verified
size, and the record versions' exact bytes (``records/…``, in ``mirror_views``). Nothing here
is signed by this instance: the checkpoint is the source's own, so a mirror that altered a
byte would fail the same checks.

Hash tiles are computed from the mirrored entries: the complete-subtree hashes of the
verified tree, built once per (mirror, size) and kept in memory (O(n) hashing; a mirror of
a very large log would store its tree nodes instead).
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tripartite.ledger.merkle import NodeKey, leaf_hash, node_hash
from tripartite.ledger.tiles import ENTRIES_LEVEL, TileError, build_entry_bundle, parse_tile_path
from tripartite.ledger.tiles import read_tile as read_hash_tile
from tripartite.ledger.views import BINARY, BRIEF, IMMUTABLE, PARTIAL, SHORT, TEXT
from tripartite.ledger.views import _not_found as not_found
from tripartite.ledger.views import _response as respond

from .mirror_models import MirrorEntry, MirrorSource


class _TreeNodes:
    """The complete-subtree hashes of a tree of leaf hashes (a ``HashReader``)."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.levels: list[list[bytes]] = [leaves]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    def get_hashes(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        found: dict[NodeKey, bytes] = {}
        for level, index in keys:
            if level < len(self.levels) and index < len(self.levels[level]):
                found[(level, index)] = self.levels[level][index]
        return found


@functools.lru_cache(maxsize=8)
def _tree(source_id: int, size: int) -> _TreeNodes:
    data = (
        MirrorEntry.objects.filter(source_id=source_id, index__lt=size)
        .order_by("index")
        .values_list("data", flat=True)
    )
    return _TreeNodes([leaf_hash(bytes(d)) for d in data.iterator(chunk_size=2000)])


def _source(slug: str) -> MirrorSource:
    return get_object_or_404(MirrorSource, slug=slug)


@require_safe
def checkpoint(request: HttpRequest, slug: str) -> HttpResponse:
    source = _source(slug)
    if not source.checkpoint:
        return not_found(_("This mirror has not verified a checkpoint yet."))
    return respond(source.checkpoint, TEXT, BRIEF)


@require_safe
def key(request: HttpRequest, slug: str) -> HttpResponse:
    source = _source(slug)
    if not source.log_key:
        return not_found(_("This mirror has not verified the log's key yet."))
    return respond(source.log_key.strip() + "\n", TEXT, SHORT)


@require_safe
def tile(request: HttpRequest, slug: str, path: str) -> HttpResponse:
    """A tile of the verified tree; 404 beyond the size the mirror verified."""
    source = _source(slug)
    try:
        wanted = parse_tile_path(f"tile/{path}")
    except TileError:
        return not_found(_("Not a tile path."))
    cache = IMMUTABLE if wanted.is_full else PARTIAL
    first = wanted.index * 256
    if wanted.level == ENTRIES_LEVEL:
        if first + wanted.width > source.size:
            return not_found(_("This entry bundle does not exist yet."))
        data = list(
            MirrorEntry.objects.filter(
                source=source, index__gte=first, index__lt=first + wanted.width
            )
            .order_by("index")
            .values_list("data", flat=True)
        )
        if len(data) < wanted.width:
            return not_found(_("This entry bundle does not exist yet."))
        return respond(build_entry_bundle([bytes(d) for d in data]), BINARY, cache)
    try:
        body = read_hash_tile(wanted, _tree(source.pk, source.size))
    except TileError:
        return not_found(_("This tile does not exist yet."))
    return respond(body, BINARY, cache)
