"""Backup and restore of a whole instance: the database, the log's signing key, the site's
secret key and the document blobs, in one file whose every part is checked on restore.

A backup is a tar file::

    manifest.json          format, database vendor, the latest checkpoint, SHA-256 of each part
    database.sqlite3       SQLite: an online copy (``sqlite3`` backup API, consistent while
                           the instance keeps writing)
    database.pgdump        PostgreSQL: ``pg_dump --format=custom``
    files/log_key          the log's Ed25519 signing key (mode 0600 on restore)
    files/secret_key       the site's secret key, when it lives in the data dir
    files/blobs/…          document blobs, when there are any

``restore`` refuses a backup whose parts do not match their hashes, refuses to overwrite a
database that already holds records (unless ``force``), and after restoring reads the latest
checkpoint back so the caller can compare it with the manifest's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "tripartite-backup/1"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path


def _latest_checkpoint() -> dict[str, Any] | None:
    from tripartite.ledger.models import Checkpoint

    latest = Checkpoint.objects.order_by("-size", "-id").first()
    if latest is None:
        return None
    return {"size": latest.size, "root": bytes(latest.root).hex(), "note": latest.note}


def _pg_url() -> str:
    """A libpq URL for the configured PostgreSQL database (for pg_dump / pg_restore)."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{db.get('HOST') or 'localhost'}{port}/{db['NAME']}"


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_database(work: Path) -> str:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        target = sqlite3.connect(str(work / SQLITE_NAME))
        try:
            source.backup(target)  # a consistent copy while others keep writing
        finally:
            target.close()
            source.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={work / PG_NAME}", _pg_url()])
        return PG_NAME
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _secret_files() -> dict[str, Path]:
    from tripartite.ledger.keys import key_path

    found = {
        "files/log_key": key_path(),
        "files/secret_key": Path(settings.DATA_DIR) / "secret_key",
    }
    return {name: path for name, path in found.items() if path.is_file()}


def _blob_dir() -> Path:
    return Path(getattr(settings, "TRIPARTITE_BLOB_DIR", Path(settings.DATA_DIR) / "blobs"))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def make_backup(out: Path) -> BackupResult:
    """Write a backup of this instance to ``out`` (written whole, then moved into place)."""
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="tripartite-backup-") as tmp:
        work = Path(tmp)
        parts: dict[str, str] = {}
        database = _dump_database(work)
        parts[database] = _sha256(work / database)
        for name, source in _secret_files().items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
            parts[name] = _sha256(work / name)
        blobs = _blob_dir()
        if blobs.is_dir():
            for path in _files(blobs):
                name = f"files/blobs/{path.relative_to(blobs).as_posix()}"
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, work / name)
                parts[name] = _sha256(work / name)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connection.vendor,
            "database": database,
            "checkpoint": _latest_checkpoint(),
            "parts": parts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            for name in sorted(parts):
                archive.add(work / name, arcname=name)
        os.replace(partial, out)
    return BackupResult(out, manifest)


def _extract(backup: Path, into: Path) -> dict[str, Any]:
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    try:
        with tarfile.open(backup, "r") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{backup} is not a readable backup: {error}") from error
    try:
        manifest: dict[str, Any] = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError("the backup has no readable manifest.json") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, expected in manifest["parts"].items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"the backup lacks {name}")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest")
    return manifest


def _database_holds_records() -> bool:
    if "core_recordversion" not in connection.introspection.table_names():
        return False
    from tripartite.core.models import RecordVersion

    return RecordVersion.objects.exists()


def _restore_file(source: Path, target: Path, *, force: bool, mode: int | None = None) -> None:
    if target.exists() and not force and target.read_bytes() != source.read_bytes():
        raise BackupError(
            f"{target} exists and differs from the backup's; use --force to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    if mode is not None:
        target.chmod(mode)


def restore_backup(backup: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``backup`` into the configured database and data dir; return its manifest."""
    from django.db import connections

    from tripartite.ledger.keys import key_path

    with tempfile.TemporaryDirectory(prefix="tripartite-restore-") as tmp:
        work = Path(tmp)
        manifest = _extract(backup.resolve(), work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"the backup is of a {manifest['vendor']} database; this instance uses "
                f"{connection.vendor}"
            )
        holds_records = _database_holds_records()
        if holds_records and not force:
            raise BackupError("the database already holds records; use --force to replace it")
        # A fresh instance makes its own secret key (and may make a log key) on first start;
        # with no record yet, those keys sign nothing and the backup's replace them.
        secrets = {"files/log_key": (key_path(), 0o600)}
        secrets["files/secret_key"] = (Path(settings.DATA_DIR) / "secret_key", 0o600)
        for name, (target, mode) in secrets.items():
            if name in manifest["parts"]:
                _restore_file(work / name, target, force=force or not holds_records, mode=mode)
        connections.close_all()
        if manifest["vendor"] == "sqlite":
            target = Path(str(settings.DATABASES["default"]["NAME"]))
            partial = target.with_name(target.name + ".restoring")
            shutil.copy2(work / SQLITE_NAME, partial)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(partial, target)
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    f"--dbname={_pg_url()}",
                    str(work / PG_NAME),
                ]
            )
        blobs = _blob_dir()
        for name in manifest["parts"]:
            if name.startswith("files/blobs/"):
                target = blobs / name.removeprefix("files/blobs/")
                _restore_file(work / name, target, force=True)
    return manifest


def restored_checkpoint() -> dict[str, Any] | None:
    """The latest checkpoint as the restored database holds it."""
    return _latest_checkpoint()
