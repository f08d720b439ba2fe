"""``make security``: the attack checks of the project, on loopback only.

1. bandit over ``src/tripartite`` (tests excluded): no finding of HIGH severity.
2. Django's ``check --deploy`` in production settings: no warning at all.
3. The pytest marker ``security``: CSRF, stored and reflected XSS, access control.
4. sqlmap against every parameterised GET endpoint of a production server (gunicorn, as
   ``tripartite serve`` runs it) on a throwaway data directory with the demo data: the API's
   operations with path and query parameters (from its OpenAPI description) and the pages
   with keys or filters (from the URL map). Any injectable parameter fails the run.

Prints one line per check and a summary; exits non-zero when any check fails.
Usage: ``python scripts/security.py [--only bandit|deploy|tests|sqlmap ...] [--keep]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tripartite.tests.environments import production_env

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHECKS = ("bandit", "deploy", "tests", "sqlmap")

# sqlmap, bounded so the whole scan stays within a few minutes on two cores: the default
# level and risk (no UPDATE/DELETE-shaped payloads), boolean-blind, error-based and UNION
# techniques (time-based blind would need a sleep per payload), short timeouts.
SQLMAP_OPTIONS = (
    "--batch",
    "--level=1",
    "--risk=1",
    "--technique=BEU",
    "--threads=4",
    "--timeout=10",
    "--retries=1",
    "--disable-coloring",
    "--skip-waf",
    "--flush-session",
)
# Values that select real demo records, for the query filters the scan injects into.
FILTER_VALUES = {
    "member": "mx",
    "forum": "mx-stt",
    "plan": "mx-2016-2018",
    "commitment": "MX0064",
    "year": "2017",
    "q": "transparencia",
    "limit": "10",
    "offset": "0",
}
# Keys of demo records that no API list shows (organisations and people are reached from
# seats and pages only).
KNOWN_KEYS = {
    "/api/v1/organizations": "fundar",
    "/api/v1/people": "arely-gomez-gonzalez",
}


@dataclass
class Outcome:
    check: str
    passed: bool
    summary: str


def say(text: str) -> None:
    print(text, flush=True)


# ---------------------------------------------------------------- environments


def tripartite(
    *args: str, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(BIN / "tripartite"), *args],
        env=env,
        cwd=env["TRIPARTITE_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ---------------------------------------------------------------- 1. bandit


def check_bandit() -> Outcome:
    report = subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(BIN / "bandit"),
            "-r",
            str(ROOT / "src" / "tripartite"),
            "-x",
            "*/tests/*",
            "-f",
            "json",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        results = json.loads(report.stdout)
    except json.JSONDecodeError:
        return Outcome("bandit", False, f"bandit did not report: {report.stderr[-500:]}")
    findings = results["results"]
    high = [r for r in findings if r["issue_severity"] == "HIGH"]
    for finding in high:
        say(
            f"  HIGH {finding['test_id']} {finding['filename']}:{finding['line_number']} "
            f"{finding['issue_text']}"
        )
    counts = {
        level: sum(r["issue_severity"] == level for r in findings)
        for level in ("HIGH", "MEDIUM", "LOW")
    }
    errors = results.get("errors") or []
    summary = ", ".join(f"{n} {level.lower()}" for level, n in counts.items())
    if errors:
        summary += f"; {len(errors)} files not scanned"
    return Outcome("bandit", not high and not errors, summary)


# ---------------------------------------------------------------- 2. check --deploy


def check_deploy() -> Outcome:
    with tempfile.TemporaryDirectory(prefix="tripartite-security-") as scratch:
        env = production_env(Path(scratch), TRIPARTITE_ALLOWED_HOSTS="tripartite.example.org")
        done = tripartite("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    output = (done.stdout + done.stderr).strip()
    passed = done.returncode == 0 and "WARNING" not in output
    if not passed:
        say("  " + output.replace("\n", "\n  "))
    return Outcome("deploy", passed, output.splitlines()[-1] if output else "no output")


# ---------------------------------------------------------------- 3. pytest -m security


def check_tests() -> Outcome:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "security"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0:
        say("  " + "\n  ".join(lines[-40:]))
    return Outcome("tests", done.returncode == 0, lines[-1] if lines else done.stderr[-300:])


# ---------------------------------------------------------------- 4. sqlmap


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback URL we built
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {seconds} s")


@contextmanager
def production_server(data_dir: Path) -> Iterator[str]:
    """gunicorn as ``tripartite serve`` runs it, on a free loopback port, demo data loaded.

    Plain HTTP on loopback: the HTTPS redirect and secure-only cookies are off, as for the
    benchmark; every other production setting stays."""
    port = free_port()
    env = production_env(
        data_dir,
        TRIPARTITE_ALLOWED_HOSTS="127.0.0.1",
        TRIPARTITE_SSL_REDIRECT="0",
        TRIPARTITE_SECURE_COOKIES="0",
    )
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    loaded = tripartite("load-demo", "--data-dir", str(data_dir), env=env)
    if loaded.returncode != 0:
        raise RuntimeError(f"load-demo failed: {loaded.stderr[-1000:]}")
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [
            str(BIN / "tripartite"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / "server.log").open("wb"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/v1/members", server)
        yield base
    finally:
        # The server runs in its own process group (gunicorn and its workers): end it all.
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        answer: dict[str, Any] = json.load(response)
    return answer


def first_key(base: str, collection: str) -> str | None:
    """The key of the first record an API list shows (its public id after the type)."""
    items = get_json(f"{base}{collection}?limit=1").get("items") or []
    return items[0]["id"].split("/", 1)[-1] if items else None


def query_value(parameter: dict[str, Any]) -> str:
    """A value of the parameter's type that selects real data where the name says how."""
    name = parameter["name"]
    if name in FILTER_VALUES:
        return FILTER_VALUES[name]
    schema = parameter.get("schema", {})
    for choice in [schema, *schema.get("anyOf", [])]:
        if "enum" in choice:
            return str(choice["enum"][0])
        if "$ref" in choice:
            return ""
        if choice.get("type") == "integer":
            return "1"
        if choice.get("type") == "boolean":
            return "true"
    return "mx"


def api_targets(base: str) -> tuple[list[str], list[str]]:
    """One URL per GET operation with parameters; ``*`` marks each path parameter. Also
    the detail operations left out because the demo has no record of their type (a 404
    baseline gives sqlmap nothing to compare): they are named in the output."""
    description = get_json(f"{base}/api/v1/openapi.json")
    schemas = description.get("components", {}).get("schemas", {})
    targets, skipped = [], []
    for path, item in description["paths"].items():
        operation = item.get("get")
        if not operation or not operation.get("parameters"):
            continue
        url = path
        if "{key}" in path:
            collection = path.split("/{key}")[0]
            key = (
                first_key(base, collection)
                if collection in description["paths"]
                else KNOWN_KEYS.get(collection, "mx")
            )
            if key is None:
                skipped.append(path)
                continue
            url = url.replace("{key}", urllib.parse.quote(key) + "*")
        url = url.replace("{record_type}", "member*").replace("{version}", "1*")
        query = {}
        for parameter in operation["parameters"]:
            if parameter["in"] == "query":
                schema = parameter.get("schema", {})
                ref = schema.get("$ref") or next(
                    (c["$ref"] for c in schema.get("anyOf", []) if "$ref" in c), None
                )
                enum = schemas.get(ref.rsplit("/", 1)[-1], {}).get("enum") if ref else None
                query[parameter["name"]] = str(enum[0]) if enum else query_value(parameter)
        targets.append(base + url + ("?" + urllib.parse.urlencode(query) if query else ""))
    return targets, skipped


def page_targets(base: str) -> list[str]:
    """Pages that take a key in the path or filters in the query string."""
    keys = {
        "member": "mx",
        "forum": "mx-stt",
        "letter": first_key(base, "/api/v1/letters"),
        "plan": first_key(base, "/api/v1/plans"),
        "commitment": first_key(base, "/api/v1/commitments"),
        "case": first_key(base, "/api/v1/cases"),
    }
    targets = [
        f"{base}/search/?q=transparencia&type=letter&member=mx&year=2017&sector=civil_society"
        "&language=es&page=1",
        f"{base}/search.json?q=transparencia&type=letter&member=mx&year=2017",
        f"{base}/letters/?type=withdrawal&year=2017&sector=civil_society&member=mx&page=1",
        f"{base}/plans/?member=mx&state=implementing",
        f"{base}/cases/?member=mx&state=open",
        f"{base}/history/member/mx*/",
        f"{base}/records/member/mx*/v1*.json",
        f"{base}/organization/fundar*/",
        f"{base}/person/arely-gomez-gonzalez*/",
    ]
    targets += [f"{base}/{kind}/{key}*/" for kind, key in keys.items() if key]
    targets += [f"{base}/{kind}/{key}*.json" for kind, key in keys.items() if key]
    return targets


def untested_targets(log: str) -> list[str]:
    """Targets sqlmap could not test at all (a 404 or a refused connection): each one
    would be a parameter silently left out of the scan."""
    untested, current = [], ""
    for line in log.splitlines():
        if "testing URL '" in line:
            current = line.split("testing URL '", 1)[1].rstrip("'")
        elif "[CRITICAL]" in line and "going to retry" not in line:
            untested.append(f"{current}: {line.split('[CRITICAL]', 1)[1].strip()}")
    return list(dict.fromkeys(untested))


def sqlmap_findings(output_dir: Path) -> list[dict[str, str]]:
    """The injection points sqlmap's multiple-target results file lists."""
    found = []
    for results in output_dir.glob("results-*.csv"):
        with results.open(newline="") as handle:
            found += [row for row in csv.DictReader(handle) if row.get("Parameter")]
    return found


def run_sqlmap(sqlmap: str, targets: Path, output_dir: Path) -> subprocess.CompletedProcess[str]:
    """One sqlmap run over every URL of ``targets``; results land in ``output_dir``."""
    return subprocess.run(  # noqa: S603 - fixed arguments, loopback targets
        [
            sqlmap,
            "-m",
            str(targets),
            *SQLMAP_OPTIONS,
            f"--output-dir={output_dir}",
            f"--results-file={output_dir / 'results-scan.csv'}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def check_sqlmap(keep: bool) -> Outcome:
    sqlmap = shutil.which("sqlmap")
    if sqlmap is None:
        return Outcome("sqlmap", False, "sqlmap is not installed (apt-get install -y sqlmap)")
    scratch = Path(tempfile.mkdtemp(prefix="tripartite-sqlmap-"))
    try:
        with production_server(scratch) as base:
            api, skipped = api_targets(base)
            targets = api + page_targets(base)
            (scratch / "targets.txt").write_text("\n".join(targets) + "\n")
            say(f"  {len(api)} API and {len(targets) - len(api)} page URLs on {base}")
            if skipped:
                say(f"  no demo record, not scanned: {', '.join(skipped)}")
            started = time.monotonic()
            done = run_sqlmap(sqlmap, scratch / "targets.txt", scratch / "sqlmap")
            seconds = time.monotonic() - started
        (scratch / "sqlmap.log").write_text(done.stdout + done.stderr)
        findings = sqlmap_findings(scratch / "sqlmap")
        for finding in findings:
            say(f"  INJECTABLE {finding}")
        untested = untested_targets(done.stdout)
        for target in untested:
            say(f"  UNTESTED {target}")
        crashed = done.returncode != 0
        summary = (
            f"{len(targets)} URLs, {len(findings)} injectable parameters, "
            f"{len(untested)} URLs untested, sqlmap {seconds:.0f} s"
            + (f"; sqlmap exited {done.returncode}" if crashed else "")
        )
        return Outcome("sqlmap", not (findings or untested or crashed), summary)
    finally:
        if keep:
            say(f"  kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=CHECKS, help="run only these checks")
    parser.add_argument("--keep", action="store_true", help="keep sqlmap's data directory")
    args = parser.parse_args(argv)
    outcomes = []
    for check in args.only or CHECKS:
        say(f"== {check}")
        started = time.monotonic()
        if check == "bandit":
            outcome = check_bandit()
        elif check == "deploy":
            outcome = check_deploy()
        elif check == "tests":
            outcome = check_tests()
        else:
            outcome = check_sqlmap(args.keep)
        outcome.summary += f" ({time.monotonic() - started:.0f} s)"
        say(f"  {'ok' if outcome.passed else 'FAILED'}: {outcome.summary}")
        outcomes.append(outcome)
    say("== summary")
    for outcome in outcomes:
        say(f"  {'ok    ' if outcome.passed else 'FAILED'} {outcome.check}: {outcome.summary}")
    return 0 if all(outcome.passed for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
