"""The log over HTTP: C2SP tlog-tiles resources, the key and policy, receipts, the /log page.

* ``/log/checkpoint`` — the newest signed checkpoint with its cosignatures (text, cached
  for a few seconds only).
* ``/log/tile/<L>/<N>[.p/<W>]`` and ``/log/tile/entries/<N>[.p/<W>]`` — hash tiles and
  entry bundles (binary).  A tile's bytes never change once it exists, so every tile is
  cacheable; full ones for a year, ``immutable``.
* ``/log/key`` — the log's verifier key; ``/log/policy`` — the witness policy.
* ``/records/<type>/<key>/v<n>.receipt`` — a version's tlog-proof receipt.
* ``/log`` — the page that explains it all.
"""

from __future__ import annotations

import hashlib

from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import keys, queries
from .models import Checkpoint, LogEntry
from .storage import DatabaseHashReader
from .tiles import (
    ENTRIES_LEVEL,
    Tile,
    TileError,
    build_entry_bundle,
    parse_tile_path,
    read_tile,
)

TEXT = "text/plain; charset=utf-8"
BINARY = "application/octet-stream"
IMMUTABLE = "public, max-age=31536000, immutable"
PARTIAL = "public, max-age=86400"
BRIEF = "public, max-age=5"
SHORT = "public, max-age=60"


def _response(
    body: bytes | str, content_type: str, cache: str, etag: str | None = None
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"  # public data: browser-based monitors
    if etag is not None:
        response["ETag"] = etag
    return response


def _not_modified(request: HttpRequest, etag: str, cache: str) -> HttpResponse | None:
    """A 304 when the client already holds the resource with this ``etag``."""
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response["Cache-Control"] = cache
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _etag_of(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return f'"{hashlib.sha256(raw).hexdigest()[:32]}"'


# A tile's bytes never change once it exists, so each process keeps the ones it served
# (keyed by log origin and path: another instance's log never shares an entry).
_TILES = LocMemCache("tripartite-tiles", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 2000}})


def _not_found(message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", content_type=TEXT, status=404)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    # The note alone, newest first as in queries.latest_checkpoint: one narrow query.
    note = Checkpoint.objects.order_by("-size", "-id").values_list("note", flat=True).first()
    if note is None:
        return _not_found(_("No checkpoint has been signed yet."))
    etag = _etag_of(note)  # a new checkpoint or a new cosignature changes the note
    return _not_modified(request, etag, BRIEF) or _response(note, TEXT, BRIEF, etag)


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    """A hash tile or an entry bundle; 404 until all of its hashes or entries exist."""
    try:
        wanted = parse_tile_path(f"tile/{path}")
    except TileError:
        return _not_found(_("Not a tile path."))
    cache = IMMUTABLE if wanted.is_full else PARTIAL
    last = _last_leaf(wanted)
    if last is None:
        return _not_found(
            _("This entry bundle does not exist yet.")
            if wanted.level == ENTRIES_LEVEL
            else _("This tile does not exist yet.")
        )
    # A tile's bytes are fixed by the entries it covers: its last leaf names them (one
    # primary-key read), whichever database history this process is looking at.
    etag = _etag_of(f"{keys.log_origin()}/tile/{path}/{last}")
    not_modified = _not_modified(request, etag, cache)
    if not_modified is not None:
        return not_modified
    body = _TILES.get(etag)
    if body is None:
        body = _tile_bytes(wanted)
        if body is None:
            return _not_found(_("This tile does not exist yet."))
        _TILES.set(etag, body)
    return _response(body, BINARY, cache, etag)


def _last_leaf(wanted: Tile) -> str | None:
    """The leaf hash (hex) of the last entry ``wanted`` covers; None until it exists."""
    covered = (wanted.index * 256 + wanted.width) * (
        1 if wanted.level == ENTRIES_LEVEL else 256**wanted.level
    )
    leaf = LogEntry.objects.filter(index=covered - 1).values_list("leaf_hash", flat=True).first()
    return None if leaf is None else bytes(leaf).hex()


def _tile_bytes(wanted: Tile) -> bytes | None:
    """The tile's bytes, or None until all of its hashes or entries exist."""
    first = wanted.index * 256
    if wanted.level == ENTRIES_LEVEL:
        data = list(
            LogEntry.objects.filter(index__gte=first, index__lt=first + wanted.width)
            .order_by("index")
            .values_list("data", flat=True)
        )
        if len(data) < wanted.width:
            return None
        return build_entry_bundle([bytes(d) for d in data])
    try:
        return read_tile(wanted, DatabaseHashReader())
    except TileError:
        return None


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    return _response(keys.log_vkey() + "\n", TEXT, SHORT)


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    return _response(keys.policy_text(), TEXT, SHORT)


@require_safe
def receipt(request: HttpRequest, record_type: str, key: str, version: int) -> HttpResponse:
    data = queries.receipt_for(record_type, key, version)
    if data is None:
        return _not_found(_("No checkpoint covers this version yet (or there is no such version)."))
    response = _response(data, TEXT, SHORT)
    response["Content-Disposition"] = (
        f'attachment; filename="{record_type}-{key}-v{version}.tlog-proof"'
    )
    return response


@require_safe
def explainer(request: HttpRequest) -> HttpResponse:
    overview = queries.log_overview()
    return render(
        request,
        "ledger/log.html",
        {
            "overview": overview,
            "vkey": keys.log_vkey(),
            "origin": keys.log_origin(),
            "witnesses": keys.configured_witnesses(),
            "quorum": keys.policy().quorum,
        },
    )
