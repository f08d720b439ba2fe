"""``tripartite notifications digest``: send today's daily digests now.

``register(app)`` adds the ``notifications`` group to the console script. ``tripartite
worker`` sends the digest by itself once a day (``schedule``); this command is for a site
without a worker, or to send earlier. It takes the same once-a-day claim as the worker:
if today's digest (in ``TIME_ZONE``) already ran or is running, it sends nothing and says
so (``"ran": false``). ``--force`` sends anyway, even to users who had a digest recently.
``--enqueue`` hands the work to ``tripartite worker`` instead of sending from this process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def digest(
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Send even if today's digest already ran, and to users who had one recently.",
        ),
    ] = False,
    enqueue: Annotated[
        bool, typer.Option("--enqueue", help="Queue the task for the worker instead.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Send each user with waiting changes their daily digest e-mail, once a day."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.notifications import schedule

    day = schedule.today()
    if enqueue:
        result = schedule.send_daily_digest.enqueue(day.isoformat(), force)
        typer.echo(json.dumps({"queued": result.id}))
        return
    typer.echo(
        json.dumps(schedule.send_day(day, force=force, by="tripartite notifications digest"))
    )


def register(app: typer.Typer) -> None:
    """Add the ``notifications`` group (``notifications digest``) to ``app``."""
    group = typer.Typer(help="E-mail notifications to followers.", no_args_is_help=True)
    group.command("digest")(digest)
    app.add_typer(group, name="notifications")
