"""The console script, run as users run it: a subprocess with its own data dir."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, data_dir: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TRIPARTITE_DATA_DIR"}}
    env["TRIPARTITE_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "tripartite.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_help_lists_the_contract_commands(tmp_path: Path) -> None:
    result = run_cli("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "manage", "load-demo"):
        assert command in result.stdout


def test_manage_passes_arguments_to_django(tmp_path: Path) -> None:
    result = run_cli("manage", "check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_first_run_generates_a_private_secret_key(tmp_path: Path) -> None:
    run_cli("manage", "check", data_dir=tmp_path)
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    first = key_file.read_text()
    run_cli("manage", "check", data_dir=tmp_path)
    assert key_file.read_text() == first


@pytest.mark.slow
def test_load_demo_fills_a_fresh_database_once(tmp_path: Path) -> None:
    first = run_cli("load-demo", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "records written" in first.stdout
    second = run_cli("load-demo", data_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout
    with sqlite3.connect(tmp_path / "tripartite.sqlite3") as db:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        (members,) = db.execute("SELECT count(*) FROM forums_member WHERE key='mx'").fetchone()
    assert mode == "wal"
    assert members == 1


def test_manage_dumps_settings_from_the_environment(tmp_path: Path) -> None:
    result = run_cli(
        "manage",
        "shell",
        "-c",
        "import json; from django.conf import settings; print(json.dumps("
        "[settings.DEBUG, str(settings.DATA_DIR), settings.DATABASES['default']['ENGINE']]))",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    debug, data_dir, engine = json.loads(result.stdout.strip().splitlines()[-1])
    assert debug is False
    assert data_dir == str(tmp_path)
    assert engine == "django.db.backends.sqlite3"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.slow
def test_demo_serves_the_scenario_with_checkpoints_cosigned_by_two_witnesses(
    tmp_path: Path,
) -> None:
    import signal
    import time
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TRIPARTITE_DATA_DIR"}}
    env["TRIPARTITE_DATA_DIR"] = str(tmp_path)
    demo = subprocess.Popen(
        [sys.executable, "-m", "tripartite.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    checkpoint = ""
    try:
        for _ in range(120):  # the worker signs within seconds; bounded wait, not a timing test
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/log/checkpoint") as r:
                    checkpoint = r.read().decode()
            except OSError:
                continue
            if checkpoint.count("\n— ") == 3:
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/forum/mx-stt/") as r:
            forum_page = r.read().decode()
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=30)
    signers = [line.split()[1] for line in checkpoint.splitlines() if line.startswith("— ")]
    assert signers == [
        "localhost/tripartite",
        "government.witness.localhost",
        "civil-society.witness.localhost",
    ]
    assert "Tripartite Technical Secretariat" in forum_page
    assert "Recorded in the" in forum_page
