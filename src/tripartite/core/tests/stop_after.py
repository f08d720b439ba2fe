"""A stop event for testing background loops (the checkpointer, the digest schedule)."""

from __future__ import annotations

import threading


class StopAfter(threading.Event):
    """An event that sets itself after ``rounds`` waits, so ``run`` ends by itself."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0)
        if len(self.waits) >= self.rounds:
            self.set()
        return self.is_set()
