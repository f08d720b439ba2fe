"""Versions of a record and the differences between them."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import RecordVersion

# Keys that describe the record itself rather than its content; never shown as changes.
_IDENTITY_KEYS = {"id", "type"}


@dataclass
class FieldChange:
    name: str
    before: str
    after: str
    lines: list[str] = field(default_factory=list)  # a unified diff for long or nested values


@dataclass
class VersionView:
    version: RecordVersion
    changes: list[FieldChange]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def diff_contents(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field changes from one version's content to the next."""
    changes = []
    for name in sorted((set(before) | set(after)) - _IDENTITY_KEYS):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        old_text, new_text = _as_text(old), _as_text(new)
        lines: list[str] = []
        if "\n" in old_text or "\n" in new_text:
            lines = list(
                difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="", n=1)
            )[2:]
        changes.append(FieldChange(name=name, before=old_text, after=new_text, lines=lines))
    return changes


def versions_of(record_type: str, key: str) -> QuerySet[RecordVersion]:
    return (
        RecordVersion.objects.filter(record_type=record_type, record_key=key)
        .select_related("actor")
        .order_by("version")
    )


def history(record_type: str, key: str) -> list[VersionView]:
    """Every version, newest first, each with its changes against the previous one."""
    versions = list(versions_of(record_type, key))
    if not versions:
        raise Http404("no such record")
    views = []
    previous: dict[str, Any] = {}
    for version in versions:
        views.append(VersionView(version=version, changes=diff_contents(previous, version.content)))
        previous = version.content
    views.reverse()
    return views
