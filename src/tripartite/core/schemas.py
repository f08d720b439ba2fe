"""Boundary shapes of record versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class VersionOut(Schema):
    id: str
    version: int
    op: str
    at: dt.datetime
    sha256: str
    reason: str
    content_url: str


class VersionDetail(VersionOut):
    content: dict[str, Any]
