"""Rate limits on the public's write forms: co-creation input, document uploads and sealed
submissions (allauth limits sign-in, sign-up and password reset itself:
``settings.ACCOUNT_RATE_LIMITS``).

A fixed window per (scope, client): ``settings.TRIPARTITE_RATE_LIMITS`` maps a scope to
``"<count>/<period>"`` (``"10/h"``, ``"5/300s"``); every POST counts, accepted or not, so a
flood of invalid posts is slowed as much as a flood of valid ones. Past the count, the
view is not called at all: a 429 with ``Retry-After`` (an HTML page, or problem JSON for
the API), and nothing is written.

Privacy (issue 7: no IP addresses beyond short rate-limit windows): the counters live only
in Django's cache, under a key that is an HMAC (keyed by ``SECRET_KEY``) of the scope, the
window's number and the client: the address (or the account id when signed in). No raw
address is ever stored, keys change with every window, so counters of two windows cannot
be linked, and each key expires when its window ends.

The default cache is per process (``LocMemCache``): with several server processes each
counts on its own, so the effective limit is the count times the number of processes,
unless ``TRIPARTITE_CACHE_URL`` names a shared cache (docs/deployment.md).
"""

from __future__ import annotations

import ipaddress
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .problems import problem_response

View = Callable[..., HttpResponse]

# The HMAC's salt: the same SECRET_KEY used elsewhere gives unrelated hashes here.
_SALT = "tripartite.core.ratelimit"
_KEY_PREFIX = "tripartite:ratelimit"

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` posts per ``seconds``."""

    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"10/h"``, ``"10/hour"``, ``"5/300s"``, ``"30/2m"`` → a Rate."""
    match = _RATE.match(text.lower())
    if not match or match.group(3) not in _UNITS:
        raise ImproperlyConfigured(
            f"A rate limit is written <count>/<period>, such as 10/h or 5/300s: {text!r}"
        )
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    seconds = multiple * _UNITS[unit]
    if seconds <= 0:
        raise ImproperlyConfigured(f"A rate limit's period must be longer than zero: {text!r}")
    return Rate(count, seconds)


def rate_for(scope: str) -> Rate | None:
    """The scope's rate from the settings; None when limits are off or the scope has none.
    Read at each request, so a test (or ``override_settings``) can change it."""
    if not getattr(settings, "TRIPARTITE_RATE_LIMITS_ENABLED", True):
        return None
    text = getattr(settings, "TRIPARTITE_RATE_LIMITS", {}).get(scope)
    return parse_rate(text) if text else None


def _clock() -> float:
    """Now, in seconds; a function so that tests can move the clock."""
    return time.time()


def client_address(request: HttpRequest) -> str:
    """The client's address as allauth determines it (so ``ALLAUTH_TRUSTED_PROXY_COUNT``
    and ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER`` apply to these limits and to sign-in alike).
    An IPv6 address counts as its /64: one subscriber usually holds a whole /64."""
    from allauth.account.adapter import get_adapter

    try:
        address = str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:  # no address at all: every such request shares one counter
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def client_identity(request: HttpRequest, *, by_user: bool = True) -> str:
    """Who is counted: the account when signed in (and ``by_user``), else the address."""
    user = getattr(request, "user", None)
    if by_user and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def cache_key(scope: str, window: int, identity: str) -> str:
    digest = salted_hmac(_SALT, f"{scope}|{window}|{identity}", algorithm="sha256").hexdigest()
    return f"{_KEY_PREFIX}:{scope}:{digest}"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends, when refused


def hit(request: HttpRequest, scope: str, *, by_user: bool = True) -> Verdict:
    """Count one post of ``scope`` by this client; refused once past the scope's rate."""
    rate = rate_for(scope)
    if rate is None:
        return Verdict(True)
    now = _clock()
    window = int(now // rate.seconds)
    left = max(1, math.ceil((window + 1) * rate.seconds - now))
    key = cache_key(scope, window, client_identity(request, by_user=by_user))
    # add() is a no-op when the key exists, and incr() is atomic in the cache backends
    # Django ships; the key expires with its window.
    cache.add(key, 0, timeout=left)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=left)
        count = 1
    if count > rate.count:
        return Verdict(False, left)
    return Verdict(True)


def too_many(request: HttpRequest, retry_after: int, *, api: bool = False) -> HttpResponse:
    """The 429: problem JSON for the API, else a page in the site's layout; both say when
    to try again, and so does the ``Retry-After`` header (seconds)."""
    minutes = max(1, math.ceil(retry_after / 60))
    title = _("Too many submissions.")
    detail = ngettext(
        "This form was sent too many times from here in a short while. Please try again "
        "in %(minutes)d minute.",
        "This form was sent too many times from here in a short while. Please try again "
        "in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    if api:
        response = problem_response(request, 429, title, detail, retry_after=retry_after)
    else:
        response = render(
            request,
            "core/rate_limited.html",
            {"title": title, "detail": detail, "back_url": request.get_full_path()},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    scope: str,
    *,
    by_user: bool = True,
    api: bool = False,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[View], View]:
    """Limit a view's ``methods`` (POST) to the scope's rate, before the view runs.

    ``by_user=False`` counts by address even for a signed-in visitor: for views that must
    never tie what is sent to an account (sealed submissions, the anonymous API). ``api``
    answers in problem JSON (for a django-ninja operation, apply through
    ``ninja.decorators.decorate_view``)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                verdict = hit(request, scope, by_user=by_user)
                if not verdict.allowed:
                    return too_many(request, verdict.retry_after, api=api)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
