"""Public records as the notifications show them: title, page, absolute link."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from tripartite.core.models import PublicRecord
from tripartite.documents.records import record_models, split_public_id, type_label, url_of

# What a record calls its title (the first attribute that holds text).
TITLE_ATTRIBUTES = (
    "title",
    "name",
    "subject",
    "short_title",
    "display_name",
    "deliverable",
    "reference",
)
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """Where links in e-mails point (``TRIPARTITE_SITE_URL``; the demo's address by default)."""
    return str(getattr(settings, "TRIPARTITE_SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def title_of(record: PublicRecord) -> str:
    for name in TITLE_ATTRIBUTES:
        value = getattr(record, name, None)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
    return f"{type_label(record.RECORD_TYPE)} {record.key}"


def is_followable(public_id: str) -> bool:
    """A published record (unmoderated input, version 0, is not public)."""
    record_type, key = split_public_id(public_id)
    model = record_models().get(record_type)
    return bool(model and key and model._default_manager.filter(key=key, version__gt=0).exists())


def load(public_ids: Iterable[str]) -> dict[str, PublicRecord]:
    """The published records with these public ids, one query per record type."""
    keys: dict[str, set[str]] = defaultdict(set)
    for public_id in public_ids:
        record_type, key = split_public_id(public_id)
        if record_type in record_models() and key:
            keys[record_type].add(key)
    found: dict[str, PublicRecord] = {}
    for record_type, wanted in keys.items():
        model = record_models()[record_type]
        for record in model._default_manager.filter(key__in=wanted, version__gt=0):
            found[record.public_id] = record
    return found


def describe(record: PublicRecord | None, public_id: str) -> dict[str, Any]:
    """What a list of follows or an e-mail shows about one record."""
    if record is None:
        return {"id": public_id, "title": public_id, "type": "", "path": "", "url": ""}
    path = url_of(record)
    return {
        "id": public_id,
        "title": title_of(record),
        "type": type_label(record.RECORD_TYPE),
        "path": path,
        "url": absolute(path),
        "retracted": record.is_retracted,
    }
