"""``tripartite generate`` and batched writes (issue 9): records per second into the
database with validation, versions and the log on, against plain ``bulk_create`` of the
same rows (no validation, no versions, no log) measured in the same run.

Two rows:

* **batch service**: progress reports through ``plans.batch_services.report_progress_many``
  in ``core.recording.batch`` (2,000 a call: what ``generate`` and importers do), against
  ``ProgressReport.objects.bulk_create`` of equal rows, in alternating rounds.
* **generate**: one whole ``generate`` run (national scale; small with ``--quick``), log
  entries per second, against the plain ``bulk_create`` rate of the first row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

from bench.common import Context, alternate, seeded
from bench.report import Result

TARGET = "≥ 5,000 records/s"


def bench_generate(ctx: Context) -> list[Result]:
    from django.db import transaction

    from tripartite.core.actors import system_actor
    from tripartite.core.recording import batch
    from tripartite.demo.generate import CHUNK, generate
    from tripartite.demo.generate_scales import SCALES
    from tripartite.forums import services as forum_services
    from tripartite.ledger.storage import read_head
    from tripartite.plans import batch_services, services
    from tripartite.plans.models import ProgressReport

    actor = system_actor()
    rng = seeded(ctx.seed)
    member = forum_services.create_member(actor, key="zz", name="Benchland", kind="country")
    plan = services.create_plan(
        actor,
        key="zz-1",
        member=member,
        number=1,
        title="Bench plan",
        start_on=dt.date(2020, 7, 1),
        end_on=dt.date(2022, 6, 30),
    )
    commitment = services.add_commitment(actor, key="ZZ0001", plan=plan, title="Bench")
    serial = itertools.count()

    def fields(prefix: str) -> dict[str, Any]:
        return {
            "key": f"{prefix}-{next(serial):08d}",
            "commitment": commitment,
            "party": rng.choice(("government", "civil_society", "oversight_body")),
            "reported_on": dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 500)),
            "completion": rng.choice(("limited", "substantial", "complete")),
            "text": "The forum reviewed the progress of the commitment. " * rng.randint(1, 4),
            "language": "en",
        }

    def logged(count: int) -> None:
        for start in range(0, count, CHUNK):
            items = [fields("logged") for _ in range(min(CHUNK, count - start))]
            with batch():
                batch_services.report_progress_many(actor, plan=plan, items=items)

    def plain(count: int) -> None:
        for start in range(0, count, CHUNK):
            rows = [
                ProgressReport(version=1, **fields("plain"))
                for _ in range(min(CHUNK, count - start))
            ]
            with transaction.atomic():
                ProgressReport.objects.bulk_create(rows)

    logged(CHUNK)  # warm-up: connection, caches, code paths
    plain(CHUNK)
    ctx.say("batch service against bulk_create")
    per_round = int(ctx.pick(10_000, 4_000))
    rates = alternate(logged, plain, per_round=per_round, budget_s=ctx.pick(60, 10))
    results = [
        Result(
            benchmark="generate",
            name="report_progress_many in recording.batch (validated, versioned, logged)",
            database=ctx.database,
            unit="records/s",
            value=rates.subject,
            baseline_name="ProgressReport.objects.bulk_create",
            baseline_value=rates.baseline,
            higher_is_better=True,
            detail=f"{rates.subject_ops:,} records in {rates.rounds} rounds of {per_round:,}, "
            f"{CHUNK:,} a call; log size {read_head()[0]:,} after",
            baseline_detail=f"{rates.baseline_ops:,} rows",
            target=TARGET,
            met=rates.subject >= 5000,
        )
    ]

    scale = "small" if ctx.quick else "national"
    ctx.say(f"generate --scale {scale}")
    before = read_head()[0]
    started = time.perf_counter()
    figures = generate(scale, seed=ctx.seed, force=True)
    seconds = time.perf_counter() - started
    results.append(
        Result(
            benchmark="generate",
            name=f"generate --scale {scale} (log entries/s, everything on)",
            database=ctx.database,
            unit="entries/s",
            value=figures.entries / seconds,
            baseline_name="ProgressReport.objects.bulk_create (row above)",
            baseline_value=rates.baseline,
            higher_is_better=True,
            detail=f"{figures.records:,} records, {read_head()[0] - before:,} log entries "
            f"(planned {SCALES[scale].versions:,}) in {seconds:.1f} s, documents' files "
            "stored and search index written",
            target=TARGET,
            met=figures.entries / seconds >= 5000,
        )
    )
    return results
