"""The production web server for the HTTP benchmark: gunicorn as ``tripartite serve`` runs it.

``tripartite serve`` migrates, collects the static files, then replaces itself with
``python -m gunicorn tripartite.wsgi:application --bind ADDR --workers 2 --access-logfile -``.
The benchmark does the first two steps once in its own process and starts the same gunicorn
command line (:func:`gunicorn_command`) twice: the product with ``tripartite.settings`` and
the baseline with ``bench.settings``, whose URL map adds one minimal view. Both run with
``DEBUG`` off, loopback ``ALLOWED_HOSTS`` and the throwaway secret key of the benchmark's
data dir; the access log goes to a file, as it would go to a journal in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tripartite.server import gunicorn_command

WORKERS = 2
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_environment(settings_module: str) -> dict[str, str]:
    """This process's environment as production would set it for a loopback server."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        TRIPARTITE_DEBUG="0",
        TRIPARTITE_ALLOWED_HOSTS=HOST,
        # Plain HTTP on loopback: no redirect to HTTPS, no Secure-only cookies.
        TRIPARTITE_SSL_REDIRECT="0",
        TRIPARTITE_SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def peak_resident_mb(pid: int) -> float:
    """``VmHWM`` of a process (its peak resident set since it started), in MB (10^6 bytes;
    the kernel counts in KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise ValueError(f"no VmHWM for process {pid}")


@dataclass
class Server:
    """A running gunicorn."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def workers_peak_mb(self) -> list[float]:
        return [peak_resident_mb(pid) for pid in worker_pids(self.process.pid)]


def _wait_until_up(server: Server, probe: str, deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} server exited at start-up:\n{tail}")
        try:
            with urllib.request.urlopen(server.base_url + probe, timeout=5):  # noqa: S310
                pass
        except urllib.error.HTTPError:
            pass  # an answer: the server is up (the page itself is checked later)
        except OSError:
            time.sleep(0.2)
            continue
        # Both workers answer the probe a few times, so both have loaded Django.
        if len(worker_pids(server.process.pid)) >= WORKERS:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} server not answering after {deadline_s:.0f} s")


@contextmanager
def running_server(
    name: str, settings_module: str, log_dir: Path, probe: str = "/"
) -> Iterator[Server]:
    """gunicorn on a free loopback port; stopped (SIGTERM, then SIGKILL) when the block ends."""
    bind = f"{HOST}:{free_port()}"
    log = log_dir / f"gunicorn-{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            gunicorn_command(bind, WORKERS),
            env=server_environment(settings_module),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(name=name, process=process, base_url=f"http://{bind}", log=log)
    try:
        _wait_until_up(server, probe, deadline_s=120)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
