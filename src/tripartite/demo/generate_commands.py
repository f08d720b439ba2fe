"""``tripartite generate --scale {small,national,global} [--seed N] [--data-dir DIR]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .generate_scales import SCALES

ScaleName = Annotated[
    str,
    typer.Option(
        "--scale",
        help="How much to write: small (seconds), national (one member, ~15,000 records) "
        "or global (250 members, over 1,000,000 log entries).",
    ),
]


def generate_command(
    scale: ScaleName = "small",
    seed: Annotated[int, typer.Option("--seed", help="The same seed writes the same data.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Write even into a database that holds records.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Where the database, keys and uploads live (default ./var)."
        ),
    ] = None,
) -> None:
    """Write deterministic synthetic data through the services (every record logged)."""
    if scale not in SCALES:
        typer.echo(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.", err=True)
        raise typer.Exit(2)
    from tripartite.cli import _manage, _setup

    _setup(data_dir)
    _manage("migrate", "--noinput", "--verbosity", "0")
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, TimeRemainingColumn

    from tripartite.core.errors import ServiceError

    from .generate import GenerateRefused, generate

    planned = SCALES[scale].versions
    columns = (*Progress.get_default_columns()[:-1], MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        bar = progress.add_task(f"generate {scale} (seed {seed})", total=planned)
        try:
            figures = generate(scale, seed, force=force, advance=lambda n: progress.advance(bar, n))
        except GenerateRefused as refusal:
            progress.stop()
            typer.echo(str(refusal), err=True)
            raise typer.Exit(2) from refusal
        except ServiceError as error:  # e.g. --force into a database holding the same keys
            progress.stop()
            typer.echo(f"Generation stopped, nothing of the last batch kept: {error}", err=True)
            raise typer.Exit(1) from error
    typer.echo(
        f"Generated {figures.records} records, {figures.entries} log entries "
        f"in {figures.seconds:.1f} s ({figures.rate:.0f} log entries/s)."
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
