"""``tripartite backup`` and ``restore``, run as operators run them (subprocesses with their
own data dirs), on SQLite and on PostgreSQL: a restored instance passes ``verify --local``
and serves the same latest checkpoint."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def _pg_available() -> bool:
    result = subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False, capture_output=True
    )
    return result.returncode == 0


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
        capture_output=True,
    )


class Instance:
    """One instance: a data dir and a database URL (SQLite file or a PostgreSQL database)."""

    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.database_url = database_url

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
        env["TRIPARTITE_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return subprocess.run(
            [sys.executable, "-m", "tripartite.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def shell(self, code: str) -> str:
        result = self.run("manage", "shell", "-c", code)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    def checkpoint(self) -> str:
        return self.shell(
            "from tripartite.ledger.models import Checkpoint; "
            "print(repr(Checkpoint.objects.order_by('-size').first().note))"
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    """A source instance and an empty target instance on the same kind of database."""
    if request.param == "sqlite":
        yield Instance(tmp_path / "source", None), Instance(tmp_path / "target", None)
        return
    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    names = [f"tripartite_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        _psql(f"CREATE DATABASE {name}")
    try:
        yield (
            Instance(tmp_path / "source", f"{PG_SERVER}/{names[0]}"),
            Instance(tmp_path / "target", f"{PG_SERVER}/{names[1]}"),
        )
    finally:
        for name in names:
            _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _loaded_with_checkpoint(source: Instance) -> None:
    assert source.run("load-demo").returncode == 0
    source.shell(
        "from tripartite.ledger.services import sign_checkpoint; "
        "print(sign_checkpoint(force=True).size)"
    )


def test_a_restored_instance_verifies_and_serves_the_same_checkpoint(
    pair: tuple[Instance, Instance], tmp_path: Path
) -> None:
    source, target = pair
    _loaded_with_checkpoint(source)
    backup_file = tmp_path / "backup.tar"

    made = source.run("backup", str(backup_file))
    assert made.returncode == 0, made.stderr
    restored = target.run("restore", str(backup_file))

    assert restored.returncode == 0, restored.stderr
    assert "every record version matches its log entry" in restored.stdout
    assert target.checkpoint() == source.checkpoint()
    assert target.run("verify", "--local").returncode == 0
    # The restored instance signs with the same log key, so it can go on signing.
    assert (target.data_dir / "log_key").read_bytes() == (source.data_dir / "log_key").read_bytes()


def test_a_backup_whose_part_was_altered_is_refused(tmp_path: Path) -> None:
    source, target = Instance(tmp_path / "source", None), Instance(tmp_path / "target", None)
    _loaded_with_checkpoint(source)
    backup_file = tmp_path / "backup.tar"
    assert source.run("backup", str(backup_file)).returncode == 0
    altered = tmp_path / "altered.tar"
    with tarfile.open(backup_file) as original, tarfile.open(altered, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member)
            assert data is not None
            content = data.read()
            if member.name == "files/secret_key":
                content = b"x" + content[1:]
            member.size = len(content)
            import io

            copy.addfile(member, io.BytesIO(content))

    result = target.run("restore", str(altered))

    assert result.returncode == 2
    assert "files/secret_key does not match its SHA-256" in result.stderr
    assert not (target.data_dir / "tripartite.sqlite3").exists() or "core_" not in (
        target.shell(
            "from django.db import connection; print(connection.introspection.table_names())"
        )
    )


def test_restoring_over_a_database_with_records_needs_force(tmp_path: Path) -> None:
    source = Instance(tmp_path / "source", None)
    _loaded_with_checkpoint(source)
    backup_file = tmp_path / "backup.tar"
    assert source.run("backup", str(backup_file)).returncode == 0

    refused = source.run("restore", str(backup_file))
    forced = source.run("restore", "--force", str(backup_file))

    assert refused.returncode == 2 and "already holds records" in refused.stderr
    assert forced.returncode == 0, forced.stderr
