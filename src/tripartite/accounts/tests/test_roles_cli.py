"""``tripartite roles grant|list`` as an operator runs it on a fresh site: a subprocess with
its own data dir (the first representatives of a forum come from here)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tripartite.tests.test_cli import run_cli


def make_account(data_dir: Path) -> None:
    """The account ``su@example.org``, made from the server's shell as an operator would."""
    made = run_cli(
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "get_user_model().objects.create_user('su', email='su@example.org')",
        data_dir=data_dir,
    )
    assert made.returncode == 0, made.stderr


def test_grant_then_list_a_role_on_a_fresh_site(tmp_path: Path) -> None:
    assert run_cli("manage", "migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    make_account(tmp_path)
    granted = run_cli("roles", "grant", "su@example.org", "support_unit", data_dir=tmp_path)
    assert granted.returncode == 0, granted.stderr
    assert json.loads(granted.stdout)["granted"] == "support_unit"
    listed = [
        json.loads(line) for line in run_cli("roles", "list", data_dir=tmp_path).stdout.splitlines()
    ]
    assert listed == [
        {"holder": "su", "email": "su@example.org", "role": "support_unit", "scope": ""}
    ]
    with sqlite3.connect(tmp_path / "tripartite.sqlite3") as db:
        (logged,) = db.execute(
            "SELECT count(*) FROM core_recordversion WHERE record_type='change'"
        ).fetchone()
    assert logged == 1  # the grant is on the log, as made by the site's own account


def test_a_grant_on_the_wrong_kind_of_record_or_an_unknown_address_is_refused(
    tmp_path: Path,
) -> None:
    assert run_cli("manage", "migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    unknown = run_cli("roles", "grant", "nobody@example.org", "operator", data_dir=tmp_path)
    assert unknown.returncode == 2 and "No account" in unknown.stderr
    run_cli(
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "get_user_model().objects.create_user('x', email='x@example.org')",
        data_dir=tmp_path,
    )
    wrong = run_cli(
        "roles", "grant", "x@example.org", "secretariat", "member/xx", data_dir=tmp_path
    )
    assert wrong.returncode == 2 and "forum" in wrong.stderr


def test_a_token_made_from_the_shell_lists_without_its_secret_and_revokes(
    tmp_path: Path,
) -> None:
    assert run_cli("manage", "migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    make_account(tmp_path)
    made = run_cli("tokens", "create", "su@example.org", "--name", "importer", data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("tpt_")
    listed = run_cli("tokens", "list", "su@example.org", data_dir=tmp_path)
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["name"] == "importer" and row["revoked"] is None
    assert secret not in listed.stdout and secret.startswith(row["starts_with"])
    revoked = run_cli("tokens", "revoke", str(row["id"]), data_dir=tmp_path)
    assert revoked.returncode == 0, revoked.stderr
    relisted = run_cli("tokens", "list", "su@example.org", data_dir=tmp_path)
    (after,) = [json.loads(line) for line in relisted.stdout.splitlines()]
    assert after["revoked"] is not None
