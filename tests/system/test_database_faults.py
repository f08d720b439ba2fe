"""Database faults against the production server: a clear 503 with Retry-After, nothing
half-written, and the service back by itself once the fault is gone.

* SQLite locked: this test holds the database file's write lock (``BEGIN IMMEDIATE`` from
  its own connection) for longer than the server's ``busy_timeout``.
* PostgreSQL unreachable: the server reaches PostgreSQL through a TCP relay in this test;
  the relay is shut (listener closed, open connections cut), then opened again.
* Storage full: the kernel refuses the server's file writes (``RLIMIT_FSIZE`` set to 0 on
  its running processes with ``prlimit``, as an unprivileged user may). That is a write
  refused at the OS boundary (EFBIG, which SQLite reports as "disk I/O error"), not a
  filesystem really full: making a tiny filesystem needs root (a loop device or tmpfs).
"""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import harness as h

pytestmark = pytest.mark.system


def write(port: int, token: str, reference: str) -> tuple[int, dict[str, str], bytes]:
    return h.request(port, "POST", "/api/v1/letters", h.letter_payload(reference), token)


def assert_503(answer: tuple[int, dict[str, str], bytes], fault: str) -> None:
    status, headers, body = answer
    assert status == 503, (status, body[:500])
    assert headers["Content-Type"].startswith("application/problem+json")
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body)["fault"] == fault


def assert_clean(site: h.Site) -> None:
    verified = site.verify_local()
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert h.log_problems(h.read_log(site.database)) == []


# --------------------------------------------------------------------------- SQLite locked


@contextlib.contextmanager
def sqlite_write_lock(path: Path) -> Iterator[None]:
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_locked_sqlite_database_gets_503_then_service_resumes(tmp_path: Path) -> None:
    with h.site_on("sqlite", tmp_path) as site:
        token = site.set_up_writer()
        server = site.start_server()
        port = server.port or 0
        assert write(port, token, "BEFORE-1")[0] == 201
        # Pages note the log's growth at the next read (core/freshness.py), which needs the
        # write lock too: let that happen before the lock is taken.
        assert h.request(port, "GET", "/api/v1/letters/before-1")[0] == 200
        assert site.database.path is not None
        with sqlite_write_lock(site.database.path):
            locked = write(port, token, "LOCKED-1")  # waits busy_timeout (10 s), then 503
            read = h.request(port, "GET", "/api/v1/letters/before-1")
        assert_503(locked, "busy")
        assert read[0] == 200, "reads go on while another process holds the write lock"
        assert write(port, token, "AFTER-1")[0] == 201
        assert h.missing_letters(site.database, ["LOCKED-1"]) == ["LOCKED-1"]
        site.stop_all()
        assert_clean(site)


# --------------------------------------------------------------------------- PostgreSQL down


class Relay:
    """A TCP relay from a loopback port to PostgreSQL that can be shut and opened again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = h.free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def shut(self) -> None:
        """Refuse new connections and cut the open ones, as a stopped server would."""
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets = []

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # shut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def test_postgresql_unreachable_gets_503_then_service_resumes(tmp_path: Path) -> None:
    reason = h.postgresql_unreachable_reason()
    if reason:
        pytest.skip(reason)
    database = h.postgresql_database()
    relay = Relay(("127.0.0.1", 5432))
    relay.open()
    relayed = h.Database(
        url=database.url.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}"),
        vendor="postgresql",
        name=database.name,
    )
    site = h.Site(tmp_path, relayed)
    try:
        site.migrate()
        token = site.set_up_writer()
        server = site.start_server()
        port = server.port or 0
        assert write(port, token, "BEFORE-1")[0] == 201
        relay.shut()
        down_write = write(port, token, "DOWN-1")
        down_page = h.request(port, "GET", "/letters/")
        relay.open()
        assert_503(down_write, "down")
        assert down_page[0] == 503 and down_page[1]["Content-Type"].startswith("text/html")
        assert "Retry-After" in down_page[1]
        # Back by itself: the next requests open new connections (perhaps after one more
        # 503 on a worker whose connection was cut while idle).
        deadline = time.monotonic() + 20
        while (status := write(port, token, "AFTER-1")[0]) != 201 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status == 201
        site.stop_all()
        assert h.missing_letters(database, ["DOWN-1"]) == ["DOWN-1"]
        site.database = database  # the checks read PostgreSQL directly
        site.env["DATABASE_URL"] = database.url
        assert_clean(site)
    finally:
        site.stop_all()
        relay.shut()
        database.drop()


# --------------------------------------------------------------------------- storage full


def set_file_size_limit(process: h.Process, soft: int) -> None:
    for pid in h._group_members(process.popen.pid):
        with contextlib.suppress(ProcessLookupError):
            _old_soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))


def test_storage_refusing_writes_gets_503_then_service_resumes(tmp_path: Path) -> None:
    with h.site_on("sqlite", tmp_path) as site:
        token = site.set_up_writer()
        server = site.start_server()
        port = server.port or 0
        assert write(port, token, "BEFORE-1")[0] == 201
        set_file_size_limit(server, 0)
        try:
            refused = [write(port, token, f"FULL-{n}") for n in range(1, 4)]
        finally:
            set_file_size_limit(server, resource.RLIM_INFINITY)
        for answer in refused:  # each gunicorn worker has met the fault by now
            assert_503(answer, "full")
        assert write(port, token, "AFTER-1")[0] == 201
        site.stop_all()
        assert h.missing_letters(site.database, ["FULL-1", "FULL-2", "FULL-3"]) == [
            "FULL-1",
            "FULL-2",
            "FULL-3",
        ]
        assert_clean(site)
