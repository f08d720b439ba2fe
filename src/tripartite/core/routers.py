"""Read-replica routing (see docs/subsystems/replica.md).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database (a streaming
replica of the primary), ``ReplicaRouter`` and ``ReplicaReadsMiddleware``. Public pages
and the API then read from the replica; everything else stays on the primary.

**Replica reads are opt-in, per request.** The router sends a read to the replica only
inside a request the middleware marked as allowed: a GET, HEAD or OPTIONS whose client
did not write a moment ago. Outside such a request (the worker and its checkpointer, the
digest schedule, the CLI, migrations, tests without the middleware) there is no marking,
so every query goes to the primary: code that was never written with replication lag in
mind never meets it.

Inside an allowed request a read still goes to the primary when:

- its model belongs to an app whose rows must be fresh (``PRIMARY_APPS``): accounts,
  sign-in and sessions (a sign-out or a revoked session takes effect at once), the ledger
  (its head and sequencing; receipts and checkpoints are read with it), the task queue,
  notifications (digest claims), the confidential channel;
- the primary is inside a transaction (a service reading what it is about to write);
- the request has written already (read-your-writes within the request): the router's
  ``db_for_write`` notes every write.

**Read-your-writes across requests.** A request that wrote, or used an unsafe method,
gets the cookie ``tripartite_primary`` for ``TRIPARTITE_REPLICA_PIN_SECONDS``; while the
client sends it back, its requests read from the primary only, so the page after a form
post shows what was just written even when the replica lags. The cookie holds no
identifier (its value is "1").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
PIN_COOKIE = "tripartite_primary"
DEFAULT_PIN_SECONDS = 10
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# App labels whose reads always go to the primary, even inside an allowed request.
PRIMARY_APPS = frozenset(
    {
        "auth",
        "sessions",
        "admin",
        "contenttypes",
        "account",  # allauth: addresses, confirmations
        "mfa",  # allauth: authenticators
        "accounts",
        "confidential",
        "notifications",
        "ledger",
        "django_tasks_db",
        "django_cache",  # DatabaseCache: rate-limit counters must be current
    }
)


@dataclass
class RequestReads:
    """What the router knows about the request running in this context."""

    replica_allowed: bool
    wrote: bool = False


_current: ContextVar[RequestReads | None] = ContextVar("tripartite_request_reads", default=None)


@contextmanager
def request_reads(replica_allowed: bool) -> Iterator[RequestReads]:
    """Mark the code inside as one request's work (the middleware does, per request)."""
    state = RequestReads(replica_allowed=replica_allowed)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_database(model: type[Model]) -> str:
    """The alias a read of ``model`` goes to now (the rules in the module's docstring)."""
    state = _current.get()
    if state is None or not state.replica_allowed or state.wrote:
        return PRIMARY
    if not replica_configured() or model._meta.app_label in PRIMARY_APPS:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


class ReplicaRouter:
    """Django database router: writes and migrations on the primary; reads per
    ``read_database``."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return read_database(model)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Both databases hold the same rows: an object read from the replica may be
        # linked to one read from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica receives the primary's schema by replication; migrate only once.
        return False if db == REPLICA else None


def pin_seconds() -> int:
    return int(getattr(settings, "TRIPARTITE_REPLICA_PIN_SECONDS", DEFAULT_PIN_SECONDS))


class ReplicaReadsMiddleware:
    """Allows replica reads in safe requests of clients that did not write just now, and
    pins a client that writes to the primary for a few seconds (a cookie).

    Placed last in ``MIDDLEWARE``, so sessions and authentication, which run around it,
    are never read from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        allowed = safe and PIN_COOKIE not in request.COOKIES
        with request_reads(allowed) as state:
            response = self.get_response(request)
        if state.wrote or not safe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
