"""The sqlmap scan of ``make security`` (``scripts/security.py``) is not blind: run with the
same options against a deliberately injectable endpoint, it reports the parameter.

The endpoint is a throwaway WSGI app on loopback that pastes a query parameter into SQL;
it exists only inside this test.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

pytestmark = [
    pytest.mark.security,
    pytest.mark.skipif(shutil.which("sqlmap") is None, reason="sqlmap is not installed"),
]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "security.py"


def security_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("security_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def injectable_app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE item (id INTEGER, name TEXT)")
    database.executemany("INSERT INTO item VALUES (?, ?)", [(n, f"item {n}") for n in range(10)])
    ident = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("id", ["1"])[0]
    try:
        # The flaw the scan must find: input pasted into SQL.
        rows = database.execute(f"SELECT name FROM item WHERE id = {ident}").fetchall()
        status, body = "200 OK", ", ".join(name for (name,) in rows)
    except sqlite3.Error as error:
        status, body = "500 Internal Server Error", str(error)
    start(status, [("Content-Type", "text/html; charset=utf-8")])
    return [f"<p>{body}</p>".encode()]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request: Any, client_address: Any) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


@pytest.fixture
def injectable_url() -> Iterator[str]:
    server = make_server(
        "127.0.0.1", 0, injectable_app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/item?id=3"
    finally:
        server.shutdown()
        server.server_close()


def test_the_scan_reports_an_injectable_parameter(injectable_url: str, tmp_path: Path) -> None:
    script = security_script()
    targets = tmp_path / "targets.txt"
    targets.write_text(injectable_url + "\n")
    done = script.run_sqlmap(shutil.which("sqlmap"), targets, tmp_path / "out")
    findings = script.sqlmap_findings(tmp_path / "out")
    assert [(row["Place"], row["Parameter"]) for row in findings] == [("GET", "id")], done.stdout[
        -3000:
    ]
    assert script.untested_targets(done.stdout) == []
