"""``tripartite backup FILE`` and ``tripartite restore FILE``: a whole instance in one file.

``restore`` checks every part against the backup's manifest before touching anything, then
checks the restored database against its own log (``verify --local``) and that it serves the
checkpoint the backup was made at. Exit codes: 0 done, 1 a check failed, 2 refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the database and keys live (default ./var)."),
]


def backup(
    out: Annotated[Path, typer.Argument(help="The backup file to write (a tar file).")],
    data_dir: DataDir = None,
) -> None:
    """Back up the database, the log's signing key, the secret key and the document blobs."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.core.backup import BackupError, make_backup

    try:
        result = make_backup(out)
    except BackupError as error:
        typer.echo(f"Backup refused: {error}", err=True)
        raise typer.Exit(2) from error
    checkpoint = result.manifest["checkpoint"]
    at = f"checkpoint {checkpoint['size']}" if checkpoint else "no checkpoint yet"
    typer.echo(f"Backup written to {result.path} ({result.manifest['vendor']}, {at}).")


def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by `tripartite backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already holds records.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Restore a backup into the configured database and data dir, then verify it."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.core.backup import BackupError, restore_backup, restored_checkpoint
    from tripartite.ledger.integrity import verify_local

    try:
        manifest = restore_backup(backup_file, force=force)
    except BackupError as error:
        typer.echo(f"Restore refused: {error}", err=True)
        raise typer.Exit(2) from error
    discrepancies = list(verify_local())
    for d in discrepancies:
        typer.echo(f"[{d.kind}] {d.public_id}: {d.detail}", err=True)
    expected, restored = manifest["checkpoint"], restored_checkpoint()
    if discrepancies or expected != restored:
        if expected != restored:
            typer.echo("The restored database does not serve the backup's checkpoint.", err=True)
        raise typer.Exit(1)
    at = f"checkpoint {restored['size']}" if restored else "no checkpoint yet"
    typer.echo(f"Restored {backup_file} ({at}); every record version matches its log entry.")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
