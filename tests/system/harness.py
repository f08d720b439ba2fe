"""Real processes for the system tests: ``tripartite serve`` and ``tripartite worker`` on a
throwaway SQLite or PostgreSQL database, killed with SIGKILL and started again.

A ``Site`` is one data directory and one database, shared by every server and worker it
starts (they must share the log's key, the blob store and the mail directory, as the
processes of one installation do). Each process runs in a session of its own, so that
SIGKILL to its process group takes gunicorn's master and workers down together, the way
a power cut or the OOM killer would.

Everything listens on 127.0.0.1 only. The checks read the database with plain SQL and
recompute the log with the framework-free ``tripartite.ledger.merkle``: they do not trust
the code under test to report on itself.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tripartite.ledger.merkle import (
    consistency_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
)

PG_ADMIN_URL = os.environ.get(
    "TRIPARTITE_TEST_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres"
)
WRITER_EMAIL = "writer@example.org"
MEMBER_KEY = "xx"
FORUM_KEY = "xx-forum"
# How often the worker signs a checkpoint when the log grew (seconds): short, so that
# every round of a test ends with several checkpoints to compare.
CHECKPOINT_INTERVAL = "0.5"


# --------------------------------------------------------------------------- databases


def postgresql_unreachable_reason() -> str | None:
    """Why PostgreSQL cannot be used for a test, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL is unreachable at {PG_ADMIN_URL}: {error}".strip()
    return None


@dataclass
class Database:
    """A throwaway database: its URL for the site, and how to read it with plain SQL."""

    url: str
    vendor: str  # "sqlite" or "postgresql"
    path: Path | None = None  # SQLite only
    name: str = ""  # PostgreSQL only

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.vendor == "sqlite":
            assert self.path is not None
            reader = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return reader.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                reader.close()
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as connection:
            return [tuple(row) for row in connection.execute(sql, params).fetchall()]

    def drop(self) -> None:
        if self.vendor != "postgresql":
            return
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def sqlite_database(directory: Path) -> Database:
    path = directory / "site.sqlite3"
    return Database(url=f"sqlite:///{path}", vendor="sqlite", path=path)


_counter = iter(range(1_000_000))


def postgresql_database() -> Database:
    """A new empty database ``helpere_<pid>_<n>`` on the local PostgreSQL."""
    import psycopg

    name = f"helpere_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return Database(url=f"{base}/{name}", vendor="postgresql", name=name)


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """One server or worker: a subprocess leading its own process group."""

    role: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    port: int | None = None

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group (gunicorn's master and its workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def rss_kib(self) -> int:
        """Resident memory of the process group's members (KiB), from /proc."""
        total = 0
        for pid in _group_members(self.popen.pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            # Fields after the command name (in parentheses, may hold spaces): state ppid pgrp
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                members.append(int(entry.name))
    return members


class Site:
    """One installation: a data dir and a database, and the processes started on them."""

    def __init__(self, root: Path, database: Database, **environment: str) -> None:
        self.root = root
        self.database = database
        self.data_dir = root / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.processes: list[Process] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tripartite.settings",
            "DATABASE_URL": database.url,
            "TRIPARTITE_DATA_DIR": str(self.data_dir),
            "TRIPARTITE_SECRET_KEY": secrets.token_urlsafe(50),
            "TRIPARTITE_DEBUG": "0",
            "TRIPARTITE_SSL_REDIRECT": "0",
            "TRIPARTITE_SECURE_COOKIES": "0",
            "TRIPARTITE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRIPARTITE_LOG_CHECKPOINT_INTERVAL": CHECKPOINT_INTERVAL,
            "TRIPARTITE_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **environment,
        }
        # The test process's own settings must not leak into the site's.
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self._logs = 0

    # -- the console script

    def command(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """``tripartite ARGS…`` with this site's environment, to completion."""
        return subprocess.run(
            [sys.executable, "-m", "tripartite.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, code: str, timeout: float = 180) -> str:
        """Run ``code`` in a Django shell of this site; its standard output."""
        done = self.command("manage", "shell", "-c", code, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"shell failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def migrate(self) -> None:
        """Migrate and collect static files once; servers then start without either, as
        several app servers do in production (docs/deployment.md)."""
        for step in ("migrate", "collectstatic"):
            done = self.command("manage", step, "--noinput", "--verbosity", "0")
            assert done.returncode == 0, done.stderr

    def set_up_writer(self) -> str:
        """A member, an account that may register its letters, and an API token for it
        (printed by ``tripartite tokens create``, as an operator would make one)."""
        self.python(SET_UP_WRITER)
        done = self.command("tokens", "create", WRITER_EMAIL, "--name", "system-test")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    # -- processes

    def _start(self, role: str, args: list[str], port: int | None = None) -> Process:
        self._logs += 1
        log_path = self.root / f"{role}-{self._logs}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                [sys.executable, "-m", "tripartite.cli", *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(role, popen, log_path, port)
        self.processes.append(process)
        return process

    def start_server(self, port: int | None = None, workers: int = 2) -> Process:
        port = port or free_port()
        process = self._start(
            "server",
            [
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--no-migrate",
                "--no-collect-static",
            ],
            port,
        )
        self.wait_ready(process)
        return process

    def start_worker(self) -> Process:
        return self._start("worker", ["worker"])

    def wait_ready(self, server: Process, timeout: float = 90) -> None:
        assert server.port is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not server.alive():
                raise RuntimeError(f"the server died:\n{server.log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(server.port, "GET", "/api/v1/letters?limit=1")[0] == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the server is not ready:\n{server.log_path.read_text()[-3000:]}")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.alive():
                process.kill()
        self.processes = [p for p in self.processes if p.alive()]

    def restart(self, process: Process) -> Process:
        """Start a process of the same role (a server on the same port) after its kill."""
        self.processes.remove(process)
        if process.role == "server":
            return self.start_server(process.port)
        return self.start_worker()

    def verify_local(self) -> subprocess.CompletedProcess[str]:
        return self.command("verify", "--local")


SET_UP_WRITER = f"""
from django.contrib.auth import get_user_model
from tripartite.accounts.joint_services import grant_role_at_setup
from tripartite.accounts.roles import Role
from tripartite.core.actors import system_actor
from tripartite.forums import services
from tripartite.ledger.keys import log_signer

import datetime as dt
member = services.create_member(
    system_actor(), key={MEMBER_KEY!r}, name="Exampleland", kind="country", iso2="XX"
)
services.create_forum(
    system_actor(), key={FORUM_KEY!r}, member=member, name="Example Forum",
    established_on=dt.date(2015, 1, 1),
)
writer = get_user_model().objects.create_user(username="writer", email={WRITER_EMAIL!r})
grant_role_at_setup(system_actor(), user=writer, role=Role.SUPPORT_UNIT)
log_signer()  # the log key, made once here rather than raced for by several workers
"""


# --------------------------------------------------------------------------- HTTP


def request(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request on loopback: status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def letter_payload(reference: str) -> dict[str, Any]:
    return {
        "reference": reference,
        "direction": "outbound",
        "letter_type": "other",
        "subject": f"System test letter {reference}",
        "sent_on": "2017-06-01",
        "member": MEMBER_KEY,
        "forum": FORUM_KEY,  # followers of the forum are told of its letters
    }


@dataclass
class WriteTally:
    """What the writers sent and what the servers answered."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # reference -> public id
    attempted: int = 0
    refused: int = 0  # no answer: the server was down or died mid-request
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, status: int | None, reference: str, body: bytes) -> None:
        with self.lock:
            self.attempted += 1
            if status is None:
                self.refused += 1
                return
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 201:
                self.acknowledged[reference] = json.loads(body)["id"]


class Writers:
    """Client threads registering letters through the API until stopped; each write has a
    unique reference, so whatever was acknowledged can be looked up afterwards."""

    def __init__(self, ports: list[int], token: str, threads: int = 3, prefix: str = "W") -> None:
        self.ports = ports
        self.token = token
        self.tally = WriteTally()
        self.stop_event = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(f"{prefix}{n}",), daemon=True)
            for n in range(threads)
        ]

    def _write(self, name: str) -> None:
        sequence = 0
        while not self.stop_event.is_set():
            sequence += 1
            reference = f"{name}-{sequence:05d}"
            port = self.ports[sequence % len(self.ports)]
            try:
                status, _headers, body = request(
                    port, "POST", "/api/v1/letters", letter_payload(reference), self.token
                )
            except (OSError, http.client.HTTPException):
                self.tally.note(None, reference, b"")
                time.sleep(0.2)  # the server is down: do not spin
                continue
            self.tally.note(status, reference, body)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=60)


# --------------------------------------------------------------------------- checks


@dataclass
class LogState:
    head_size: int
    head_root: bytes
    indices: list[int]
    leaf_hashes: list[bytes]
    entry_problems: list[str]
    checkpoints: list[tuple[int, int, bytes]]  # (id, size, root) in (size, id) order


def read_log(database: Database) -> LogState:
    head = database.query("SELECT size, root FROM ledger_treehead")
    entries = database.query(
        'SELECT "index", data, leaf_hash FROM ledger_logentry ORDER BY "index"'
    )
    problems = [
        f"entry {index}: stored leaf hash is not the hash of its bytes"
        for index, data, stored in entries
        if leaf_hash(bytes(data)) != bytes(stored)
    ]
    checkpoints = database.query("SELECT id, size, root FROM ledger_checkpoint ORDER BY size, id")
    return LogState(
        head_size=int(head[0][0]) if head else 0,
        head_root=bytes(head[0][1]) if head else b"",
        indices=[int(row[0]) for row in entries],
        leaf_hashes=[bytes(row[2]) for row in entries],
        entry_problems=problems,
        checkpoints=[(int(i), int(s), bytes(r)) for i, s, r in checkpoints],
    )


def log_problems(state: LogState) -> list[str]:
    """Gaps, forks and inconsistent checkpoints, recomputed from the stored entries."""
    problems = list(state.entry_problems)
    if state.indices != list(range(len(state.indices))):
        problems.append("entry indices are not dense 0..n-1 (a gap or a duplicate)")
    if state.head_size != len(state.indices):
        problems.append(f"head size {state.head_size} but {len(state.indices)} entries")
    hashes = state.leaf_hashes
    if hashes and root_from_leaf_hashes(hashes) != state.head_root:
        problems.append("the head's root is not the root of the stored entries")
    previous: tuple[int, bytes] | None = None
    for checkpoint_id, size, root in state.checkpoints:
        if size > len(hashes):
            problems.append(f"checkpoint #{checkpoint_id} of size {size} is beyond the log")
            continue
        if root_from_leaf_hashes(hashes[:size]) != root:
            problems.append(f"checkpoint #{checkpoint_id}: root differs from the entries'")
        if previous is not None and previous[0] > 0:
            old_size, old_root = previous
            proof = (
                consistency_proof_from_leaf_hashes(hashes[:size], old_size)
                if old_size < size
                else []
            )
            if not verify_consistency(old_size, size, proof, old_root, root):
                problems.append(
                    f"checkpoint #{checkpoint_id} ({size}) is not consistent with {old_size}"
                )
        previous = (size, root)
    return problems


def missing_letters(database: Database, references: list[str]) -> list[str]:
    """The references among ``references`` that have no letter row."""
    found: set[str] = set()
    for start in range(0, len(references), 500):
        chunk = references[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        rows = database.query(
            f"SELECT reference FROM forums_letter WHERE reference IN ({marks})",
            tuple(chunk),
        )
        found |= {row[0] for row in rows}
    return [reference for reference in references if reference not in found]


def wait_for_checkpoint_of_head(database: Database, timeout: float = 30) -> int:
    """Wait until a checkpoint covers the whole log; its size."""
    deadline = time.monotonic() + timeout
    while True:
        head = database.query("SELECT size FROM ledger_treehead")
        size = int(head[0][0]) if head else 0
        newest = database.query("SELECT MAX(size) FROM ledger_checkpoint")[0][0]
        if size and newest == size:
            return size
        if time.monotonic() > deadline:
            raise AssertionError(f"no checkpoint of the head (size {size}; newest {newest})")
        time.sleep(0.2)


@contextlib.contextmanager
def site_on(vendor: str, root: Path, **environment: str) -> Iterator[Site]:
    """A migrated site on a throwaway database of ``vendor``; everything is killed and the
    PostgreSQL database dropped afterwards."""
    database = sqlite_database(root) if vendor == "sqlite" else postgresql_database()
    site = Site(root, database, **environment)
    try:
        site.migrate()
        yield site
    finally:
        site.stop_all()
        database.drop()
