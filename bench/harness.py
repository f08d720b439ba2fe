"""``python -m bench``: runs the benchmarks, prints the table, writes docs/BENCHMARKS.md.

The parent process never imports Django.  For every selected benchmark and database it
makes a throwaway data dir under one temporary folder (and, on PostgreSQL, a throwaway
database ``bench_<pid>_<name>``, dropped afterwards), then runs the benchmark in a child
process (``python -m bench --child NAME``) configured through the environment
(``TRIPARTITE_DATA_DIR``, ``DATABASE_URL``, ``DJANGO_SETTINGS_MODULE``), which runs
``django.setup()`` and ``migrate`` and writes its results as JSON.  A child that
overruns its time limit is killed and reported as a failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_SEED, Context
from bench.report import (
    DATABASE_LABELS,
    Result,
    RunInfo,
    carry_over,
    markdown,
    previous_run,
    text_table,
)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "BENCHMARKS.md"
CACHE_DIR = ROOT / "var" / "bench-cache"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Spec:
    """A benchmark: ``function(ctx) -> list[Result]``, given as ``module:name``."""

    name: str
    function: str
    needs_database: bool
    #: Seconds before the child is killed: (default run, --quick).
    timeout: tuple[int, int]
    #: Runs in the child before ``django.setup()`` (e.g. to copy a cached database).
    before_setup: str | None = None


SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec("append", "bench.ledger:bench_append", True, (300, 90)),
        Spec(
            "proofs",
            "bench.ledger:bench_proofs",
            True,
            (1200, 300),
            before_setup="bench.ledger_tree:before_setup",
        ),
        Spec("verify", "bench.ledger:bench_verify", False, (300, 90)),
        Spec(
            "pages",
            "bench.pages:bench_plan_pages",
            True,
            (600, 120),
            before_setup="bench.pages:before_setup",
        ),
        Spec("compliance", "bench.compliance:bench_compliance", True, (600, 150)),
        Spec("exports", "bench.exports:bench_exports", True, (900, 200)),
        Spec(
            "search",
            "bench.search:bench_search",
            True,
            (1200, 240),
            before_setup="bench.search:before_setup",
        ),
        # Records per second of batched services and of `tripartite generate` (issue 9).
        Spec("generate", "bench.generate:bench_generate", True, (1800, 600)),
        # Builds (or restores from var/bench-cache/) the generated data set first: the
        # default timeout leaves room for generating the global data set once.
        Spec(
            "http",
            "bench.http:bench_http",
            True,
            (7200, 1800),
            before_setup="bench.http_data:before_setup",
        ),
    )
}


def _resolve(dotted: str) -> Callable[[Context], Any]:
    module, _, name = dotted.partition(":")
    func: Callable[[Context], Any] = getattr(importlib.import_module(module), name)
    return func


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Tripartite's benchmarks, each beside a baseline measured in the same run.",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and budgets")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(SPECS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(SPECS)}",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also run on PostgreSQL (BENCH_DATABASE_URL, default " + DEFAULT_POSTGRES + ")",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of all inputs")
    parser.add_argument(
        "--no-report", action="store_true", help="print the table, leave docs/BENCHMARKS.md"
    )
    # Internal: one benchmark in a child process.
    parser.add_argument("--child", choices=sorted(SPECS), help=argparse.SUPPRESS)
    parser.add_argument("--database", default="none", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-path", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.child:
        return _child(args)
    return _parent(args, argv)


# --------------------------------------------------------------------------
# The child: one benchmark on one database
# --------------------------------------------------------------------------


def _child(args: argparse.Namespace) -> int:
    spec = SPECS[args.child]
    ctx = Context(
        name=spec.name,
        quick=args.quick,
        seed=args.seed,
        database=args.database,
        data_dir=Path(os.environ["TRIPARTITE_DATA_DIR"]),
        cache_dir=CACHE_DIR,
        sqlite_path=Path(args.sqlite_path) if args.sqlite_path else None,
    )
    started = time.monotonic()
    if spec.before_setup:
        _resolve(spec.before_setup)(ctx)
    if spec.needs_database:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
    results: list[Result] = _resolve(spec.function)(ctx)
    payload = {
        "results": [r.to_json() for r in results],
        "notes": ctx.notes,
        "seconds": time.monotonic() - started,
    }
    Path(args.result_file).write_text(json.dumps(payload))
    return 0


# --------------------------------------------------------------------------
# The parent: databases, children, report
# --------------------------------------------------------------------------


def _postgres_server() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _postgres_version() -> str:
    import psycopg

    with psycopg.connect(_postgres_server(), autocommit=True) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


@contextmanager
def _throwaway_postgres(name: str) -> Iterator[str]:
    """A new, empty database on the server; dropped when the block ends."""
    import psycopg
    from psycopg import sql

    server = _postgres_server()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def _database(database: str, name: str, data_dir: Path) -> Iterator[tuple[str | None, Path | None]]:
    """(DATABASE_URL, SQLite file) for one child."""
    if database == "sqlite":
        path = data_dir / "bench.sqlite3"
        yield f"sqlite:///{path}", path
    elif database == "postgresql":
        with _throwaway_postgres(f"bench_{os.getpid()}_{name}") as url:
            yield url, None
    else:
        yield None, None


def _run_child(
    spec: Spec, database: str, args: argparse.Namespace, tmp: Path
) -> tuple[list[Result], list[str]]:
    label = f"{spec.name}-{database}"
    data_dir = tmp / label
    data_dir.mkdir()
    result_file = tmp / f"{label}.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TRIPARTITE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="tripartite.settings",
        PYTHONUNBUFFERED="1",
        # Production settings (DEBUG off) over plain HTTP on loopback: no redirect to
        # HTTPS and no Secure-only cookies, or the pages measured would be redirects.
        TRIPARTITE_SSL_REDIRECT="0",
        TRIPARTITE_SECURE_COOKIES="0",
    )
    command = [sys.executable, "-m", "bench", "--child", spec.name, "--database", database]
    command += ["--result-file", str(result_file), "--seed", str(args.seed)]
    command += ["--quick"] if args.quick else []
    timeout = spec.timeout[1] if args.quick else spec.timeout[0]
    with _database(database, spec.name, data_dir) as (url, sqlite_path):
        if url:
            env["DATABASE_URL"] = url
        if sqlite_path:
            command += ["--sqlite-path", str(sqlite_path)]
        subprocess.run(command, env=env, cwd=ROOT, timeout=timeout, check=True)  # noqa: S603
    payload = json.loads(result_file.read_text())
    notes = list(payload["notes"])
    notes.append(
        f"{spec.name}/{database}: {payload['seconds']:.0f} s in its process, set-up included"
    )
    return [Result.from_json(r) for r in payload["results"]], notes


def _command(argv: list[str]) -> str:
    # Variables that change what is measured are part of the command to repeat it.
    env = "".join(
        f"{name}={shlex.quote(os.environ[name])} "
        for name in ("BENCH_HTTP_SCALE",)
        if os.environ.get(name)
    )
    if os.environ.get("MAKELEVEL"):
        args = f" BENCH_ARGS={shlex.quote(shlex.join(argv))}" if argv else ""
        return env + "make bench" + args
    return env + shlex.join(["python", "-m", "bench", *argv])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what nproc prints
    except AttributeError:
        return os.cpu_count() or 1


def _parent(args: argparse.Namespace, argv: list[str]) -> int:
    import django

    started = time.monotonic()
    load_start = os.getloadavg()
    databases = ["sqlite"]
    postgres_version = "not run (pass --postgres or BENCH_DATABASE_URL)"
    failures: list[str] = []
    if args.postgres or os.environ.get("BENCH_DATABASE_URL"):
        try:
            postgres_version = _postgres_version()
            databases.append("postgresql")
        except Exception as error:  # unreachable server: report it, run SQLite anyway
            postgres_version = "unreachable"
            failures.append(f"PostgreSQL at {_postgres_server()}: {error}")
    specs = [SPECS[name] for name in SPECS if not args.only or name in args.only]
    results: list[Result] = []
    notes: list[str] = []
    spec_notes: list[tuple[str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="tripartite-bench-"))
    try:
        for spec in specs:
            for database in databases if spec.needs_database else ["none"]:
                where = DATABASE_LABELS[database]
                print(f"[bench] {spec.name} ({where})", file=sys.stderr, flush=True)
                try:
                    found, said = _run_child(spec, database, args, tmp)
                except subprocess.TimeoutExpired as error:
                    failures.append(f"{spec.name} ({where}): killed after {error.timeout:.0f} s")
                except (subprocess.CalledProcessError, OSError, ValueError) as error:
                    failures.append(f"{spec.name} ({where}): {error}")
                else:
                    results += found
                    notes += said
                    spec_notes += [(spec.name, note) for note in said]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    info = RunInfo(
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command=_command(argv),
        cpus=_cpus(),
        cpu_model=_cpu_model(),
        memory=_memory(),
        system=platform.platform(),
        python=platform.python_version(),
        django=django.get_version(),
        sqlite=sqlite3.sqlite_version,
        postgresql=postgres_version,
        load_start=load_start,
        load_end=os.getloadavg(),
        seconds=time.monotonic() - started,
        seed=args.seed,
        quick=args.quick,
        notes=notes,
        failures=failures,
        spec_notes=spec_notes,
    )
    print(text_table(results))
    for note in notes:
        print(f"  note: {note}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    print(f"[bench] {info.command}: {info.seconds:.0f} s", file=sys.stderr)
    if results and not args.no_report:
        _write_report(info, results)
    return 1 if failures else 0


def _write_report(info: RunInfo, results: list[Result]) -> None:
    """docs/BENCHMARKS.md: this run's rows, and the previous file's rows of every
    (benchmark, database) this run did not measure, marked with their run's date."""
    previous, previous_notes = previous_run(REPORT.read_text()) if REPORT.exists() else ([], [])
    measured = {(r.benchmark, r.database) for r in results}
    rows, carried_notes = carry_over(previous, previous_notes, results, measured, list(SPECS))
    REPORT.write_text(markdown(info, rows, carried_notes))
    carried = len(rows) - len(results)
    print(
        f"[bench] wrote {REPORT.relative_to(ROOT)}"
        + (f" ({carried} rows carried over from earlier runs)" if carried else ""),
        file=sys.stderr,
    )
