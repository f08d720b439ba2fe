"""``tripartite concerns keygen`` and ``open`` on the recipient's machine."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.confidential import sealing, services
from tripartite.confidential.models import SealedSubmission
from tripartite.core.actors import system_actor

from .helpers import recipient

pytestmark = pytest.mark.django_db

MESSAGE = {"kind": "concern", "about": "Mexico", "message": "Sealed words", "contact": ""}


def keygen(path: Path) -> str:
    result = CliRunner().invoke(app, ["concerns", "keygen", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def submit() -> SealedSubmission:
    from tripartite.confidential.queries import active_recipients

    copies = sealing.seal_message(
        MESSAGE, [(r.public_id, r.public_key) for r in active_recipients()]
    )
    submission, _code = services.submit_sealed(AnonymousUser(), copies=copies)
    return submission


def test_keygen_writes_a_private_file_and_prints_the_public_key(tmp_path: Path) -> None:
    path = tmp_path / "me.key"
    public = keygen(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sealing.read_key_file(path).public_b64 == public
    again = CliRunner().invoke(app, ["concerns", "keygen", "--out", str(path)])
    assert again.exit_code == 2  # never overwrites a key


def test_open_opens_what_was_sealed_to_the_key_and_lists_the_rest(tmp_path: Path) -> None:
    mine = tmp_path / "me.key"
    services.register_recipient_key(system_actor(), name="Me", public_key=keygen(mine))
    first = submit()
    other, _pair = recipient("Other")
    services.retire_recipient_key(system_actor(), first.recipients.get())
    second = submit()  # sealed to Other only
    result = CliRunner().invoke(app, ["concerns", "open", "--key", str(mine)])
    assert result.exit_code == 0, result.output
    opened = json.loads(result.stdout)
    assert opened["id"] == first.public_id and opened["message"] == "Sealed words"
    assert "1 opened with this key." in result.stderr
    assert f"1 sealed to other keys only: {second.public_id}" in result.stderr
    assert other.public_id in [r.public_id for r in second.recipients.all()]


def test_open_writes_private_files(tmp_path: Path) -> None:
    mine = tmp_path / "me.key"
    services.register_recipient_key(system_actor(), name="Me", public_key=keygen(mine))
    submission = submit()
    out = tmp_path / "opened"
    result = CliRunner().invoke(app, ["concerns", "open", "--key", str(mine), "--out", str(out)])
    assert result.exit_code == 0, result.output
    target = out / f"{submission.key}.json"
    assert json.loads(target.read_text())["message"] == "Sealed words"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Sealed words" not in result.stdout


def test_a_wrong_key_opens_nothing_and_says_so(tmp_path: Path) -> None:
    recipient("Someone else")
    submit()
    stranger = tmp_path / "stranger.key"
    keygen(stranger)
    result = CliRunner().invoke(app, ["concerns", "open", "--key", str(stranger)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 opened with this key." in result.stderr
    assert "1 sealed to other keys only" in result.stderr


def test_a_copy_that_does_not_open_or_a_changed_bundle_is_reported(tmp_path: Path) -> None:
    mine = tmp_path / "me.key"
    services.register_recipient_key(system_actor(), name="Me", public_key=keygen(mine))
    submission = submit()
    # The host swaps the ciphertext: it no longer matches the logged SHA-256.
    SealedSubmission.objects.filter(pk=submission.pk).update(bundle=b"{}")
    result = CliRunner().invoke(app, ["concerns", "open", "--key", str(mine)])
    assert result.exit_code == 1
    assert "does not match its logged SHA-256" in result.stderr


def test_a_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_text("nothing")
    result = CliRunner().invoke(app, ["concerns", "open", "--key", str(path)])
    assert result.exit_code == 2
