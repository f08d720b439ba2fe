"""The daily digest on a schedule: ``tripartite worker`` sends it once a day by itself.

``start(stop_event)`` runs ``run`` in a thread of ``tripartite worker``, beside the
checkpointer. Every ``CHECK_EVERY`` seconds it calls ``run_due()``, which sends the day's
digests once the site's clock (``TIME_ZONE``) has reached ``TRIPARTITE_DIGEST_HOUR``:

- **Once a day.** A ``DigestRun`` row per day is the claim. Its ``day`` is unique, so when
  two workers (or a worker and ``tripartite notifications digest``) reach the hour together,
  only the one whose insert commits first sends; the other gets the unique-constraint error
  and sends nothing. A restarted worker finds the day's row and sends nothing either.
- **Catching up.** A worker that was down at the hour sends at its first round after it,
  as long as that is the same day: nothing was claimed yet.
- **A crash while sending.** An unexpected error releases the claim, so the next round
  tries again; a claim whose worker died (no ``finished_at`` after ``STALE_CLAIM``) is
  taken over. Either way ``send_digests`` skips the users whose digest already went out
  since the day began (their ``DigestMark``), so nobody gets the same day's digest twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django_tasks import task

from .models import DigestRun
from .tasks import send_digests

logger = logging.getLogger(__name__)

DEFAULT_HOUR = 6
# Seconds between two looks at the clock: the digest leaves at most this late.
CHECK_EVERY = 60.0
# A claim not finished after this long belongs to a worker that died while sending.
STALE_CLAIM = dt.timedelta(hours=2)


def digest_hour() -> int:
    """``TRIPARTITE_DIGEST_HOUR``: the hour (0-23, site time) the daily digest leaves."""
    value = getattr(settings, "TRIPARTITE_DIGEST_HOUR", DEFAULT_HOUR)
    try:
        hour = int(value)
    except (TypeError, ValueError):
        hour = -1
    if not 0 <= hour <= 23:
        raise ImproperlyConfigured(f"TRIPARTITE_DIGEST_HOUR must be 0 to 23, not {value!r}.")
    return hour


def site_time(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the current time) on the site's clock (``settings.TIME_ZONE``)."""
    return timezone.localtime(now or timezone.now(), timezone.get_default_timezone())


def today(now: dt.datetime | None = None) -> dt.date:
    """The site's calendar day at ``now``."""
    return site_time(now).date()


def due_day(now: dt.datetime | None = None) -> dt.date | None:
    """The day whose digest is due at ``now``: today once the digest hour has come."""
    local = site_time(now)
    return local.date() if local.hour >= digest_hour() else None


def start_of(day: dt.date) -> dt.datetime:
    """Midnight that begins ``day`` on the site's clock."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def worker_name() -> str:
    """Who holds a claim (for the record only): host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def _locked(error: OperationalError) -> bool:
    # SQLite: another connection holds the write lock (a shared in-memory database does
    # not wait on busy_timeout). That writer is the one claiming; look again next round.
    return "locked" in str(error).lower()


def _existing(day: dt.date) -> DigestRun | None:
    # A plain read first: on most rounds the day is already claimed, and that costs no
    # failed insert (nor a duplicate-key line in PostgreSQL's log).
    return DigestRun.objects.filter(day=day).first()


def claim(day: dt.date, *, now: dt.datetime | None = None, by: str = "") -> DigestRun | None:
    """Claim ``day``'s digest for this caller: the claimed row, or None when another
    caller has it (or had it): it was sent, is being sent, or its claim is not stale."""
    now = now or timezone.now()
    by = by[:100]
    try:
        run = _existing(day)
        if run is None:
            try:
                with transaction.atomic():
                    return DigestRun.objects.create(day=day, claimed_at=now, claimed_by=by)
            except IntegrityError:
                return None  # another caller's claim committed first
        if run.finished_at is not None or run.claimed_at > now - STALE_CLAIM:
            return None
        # Its worker died while sending: take the claim over, unless another just did.
        taken = DigestRun.objects.filter(
            pk=run.pk, finished_at=None, claimed_at=run.claimed_at
        ).update(claimed_at=now, claimed_by=by)
    except OperationalError as error:
        if _locked(error):
            return None
        raise
    if not taken:
        return None
    logger.warning("took over the unfinished digest run of %s (claimed by %s)", day, run.claimed_by)
    run.claimed_at, run.claimed_by = now, by
    return run


def _release(run: DigestRun) -> None:
    """Give a claim back after a failed run, so that the next round tries again."""
    DigestRun.objects.filter(pk=run.pk, claimed_at=run.claimed_at, finished_at=None).delete()


def _finish(run: DigestRun, result: dict[str, int]) -> None:
    DigestRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        sent=result.get("sent", 0),
        skipped=result.get("skipped", 0),
        failed=result.get("failed", 0),
    )


def send_day(
    day: dt.date, *, now: dt.datetime | None = None, force: bool = False, by: str = ""
) -> dict[str, Any]:
    """Send ``day``'s digests if this caller wins its claim (``force``: even when it does
    not, and to users who had a digest recently). Returns ``{"day", "ran"}`` and, when it
    ran, ``send_digests``' counts."""
    run = claim(day, now=now, by=by or worker_name())
    if run is None and not force:
        return {"day": day.isoformat(), "ran": False}
    try:
        result = send_digests.call(force=force, since=start_of(day).isoformat())
    except BaseException:
        if run is not None:
            _release(run)
        raise
    if run is not None:
        _finish(run, result)
    logger.info("daily digest of %s: %s", day, result)
    return {"day": day.isoformat(), "ran": True, **result}


def run_due(now: dt.datetime | None = None, *, by: str = "") -> dict[str, Any] | None:
    """The worker's hook: send today's digest if its hour has come and nobody sent it yet.
    Returns what ``send_day`` did, or None when nothing was due or it was not ours."""
    day = due_day(now)
    if day is None:
        return None
    result = send_day(day, now=now, by=by)
    return result if result["ran"] else None


@task()
def send_daily_digest(day: str, force: bool = False) -> dict[str, Any]:
    """``send_day`` as a task (``tripartite notifications digest --enqueue``)."""
    return send_day(dt.date.fromisoformat(day), force=force)


def _refresh_connections() -> None:
    # A long-running loop must not keep a broken or expired connection; inside a caller's
    # transaction (tests) the connection is the caller's and stays as it is.
    if not connection.in_atomic_block:
        close_old_connections()


def run_once(now: dt.datetime | None = None) -> dict[str, Any] | None:
    """One round of the loop, with fresh database connections around it."""
    _refresh_connections()
    try:
        return run_due(now)
    finally:
        _refresh_connections()


def run(interval: float | None = None, stop_event: threading.Event | None = None) -> None:
    """Look at the clock every ``interval`` seconds (``CHECK_EVERY``) until stopped, and
    send the daily digest when it is due. Errors are logged and the loop goes on."""
    every = float(interval if interval is not None else CHECK_EVERY)
    stop = stop_event if stop_event is not None else threading.Event()
    logger.info("digest schedule started: daily at %02d:00 %s", digest_hour(), settings.TIME_ZONE)
    try:
        while not stop.is_set():
            try:
                run_once()
            except Exception:  # try again at the next round whatever went wrong
                logger.exception("the daily digest failed")
            stop.wait(every)
    finally:
        if not connection.in_atomic_block:
            connection.close()  # this thread's own connection
    logger.info("digest schedule stopped")


def start(stop_event: threading.Event, interval: float | None = None) -> threading.Thread:
    """Start ``run`` in a daemon thread (``tripartite worker``). A bad
    ``TRIPARTITE_DIGEST_HOUR`` raises here, before the worker starts."""
    digest_hour()
    thread = threading.Thread(
        target=run,
        kwargs={"interval": interval, "stop_event": stop_event},
        name="digest-schedule",
        daemon=True,
    )
    thread.start()
    return thread
