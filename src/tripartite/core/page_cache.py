"""Conditional requests and the rendered-page cache, keyed on freshness stamps.

``FreshnessMiddleware`` runs last, before URL resolution. For a public page whose path
``page_dependencies`` knows, requested by an anonymous visitor without a session, it
learns the page's stamp in one query (``core.freshness``), and then, before the view
does any work:

* answers ``304 Not Modified`` when ``If-None-Match`` / ``If-Modified-Since`` match;
* else serves the rendered page from the cache when it holds one for the same path,
  query, language, day and stamp;
* else lets the view render, stores the result and adds ``ETag`` / ``Last-Modified``.

The cache key holds the stamp, so nothing is ever invalidated by hand: a write moves the
stamps of what it changed and the old entries simply stop being asked for. Signed-in
visitors (and anyone with a session or pending messages) always get a fresh page and
never a stored one. The CSRF token of the language form is cut out of stored pages and
a token for the current visitor is put back in when serving them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from . import freshness
from .freshness import Stamp

# ------------------------------------------------------------------ what each page shows

# Record pages (``<type>-detail`` / ``<type>-json``) and API details (``/api/v1/<plural>/<key>``):
# the record's member scope.
RECORD_PAGES = (
    "member",
    "forum",
    "seat",
    "meeting",
    "decision",
    "letter",
    "statement",
    "organization",
    "person",
    "plan",
    "commitment",
    "milestone",
    "progress",
    "irm-report",
    "assessment",
)
API_RECORDS = {
    "members": "member",
    "forums": "forum",
    "seats": "seat",
    "meetings": "meeting",
    "decisions": "decision",
    "letters": "letter",
    "statements": "statement",
    "organizations": "organization",
    "people": "person",
    "plans": "plan",
    "commitments": "commitment",
    "milestones": "milestone",
    "progress": "progress",
    "irm-reports": "irm-report",
    "assessments": "assessment",
}
# Registers across members: every record type they show, by path.
REGISTERS: dict[str, tuple[str, ...]] = {
    "/letters/": ("letter", "member", "forum", "organization"),
    "/letters.json": ("letter", "member", "forum", "organization"),
}
# Matched on the path before URL resolution, so a 304 or a stored page skips the resolver
# too; test_freshness checks that each shape resolves to the page it stands for.
_RECORD_PAGE = re.compile(r"^/(?P<type>[a-z-]+)/(?P<key>[-a-zA-Z0-9_]+)(?:/|\.json)$")
# Keys are slugs: anything else (a NUL, which PostgreSQL cannot even compare) is no record.
_API_DETAIL = re.compile(r"^/api/v1/(?P<plural>[a-z-]+)/(?P<key>[-a-zA-Z0-9_]+)$")
_API_LIST = re.compile(r"^/api/v1/(?P<plural>[a-z-]+)$")

Dependency = Callable[[], Stamp]


def page_dependencies(path: str) -> Dependency | None:
    """How to learn the stamp of the page at ``path``; None: not a page kept here."""
    found = _RECORD_PAGE.match(path)
    if found and found["type"] in RECORD_PAGES:
        record_type, key = found["type"], found["key"]
        return lambda: freshness.record_stamp(record_type, key)
    if path in REGISTERS:
        types = REGISTERS[path]
        return lambda: freshness.types_stamp(types)
    found = _API_DETAIL.match(path)
    if found and found["plural"] in API_RECORDS:
        api_type, api_key = API_RECORDS[found["plural"]], found["key"]
        return lambda: freshness.record_stamp(api_type, api_key)
    found = _API_LIST.match(path)
    if found and found["plural"] in API_RECORDS:
        # A list may embed any related record of any member: the whole log.
        return freshness.log_stamp
    return None


# ------------------------------------------------------------------ the cache


Stored = tuple[int, dict[str, str], bytes]  # status, headers, body


class LocalPages:
    """Rendered pages of this process, least recently used first out, within a byte
    budget (a worker stays small whatever the pages weigh). Values are kept as they are,
    not pickled: a stored page is served without copying it."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._pages: OrderedDict[str, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Stored | None:
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
            return found

    def set(self, key: str, value: Stored) -> None:
        size = len(value[2])
        if size > self.budget_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._pages[key] = value
            self._bytes += size
            while self._bytes > self.budget_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped[2])

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


_LOCAL = LocalPages(getattr(settings, "TRIPARTITE_PAGE_CACHE_BYTES", 48 * 1024 * 1024))
MAX_STORED_BYTES = 4_000_000


def _page_cache() -> BaseCache | LocalPages:
    """The configured ``pages`` cache if there is one, else this process's own: the key
    holds the stamp, so a per-process copy is never stale, only sometimes cold."""
    if "pages" in settings.CACHES:
        return caches["pages"]
    return _LOCAL


def _code_stamp() -> str:
    """Changes whenever the code, templates or translations change, so a deploy never
    answers 304 for a page rendered by the old code."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".mo", ".txt", ".svg", ".css", ".js"}:
            digest.update(f"{path.relative_to(root)}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


CODE_STAMP = _code_stamp()
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
_TOKEN_SLOT = b"\x00tripartite-csrf\x00"


def _cacheable_visitor(request: HttpRequest) -> bool:
    """Anonymous, no session, no pending messages, a whole page: the same for anyone."""
    if request.method not in {"GET", "HEAD"}:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META and "HTTP_HX_REQUEST" not in request.META


class _Plan:
    def __init__(self, key: str, etag: str, last_modified: int) -> None:
        self.key = key
        self.etag = etag
        self.last_modified = last_modified


def _plan(request: HttpRequest, stamp: Stamp) -> _Plan:
    today = timezone.localdate()
    language = translation.get_language() or settings.LANGUAGE_CODE
    identity = "|".join(
        [
            CODE_STAMP,
            language,
            request.get_full_path(),
            str(stamp.position),
            stamp.leaf,
            stamp.proofs,
            today.isoformat(),
        ]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    # Pages show dates relative to today ("overdue"): they change at midnight too.
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    return _Plan(
        f"page:{digest}", f'W/"{digest[:32]}"', max(stamp.changed_at, int(midnight.timestamp()))
    )


def _validators(response: HttpResponse, plan: _Plan) -> HttpResponse:
    response["ETag"] = plan.etag
    response["Last-Modified"] = http_date(plan.last_modified)
    if "Cache-Control" in response:
        return response
    if response.status_code == 304:
        patch_cache_control(response, no_cache=True)  # the held copy keeps its own rules
        return response
    # HTML carries the visitor's CSRF token: browsers may keep it, shared caches not.
    if response.get("Content-Type", "").startswith("text/html"):
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True, public=True)
    return response


class FreshnessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        dependency = page_dependencies(request.path_info) if _cacheable_visitor(request) else None
        if dependency is None:
            return self.get_response(request)
        try:
            stamp = dependency()
        except freshness.Busy:
            return self.get_response(request)  # fresh, unstored, without validators
        plan = _plan(request, stamp)
        not_modified = get_conditional_response(
            request, etag=plan.etag, last_modified=plan.last_modified
        )
        if not_modified is not None:
            return _validators(not_modified, plan)
        stored = _page_cache().get(plan.key)
        if stored is not None:
            return _validators(_from_stored(request, stored), plan)
        response = self.get_response(request)
        if response.status_code != 200:
            return response
        self._store(request, response, plan)
        return _validators(response, plan)

    @staticmethod
    def _store(request: HttpRequest, response: HttpResponse, plan: _Plan) -> None:
        session = getattr(request, "session", None)
        messages = getattr(request, "_messages", None)
        if (
            response.streaming
            or response.cookies
            or (session is not None and session.modified)
            or getattr(messages, "added_new", False)
            or len(response.content) > MAX_STORED_BYTES
        ):
            return
        body = _TOKEN.sub(rb"\1" + _TOKEN_SLOT + rb"\3", response.content)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        _page_cache().set(plan.key, (response.status_code, headers, body))


def _from_stored(request: HttpRequest, stored: Stored) -> HttpResponse:
    status, headers, body = stored
    if _TOKEN_SLOT in body:
        body = body.replace(_TOKEN_SLOT, get_token(request).encode())
    response = HttpResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    return response
