"""The Frictionless Data Package: real exports of the demo data, checked by the real
validator (``frictionless``), its Python API and its command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse
from django.test import Client
from frictionless import Report, validate

from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion
from tripartite.forums import services
from tripartite.opendata import datapackage
from tripartite.opendata.tables import BY_NAME, CHILD_TABLES, TABLES
from tripartite.opendata.tests.world import ExportWorld, fresh

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def export(tmp_path: Path) -> Path:
    datapackage.write_directory(tmp_path)
    return tmp_path


def rows(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ids(directory: Path, table: str) -> set[str]:
    return {row["id"] for row in rows(directory, table)}


def problems(report: Report) -> list[list[str]]:
    return cast(list[list[str]], report.flatten(["type", "note"]))


def test_the_export_of_the_demo_is_a_valid_data_package(tmp_path: Path, world: ExportWorld) -> None:
    report = validate(str(export(tmp_path) / "datapackage.json"))
    assert problems(report) == []
    assert report.valid
    # every table was checked, not only the descriptor
    assert len(report.tasks) == len(TABLES) + len(CHILD_TABLES) + 1


def test_the_frictionless_command_line_accepts_it(tmp_path: Path, world: ExportWorld) -> None:
    export(tmp_path)
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_bites_on_a_broken_reference(tmp_path: Path, world: ExportWorld) -> None:
    directory = export(tmp_path)
    path = directory / "seats.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("forum/qq-forum", "forum/nowhere"),
        encoding="utf-8",
    )
    report = validate(str(directory / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in problems(report)}


def test_every_kind_of_record_is_exported(tmp_path: Path, world: ExportWorld) -> None:
    directory = export(tmp_path)
    empty = [table.name for table in TABLES if not rows(directory, table.name)]
    # the demo data and the test world hold at least one record of every kind
    assert empty == []
    assert "member/mx" in ids(directory, "members")
    assert "decision/qq-2016-d1" in ids(directory, "decisions")
    positions = rows(directory, "decision_positions")
    assert {
        "decision": "decision/qq-2016-d1",
        "seat": "seat/qq-forum-qq-cso1",
        "sector": "civil_society",
        "position": "against",
        "statement": "Not consulted.",
    } in positions


def test_the_schema_declares_types_and_keys(world: ExportWorld) -> None:
    descriptor = datapackage.descriptor()
    seats = next(r for r in descriptor["resources"] if r["name"] == "seats")
    assert seats["schema"]["primaryKey"] == ["id"]
    assert {
        "fields": "forum",
        "reference": {"resource": "forums", "fields": "id"},
    } in seats["schema"]["foreignKeys"]
    types = {f["name"]: f["type"] for f in seats["schema"]["fields"]}
    assert types["start_on"] == "date" and types["version"] == "integer"
    forums = next(r for r in descriptor["resources"] if r["name"] == "forums")
    assert {
        "fields": "predecessor",
        "reference": {"resource": "", "fields": "id"},
    } in forums["schema"]["foreignKeys"]


def test_each_row_carries_the_logged_version_and_hash(tmp_path: Path, world: ExportWorld) -> None:
    directory = export(tmp_path)
    row = next(r for r in rows(directory, "forums") if r["id"] == "forum/qq-forum")
    latest = RecordVersion.objects.filter(record_type="forum", record_key="qq-forum").latest(
        "version"
    )
    assert (row["version"], row["sha256"]) == (str(latest.version), latest.sha256)
    assert row["name"] == "Quuxland Forum"


def test_a_retracted_record_is_left_out_and_listed_with_its_reason(
    tmp_path: Path, world: ExportWorld
) -> None:
    services.retract(system_actor(), fresh(world.statement), reason="Issued by mistake.")
    directory = export(tmp_path)

    assert "statement/qq-statement" not in ids(directory, "statements")
    retraction = next(r for r in rows(directory, "retractions") if r["type"] == "statement")
    assert retraction["id"] == "statement/qq-statement"
    assert retraction["reason"] == "Issued by mistake."
    everything = "".join(path.read_text(encoding="utf-8") for path in directory.iterdir())
    assert "We were not consulted." not in everything
    assert validate(str(directory / "datapackage.json")).valid


def test_a_reference_to_a_retracted_record_is_left_empty(
    tmp_path: Path, world: ExportWorld
) -> None:
    services.retract(system_actor(), fresh(world.meeting), reason="Never took place.")
    directory = export(tmp_path)

    decision = next(r for r in rows(directory, "decisions") if r["id"] == world.decision.public_id)
    assert decision["meeting"] == ""
    assert world.meeting.public_id not in {r["meeting"] for r in rows(directory, "minutes")}
    report = validate(str(directory / "datapackage.json"))
    assert problems(report) == []


def test_only_published_input_is_exported(tmp_path: Path, world: ExportWorld) -> None:
    directory = export(tmp_path)
    exported = ids(directory, "inputs")
    published = {item.public_id for item in world.plans.inputs}
    assert published <= exported
    assert world.plans.withheld.public_id not in exported
    everything = "".join(path.read_text(encoding="utf-8") for path in directory.iterdir())
    assert "Abusive text" not in everything
    assert "Awaiting a moderator" not in everything
    assert "a@example.org" not in everything


def test_the_download_is_a_streamed_zip_of_a_valid_package(
    client: Client, tmp_path: Path, world: ExportWorld
) -> None:
    response = client.get("/open-data/datapackage.zip")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.testzip() is None
        archive.extractall(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["datapackage.json", "retractions.csv"]
        + [table.path for table in TABLES]
        + [child.path for child in CHILD_TABLES]
    )
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["homepage"] == "http://testserver/open-data/"
    assert validate(str(tmp_path / "datapackage.json")).valid


def test_the_export_iterates_and_never_materialises_a_queryset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, world: ExportWorld
) -> None:
    people = BY_NAME["people"]
    for n in range(datapackage.CHUNK + datapackage.ROWS_PER_CHUNK + 10):
        services.create_person(system_actor(), key=f"bulk-{n:04d}", name=f"Person {n}")

    def refuse(self: QuerySet[Any]) -> None:
        raise AssertionError(f"{self.model.__name__} rows were loaded all at once")

    monkeypatch.setattr(QuerySet, "_fetch_all", refuse)
    chunks = datapackage.stream_zip()
    first = next(chunks)  # the descriptor comes out before any table is read
    assert first.startswith(b"PK")
    rest = list(chunks)
    monkeypatch.undo()

    # many rows, many chunks: the zip came out while the rows were read
    assert len(rest) > len(TABLES) + len(CHILD_TABLES) + datapackage.ROWS_PER_CHUNK // 200
    with zipfile.ZipFile(io.BytesIO(first + b"".join(rest))) as archive:
        people_rows = archive.read(people.path).decode("utf-8").splitlines()
    assert len(people_rows) > datapackage.CHUNK + datapackage.ROWS_PER_CHUNK


def test_the_download_streams_many_rows(client: Client, world: ExportWorld) -> None:
    for n in range(datapackage.ROWS_PER_CHUNK * 3):
        services.create_person(system_actor(), key=f"many-{n:04d}", name=f"Person {n}")
    response = client.get("/open-data/datapackage.zip")
    assert isinstance(response, StreamingHttpResponse)
    chunks = [chunk for chunk in response.streaming_content if chunk]
    # the people table alone yields a chunk every ROWS_PER_CHUNK rows
    assert len(chunks) >= 3 + len(TABLES)
