"""The open-data exports of a large record, beside a plain CSV dump of as many rows.

The record is the compliance benchmark's world (``bench.compliance._build_member``: 240
members by default, 12 with ``--quick``; about 24,000 record versions), built through the
services in two halves with one random generator, so the full world is the same as the
compliance benchmark's. After each half the exports are run, so every figure exists at
half and at full size: a streaming export keeps the same peak memory at both.

Each export runs in a fresh process (``python -m bench.exports KIND OUT``, the
database given by the environment the harness set), so that its peak RSS is the
export's and not the builder's: ``VmHWM`` of ``/proc/self/status``, reset after
``django.setup()`` (``/proc/self/clear_refs``); not ``getrusage``'s ``ru_maxrss``, which
Linux carries over from the parent through fork and exec. The process times
only the export (after ``django.setup()``) and reports its rows, seconds, RSS before and
peak RSS; a second run of each with ``tracemalloc`` gives the peak of Python allocations
(it slows Python down, so it is not timed).

- ``datapackage``: what ``tripartite export`` runs (``opendata.commands.EXPORTERS
  ["datapackage"]``: ``datapackage.write_directory``), ``datapackage.json`` and one CSV per
  table; rows = data rows of every CSV (headers excluded).
- ``popolo``: ``tripartite export --format popolo`` (``popolo.stream()`` into a file); rows
  = items of its lists.
- *Baseline* ``csv``: ``csv.writer`` over ``RecordVersion.objects.values_list(...)
  .iterator(chunk_size=500)`` (the columns the export reads: type, key, version, SHA-256,
  time, content as one JSON cell), the same number of rows, to one file.

The export and its baseline alternate (A B, then B A) at full size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Context, seeded
from bench.report import Result

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 500


@dataclass
class Run:
    """What one export process reported."""

    kind: str
    rows: int
    seconds: float
    files: int
    size: int
    rss_before_kib: int
    peak_rss_kib: int
    traced_peak: int | None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


# --------------------------------------------------------------------------
# The export process
# --------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start ``VmHWM`` again from the current RSS (Linux: ``clear_refs`` 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def _datapackage(out: Path, limit: int) -> list[Path]:
    from tripartite.opendata.commands import EXPORTERS

    writer, _steps = EXPORTERS["datapackage"]
    return writer(out, lambda name: None)


def _popolo(out: Path, limit: int) -> list[Path]:
    from tripartite.opendata.commands import EXPORTERS

    writer, _steps = EXPORTERS["popolo"]
    return writer(out, lambda name: None)


def _plain_csv(out: Path, limit: int) -> list[Path]:
    from tripartite.core.models import RecordVersion

    out.mkdir(parents=True, exist_ok=True)
    path = out / "versions.csv"
    rows = (
        RecordVersion.objects.order_by("id")
        .values_list("record_type", "record_key", "version", "sha256", "at", "content")[:limit]
        .iterator(chunk_size=CHUNK)
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "version", "sha256", "recorded_at", "content"])
        for record_type, key, version, sha256, at, content in rows:
            writer.writerow(
                [
                    f"{record_type}/{key}",
                    version,
                    sha256,
                    at.isoformat(),
                    json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                ]
            )
    return [path]


EXPORTS = {"datapackage": _datapackage, "popolo": _popolo, "csv": _plain_csv}


def _count_rows(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                rows += sum(1 for _ in csv.reader(handle)) - 1  # the header
        elif path.name == "popolo.json":
            document = json.loads(path.read_bytes())
            rows += sum(len(items) for items in document.values())
    return rows


def worker(argv: list[str]) -> int:
    """``python -m bench.exports KIND OUT [--limit N] [--trace]``: one export, JSON out."""
    parser = argparse.ArgumentParser(prog="python -m bench.exports")
    parser.add_argument("kind", choices=sorted(EXPORTS))
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    export = EXPORTS[args.kind]
    # Not getrusage's ru_maxrss: Linux keeps it across fork and exec, so a fresh process
    # would start with its parent's peak (the builder's).
    _reset_peak()
    rss_before = _status_kib("VmRSS")
    traced_peak = None
    if args.trace:
        import tracemalloc

        tracemalloc.start()
    start = time.perf_counter_ns()
    paths = export(args.out, args.limit)
    seconds = (time.perf_counter_ns() - start) / 1e9
    if args.trace:
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    peak = _status_kib("VmHWM")
    report = {
        "kind": args.kind,
        "rows": _count_rows(paths),
        "seconds": seconds,
        "files": len(paths),
        "size": sum(path.stat().st_size for path in paths),
        "rss_before_kib": rss_before,
        "peak_rss_kib": peak,
        "traced_peak": traced_peak,
    }
    print(json.dumps(report))
    return 0


def _run(ctx: Context, kind: str, *, limit: int = 0, trace: bool = False) -> Run:
    out = ctx.data_dir / f"export-{kind}"
    command = [sys.executable, "-m", "bench.exports", kind, str(out)]
    command += ["--limit", str(limit)] if limit else []
    command += ["--trace"] if trace else []
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    for path in sorted(out.glob("*"), reverse=True):
        path.unlink()
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------


@dataclass
class Size:
    members: int
    versions: int
    runs: dict[str, list[Run]]
    traced: dict[str, Run]

    def rate(self, kind: str) -> float:
        runs = self.runs[kind]
        return sum(r.rows for r in runs) / sum(r.seconds for r in runs)

    def peak_mib(self, kind: str) -> float:
        return max(r.peak_rss_kib for r in self.runs[kind]) / 1024

    def growth_mib(self, kind: str) -> float:
        return max(r.peak_rss_kib - r.rss_before_kib for r in self.runs[kind]) / 1024

    def traced_mib(self, kind: str) -> float:
        return (self.traced[kind].traced_peak or 0) / 2**20


def _build(ctx: Context, first: int, last: int, rng: Any, counts: dict[str, int]) -> None:
    from django.db import connection, transaction

    from bench.compliance import _build_member
    from tripartite.core.actors import system_actor

    actor = system_actor()
    started = time.monotonic()
    for index in range(first, last):
        with transaction.atomic():
            _build_member(actor, index, rng, counts)
        if (index + 1) % 20 == 0:
            ctx.say(f"built {index + 1}/{last} members ({time.monotonic() - started:.0f} s)")
    if connection.vendor == "postgresql":
        # What autovacuum does soon after such a load. Without statistics, the planner
        # (optimising a server-side cursor for its first rows) joins each table's
        # current versions by a nested loop with a join filter: quadratic in the records.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _measure(ctx: Context, members: int, rounds: int) -> Size:
    from tripartite.core.models import RecordVersion

    # A first run of each export warms the caches and gives the row counts.
    exported = _run(ctx, "datapackage").rows
    items = _run(ctx, "popolo").rows
    sides = {
        "datapackage": ("datapackage", 0),
        "csv": ("csv", exported),
        "popolo": ("popolo", 0),
        "csv-popolo": ("csv", items),
    }
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    for pair in (("datapackage", "csv"), ("popolo", "csv-popolo")):
        for number in range(rounds):
            # A B, then B A: a change in the machine's load hits both sides alike.
            for name in pair if number % 2 == 0 else pair[::-1]:
                kind, limit = sides[name]
                runs[name].append(_run(ctx, kind, limit=limit))
    for name, (_kind, limit) in sides.items():
        expected = limit or (exported if name == "datapackage" else items)
        if {run.rows for run in runs[name]} != {expected}:
            raise RuntimeError(f"{name} wrote {runs[name][0].rows} rows, not {expected}")
    traced = {
        "datapackage": _run(ctx, "datapackage", trace=True),
        "csv": _run(ctx, "csv", limit=exported, trace=True),
    }
    return Size(members, RecordVersion.objects.count(), runs, traced)


def bench_exports(ctx: Context) -> list[Result]:
    full = int(ctx.pick(240, 12))
    half = full // 2
    rng = seeded(ctx.seed)
    counts = {"meetings": 0, "minutes": 0, "inputs": 0, "responses": 0}
    rounds = int(ctx.pick(3, 2))
    started = time.monotonic()
    _build(ctx, 0, half, rng, counts)
    built_half = time.monotonic() - started
    ctx.say(f"exports at {half} members")
    small = _measure(ctx, half, rounds)
    started = time.monotonic()
    _build(ctx, half, full, rng, counts)
    built = built_half + time.monotonic() - started
    ctx.say(f"exports at {full} members")
    large = _measure(ctx, full, rounds)
    ctx.notes.append(
        f"exports/{ctx.database}: the compliance world of {full} members ({counts['meetings']:,} "
        f"meetings, {counts['minutes']:,} minutes, {counts['inputs']:,} inputs, "
        f"{counts['responses']:,} responses; {large.versions:,} record versions) built through "
        f"the services in two halves in {built:.0f} s"
        + (", ANALYZE after each half" if ctx.database == "postgresql" else "")
        + "; every export in a fresh process "
        "(peak RSS: VmHWM, reset after django.setup(); Python heap peak: tracemalloc, in a "
        "separate, untimed run)"
    )

    def rows(size: Size, kind: str) -> int:
        return size.runs[kind][0].rows

    package = large.runs["datapackage"][0]
    results = [
        Result(
            benchmark="exports",
            name=f"data package (tripartite export), {full} members, "
            f"{rows(large, 'datapackage'):,} rows",
            database=ctx.database,
            unit="rows/s",
            value=large.rate("datapackage"),
            baseline_name="csv.writer over RecordVersion values_list, same rows",
            baseline_value=large.rate("csv"),
            higher_is_better=True,
            detail=(
                f"{len(large.runs['datapackage'])} runs of "
                f"{package.seconds:,.2f} s ({package.files} files, "
                f"{package.size / 2**20:,.1f} MiB); at {half} members: "
                f"{rows(small, 'datapackage'):,} rows, {small.rate('datapackage'):,.0f} rows/s "
                f"(baseline {small.rate('csv'):,.0f} rows/s)"
            ),
            baseline_detail=(
                f"{len(large.runs['csv'])} runs, "
                f"{large.runs['csv'][0].size / 2**20:,.1f} MiB written"
            ),
        ),
        Result(
            benchmark="exports",
            name=f"data package peak RSS, {rows(large, 'datapackage'):,} rows",
            database=ctx.database,
            unit="MiB",
            value=large.peak_mib("datapackage"),
            baseline_name="csv.writer dump, same rows",
            baseline_value=large.peak_mib("csv"),
            higher_is_better=False,
            detail=(
                f"fresh process; growth during the export {large.growth_mib('datapackage'):,.1f}"
                f" MiB; at {half} members ({rows(small, 'datapackage'):,} rows): peak "
                f"{small.peak_mib('datapackage'):,.1f} MiB, growth "
                f"{small.growth_mib('datapackage'):,.1f} MiB"
            ),
            baseline_detail=(
                f"growth {large.growth_mib('csv'):,.1f} MiB; at {half} members: peak "
                f"{small.peak_mib('csv'):,.1f} MiB, growth {small.growth_mib('csv'):,.1f} MiB"
            ),
        ),
        Result(
            benchmark="exports",
            name=f"data package Python heap peak (tracemalloc), "
            f"{rows(large, 'datapackage'):,} rows",
            database=ctx.database,
            unit="MiB",
            value=large.traced_mib("datapackage"),
            baseline_name="csv.writer dump, same rows",
            baseline_value=large.traced_mib("csv"),
            higher_is_better=False,
            detail=(
                f"at {half} members ({rows(small, 'datapackage'):,} rows): "
                f"{small.traced_mib('datapackage'):,.2f} MiB"
            ),
            baseline_detail=f"at {half} members: {small.traced_mib('csv'):,.2f} MiB",
        ),
        Result(
            benchmark="exports",
            name=f"Popolo JSON (tripartite export --format popolo), {full} members, "
            f"{rows(large, 'popolo'):,} items",
            database=ctx.database,
            unit="rows/s",
            value=large.rate("popolo"),
            baseline_name="csv.writer over RecordVersion values_list, same rows",
            baseline_value=large.rate("csv-popolo"),
            higher_is_better=True,
            detail=(
                f"{len(large.runs['popolo'])} runs of {large.runs['popolo'][0].seconds:,.2f} s "
                f"({large.runs['popolo'][0].size / 2**20:,.1f} MiB), peak RSS "
                f"{large.peak_mib('popolo'):,.1f} MiB (growth {large.growth_mib('popolo'):,.1f} "
                f"MiB; at {half} members: {small.growth_mib('popolo'):,.1f} MiB)"
            ),
            baseline_detail=f"{len(large.runs['csv-popolo'])} runs",
        ),
    ]
    return results


if __name__ == "__main__":
    raise SystemExit(worker(sys.argv[1:]))
