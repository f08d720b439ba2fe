"""The checkpointer: signs a checkpoint every few seconds when the log grew.

``run(interval, stop_event)`` is started by ``tripartite worker`` (in a thread or a process
of its own).  Each round asks ``services.sign_checkpoint()``, which returns at once when
there were no writes since the last checkpoint; errors are logged and the loop goes on.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from .models import Checkpoint
from .services import sign_checkpoint

logger = logging.getLogger("tripartite.ledger")


def _refresh_connections() -> None:
    # A long-running loop must not keep a broken or expired connection; inside a caller's
    # transaction (tests) the connection is the caller's and stays as it is.
    if not connection.in_atomic_block:
        close_old_connections()


def run_once() -> Checkpoint | None:
    """One round: the new checkpoint, or None when nothing new needed signing."""
    _refresh_connections()
    try:
        checkpoint = sign_checkpoint()
    finally:
        _refresh_connections()
    if checkpoint is not None:
        logger.info(
            "signed checkpoint %d (%d cosignatures, policy %s)",
            checkpoint.size,
            checkpoint.cosignatures.count(),
            "met" if checkpoint.quorum_met else "not met",
        )
    return checkpoint


def run(interval: float | None = None, stop_event: threading.Event | None = None) -> None:
    """Sign checkpoints every ``interval`` seconds (default from settings) until stopped."""
    every = float(interval if interval is not None else settings.TRIPARTITE_LOG_CHECKPOINT_INTERVAL)
    stop = stop_event if stop_event is not None else threading.Event()
    logger.info("checkpointer started: every %.1f s", every)
    while not stop.is_set():
        try:
            run_once()
        except Exception:  # keep signing later checkpoints whatever went wrong with this one
            logger.exception("signing a checkpoint failed")
        stop.wait(every)
    logger.info("checkpointer stopped")
