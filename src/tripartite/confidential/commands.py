"""``tripartite concerns keygen`` and ``tripartite concerns open``: the recipient's side.

Both run on the recipient's own machine. ``keygen`` writes a private key file (mode 0600,
never uploaded) and prints the public key for staff to register. ``open`` reads the sealed
submissions from a database (a copy of the instance's, ``--data-dir`` or ``DATABASE_URL``)
and opens those sealed to the key, to standard output or one file per submission; it
lists those it could not open. Exit status: 0 when it ran (even if nothing was yours to
open), 1 when a copy sealed to this key did not open or a bundle does not match its
logged SHA-256, 2 for a bad key file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

concerns = typer.Typer(
    help="The confidential channel, on a recipient's own machine.", no_args_is_help=True
)


@concerns.command()
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Where to write the private key file.")],
    label: Annotated[str, typer.Option(help="A note kept in the file (your name).")] = "",
) -> None:
    """Make a key pair here; keep the file, register the printed public key."""
    from tripartite.confidential import sealing

    pair = sealing.generate_key_pair()
    try:
        sealing.write_key_file(out, pair, label=label)
    except FileExistsError:
        typer.echo(f"{out} already exists; not overwritten.", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Private key written to {out} (mode 0600). Keep it; never upload it.", err=True)
    typer.echo(f"Fingerprint: {sealing.fingerprint(pair.public_b64)}", err=True)
    typer.echo("Public key to register (Confidential channel → recipient keys):", err=True)
    typer.echo(pair.public_b64)


@concerns.command("open")
def open_command(
    key: Annotated[Path, typer.Option("--key", help="Your private key file (from keygen).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write each opened message to DIR/<id>.json (mode 0600)."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Open the sealed submissions sealed to your key, on this machine."""
    from tripartite.confidential import sealing

    try:
        pair = sealing.read_key_file(key)
    except (OSError, sealing.SealingError) as error:
        typer.echo(f"Cannot read the key file: {error}", err=True)  # before Django is set up
        raise typer.Exit(2) from None

    from tripartite.cli import _setup

    _setup(data_dir)
    from django.utils.translation import gettext as _

    from tripartite.confidential.models import SealedSubmission
    from tripartite.core.models import RecordVersion

    logged = {
        version.record_key: version.content.get("bundle_sha256")
        for version in RecordVersion.objects.filter(record_type="sealed").order_by("version")
    }
    opened, others, failed = 0, [], []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
    for submission in SealedSubmission.objects.order_by("submitted_on", "key"):
        bundle = bytes(submission.bundle)
        if sealing.bundle_sha256(bundle) != logged.get(submission.key):
            failed.append(
                _("%(id)s: does not match its logged SHA-256") % {"id": submission.public_id}
            )
            continue
        try:
            message = sealing.open_bundle(bundle, pair)
        except sealing.OpenError as error:
            if error.args[0] == sealing.OTHER_KEYS:
                others.append(submission.public_id)
            else:
                failed.append(
                    _("%(id)s: the copy sealed to this key does not open with it")
                    % {"id": submission.public_id}
                )
            continue
        opened += 1
        document = {
            "id": submission.public_id,
            "submitted_on": submission.submitted_on.isoformat(),
            **{name: message.get(name, "") for name in sealing.MESSAGE_FIELDS},
        }
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if out is None:
            typer.echo(text)
        else:
            target = out / f"{submission.key}.json"
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
    typer.echo(_("%(n)s opened with this key.") % {"n": opened}, err=True)
    if others:
        typer.echo(
            _("%(n)s sealed to other keys only: %(ids)s")
            % {"n": len(others), "ids": ", ".join(others)},
            err=True,
        )
    for line in failed:
        typer.echo(_("Could not open %(what)s") % {"what": line}, err=True)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(concerns, name="concerns")
