"""``tripartite export``, run in-process with typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from frictionless import validate
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.opendata.tables import CHILD_TABLES, TABLES
from tripartite.opendata.tests.world import ExportWorld

runner = CliRunner()


def test_export_writes_a_valid_data_package(tmp_path: Path, world: ExportWorld) -> None:
    out = tmp_path / "bundle"
    result = runner.invoke(app, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = result.stdout.split()
    assert written[0] == str(out / "datapackage.json")
    assert len(written) == 1 + len(TABLES) + len(CHILD_TABLES) + 1
    assert validate(str(out / "datapackage.json")).valid


def test_export_popolo(tmp_path: Path, world: ExportWorld) -> None:
    result = runner.invoke(app, ["export", "--format", "popolo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(tmp_path / "popolo.json")]
    data = json.loads((tmp_path / "popolo.json").read_text(encoding="utf-8"))
    assert "person/qq-rep" in {person["id"] for person in data["persons"]}


def test_progress_goes_to_standard_error(tmp_path: Path, world: ExportWorld) -> None:
    result = runner.invoke(app, ["export", "--out", str(tmp_path)])
    assert "Exporting" in result.stderr
    assert "Exporting" not in result.stdout


def test_unknown_format_is_a_usage_error(tmp_path: Path, world: ExportWorld) -> None:
    result = runner.invoke(app, ["export", "--format", "xml", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Unknown format: xml" in result.stderr
    assert not any(tmp_path.iterdir())
