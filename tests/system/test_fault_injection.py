"""Fault injection: writes through the API while the production server and the worker are
killed with SIGKILL at random (seeded) moments and started again.

After the rounds: every write answered 201 is there (through the API and in the
database), ``tripartite verify --local`` is clean, the log's indices run 0..n-1 with no
gap or fork, and every stored checkpoint is consistent with the next (recomputed here from
the stored entries with the framework-free Merkle code).

Bounded: ``ROUNDS`` rounds of a few seconds each (about a minute per database).
``TRIPARTITE_FAULT_SEED`` replays another sequence of kills.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from . import harness as h

pytestmark = pytest.mark.system

ROUNDS = int(os.environ.get("TRIPARTITE_FAULT_ROUNDS", "4"))
SEED = int(os.environ.get("TRIPARTITE_FAULT_SEED", "20170523"))
WRITER_THREADS = 3
# Answers a write may get while processes die around it: created, or "try again" (503).
# Anything else (a 500, a 409 for a reference never sent before) is a fault of ours.
EXPECTED_STATUSES = {201, 503}


def run_fault_rounds(site: h.Site, label: str) -> dict[str, int]:
    rng = random.Random(SEED)
    token = site.set_up_writer()
    server = site.start_server()
    worker = site.start_worker()
    kills = {"server": 0, "worker": 0}
    with h.Writers([server.port or 0], token, threads=WRITER_THREADS, prefix="F") as writers:
        for _round in range(ROUNDS):
            time.sleep(rng.uniform(0.5, 2.5))  # writes (and checkpoints) in flight
            victims = rng.choice([("server",), ("worker",), ("server", "worker")])
            if "server" in victims:
                server.kill()
                kills["server"] += 1
            if "worker" in victims:
                worker.kill()
                kills["worker"] += 1
            time.sleep(rng.uniform(0.0, 0.5))  # clients meet a dead port for a while
            # The worker first: it needs no readiness wait, the server does.
            if "worker" in victims:
                worker = site.restart(worker)
            if "server" in victims:
                server = site.restart(server)
        time.sleep(1.0)  # some writes after the last restart
    tally = writers.tally
    assert server.port is not None
    checkpointed = h.wait_for_checkpoint_of_head(site.database)

    # Every acknowledged write is there: through the API, and as a row.
    not_served = []
    for public_id in tally.acknowledged.values():
        status, _headers, _body = h.request(
            server.port, "GET", f"/api/v1/letters/{public_id.split('/', 1)[1]}"
        )
        if status != 200:
            not_served.append(public_id)
    missing = h.missing_letters(site.database, sorted(tally.acknowledged))
    site.stop_all()

    verified = site.verify_local()
    state = h.read_log(site.database)
    problems = h.log_problems(state)
    figures = {
        "rounds": ROUNDS,
        "server_kills": kills["server"],
        "worker_kills": kills["worker"],
        "writes_attempted": tally.attempted,
        "writes_acknowledged": len(tally.acknowledged),
        "writes_unanswered": tally.refused,
        "writes_lost": len(set(missing) | {p.split("/", 1)[1] for p in not_served}),
        "log_entries": len(state.indices),
        "checkpoints": len(state.checkpoints),
        "last_checkpoint": checkpointed,
    }
    print(f"\nfault injection on {label}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
    print(f"answers: {dict(sorted(tally.statuses.items()))}")

    assert tally.acknowledged, "no write was acknowledged: the test proved nothing"
    assert not missing, f"acknowledged writes missing from the database: {missing[:10]}"
    assert not not_served, f"acknowledged writes the API does not serve: {not_served[:10]}"
    assert set(tally.statuses) <= EXPECTED_STATUSES, tally.statuses
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert problems == [], problems
    assert len(state.checkpoints) >= 2, "too few checkpoints to compare"
    return figures


def test_kills_on_sqlite_lose_no_acknowledged_write(tmp_path: Path) -> None:
    with h.site_on("sqlite", tmp_path) as site:
        run_fault_rounds(site, "SQLite")


def test_kills_on_postgresql_lose_no_acknowledged_write(tmp_path: Path) -> None:
    reason = h.postgresql_unreachable_reason()
    if reason:
        pytest.skip(reason)
    with h.site_on("postgresql", tmp_path) as site:
        run_fault_rounds(site, "PostgreSQL")
