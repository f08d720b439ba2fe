"""``tripartite export``: the open-data bundle from the command line.

``--format datapackage`` (the default) writes ``datapackage.json`` and one CSV per table
into ``--out`` (default ``./export``); ``--format popolo`` writes ``popolo.json`` there.
A progress bar goes to standard error; the paths written are printed on standard output,
one a line, so scripts can use them. Both exports stream: memory stays flat whatever the
size of the record.

``--archive DIR`` writes the exit-proof archive instead (``archive_commands.
run_archive_export``, owned by the archive part of this app).

``register(app)`` adds the command to the console script. Other tabular or JSON exports
plug in through ``EXPORTERS`` (a format name → a function writing into a directory and
reporting each file to a progress callback, and the number of steps for the bar).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

# A writer: (directory, progress callback called with each file name) → paths written.
Exporter = Callable[[Path, Callable[[str], None]], list[Path]]


def _datapackage(out: Path, progress: Callable[[str], None]) -> list[Path]:
    from .datapackage import write_directory

    return write_directory(out, progress=progress)


def _popolo(out: Path, progress: Callable[[str], None]) -> list[Path]:
    from .popolo import stream

    out.mkdir(parents=True, exist_ok=True)
    path = out / "popolo.json"
    with path.open("wb") as handle:
        for chunk in stream():
            handle.write(chunk)
    progress(path.name)
    return [path]


def _datapackage_steps() -> int:
    from .tables import CHILD_TABLES, TABLES

    return len(TABLES) + len(CHILD_TABLES) + 1  # and the retractions


EXPORTERS: dict[str, tuple[Exporter, Callable[[], int]]] = {
    "datapackage": (_datapackage, _datapackage_steps),
    "popolo": (_popolo, lambda: 1),
}


def export(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write into (created if missing).")
    ] = Path("export"),
    export_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="datapackage: datapackage.json + one CSV per table; popolo: popolo.json.",
        ),
    ] = "datapackage",
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="Write the exit-proof archive (BagIt, with proofs) into this directory "
            "instead; --out and --format are then ignored.",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Export every public record as open data (Frictionless Data Package or Popolo JSON),
    or as the exit-proof archive (--archive DIR)."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from django.utils.translation import gettext as _

    if archive is not None:
        from .archive_commands import run_archive_export

        run_archive_export(archive)
        return
    if export_format not in EXPORTERS:
        typer.echo(
            _("Unknown format: %(format)s (choose from %(choices)s).")
            % {"format": export_format, "choices": ", ".join(EXPORTERS)},
            err=True,
        )
        raise typer.Exit(2)
    writer, steps = EXPORTERS[export_format]
    with typer.progressbar(
        length=steps(), label=_("Exporting"), file=sys.stderr, show_pos=True
    ) as bar:
        written = writer(out, lambda name: bar.update(1))
    for path in written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command("export")(export)
