"""The production server's command line, shared by ``tripartite serve`` and the benchmark
(which must measure exactly what production runs). Imports nothing of Django."""

from __future__ import annotations

import sys


def gunicorn_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tripartite.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
