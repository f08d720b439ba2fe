"""Concurrent writers in several OS processes, each writing records through the services:
the log's indices run 0..n-1 with no gap and no duplicate, and the stored tree's root equals
the root recomputed from the entries (no fork).

Runs against a file-based SQLite database in a temporary directory, and against a fresh
PostgreSQL database when the suite itself runs on PostgreSQL (``DATABASE_URL``).  Every
process is a separate Python interpreter with its own Django and its own connection.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

WRITERS = 4
RECORDS_PER_WRITER = 12  # each record is written twice (create + update): 96 entries in all

PRELUDE = """
import os, sys, json, time, pathlib
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripartite.settings")
import django
django.setup()
"""

SETUP = (
    PRELUDE
    + """
from django.core.management import call_command
from tripartite.core.actors import system_actor
call_command("migrate", verbosity=0, interactive=False)
system_actor()
"""
)

WRITER = (
    PRELUDE
    + """
from tripartite.core.actors import system_actor
from tripartite.forums import services
name, count, folder = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
actor = system_actor()
(folder / f"ready-{name}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
for i in range(count):
    member = services.create_member(actor, key=f"{name}-{i}", name=f"Land {name} {i}",
                                    kind="country")
    services.update_record(actor, member, changes={"name": f"Land {name} {i}, renamed"})
"""
)

CHECK = (
    PRELUDE
    + """
from tripartite.core.models import RecordVersion
from tripartite.ledger import integrity, merkle
from tripartite.ledger.models import LogEntry
from tripartite.ledger.storage import DatabaseHashReader, read_head
rows = list(LogEntry.objects.order_by("index").values_list("index", "data", "record_version"))
size, root = read_head()
print(json.dumps({
    "indices": [r[0] for r in rows],
    "versions": RecordVersion.objects.count(),
    "logged_versions": len({r[2] for r in rows}),
    "size": size,
    "head_root": root.hex(),
    "stored_root": merkle.root_at(size, DatabaseHashReader()).hex(),
    "reference_root": merkle.root_hash([bytes(r[1]) for r in rows]).hex(),
    "problems": [str(p) for p in integrity.verify_local()],
}))
"""
)


def run_script(code: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def race(env: dict[str, str], folder: Path) -> None:
    """Start the writers, release them together once all are ready, wait for all."""
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{n}", str(RECORDS_PER_WRITER), str(folder)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    try:
        while len(list(folder.glob("ready-*"))) < WRITERS:
            failed = [w for w in writers if w.poll() is not None]
            assert not failed, failed[0].communicate()[1]
            time.sleep(0.01)
        (folder / "go").touch()
        for writer in writers:
            _out, err = writer.communicate()
            assert writer.returncode == 0, err
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        TRIPARTITE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="tripartite.settings",
    )
    return env


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A throwaway database on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    params: dict[str, Any] = connection.settings_dict
    server = {
        "host": params.get("HOST") or "localhost",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
    }
    name = f"tripartite_ledger_race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(server["user"])
    if server["password"]:
        credentials += ":" + quote(server["password"])
    try:
        yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


DATABASES = ["sqlite"] + (["postgresql"] if connection.vendor == "postgresql" else [])


@pytest.mark.parametrize("database", DATABASES)
def test_concurrent_writers_get_dense_unique_indices_and_one_tree(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{database}_url")
    env = base_env(tmp_path, url)
    run_script(SETUP, env)
    race(env, tmp_path)
    report = json.loads(run_script(CHECK, env))

    total = WRITERS * RECORDS_PER_WRITER * 2
    assert report["indices"] == list(range(total))  # no gap, no duplicate
    assert report["size"] == total
    assert report["versions"] == report["logged_versions"] == total  # one entry per version
    assert report["head_root"] == report["stored_root"] == report["reference_root"]
    assert report["problems"] == []


def test_the_file_database_refuses_raw_sql_from_another_program(tmp_path: Path) -> None:
    """Outside the application (here Python's own sqlite3 module) the guards hold too."""
    path = tmp_path / "concurrency.sqlite3"
    env = base_env(tmp_path, f"sqlite:///{path}")
    run_script(SETUP, env)
    run_script(
        PRELUDE
        + "from tripartite.forums.tests import factories\n"
        + "factories.member(key='xx')\n",
        env,
    )
    with sqlite3.connect(path) as db:
        for sql in (
            "UPDATE core_recordversion SET sha256 = 'forged'",
            "UPDATE ledger_logentry SET data = x'00'",
            "DELETE FROM ledger_logentry",
            "DELETE FROM core_recordversion",
            "DELETE FROM ledger_treenode",
        ):
            with pytest.raises(sqlite3.DatabaseError):
                db.execute(sql)
        assert db.execute("SELECT count(*) FROM ledger_logentry").fetchone() == (1,)
