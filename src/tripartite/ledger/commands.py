"""Command-line commands of the transparency log: ``verify``, ``verify-receipt``, ``witness``.

``register(app)`` adds them to the ``tripartite`` console script:

* ``tripartite verify URL [--state FILE] [--key VKEY] [--policy FILE] [--full]``: the
  independent monitor (``ledger.monitor``) against any instance.
* ``tripartite verify --local``: this instance's database against its own log
  (``ledger.integrity.verify_local``).
* ``tripartite verify-receipt FILE [--entry FILE | --record-json FILE] --key VKEY
  [--policy FILE]``: one downloaded receipt, offline.
* ``tripartite witness serve`` / ``tripartite witness key``: a tlog-witness
  (``ledger.witness``) for any sector of a forum.

Every command prints human-readable lines and exits 1 when it finds anything
wrong (2 for usage errors).
"""

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .note import VerifierKey

DEFAULT_WITNESS_BIND = "127.0.0.1:8780"
WITNESS_LOGS_FILE = "logs.conf"


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _key_text(value: str) -> str:
    """A verifier key given inline or as the path of a file holding it."""
    path = Path(value)
    if "+" not in value or path.is_file():
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise typer.BadParameter(f"not a verifier key nor a readable file: {exc}") from exc
    return value.strip()


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read the {what} {path}: {exc}") from exc


# --------------------------------------------------------------------------
# verify
# --------------------------------------------------------------------------


def verify(
    url: Annotated[
        str | None,
        typer.Argument(help="Base URL of the instance, e.g. https://forum.example.gov"),
    ] = None,
    local: Annotated[
        bool, typer.Option("--local", help="Check this instance's database against its own log.")
    ] = False,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            help="Monitor state file (pinned key and policy, last checkpoint). Default: one per"
            " URL under $XDG_STATE_HOME/tripartite/monitor/.",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="The log's verifier key (or a file holding it); default: pinned."
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="tlog-policy file: witnesses and quorum to require."),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-check every entry and record, not only new ones.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="HTTP timeout in seconds.")] = 30.0,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="With --local: the instance's data dir.")
    ] = None,
) -> None:
    """Check a Tripartite instance's public log (URL), or this database against its log."""
    if local == (url is not None):
        raise typer.BadParameter("give either a URL or --local")
    if local:
        _verify_local(data_dir)
        return
    assert url is not None
    _verify_remote(url, state, key, policy, full, timeout, progress)


def _verify_local(data_dir: Path | None) -> None:
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.ledger.integrity import verify_local

    discrepancies = list(verify_local())
    for d in discrepancies:
        typer.echo(f"[{d.kind}] {d.public_id}: {d.detail}")
    if discrepancies:
        raise _fail(f"FAILED: {len(discrepancies)} discrepancies between the database and its log")
    typer.echo("OK: every record version matches its log entry.")


def _verify_remote(
    url: str,
    state: Path | None,
    key: str | None,
    policy_file: Path | None,
    full: bool,
    timeout: float,
    progress: bool | None,
) -> None:
    from rich.console import Console

    from .monitor import Monitor, MonitorError, default_state_file

    policy_text = _read_text(policy_file, "policy") if policy_file else None
    console = Console(stderr=True)
    show = console.is_terminal if progress is None else progress
    try:
        state_file = state or default_state_file(url)
        monitor = Monitor(
            url,
            state_file,
            _key_text(key) if key else None,
            policy_text,
            full=full,
            timeout=timeout,
            progress=show,
            console=console,
        )
        report = monitor.run()
    except MonitorError as exc:
        raise _fail(f"error: {exc}", 2) from exc
    _print_report(report, state_file)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: Any, state_file: Path) -> None:
    echo = typer.echo
    echo(f"Log {report.origin or '?'} at {report.base_url}")
    if report.log_key:
        echo(f"  log key ({report.key_source}): {report.log_key}")
    if report.size is not None:
        echo(f"  checkpoint: {report.size} entries (last accepted: {report.previous_size})")
    if report.quorum is not None:
        echo(
            f"  witnesses: {', '.join(report.witnesses) or 'none'} (policy quorum"
            f" {report.quorum!r})"
        )
    else:
        echo("  witnesses: not checked (no policy given or pinned)")
    echo(f"  entries re-hashed: {report.entries_checked}")
    echo(f"  record versions fetched and hashed: {report.records_checked}")
    for note_line in report.notes:
        echo(f"  note: {note_line}")
    if report.state_advanced:
        echo(f"  state saved to {state_file}")
    elif report.size is not None or report.discrepancies:
        echo(f"  state not advanced ({state_file} keeps the last good checkpoint)")
    if report.discrepancies:
        echo(f"Discrepancies ({len(report.discrepancies)}):")
        for d in report.discrepancies:
            echo(f"  {d}")
        echo(f"FAILED: {len(report.discrepancies)} discrepancies")
    else:
        echo("OK: the log is consistent and every record matches it.")


# --------------------------------------------------------------------------
# verify-receipt
# --------------------------------------------------------------------------


def verify_receipt(
    receipt: Annotated[Path, typer.Argument(help="The downloaded .tlog-proof receipt.")],
    entry: Annotated[
        Path | None,
        typer.Option("--entry", help="The logged entry (its exact canonical JSON bytes)."),
    ] = None,
    record_json: Annotated[
        Path | None,
        typer.Option(
            "--record-json", help="The record version's canonical JSON (v<n>.json) to check."
        ),
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", help="The log's verifier key (or a file holding it).")
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="tlog-policy file: witnesses and quorum to require."),
    ] = None,
) -> None:
    """Check one downloaded receipt offline: signature, witness quorum, inclusion, content."""
    from .policy import Policy, PolicyError, parse_policy
    from .proof import (
        MalformedReceiptError,
        ReceiptInclusionError,
        ReceiptQuorumError,
        ReceiptSignatureError,
        ReceiptVerificationError,
        parse_receipt,
    )
    from .proof import verify_receipt as check_receipt

    if entry is None and record_json is None:
        raise typer.BadParameter("give --entry or --record-json (or both)")
    try:
        parsed_policy: Policy = parse_policy(
            _read_text(policy, "policy") if policy else "quorum none\n"
        )
    except PolicyError as exc:
        raise typer.BadParameter(f"invalid policy: {exc}") from exc
    keys = [_key_text(key)] if key else []
    if not keys and not parsed_policy.log_verifier_keys():
        raise typer.BadParameter("give the log's key with --key (or a policy with a log line)")
    try:
        parsed = parse_receipt(receipt.read_bytes())
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {receipt}: {exc}") from exc
    except MalformedReceiptError as exc:
        raise _fail(f"FAILED: {receipt} is not a valid receipt: {exc}") from exc

    if entry is not None:
        entry_bytes = entry.read_bytes().rstrip(b" \t\r\n")
    elif parsed.extra is not None:
        entry_bytes = parsed.extra
    else:
        raise _fail("FAILED: the receipt does not carry its entry; give it with --entry", 2)

    steps = {
        ReceiptSignatureError: "log signature",
        ReceiptQuorumError: "witness quorum",
        ReceiptInclusionError: "inclusion in the log",
    }
    try:
        result = check_receipt(parsed, entry_bytes, keys, parsed_policy)
    except ReceiptVerificationError as exc:
        step = next((v for k, v in steps.items() if isinstance(exc, k)), "verification")
        raise _fail(f"FAILED ({step}): {exc}") from exc
    except ValueError as exc:  # a malformed --key
        raise typer.BadParameter(str(exc)) from exc

    logged = _entry_fields(entry_bytes)
    public_id = logged.get("id", "?")
    typer.echo(
        f"Entry {public_id} v{logged.get('version', '?')}: {logged.get('op', '?')}"
        f" at {logged.get('at', '?')}"
    )
    typer.echo(
        f"  logged at index {result.index} of {result.checkpoint.origin}, checkpoint of"
        f" {result.checkpoint.size} entries: inclusion proof OK"
    )
    if policy is None:
        typer.echo("  witnesses: not checked (no --policy)")
    else:
        typer.echo(
            f"  witnesses: {', '.join(sorted(result.witnesses)) or 'none'} (quorum"
            f" {parsed_policy.quorum!r} met)"
        )
    if record_json is not None:
        _check_record_json(record_json, logged)
    typer.echo("OK: the receipt is valid.")


def _entry_fields(entry_bytes: bytes) -> dict[str, Any]:
    try:
        value = json.loads(entry_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _check_record_json(path: Path, logged: dict[str, Any]) -> None:
    """The record version's JSON must hash to the SHA-256 the log holds for it."""
    from tripartite.core.canonical import canonical_json

    data = path.read_bytes()
    expected = logged.get("sha256")
    if not isinstance(expected, str):
        raise _fail("FAILED (record): the logged entry has no sha256 to compare with")
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        # The file may have been re-formatted: compare its canonical form (RFC 8785).
        with contextlib.suppress(UnicodeDecodeError, ValueError, TypeError):
            digest = hashlib.sha256(canonical_json(json.loads(data.decode("utf-8")))).hexdigest()
    if digest != expected:
        raise _fail(
            f"FAILED (record): {path} has SHA-256 {digest}, but the log holds {expected}"
            f" for {logged.get('id', 'this record')} v{logged.get('version', '?')}:"
            " the record was altered"
        )
    typer.echo(f"  record {path.name}: SHA-256 matches the log")


# --------------------------------------------------------------------------
# witness
# --------------------------------------------------------------------------


def _default_state_dir() -> Path:
    return Path(os.environ.get("TRIPARTITE_DATA_DIR") or "var") / "witness"


StateDir = Annotated[
    Path | None,
    typer.Option(
        "--state-dir", help="Witness key and state (default: $TRIPARTITE_DATA_DIR/witness)."
    ),
]
WitnessName = Annotated[
    str | None,
    typer.Option("--name", help="Key name of a new witness, e.g. cso.example.org/witness."),
]


def witness_serve(
    bind: Annotated[str, typer.Option(help="HOST:PORT to listen on.")] = DEFAULT_WITNESS_BIND,
    state_dir: StateDir = None,
    log: Annotated[
        list[str] | None,
        typer.Option(
            "--log", help="A log to accept, ORIGIN=VKEY (repeatable).", show_default=False
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=f"File of 'log <vkey>' lines (a tlog-policy file works); default:"
            f" <state-dir>/{WITNESS_LOGS_FILE} if it exists.",
        ),
    ] = None,
    name: WitnessName = None,
    server: Annotated[str, typer.Option(help="wsgiref (threads) or gunicorn.")] = "wsgiref",
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
) -> None:
    """Run a C2SP tlog-witness: cosign each log checkpoint that extends the last one."""
    from . import witness as w

    directory = state_dir or _default_state_dir()
    config_file = config or (directory / WITNESS_LOGS_FILE)
    keys: list[VerifierKey] = []
    try:
        keys += [w.parse_log_option(option) for option in log or []]
        if config is not None or config_file.exists():
            keys += w.parse_log_config(_read_text(config_file, "witness configuration"))
        witness = w.Witness(directory, w.logs_by_origin(keys), name=name)
        host, port = w.parse_bind(bind)
    except w.WitnessConfigError as exc:
        raise _fail(f"error: {exc}", 2) from exc
    typer.echo(f"Witness {witness.name}")
    typer.echo(f"  verifier key: {witness.verifier_key}")
    for origin in sorted(witness.logs):
        typer.echo(f"  accepts {origin}")
    typer.echo(f"  state: {directory}")
    if server == "gunicorn":
        env = dict(os.environ)
        env[w.ENV_STATE_DIR] = str(directory.resolve())
        env[w.ENV_LOGS] = "\n".join(str(k) for k in keys)
        env.pop(w.ENV_CONFIG, None)
        typer.echo(f"  listening on http://{bind}/ (gunicorn, {workers} workers)")
        args = [sys.executable, "-m", "gunicorn", "tripartite.ledger.witness:application()"]
        args += ["--bind", bind, "--workers", str(workers), "--access-logfile", "-"]
        os.execvpe(sys.executable, args, env)  # noqa: S606 - our own interpreter
    if server != "wsgiref":
        raise typer.BadParameter("--server must be wsgiref or gunicorn")
    httpd = w.make_witness_server(witness, f"{host}:{port}")
    typer.echo(f"  listening on http://{bind}/add-checkpoint  (Ctrl-C to stop)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def witness_key(state_dir: StateDir = None, name: WitnessName = None) -> None:
    """Print the witness's verifier key (generating the key on first use)."""
    from . import witness as w

    directory = state_dir or _default_state_dir()
    created = not (directory / w.KEY_FILE).exists()
    try:
        key = w.load_or_create_key(directory, name)
    except w.WitnessConfigError as exc:
        raise _fail(f"error: {exc}", 2) from exc
    if created:
        typer.echo(f"generated a new witness key in {directory / w.KEY_FILE}", err=True)
    typer.echo(key.verifier_key().to_string())


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``verify-receipt`` and the ``witness`` sub-app to ``app``."""
    app.command("verify")(verify)
    app.command("verify-receipt")(verify_receipt)
    witness_app = typer.Typer(
        help="A transparency-log witness (c2sp.org/tlog-witness) for any sector.",
        no_args_is_help=True,
    )
    witness_app.command("serve")(witness_serve)
    witness_app.command("key")(witness_key)
    app.add_typer(witness_app, name="witness")
