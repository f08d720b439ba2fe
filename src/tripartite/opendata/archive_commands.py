"""Command-line commands of the archive and mirroring.

``register(app)`` adds to the ``tripartite`` console script:

* ``tripartite archive export DIR``: the exit-proof archive (``opendata.archive``).
  ``run_archive_export(DIR)`` is the same, for ``tripartite export --archive DIR``.
* ``tripartite verify-archive DIR [--key VKEY] [--policy FILE]``: offline check of an
  archive; needs no database.
* ``tripartite mirror URL [--key VKEY] [--policy FILE] [--full]``: verified read-only copy
  of another instance (``opendata.mirror``).

Exit status 0 when all is well, 1 when something is wrong, 2 for usage errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the database, keys and uploads live (default ./var)."),
]
KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="The log's verifier key (or a file holding it)."),
]
PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="tlog-policy file: witnesses and quorum to require."),
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _key_and_policy(key: str | None, policy: Path | None) -> tuple[str | None, str | None]:
    from tripartite.ledger.commands import _key_text, _read_text

    return (_key_text(key) if key else None), (_read_text(policy, "policy") if policy else None)


# --------------------------------------------------------------------------
# archive export / verify-archive
# --------------------------------------------------------------------------


def run_archive_export(directory: Path) -> None:
    """Write the archive into ``directory`` (Django must be set up); print a summary."""
    from .archive import ArchiveError, export_archive

    try:
        summary = export_archive(directory)
    except ArchiveError as exc:
        raise _fail(f"error: {exc}", 2) from exc
    typer.echo(f"Archive of {summary.origin} at checkpoint {summary.size} written to {directory}")
    typer.echo(f"  {summary.records} records, {summary.versions} versions, one receipt per record")
    for name, count in summary.extra.items():
        typer.echo(f"  {name}: {count} files")
    if summary.after_checkpoint:
        typer.echo(
            f"  note: {summary.after_checkpoint} versions logged after this checkpoint are not"
            " in the archive (no signed proof covers them yet); export again after the next"
            " checkpoint"
        )
    if summary.mismatches:
        for item in summary.mismatches[:20]:
            typer.echo(f"  [record-hash] {item}: the stored content does not match the log")
        raise _fail(
            f"WARNING: {len(summary.mismatches)} items do not match their logged hash;"
            " `tripartite verify --local` names them. The archive records them as they are,"
            " and verify-archive will report them."
        )
    typer.echo(f"Check it with: tripartite verify-archive {directory}")


def archive_export(
    directory: Annotated[Path, typer.Argument(help="A new or empty directory.")],
    data_dir: DataDir = None,
) -> None:
    """Write the exit-proof archive (a BagIt bag) of every public record and its proofs."""
    from tripartite.cli import _setup

    _setup(data_dir)
    run_archive_export(directory)


def verify_archive(
    directory: Annotated[Path, typer.Argument(help="The archive (BagIt bag) to check.")],
    key: KeyOption = None,
    policy: PolicyOption = None,
) -> None:
    """Check an archive offline: files, records against the log, receipts, checkpoint."""
    from .archive_verify import verify_archive as check

    vkey, policy_text = _key_and_policy(key, policy)
    report = check(directory, vkey, policy_text)
    echo = typer.echo
    echo(f"Archive {directory}")
    if report.origin is not None:
        echo(f"  log {report.origin}, checkpoint of {report.size} entries (root {report.root_hex})")
    if report.key:
        echo(f"  log key ({report.key_source}): {report.key}")
    if report.quorum is not None:
        echo(f"  witnesses: {', '.join(report.witnesses) or 'none'} (quorum {report.quorum!r})")
    elif report.witnesses:
        echo(f"  cosigned by: {', '.join(report.witnesses)} (no --policy: quorum not checked)")
    echo(f"  entries re-hashed: {report.entries_checked}")
    echo(f"  record versions hashed: {report.records_checked}")
    echo(f"  receipts verified: {report.receipts_checked}")
    if report.extra_checked:
        echo(f"  attached files hashed: {report.extra_checked}")
    for note in report.notes:
        echo(f"  note: {note}")
    if report.ok:
        echo("OK: the archive is complete and every record matches the signed log.")
        return
    echo(f"Problems ({report.problem_count}):")
    for problem in report.problems:
        echo(f"  {problem}")
    for kind, count in report.hidden.items():
        echo(f"  … and {count} more [{kind}]")
    raise typer.Exit(1)


# --------------------------------------------------------------------------
# mirror
# --------------------------------------------------------------------------


def mirror(
    url: Annotated[str, typer.Argument(help="Base URL of the instance to mirror.")],
    key: KeyOption = None,
    policy: PolicyOption = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Re-fetch and re-check every record, not only new entries."),
    ] = False,
    timeout: Annotated[float, typer.Option(help="HTTP timeout in seconds.")] = 30.0,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Copy another instance's log and records here, verified, and serve them read-only."""
    from rich.console import Console

    from tripartite.cli import _setup
    from tripartite.ledger.monitor import MonitorError

    _setup(data_dir)
    from .mirror import MirrorError, run_mirror

    vkey, policy_text = _key_and_policy(key, policy)
    console = Console(stderr=True)
    try:
        result = run_mirror(
            url,
            vkey,
            policy_text,
            full=full,
            timeout=timeout,
            progress=console.is_terminal if progress is None else progress,
            console=console,
        )
    except (MonitorError, MirrorError) as exc:
        raise _fail(f"error: {exc}", 2) from exc
    report = result.report
    echo = typer.echo
    echo(f"Mirror of {report.origin or '?'} from {report.base_url}")
    if report.log_key:
        echo(f"  log key ({report.key_source}): {report.log_key}")
    if report.size is not None:
        echo(f"  checkpoint: {report.size} entries (mirrored before: {report.previous_size})")
    echo(f"  entries verified and stored: {result.entries_stored}")
    echo(f"  record versions verified and stored: {result.versions_stored}")
    for note in report.notes:
        echo(f"  note: {note}")
    if result.kept:
        echo(f"  kept the verified copy of {result.kept} versions the source now serves altered")
    if not report.state_advanced and report.size is not None:
        echo("  nothing stored: the mirror keeps the last verified checkpoint")
    if report.discrepancies:
        echo(f"Discrepancies ({len(report.discrepancies)}):")
        for d in report.discrepancies:
            echo(f"  {d}")
        raise _fail(f"FAILED: {len(report.discrepancies)} discrepancies")
    echo("OK: the mirror matches the source's signed log.")


def register(app: typer.Typer) -> None:
    """Add ``archive export``, ``verify-archive`` and ``mirror`` to ``app``."""
    archive_app = typer.Typer(help="The exit-proof archive (BagIt).", no_args_is_help=True)
    archive_app.command("export")(archive_export)
    app.add_typer(archive_app, name="archive")
    app.command("verify-archive")(verify_archive)
    app.command("mirror")(mirror)
