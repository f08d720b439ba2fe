"""Content-addressed file storage: each file lives once, under its SHA-256.

``<TRIPARTITE_BLOB_DIR>/sha256/ab/cd/abcd…`` (default ``<data dir>/blobs``). A file is
written to a temporary name in the same directory, flushed to disk, then renamed into
place, so a reader never sees half a file. Files are never changed; a redaction stores
a new file and seals the old one's version (the blob stays, for the record's keepers).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def root() -> Path:
    configured = getattr(settings, "TRIPARTITE_BLOB_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "blobs"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return root() / "sha256" / sha256[:2] / sha256[2:4] / sha256


def exists(sha256: str) -> bool:
    return path_of(sha256).is_file()


def store(data: bytes) -> tuple[str, bool]:
    """Keep ``data``; return its SHA-256 and whether this call created the file."""
    sha256 = sha256_of(data)
    target = path_of(sha256)
    if target.is_file():
        return sha256, False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256, True


def read(sha256: str) -> bytes:
    return path_of(sha256).read_bytes()


def discard(sha256: str) -> None:
    """Remove a file that a failed write had just created (never one in use)."""
    path = path_of(sha256)
    if path.is_file():
        path.chmod(0o644)
        path.unlink()
