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

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import keys, queries
from .models import LogEntry
from .storage import DatabaseHashReader
from .tiles import ENTRIES_LEVEL, TileError, build_entry_bundle, parse_tile_path, read_tile

TEXT = "text/plain; charset=utf-8"
BINARY = "application/octet-stream"
IMMUTABLE = "public, max-age=31536000, immutable"
PARTIAL = "public, max-age=86400"
BRIEF = "public, max-age=5"
SHORT = "public, max-age=60"


def _response(body: bytes | str, content_type: str, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"  # public data: browser-based monitors
    return response


def _not_found(message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", content_type=TEXT, status=404)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = queries.latest_checkpoint()
    if latest is None:
        return _not_found(_("No checkpoint has been signed yet."))
    return _response(latest.note, TEXT, BRIEF)


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    """A hash tile or an entry bundle; 404 until all of its hashes or entries exist."""
    try:
        wanted = parse_tile_path(f"tile/{path}")
    except TileError:
        return _not_found(_("Not a tile path."))
    cache = IMMUTABLE if wanted.is_full else PARTIAL
    first = wanted.index * 256
    if wanted.level == ENTRIES_LEVEL:
        data = list(
            LogEntry.objects.filter(index__gte=first, index__lt=first + wanted.width)
            .order_by("index")
            .values_list("data", flat=True)
        )
        if len(data) < wanted.width:
            return _not_found(_("This entry bundle does not exist yet."))
        return _response(build_entry_bundle([bytes(d) for d in data]), BINARY, cache)
    try:
        body = read_tile(wanted, DatabaseHashReader())
    except TileError:
        return _not_found(_("This tile does not exist yet."))
    return _response(body, BINARY, cache)


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
