"""The transparency log's benchmarks (issue 3): appends, proofs at 1,000,000, verification.

Each function takes a ``Context`` and returns ``Result`` rows; ``append`` and ``proofs`` run
after ``django.setup()`` and ``migrate`` on a throwaway database, ``verify`` needs only the
framework-free core.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import time
from collections.abc import Callable
from typing import Any

from bench import ledger_tree
from bench.common import Context, alternate, percentile, seeded, timed_ns
from bench.report import Result

GIVEN = ["Ana", "Luis", "María", "José", "Carmen", "Jorge", "Lucía", "Pedro", "Elena", "Raúl"]
FAMILY = ["García", "Hernández", "López", "Martínez", "Pérez", "Sánchez", "Ramírez", "Torres"]
ROLES = ["", "Director", "Coordinator", "Secretary", "Commissioner", "Researcher"]


# --------------------------------------------------------------------------
# append: records per second through a service, with the log on
# --------------------------------------------------------------------------


def bench_append(ctx: Context) -> list[Result]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tripartite.core import recording
    from tripartite.core.actors import system_actor
    from tripartite.forums.models import Person
    from tripartite.forums.services import create_person
    from tripartite.ledger.storage import read_head

    actor = system_actor()
    rng = seeded(ctx.seed)
    serial = itertools.count()

    def fields(prefix: str) -> dict[str, str]:
        return {
            "key": f"{prefix}-{next(serial):07d}",
            "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "role_title": rng.choice(ROLES),
        }

    def logged(count: int) -> None:
        for _ in range(count):
            create_person(actor, **fields("logged"))  # its own transaction (@service)

    def plain(count: int) -> None:
        for _ in range(count):
            with transaction.atomic():
                Person.objects.create(**fields("plain"))

    def logged_batch(count: int) -> None:
        with transaction.atomic():
            for _ in range(count):
                create_person(actor, **fields("logged"))

    def plain_batch(count: int) -> None:
        with transaction.atomic():
            for _ in range(count):
                Person.objects.create(**fields("plain"))

    def statements(func: Callable[[int], None], count: int) -> float:
        with CaptureQueriesContext(connection) as captured:
            func(count)
        return len(captured) / count

    # Time spent in the log's append (recording.save_record calls it by this name).
    in_append = [0]
    append_version = recording.append_version

    def timed_append(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return append_version(*args, **kwargs)
        finally:
            in_append[0] += time.perf_counter_ns() - start

    variants = [
        ("1 record per transaction", logged, plain, int(ctx.pick(200, 100))),
        ("1,000 records in one transaction", logged_batch, plain_batch, 1000),
    ]
    results = []
    for label, subject, baseline, per_round in variants:
        subject(20)  # warm-up: connection, caches, code paths
        baseline(20)
        subject_sql, baseline_sql = statements(subject, 10), statements(baseline, 10)
        ctx.say(f"append, {label}")
        in_append[0] = 0
        recording.append_version = timed_append
        try:
            rates = alternate(
                subject, baseline, per_round=per_round, budget_s=ctx.pick(25, 6), min_rounds=2
            )
        finally:
            recording.append_version = append_version
        share = in_append[0] / 1e9 / (rates.subject_ops / rates.subject)
        size, _ = read_head()
        results.append(
            Result(
                benchmark="append",
                name=f"create_person (1 log entry each), {label}",
                database=ctx.database,
                unit="records/s",
                value=rates.subject,
                baseline_name="Person.objects.create",
                baseline_value=rates.baseline,
                higher_is_better=True,
                detail=(
                    f"{rates.subject_ops:,} records in {rates.rounds} rounds; "
                    f"SQL statements per record: {subject_sql:.0f}; "
                    f"{share:.0%} of the time in ledger.storage.append_version "
                    f"({in_append[0] / 1e3 / rates.subject_ops:,.0f} µs per record); "
                    f"log size {size:,} after"
                ),
                baseline_detail=(
                    f"{rates.baseline_ops:,} rows; SQL statements per row: {baseline_sql:.0f}"
                ),
            )
        )
    return results


# --------------------------------------------------------------------------
# proofs: at 1,000,000 entries, from stored nodes vs. the same tree in memory
# --------------------------------------------------------------------------


class CountingReader:
    """A ``merkle.HashReader`` that counts the calls made and the node rows returned."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0
        self.rows = 0

    def get_hashes(self, keys: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        self.calls += 1
        found: dict[tuple[int, int], bytes] = self.inner.get_hashes(keys)
        self.rows += len(found)
        return found


def bench_proofs(ctx: Context) -> list[Result]:
    from django.db import connection

    from tripartite.ledger.merkle import (
        consistency_proof_at,
        inclusion_proof_at,
        root_at,
        verify_consistency,
        verify_inclusion,
    )
    from tripartite.ledger.storage import DatabaseHashReader
    from tripartite.ledger.tiles import TILE_WIDTH, Tile, read_tile

    tree = ledger_tree.prepare(ctx)
    n, root, store = tree.size, tree.root, tree.store
    # Millions of long-lived objects (the in-memory tree): keep the collector from scanning
    # them again and again, which would put its pauses into random samples of both sides.
    gc.collect()
    gc.freeze()
    rng = seeded(ctx.seed)

    def check_inclusion(index: int, proof: Any) -> bool:
        leaf = store.get_hashes([(0, index)])[(0, index)]
        return verify_inclusion(leaf, index, n, proof, root)

    def check_consistency(old: int, proof: Any) -> bool:
        return verify_consistency(old, n, proof, root_at(old, store), root)

    kinds: list[tuple[str, Callable[[Any, int], Any], Callable[[], int], Any]] = [
        (
            "inclusion proof",
            lambda reader, index: inclusion_proof_at(index, n, reader),
            lambda: rng.randrange(n),
            check_inclusion,
        ),
        (
            "consistency proof",
            lambda reader, old: consistency_proof_at(old, n, reader),
            lambda: rng.randrange(1, n),
            check_consistency,
        ),
        (
            "level-0 tile read",
            lambda reader, index: read_tile(Tile(0, index), reader),
            lambda: rng.randrange(n // TILE_WIDTH),
            None,
        ),
    ]

    def raw_sql_ns(operation: Callable[[Any, int], Any], value: int) -> int:
        """Time of the statement the reader sends (same SQL, same parameters) on a cursor."""
        sent: list[tuple[str, Any]] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            sent.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            operation(DatabaseHashReader(), value)
        sql, params = sent[-1]
        with connection.cursor() as cursor:
            start = time.perf_counter_ns()
            cursor.execute(sql, params)
            cursor.fetchall()
            return time.perf_counter_ns() - start

    results = []
    for label, operation, sample, check in kinds:
        ctx.say(f"proofs: {label} at {n:,}")
        database = CountingReader(DatabaseHashReader())
        memory = CountingReader(store)
        params = [sample() for _ in range(int(ctx.pick(5000, 1000)))]
        for value in params[:20]:  # warm-up
            operation(database, value)
            operation(memory, value)
        db_us: list[float] = []
        mem_us: list[float] = []
        rows: list[int] = []
        queries: list[int] = []
        raw_us: list[float] = []
        deadline = time.monotonic() + ctx.pick(12, 3)
        for i, value in enumerate(params):
            if i >= 200 and time.monotonic() > deadline:
                break
            database.calls = database.rows = 0
            db_call = functools.partial(operation, database, value)
            mem_call = functools.partial(operation, memory, value)
            if i % 2:
                mem_ns, from_memory = timed_ns(mem_call)
                db_ns, from_db = timed_ns(db_call)
            else:
                db_ns, from_db = timed_ns(db_call)
                mem_ns, from_memory = timed_ns(mem_call)
            if from_db != from_memory or (check is not None and not check(value, from_db)):
                raise RuntimeError(f"{label} for {value} differs or does not verify")
            db_us.append(db_ns / 1000)
            mem_us.append(mem_ns / 1000)
            rows.append(database.rows)
            queries.append(database.calls)
            if i < 300:
                raw_us.append(raw_sql_ns(operation, value) / 1000)
        count = len(db_us)
        detail = (
            f"{count:,} random {label}s; node rows read per proof: mean "
            f"{sum(rows) / count:.1f}, max {max(rows)} (floor(log2 n) = {n.bit_length() - 1}); "
            f"queries per proof: {max(queries)}; that SQL statement alone on a cursor: "
            f"p50 {percentile(raw_us, 50):,.0f} µs (the hashing is in the baseline too; "
            "the rest is the Python around the query: building the SQL, reading rows, "
            "the proof walk)"
        )
        for q in (50, 99):
            results.append(
                Result(
                    benchmark="proofs",
                    name=f"{label} at {n:,} entries, p{q}",
                    database=ctx.database,
                    unit="µs",
                    value=percentile(db_us, q),
                    baseline_name="InMemoryHashStore",
                    baseline_value=percentile(mem_us, q),
                    higher_is_better=False,
                    detail=detail if q == 50 else "",
                )
            )
    return results


# --------------------------------------------------------------------------
# verify: recompute the whole tree, hashes/s against plain hashlib
# --------------------------------------------------------------------------


def monitor_root(entries: list[bytes]) -> bytes:
    """The monitor's way (``tripartite verify URL``): leaf hash, then the compact range."""
    from tripartite.ledger.merkle import leaf_hash
    from tripartite.ledger.monitor import frontier_append, frontier_root

    frontier: list[bytes] = []
    for size, data in enumerate(entries):
        frontier_append(frontier, size, leaf_hash(data))
    return frontier_root(frontier)


def level_root(entries: list[bytes]) -> bytes:
    """Level by level (``tripartite verify --local``): every complete node, then the root."""
    from tripartite.ledger.merkle import leaf_hash, node_hash
    from tripartite.ledger.monitor import frontier_root

    level = [leaf_hash(data) for data in entries]
    edge: list[bytes] = []  # the right edge's complete subtrees, lowest level first
    while level:
        if len(level) & 1:
            edge.append(level[-1])
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    return frontier_root(edge[::-1])


def bench_verify(ctx: Context) -> list[Result]:
    from tripartite.ledger.merkle import root_hash

    n = int(ctx.pick(1_000_000, 100_000))
    hashes = 2 * n - 1  # n leaf hashes and n - 1 node hashes, whichever the order
    ctx.say(f"verify: {n:,} entries, {hashes:,} hashes")
    entries = [ledger_tree.entry_data(i)[2] for i in range(n)]
    blob = seeded(ctx.seed).randbytes(64 * hashes)
    inputs = [blob[i : i + 64] for i in range(0, len(blob), 64)]
    del blob
    gc.collect()
    gc.freeze()  # the inputs live for the whole benchmark (see bench_proofs)
    expected = root_hash(entries[:1000])  # the RFC reference on a prefix, as a cross-check
    if monitor_root(entries[:1000]) != expected or level_root(entries[:1000]) != expected:
        raise RuntimeError("the recomputed roots differ from the RFC 9162 reference")
    roots: set[bytes] = set()

    def plain_sha256(_: int) -> None:
        sha256 = hashlib.sha256
        for value in inputs:
            sha256(value).digest()

    results = []
    for label, recompute in (
        ("monitor (leaf hash + compact range)", monitor_root),
        ("level by level (verify --local)", level_root),
    ):

        def subject(_: int, recompute: Callable[[list[bytes]], bytes] = recompute) -> None:
            roots.add(recompute(entries))

        rates = alternate(
            subject,
            plain_sha256,
            per_round=hashes,
            budget_s=ctx.pick(20, 4),
            min_rounds=2,
            max_rounds=5,
        )
        results.append(
            Result(
                benchmark="verify",
                name=f"recompute {n:,} entries, {label}",
                database="none",
                unit="hashes/s",
                value=rates.subject,
                baseline_name="hashlib.sha256, 64-byte inputs",
                baseline_value=rates.baseline,
                higher_is_better=True,
                detail=(
                    f"{hashes:,} hashes per round ({n:,} leaves of ~{len(entries[-1])} bytes), "
                    f"{rates.rounds} rounds; {hashes / rates.subject:.2f} s per pass"
                ),
                baseline_detail=f"{hashes:,} hashes per round",
            )
        )
    if len(roots) != 1:
        raise RuntimeError("the two ways of recomputing the tree disagree")
    return results
