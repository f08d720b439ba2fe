"""The HTTP benchmark's data set: generated once, then reused from ``var/bench-cache/``.

The data set is what ``tripartite generate --scale global --seed 20170523`` writes through
the services (``--quick``: ``--scale national``; ``BENCH_HTTP_SCALE`` overrides, ``demo``
meaning ``tripartite load-demo``). Generating it takes many minutes, so it is kept:

* SQLite: ``var/bench-cache/http-<scale>-<seed>-sqlite-<digest>/`` is the data dir
  ``generate`` wrote (``tripartite.sqlite3``, the log's key, the document blobs); each run
  copies the database file into its throwaway data dir.
* PostgreSQL: ``var/bench-cache/http-<scale>-<seed>-postgresql-<digest>/`` holds the log's
  key, the blobs and ``database.dump`` (``pg_dump -Fc`` of the generated database); each run
  restores it into its throwaway database with ``pg_restore -j 2`` and ``ANALYZE``s it.
  Restoring is much faster than generating (both times are in the notes of the report).

``<digest>`` covers every migration (the schema version): a new or changed migration builds
the data set again (after changing the generator, delete the cache). Both databases use the
cached log key and blobs in place (read only) through ``TRIPARTITE_LOG_KEY_FILE`` and
``TRIPARTITE_BLOB_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Context

#: Bump when the way the data set is built here changes.
BUILD_VERSION = 1
SCALES = ("demo", "small", "national", "global")
PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tripartite"


def scale(ctx: Context) -> str:
    chosen = os.environ.get("BENCH_HTTP_SCALE") or ("national" if ctx.quick else "global")
    if chosen not in SCALES:
        raise ValueError(f"BENCH_HTTP_SCALE={chosen!r}: use one of {', '.join(SCALES)}")
    return chosen


def _digest() -> str:
    """The schema version: a digest of every migration (and of how the set is built here).

    The generator's own code is not in it (it changes more often than the data it writes
    matters to the benchmark): after changing the generator, delete
    ``var/bench-cache/http-*`` or bump ``BUILD_VERSION``."""
    digest = hashlib.sha256(f"build {BUILD_VERSION}".encode())
    for path in sorted(PACKAGE.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_dir(ctx: Context) -> Path:
    """The cached data set for this scale, seed, database and schema."""
    return ctx.cache_dir / f"http-{scale(ctx)}-{ctx.seed}-{ctx.database}-{_digest()}"


def _tripartite(args: list[str], data_dir: Path, database_url: str | None) -> None:
    """Run the console script as an operator would, on ``data_dir`` (and ``database_url``)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TRIPARTITE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tripartite.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    script = Path(sys.executable).parent / "tripartite"
    subprocess.run([str(script), *args], env=env, check=True)  # noqa: S603


def _generate(ctx: Context, data_dir: Path, database_url: str | None) -> float:
    """Generate the data set into ``data_dir`` (and ``database_url``); seconds taken."""
    started = time.monotonic()
    _tripartite(["manage", "migrate", "--noinput", "--verbosity", "0"], data_dir, database_url)
    chosen = scale(ctx)
    if chosen == "demo":
        _tripartite(["load-demo"], data_dir, database_url)
    else:
        command = ["generate", "--scale", chosen, "--seed", str(ctx.seed)]
        _tripartite(command, data_dir, database_url)
    return time.monotonic() - started


def _publish(partial: Path, cached: Path, facts: dict[str, object]) -> None:
    (partial / "build.json").write_text(json.dumps(facts))
    partial.replace(cached)
    prefix = cached.name.rsplit("-", 1)[0] + "-"
    for stale in cached.parent.glob(prefix + "*"):
        if stale != cached and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _fresh_partial(cached: Path) -> Path:
    partial = cached.with_name(cached.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    return partial


def _sqlite(ctx: Context, sqlite_path: Path) -> str:
    cached = cache_dir(ctx)
    how = f"copied from `var/bench-cache/{cached.name}`"
    if not cached.exists():
        partial = _fresh_partial(cached)
        ctx.say(f"generating the {scale(ctx)} data set (once; cached for later runs)")
        seconds = _generate(ctx, partial, None)
        # Fold the write-ahead log into the file, so that one file is the whole database.
        with sqlite3.connect(partial / "tripartite.sqlite3") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _publish(partial, cached, {"generate_seconds": seconds})
        how = f"generated in {seconds:.0f} s and cached as `var/bench-cache/{cached.name}`"
    started = time.monotonic()
    shutil.copyfile(cached / "tripartite.sqlite3", sqlite_path)
    size = sqlite_path.stat().st_size / 1e6
    return f"{how}; {size:,.0f} MB copied in {time.monotonic() - started:.0f} s"


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found (Debian: apt-get install -y postgresql-client)")
    return found


def _postgres(ctx: Context, database_url: str) -> str:
    cached = cache_dir(ctx)
    dump = cached / "database.dump"
    if not dump.exists():
        partial = _fresh_partial(cached)
        ctx.say(f"generating the {scale(ctx)} data set on PostgreSQL (once; dumped for later)")
        seconds = _generate(ctx, partial, database_url)
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [
                _program("pg_dump"),
                "--format=custom",
                f"--file={partial / 'database.dump'}",
                database_url,
            ],
            check=True,
        )
        dumped = time.monotonic() - started
        _publish(partial, cached, {"generate_seconds": seconds, "dump_seconds": dumped})
        return (
            f"generated in {seconds:.0f} s, dumped in {dumped:.0f} s to "
            f"`var/bench-cache/{cached.name}/database.dump` (later runs restore it)"
        )
    facts = json.loads((cached / "build.json").read_text())
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [
            _program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--jobs=2",
            f"--dbname={database_url}",
            str(dump),
        ],
        check=True,
    )
    restored = time.monotonic() - started
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return (
        f"restored from `var/bench-cache/{cached.name}/database.dump` in {restored:.0f} s "
        f"(ANALYZE included: {time.monotonic() - started:.0f} s); generating it took "
        f"{facts['generate_seconds']:.0f} s"
    )


def before_setup(ctx: Context) -> None:
    """Put the data set into this run's database; point the log key and blobs at the cache."""
    if shutil.which("wrk") is None:
        # Before generating anything: without wrk there is nothing to measure.
        raise RuntimeError("the http benchmark needs wrk: apt-get install -y wrk")
    if ctx.database == "sqlite":
        if ctx.sqlite_path is None:
            raise RuntimeError("the SQLite run has no database path")
        how = _sqlite(ctx, ctx.sqlite_path)
    else:
        how = _postgres(ctx, os.environ["DATABASE_URL"])
    cached = cache_dir(ctx)
    os.environ["TRIPARTITE_LOG_KEY_FILE"] = str(cached / "log_key")
    os.environ["TRIPARTITE_BLOB_DIR"] = str(cached / "blobs")
    ctx.notes.append(f"http/{ctx.database}: {scale(ctx)} data set (seed {ctx.seed}) {how}")
