"""Production settings pass ``manage.py check --deploy`` with no warning at all, and refuse
to start with a weak secret key.

Each check runs in a subprocess, as an operator runs it, with only the production
environment: DEBUG off, a real secret key, the public host name.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tripartite.tests.environments import production_env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=env["TRIPARTITE_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(env, "-m", "django", "check", "--deploy", "--fail-level", "WARNING")


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path: Path) -> None:
    done = deploy_check(production_env(tmp_path))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "security." not in output, output


def test_with_hsts_preload_chosen_nothing_is_silenced(tmp_path: Path) -> None:
    done = deploy_check(production_env(tmp_path, TRIPARTITE_HSTS_PRELOAD="1"))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_a_plain_http_set_up_is_reported_by_the_deploy_check(tmp_path: Path) -> None:
    """What the benchmark and loopback set-ups switch off is exactly what the check flags,
    so a production server cannot run that way unnoticed."""
    env = production_env(tmp_path, TRIPARTITE_SSL_REDIRECT="0", TRIPARTITE_SECURE_COOKIES="0")
    done = deploy_check(env)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in output, output


def settings_of(env: dict[str, str]) -> dict[str, object]:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in ('SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'SECURE_REDIRECT_EXEMPT')}))"
    )
    done = run(env, "-c", script)
    assert done.returncode == 0, done.stderr
    loaded: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_production_defaults_and_the_reverse_proxy_header(tmp_path: Path) -> None:
    production = settings_of(production_env(tmp_path))
    assert production == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "SECURE_REDIRECT_EXEMPT": [],
    }
    proxied = settings_of(production_env(tmp_path, TRIPARTITE_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    custom = settings_of(production_env(tmp_path, TRIPARTITE_PROXY_SSL_HEADER="X-Scheme: HTTPS"))
    assert custom["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_SCHEME", "HTTPS"]
    debug = settings_of(production_env(tmp_path, TRIPARTITE_DEBUG="1"))
    assert debug["SECURE_SSL_REDIRECT"] is False and debug["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize(
    "weak", ["short", "django-insecure-" + "x1y2z3" * 10, "ab" * 40], ids=["short", "dj", "rep"]
)
def test_a_weak_secret_key_stops_a_production_start(tmp_path: Path, weak: str) -> None:
    done = deploy_check(production_env(tmp_path, TRIPARTITE_SECRET_KEY=weak))
    assert done.returncode != 0
    assert "TRIPARTITE_SECRET_KEY is too weak for production" in done.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    env = production_env(tmp_path, TRIPARTITE_SECRET_KEY_FILE=str(key_file))
    del env["TRIPARTITE_SECRET_KEY"]
    done = deploy_check(env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "secret_key").exists()  # nothing generated: the file's key is used
