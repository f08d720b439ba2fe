"""The Frictionless Data Package of every public record: ``datapackage.json`` and one CSV
per table (``tables.py``), streamed in constant memory.

Rows come from querysets iterated in chunks (``.iterator(chunk_size=…)``) and are written
one by one, to a directory (``write_directory``, used by ``tripartite export``) or into a
zip produced as it is read (``stream_zip``, used by the download on ``/open-data/``). The
only thing held for the whole export is the set of public ids that must not be referenced
(retracted records and unpublished input), which is small by nature.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tripartite.core.models import RecordVersion

from .tables import (
    ARRAY,
    BOOLEAN,
    CHILD_TABLES,
    DATETIME,
    INTEGER,
    OBJECT,
    RETRACTIONS_TABLE,
    TABLES,
    ChildTable,
    Column,
    Table,
)

CHUNK = 500
PACKAGE_NAME = "tripartite-open-data"
DESCRIPTOR = "datapackage.json"

Rows = Iterator[list[str]]
Progress = Callable[[str], None]


# ---------------------------------------------------------------- which records


def public_rows(table: Table) -> QuerySet[Any]:
    """The rows of ``table``'s model that are on the public record now."""
    return table.model._default_manager.filter(retracted_at__isnull=True, version__gt=0).filter(
        table.public
    )


def current_versions(table: Table) -> Iterator[RecordVersion]:
    """The current version of each public record of ``table``, by key, in chunks."""
    rows = public_rows(table).filter(key=OuterRef("record_key"), version=OuterRef("version"))
    return (
        RecordVersion.objects.filter(record_type=table.record_type)
        .filter(Exists(rows))
        .order_by("record_key")
        .only("record_type", "record_key", "version", "sha256", "at", "content")
        .iterator(chunk_size=CHUNK)
    )


def excluded_ids() -> set[str]:
    """Public ids of records that exist but are not in the export: references to them
    are left empty so that every foreign key resolves."""
    excluded: set[str] = set()
    for table in TABLES:
        manager = table.model._default_manager
        hidden = manager.exclude(Q(retracted_at__isnull=True, version__gt=0) & table.public)
        excluded.update(
            f"{table.record_type}/{key}"
            for key in hidden.values_list("key", flat=True).iterator(chunk_size=CHUNK)
        )
    return excluded


# ---------------------------------------------------------------- cells and rows


def cell(column: Column, value: Any, excluded: set[str]) -> str:
    """One CSV cell in the Table Schema's lexical form; empty means null."""
    if value is None:
        return ""
    if column.ref is not None and value in excluded:
        return ""
    if column.refs is not None:
        value = [item for item in value if item not in excluded]
    if column.type in (ARRAY, OBJECT):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if column.type == BOOLEAN:
        return "true" if value else "false"
    if column.type == INTEGER:
        return str(int(value))
    return str(value)


RECORD_HEADER = ["id", "version", "sha256", "recorded_at"]


def table_rows(table: Table, excluded: set[str]) -> Rows:
    yield [*RECORD_HEADER, *(column.name for column in table.columns)]
    for version in current_versions(table):
        content = version.content
        yield [
            version.public_id,
            str(version.version),
            version.sha256,
            version.at.isoformat(),
            *(cell(column, column.value(content), excluded) for column in table.columns),
        ]


def child_rows(child: ChildTable, excluded: set[str]) -> Rows:
    parent = next(table for table in TABLES if table.name == child.parent)
    yield [column.name for column in child.columns]
    parent_column = child.columns[0].name
    for version in current_versions(parent):
        for item in version.content.get(child.key) or []:
            values = {**item, parent_column: version.public_id}
            row = [cell(column, column.value(values), excluded) for column in child.columns]
            names = [column.name for column in child.columns]
            if all(row[names.index(key)] for key in child.primary_key):
                yield row


def retraction_rows() -> Rows:
    yield ["id", "type", "version", "retracted_at", "reason"]
    for table in TABLES:
        retracted = (
            table.model._default_manager.filter(retracted_at__isnull=False)
            .order_by("key")
            .values_list("key", "version", "retracted_at", "retraction_reason")
        )
        for key, version, at, reason in retracted.iterator(chunk_size=CHUNK):
            yield [
                f"{table.record_type}/{key}",
                table.record_type,
                str(version),
                at.isoformat(),
                reason,
            ]


def files(excluded: set[str] | None = None) -> Iterator[tuple[str, Rows]]:
    """Each CSV file of the package with its rows (header first), lazily."""
    hidden = excluded_ids() if excluded is None else excluded
    for table in TABLES:
        yield table.path, table_rows(table, hidden)
    for child in CHILD_TABLES:
        yield child.path, child_rows(child, hidden)
    yield f"{RETRACTIONS_TABLE}.csv", retraction_rows()


# ---------------------------------------------------------------- the descriptor


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.description:
        field["description"] = column.description
    elif column.ref is not None:
        field["description"] = f"Public id of a record in {column.ref}."
    elif column.refs is not None:
        field["description"] = f"JSON array of public ids of records in {column.refs}."
    return field


def _foreign_keys(columns: Iterable[Column], own: str) -> list[dict[str, Any]]:
    return [
        {
            "fields": column.name,
            "reference": {"resource": "" if column.ref == own else column.ref, "fields": "id"},
        }
        for column in columns
        if column.ref is not None
    ]


RECORD_FIELDS: list[dict[str, Any]] = [
    {
        "name": "id",
        "type": "string",
        "description": "Public id of the record (type/key).",
        "constraints": {"required": True, "unique": True},
    },
    {
        "name": "version",
        "type": "integer",
        "description": "The record's current version; its canonical JSON is at "
        "/records/<type>/<key>/v<version>.json.",
        "constraints": {"required": True, "minimum": 1},
    },
    {
        "name": "sha256",
        "type": "string",
        "description": "SHA-256 of the version's canonical JSON (RFC 8785), as in the log.",
        "constraints": {"required": True, "pattern": "[0-9a-f]{64}"},
    },
    {
        "name": "recorded_at",
        "type": "datetime",
        "description": "When this version was recorded.",
        "constraints": {"required": True},
    },
]


def _resource(name: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def descriptor(
    *, homepage: str | None = None, created: dt.datetime | None = None
) -> dict[str, Any]:
    """``datapackage.json``: every table with its Table Schema and keys."""
    resources = [
        _resource(
            table.name,
            table.title,
            {
                "fields": [*RECORD_FIELDS, *(_field(column) for column in table.columns)],
                "primaryKey": ["id"],
                "foreignKeys": _foreign_keys(table.columns, table.name),
                "missingValues": [""],
            },
        )
        for table in TABLES
    ]
    resources += [
        _resource(
            child.name,
            child.title,
            {
                "fields": [_field(column) for column in child.columns],
                "primaryKey": list(child.primary_key),
                "foreignKeys": _foreign_keys(child.columns, child.name),
                "missingValues": [""],
            },
        )
        for child in CHILD_TABLES
    ]
    resources.append(
        _resource(
            RETRACTIONS_TABLE,
            "Retracted records (their content is not in this package)",
            {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True}},
                    {"name": "type", "type": "string"},
                    {"name": "version", "type": "integer"},
                    {"name": "retracted_at", "type": DATETIME},
                    {"name": "reason", "type": "string"},
                ],
                "primaryKey": ["id"],
                "missingValues": [""],
            },
        )
    )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Tripartite open data: the public record of open-government forums",
        "description": (
            "Every public record (published, not retracted): members, organisations, "
            "people, forums, seats, meetings, minutes, sign-offs, decisions, letters, "
            "statements, action plans and their commitments, milestones, progress reports, "
            "IRM reports and assessments, published co-creation input and reasoned "
            "responses, and the Steering Committee's record. Each row carries the version "
            "and SHA-256 that the transparency log commits to."
        ),
        "created": (created or timezone.now()).replace(microsecond=0).isoformat(),
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
    return package


def descriptor_bytes(**kwargs: Any) -> bytes:
    return json.dumps(descriptor(**kwargs), ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------- writers


def write_directory(
    out: Path, *, homepage: str | None = None, progress: Progress | None = None
) -> list[Path]:
    """Write ``datapackage.json`` and every CSV into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / DESCRIPTOR]
    written[0].write_bytes(descriptor_bytes(homepage=homepage))
    for name, rows in files():
        path = out / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in rows:
                writer.writerow(row)
        written.append(path)
        if progress is not None:
            progress(name)
    return written


class _Sink:
    """A write-only, unseekable byte stream: ``zipfile`` writes into it, we hand the
    bytes on as they come (``take``)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


ROWS_PER_CHUNK = 200


def stream_zip(*, homepage: str | None = None) -> Iterator[bytes]:
    """The package as a zip, produced while it is read: never more than a few hundred
    rows in memory, whatever the size of the record."""
    sink = _Sink()
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DESCRIPTOR, descriptor_bytes(homepage=homepage))
        yield sink.take()
        for name, rows in files():
            with archive.open(name, "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
                writer = csv.writer(text)
                for count, row in enumerate(rows, start=1):
                    writer.writerow(row)
                    if count % ROWS_PER_CHUNK == 0:
                        chunk = sink.take()
                        if chunk:
                            yield chunk
                text.flush()
                text.detach()
            yield sink.take()
    yield sink.take()
