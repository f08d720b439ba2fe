"""``tripartite generate``: run as users run it (the console script, its own SQLite data
dir), and in-process on the test database (SQLite or PostgreSQL, whichever the suite
runs on)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tripartite.demo.generate import GenerateRefused, generate
from tripartite.demo.generate_scales import SCALES
from tripartite.tests.test_cli import run_cli

SMALL = SCALES["small"]

# table → how many rows the small scale writes there
TABLES = {
    "forums_member": SMALL.members,
    "forums_organization": 3 * SMALL.members,
    "forums_forum": SMALL.members,
    "plans_actionplan": SMALL.plans,
    "plans_commitment": SMALL.commitments,
    "plans_milestone": SMALL.milestones,
    "plans_progressreport": SMALL.progress_reports,
    "forums_letter": SMALL.letters,
    "forums_meeting": SMALL.meetings,
    "documents_document": SMALL.documents,
    "core_recordversion": SMALL.versions,
    "ledger_logentry": SMALL.versions,
}


def query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "tripartite.sqlite3") as db:
        return db.execute(sql).fetchall()


def head(data_dir: Path) -> tuple[int, bytes]:
    [(size, root)] = query(data_dir, "SELECT size, root FROM ledger_treehead")
    return int(size), bytes(root)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("generated")
    result = run_cli("generate", "--scale", "small", "--seed", "5", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_generate_prints_its_figures(tmp_path: Path) -> None:
    result = run_cli("generate", "--scale", "small", "--seed", "2", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{SMALL.records} records, {SMALL.versions} log entries" in result.stdout
    assert "log entries/s" in result.stdout


def test_the_same_seed_writes_the_same_log(generated: Path, tmp_path: Path) -> None:
    result = run_cli("generate", "--scale", "small", "--seed", "5", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert head(tmp_path) == head(generated)
    keys = "SELECT record_type, record_key, version, sha256 FROM core_recordversion ORDER BY id"
    assert query(tmp_path, keys) == query(generated, keys)


def test_another_seed_writes_another_log(generated: Path, tmp_path: Path) -> None:
    result = run_cli("generate", "--scale", "small", "--seed", "6", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert head(tmp_path)[0] == head(generated)[0]
    assert head(tmp_path)[1] != head(generated)[1]


@pytest.mark.parametrize(("table", "count"), sorted(TABLES.items()))
def test_generate_writes_the_configured_counts(generated: Path, table: str, count: int) -> None:
    assert query(generated, f"SELECT count(*) FROM {table}") == [(count,)]


def test_milestones_carry_their_updates_as_new_versions(generated: Path) -> None:
    rows = query(
        generated,
        "SELECT count(*) FROM core_recordversion WHERE record_type = 'milestone' AND op = 'update'",
    )
    assert rows == [(SMALL.milestone_updates,)]


def test_documents_have_their_text_and_their_files(generated: Path) -> None:
    rows = query(
        generated,
        "SELECT sha256, text, extraction_status FROM documents_documentversion",
    )
    assert len(rows) == SMALL.documents
    for sha256, text, status in rows:
        assert status == "done" and len(str(text)) > 100
        blob = generated / "blobs" / "sha256" / str(sha256)[:2] / str(sha256)[2:4] / str(sha256)
        assert blob.is_file()


def test_every_record_is_in_the_search_index(generated: Path) -> None:
    assert query(generated, "SELECT count(*) FROM documents_searchentry") == [(SMALL.records,)]


def test_the_generated_database_verifies_against_its_log(generated: Path) -> None:
    result = run_cli("verify", "--local", data_dir=generated)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_generate_refuses_a_database_that_holds_records(generated: Path) -> None:
    result = run_cli("generate", "--scale", "small", data_dir=generated)
    assert result.returncode == 2
    assert "already holds records" in result.stderr
    assert head(generated)[0] == SMALL.versions


def test_an_unknown_scale_is_refused(tmp_path: Path) -> None:
    result = run_cli("generate", "--scale", "galactic", data_dir=tmp_path)
    assert result.returncode == 2
    assert "Unknown scale" in result.stderr


@pytest.mark.django_db
def test_generate_writes_the_small_scale_on_the_test_database(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tripartite.core.models import RecordVersion
    from tripartite.ledger.storage import read_head
    from tripartite.plans.models import ProgressReport

    settings.TRIPARTITE_BLOB_DIR = str(tmp_path / "blobs")
    advanced: list[int] = []
    figures = generate("small", seed=1, advance=advanced.append)
    assert figures.records == SMALL.records
    assert figures.entries == read_head()[0] == RecordVersion.objects.count() == SMALL.versions
    assert sum(advanced) == SMALL.versions
    assert ProgressReport.objects.count() == SMALL.progress_reports
    with pytest.raises(GenerateRefused):
        generate("small", seed=1)
