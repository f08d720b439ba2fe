"""A clear 503 when the database or the data directory fails for a while.

The faults this turns into "503 Service Unavailable" with ``Retry-After``:

* **busy**: SQLite's write lock is held longer than ``busy_timeout`` ("database is
  locked"); PostgreSQL gives up on a lock, a deadlock or a serialisation conflict;
* **down**: PostgreSQL cannot be reached, is starting or shutting down, or dropped the
  connection;
* **full**: the disk (or the process's file-size limit) refuses a write: SQLite's "database
  or disk is full" and "disk I/O error", PostgreSQL's "disk full", and ``OSError`` ENOSPC,
  EDQUOT or EFBIG from the data directory (document blobs, mail files).

Anything else (a bug, "no such table") stays a 500: retrying would not help.

Nothing is half-written: every write runs in one service transaction
(``core/services.py``), which rolls back when the exception leaves it; document blobs are
written to a temporary file and renamed into place. The service resumes by itself: Django
drops a broken connection at the end of the request and opens a new one on the next.

Why two hooks: ``process_exception`` catches a fault raised by the view, where every write
happens. A fault raised inside another middleware (a session read or save) is turned into
a 500 response by Django before any outer middleware sees it; Django sends
``got_request_exception`` while the exception is being handled, so a receiver notes it
on the request and this middleware, first in ``MIDDLEWARE``, swaps that 500 for the 503.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .problems import problem_response

logger = logging.getLogger("tripartite.unavailable")

_REQUEST_ATTRIBUTE = "_tripartite_unavailable"


@dataclass(frozen=True)
class Fault:
    """What kind of temporary fault, and how long a client should wait before retrying."""

    kind: str  # "busy", "down" or "full"
    retry_after: int  # seconds


BUSY = Fault("busy", 5)
DOWN = Fault("down", 30)
FULL = Fault("full", 60)

# SQLite reports its faults only as message text (the sqlite3 module's error codes are not
# kept by Django's wrapper on every version we support).
_SQLITE_MESSAGES = (
    ("database is locked", BUSY),
    ("database table is locked", BUSY),
    ("database or disk is full", FULL),
    ("disk i/o error", FULL),
    ("unable to open database file", DOWN),
)
# PostgreSQL SQLSTATE classes and codes (appendix A of its manual).
_POSTGRESQL_CODES = {
    "40001": BUSY,  # serialization_failure
    "40P01": BUSY,  # deadlock_detected
    "55P03": BUSY,  # lock_not_available
    "57014": BUSY,  # query_canceled (statement_timeout)
    "53100": FULL,  # disk_full
}
_POSTGRESQL_CLASSES = {
    "08": DOWN,  # connection exception
    "57": DOWN,  # operator intervention: admin shutdown, crash shutdown, cannot connect now
    "53": BUSY,  # insufficient resources: out of memory, too many connections
}
# Connection failures before any SQLSTATE exists (psycopg's libpq messages).
_CONNECTION_MESSAGES = (
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "the connection is lost",
    "terminating connection",
    "no route to host",
    "timeout expired",
)
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_IO_ERRNOS = {errno.EIO, errno.EROFS}


def _sqlstate(error: BaseException) -> str | None:
    cause = error.__cause__ or error.__context__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return str(code) if code else None


def classify(error: BaseException) -> Fault | None:
    """The temporary fault ``error`` stands for, or None when it is not one (a 500)."""
    if isinstance(error, OSError) and not isinstance(error, DatabaseError):
        if error.errno in _FULL_ERRNOS:
            return FULL
        if error.errno in _IO_ERRNOS:
            return DOWN
        return None
    if not isinstance(error, OperationalError | InterfaceError):
        return None
    code = _sqlstate(error)
    if code:
        return _POSTGRESQL_CODES.get(code) or _POSTGRESQL_CLASSES.get(code[:2])
    message = str(error).lower()
    for text, fault in _SQLITE_MESSAGES:
        if text in message:
            return fault
    if any(text in message for text in _CONNECTION_MESSAGES):
        return DOWN
    # An InterfaceError is a connection that is closed or broken.
    return DOWN if isinstance(error, InterfaceError) else None


def _texts(fault: Fault) -> tuple[str, str]:
    title = _("The service is unavailable for a moment.")
    details = {
        "busy": _(
            "The database is busy with other changes. Nothing of this request was saved. "
            "Please try again in a few seconds."
        ),
        "down": _(
            "The database cannot be reached right now. Nothing of this request was saved. "
            "Please try again in a minute."
        ),
        "full": _(
            "The server's storage is full. Nothing of this request was saved. The fault is "
            "in the server's log for the site's operators; please try again later."
        ),
    }
    return title, details[fault.kind]


def unavailable_response(request: HttpRequest, fault: Fault) -> HttpResponse:
    """The 503: problem JSON under ``/api/``, else a self-contained page (it must render
    without the database: no session, no signed-in user, no context processors)."""
    title, detail = _texts(fault)
    if request.path.startswith("/api/"):
        response = problem_response(
            request, 503, title, detail, fault=fault.kind, retry_after=fault.retry_after
        )
    else:
        html = render_to_string(
            "core/unavailable.html",
            {"title": title, "detail": detail, "language": get_language() or "en"},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(fault.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _note_fault(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception`` receiver: note a temporary fault on the request, whichever
    layer raised it (the signal is sent while the exception is being handled)."""
    error = sys.exc_info()[1]
    if request is None or error is None:
        return
    fault = classify(error)
    if fault is not None:
        setattr(request, _REQUEST_ATTRIBUTE, fault)


got_request_exception.connect(_note_fault, dispatch_uid="tripartite.core.unavailable")

# Headers of the 500 that the inner middleware set and the 503 keeps (security policy,
# language negotiation).
_KEPT_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
    "Vary",
)


class UnavailableMiddleware:
    """First in ``MIDDLEWARE``: database and storage faults become a 503 with Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        fault: Fault | None = getattr(request, _REQUEST_ATTRIBUTE, None)
        if fault is None or response.status_code != 500:
            return response
        replacement = unavailable_response(request, fault)
        for header in _KEPT_HEADERS:
            if header in response and header not in replacement:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        fault = classify(exception)
        if fault is None:
            return None
        logger.warning(
            "503 (%s) for %s %s: %s", fault.kind, request.method, request.path, exception
        )
        return unavailable_response(request, fault)
