"""The ``tripartite`` console script (the DESIGN's command-line contract)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from tripartite.accounts import commands as accounts_commands
from tripartite.accounts import token_commands
from tripartite.confidential import commands as confidential_commands
from tripartite.documents import commands as documents_commands
from tripartite.notifications import commands as notifications_commands
from tripartite.opendata import commands as opendata_commands
from tripartite.oversight import commands as oversight_commands

app = typer.Typer(
    help="Tripartite: the public record of open-government processes.",
    no_args_is_help=True,
    add_completion=False,
)


def _setup(data_dir: Path | None = None, debug: bool | None = None) -> None:
    """Point Django at our settings (and the data dir) and set it up."""
    if data_dir is not None:
        os.environ["TRIPARTITE_DATA_DIR"] = str(data_dir.resolve())
    if debug is not None:
        os.environ["TRIPARTITE_DEBUG"] = "1" if debug else "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripartite.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the database, keys and uploads live (default ./var)."),
]


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run Django's manage.py with the given arguments (migrate, createsuperuser, …)."""
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tripartite manage", *ctx.args])


@app.command("load-demo")
def load_demo(data_dir: DataDir = None) -> None:
    """Load the Mexico 2017 scenario (idempotent: a loaded scenario is left as it is)."""
    _setup(data_dir)
    _manage("migrate", "--noinput", "--verbosity", "0")
    from tripartite.demo.mexico import load_mexico_2017

    created = load_mexico_2017()
    typer.echo(
        f"Mexico 2017 scenario: {created} records written."
        if created
        else "Mexico 2017 scenario already loaded."
    )


@app.command()
def serve(
    bind: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    migrate: Annotated[
        bool,
        typer.Option(
            help="Apply migrations first. With several app servers, let one do it (or run "
            "`tripartite manage migrate` once) and start the others with --no-migrate."
        ),
    ] = True,
    collect_static: Annotated[
        bool,
        typer.Option(help="Collect static files first (skip when they are already in place)."),
    ] = True,
    data_dir: DataDir = None,
) -> None:
    """Production web server: migrate, collect static files, then gunicorn."""
    _setup(data_dir)
    if migrate:
        _manage("migrate", "--noinput", "--verbosity", "0")
    if collect_static:
        _manage("collectstatic", "--noinput", "--verbosity", "0")
    from tripartite.server import gunicorn_command

    gunicorn = gunicorn_command(bind, workers)
    # Replace this process with gunicorn, so signals reach the server directly.
    os.execvp(  # noqa: S606 - a fixed argument list, no shell
        sys.executable,
        gunicorn,
    )


@app.command()
def worker(data_dir: DataDir = None) -> None:
    """Background worker: signs log checkpoints, sends the daily digest and runs queued
    tasks from the database.

    Checkpoints are signed every few seconds when the log grew (a thread); the daily digest
    goes out once a day at TRIPARTITE_DIGEST_HOUR (a thread); tasks such as e-mail run in
    Django's database-backed task worker.
    """
    import threading

    _setup(data_dir)
    from tripartite.ledger import checkpointer
    from tripartite.notifications import schedule

    stop = threading.Event()
    digests = schedule.start(stop)
    signer = threading.Thread(
        target=checkpointer.run, kwargs={"stop_event": stop}, name="checkpointer", daemon=True
    )
    signer.start()
    try:
        _manage("db_worker", "--no-reload")
    finally:
        stop.set()
        signer.join(timeout=10)
        digests.join(timeout=10)


DEMO_WITNESSES = (
    ("government", "government.witness.localhost"),
    ("civil_society", "civil-society.witness.localhost"),
)


def _port_from(preferred: int) -> int:
    """``preferred`` when it is free, else a free port the system picks: a port held by
    another process would put a stranger where the demo expects its witness."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_demo_witnesses(port: int) -> tuple[list[subprocess.Popen[bytes]], list[dict[str, str]]]:
    """One local witness per sector, so the demo's checkpoints are cosigned as they would
    be in a real process (each party running its own witness)."""
    from django.conf import settings

    from tripartite.ledger import witness
    from tripartite.ledger.keys import log_origin, log_vkey

    processes, configs = [], []
    for offset, (sector, name) in enumerate(DEMO_WITNESSES, start=1):
        state_dir = Path(settings.DATA_DIR) / f"witness-{sector}"
        key = witness.load_or_create_key(state_dir, name)
        bind = f"127.0.0.1:{_port_from(port + offset)}"
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own console script
                [
                    sys.executable,
                    "-m",
                    "tripartite.cli",
                    "witness",
                    "serve",
                    "--bind",
                    bind,
                    "--state-dir",
                    str(state_dir),
                    "--log",
                    f"{log_origin()}={log_vkey()}",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        configs.append(
            {
                "name": key.name,
                "sector": sector,
                "url": f"http://{bind}",
                "vkey": key.verifier_key().to_string(),
            }
        )
    for config in configs:  # the first checkpoint must not be signed before they listen
        _wait_for_port(config["url"].rsplit(":", 1)[-1])
    return processes, configs


def _wait_for_port(port: str, attempts: int = 100) -> None:
    import socket
    import time

    for _ in range(attempts):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", int(port))) == 0:
                return
        time.sleep(0.1)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve on (127.0.0.1).")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Set up and run the demo: migrate, load the Mexico 2017 scenario, web + worker.

    Two local witnesses (government, civil society) on the next two ports cosign the
    log's checkpoints.
    """
    _setup(data_dir, debug=True)
    _manage("migrate", "--noinput", "--verbosity", "0")
    from django.conf import settings

    from tripartite.demo.mexico import load_mexico_2017

    load_mexico_2017()
    witnesses, configs = _start_demo_witnesses(port)
    # The worker (which asks the witnesses) reads them from its environment; this process
    # (the web server) shows them on /log.
    settings.TRIPARTITE_LOG_WITNESSES = configs
    env = {**os.environ, "TRIPARTITE_LOG_WITNESSES": json.dumps(configs)}
    # The demo's witnesses run on this machine: when one misses a checkpoint (a slow start,
    # a busy machine), ask again within seconds rather than the production five minutes.
    env.setdefault("TRIPARTITE_LOG_WITNESS_RETRY", "5")
    worker_process = subprocess.Popen([sys.executable, "-m", "tripartite.cli", "worker"], env=env)
    children = [worker_process, *witnesses]
    typer.echo(f"Tripartite demo: http://127.0.0.1:{port}/  (Ctrl-C to stop)")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # so that the children are stopped below

    signal.signal(signal.SIGTERM, stop)
    try:
        _manage("runserver", f"127.0.0.1:{port}", "--noreload")
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=10)


def _register_ledger_commands() -> None:
    # verify, verify-receipt and witness live with the ledger; they set Django up only
    # when they need the database (a monitor or a witness may run without one).
    from tripartite.ledger.commands import register

    register(app)


_register_ledger_commands()
oversight_commands.register(app)  # compliance check
documents_commands.register(app)  # search reindex
opendata_commands.register(app)  # export
confidential_commands.register(app)  # concerns keygen, concerns open
notifications_commands.register(app)  # notifications digest
accounts_commands.register(app)  # roles grant, roles list
token_commands.register(app)  # tokens create, list, revoke


def _register_archive_commands() -> None:
    # archive export, verify-archive (no database needed) and mirror URL
    from tripartite.opendata.archive_commands import register

    register(app)


_register_archive_commands()


def _register_backup_commands() -> None:
    """``backup`` and ``restore`` (core/backup_commands.py)."""
    from tripartite.core.backup_commands import register

    register(app)


_register_backup_commands()


def _register_generate_command() -> None:
    """``generate --scale {small,national,global}`` (demo/generate_commands.py)."""
    from tripartite.demo.generate_commands import register

    register(app)


_register_generate_command()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
