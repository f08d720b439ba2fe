"""``tripartite notifications digest``: send the daily digests.

``register(app)`` adds the ``notifications`` group to the console script. Run it once a
day (cron or a systemd timer, see docs/subsystems/notifications.md); each user gets at
most one digest per 20 hours however often it runs, unless ``--force``. ``--enqueue``
hands the work to ``tripartite worker`` instead of sending from this process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def digest(
    force: Annotated[
        bool, typer.Option("--force", help="Send even to users who had a digest recently.")
    ] = False,
    enqueue: Annotated[
        bool, typer.Option("--enqueue", help="Queue the task for the worker instead.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Send each user with waiting changes their daily digest e-mail."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.notifications.tasks import send_digests

    if enqueue:
        result = send_digests.enqueue(force)
        typer.echo(json.dumps({"queued": result.id}))
        return
    typer.echo(json.dumps(send_digests.call(force)))


def register(app: typer.Typer) -> None:
    """Add the ``notifications`` group (``notifications digest``) to ``app``."""
    group = typer.Typer(help="E-mail notifications to followers.", no_args_is_help=True)
    group.command("digest")(digest)
    app.add_typer(group, name="notifications")
