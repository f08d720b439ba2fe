"""What a benchmark receives (``Context``) and the timing helpers they share.

Timing rules: ``time.perf_counter_ns``; a figure and its baseline are measured in
alternating rounds (A B, then B A, ...) so that a change in the machine's load during the
run hits both alike; every loop stops at a time budget, so a slow machine gives fewer
samples, not a longer run.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Seed of every random choice (indices, names): the same inputs on every run.
DEFAULT_SEED = 20170523


@dataclass
class Context:
    """One benchmark's run: its mode, database and scratch space."""

    name: str
    quick: bool
    seed: int
    #: "sqlite", "postgresql", or "none" for benchmarks without a database.
    database: str
    data_dir: Path
    cache_dir: Path
    #: The SQLite database file (None on PostgreSQL or without a database).
    sqlite_path: Path | None = None
    #: Remarks for the report (e.g. how a data set was built and how long it took).
    notes: list[str] = field(default_factory=list)

    def pick(self, default: float, quick: float) -> float:
        """A size or time budget for this mode."""
        return quick if self.quick else default

    def say(self, message: str) -> None:
        """Progress on stderr (the table goes to stdout)."""
        print(f"[bench {self.name}/{self.database}] {message}", file=sys.stderr, flush=True)


def seeded(seed: int) -> random.Random:
    """The random generator of benchmark inputs (fixed seed; nothing secret here)."""
    return random.Random(seed)  # noqa: S311


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by the nearest-rank method."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Rates:
    """Operations per second of a subject and its baseline, measured in the same rounds."""

    subject: float
    baseline: float
    rounds: int
    subject_ops: int
    baseline_ops: int


def alternate(
    subject: Callable[[int], None],
    baseline: Callable[[int], None],
    *,
    per_round: int,
    budget_s: float,
    min_rounds: int = 2,
    max_rounds: int = 1000,
) -> Rates:
    """Run ``subject(n)`` and ``baseline(n)`` in alternating rounds until the budget is spent.

    Each callable performs ``n`` operations.  The rate is total operations over total time
    of each side (so a round's setup noise averages out).
    """
    spent = {"subject": 0, "baseline": 0}
    ops = {"subject": 0, "baseline": 0}
    sides = {"subject": subject, "baseline": baseline}
    deadline = time.monotonic() + budget_s
    rounds = 0
    while rounds < max_rounds and (rounds < min_rounds or time.monotonic() < deadline):
        order = ("subject", "baseline") if rounds % 2 == 0 else ("baseline", "subject")
        for side in order:
            start = time.perf_counter_ns()
            sides[side](per_round)
            spent[side] += time.perf_counter_ns() - start
            ops[side] += per_round
        rounds += 1
    return Rates(
        subject=ops["subject"] / (spent["subject"] / 1e9),
        baseline=ops["baseline"] / (spent["baseline"] / 1e9),
        rounds=rounds,
        subject_ops=ops["subject"],
        baseline_ops=ops["baseline"],
    )


def timed_ns(func: Callable[[], object]) -> tuple[int, object]:
    """(nanoseconds, result) of one call."""
    start = time.perf_counter_ns()
    result = func()
    return time.perf_counter_ns() - start, result
