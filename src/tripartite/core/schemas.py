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


class Problem(Schema):
    """RFC 9457 problem details (``application/problem+json``): every error of the API.

    ``errors`` names the fields at fault: by field name for a service's refusal, or as
    the list of validation errors (location and message) when the request did not parse.
    """

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: dict[str, list[str]] | list[dict[str, Any]] | None = None
