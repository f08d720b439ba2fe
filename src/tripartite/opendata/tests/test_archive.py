"""The exit-proof archive: export the Mexico 2017 demo, verify it offline, tamper with it."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bagit
import pytest
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.core.models import RecordVersion
from tripartite.demo.mexico import load_mexico_2017
from tripartite.forums.tests import factories
from tripartite.ledger import keys
from tripartite.ledger.models import Checkpoint
from tripartite.ledger.monitor import Monitor
from tripartite.ledger.note import generate_key
from tripartite.ledger.services import sign_checkpoint
from tripartite.opendata.archive import (
    ArchiveError,
    ExtraPayload,
    export_archive,
    register_payload_provider,
    unregister_payload_provider,
    verify_archive,
)

pytestmark = pytest.mark.django_db
runner = CliRunner()
ORIGIN = "tripartite.test/log"


@pytest.fixture
def signing(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_ORIGIN = ORIGIN
    settings.TRIPARTITE_LOG_WITNESSES = []
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    keys.clear_cache()
    yield
    keys.clear_cache()


@pytest.fixture
def demo(signing: None) -> Checkpoint:
    assert load_mexico_2017() > 0
    signed = sign_checkpoint()
    assert signed is not None
    return signed


@pytest.fixture
def archive(demo: Checkpoint, tmp_path: Path) -> Path:
    target = tmp_path / "archive"
    export_archive(target)
    return target


def kinds(report: Any) -> set[str]:
    return {p.kind for p in report.problems}


def regenerate_manifests(path: Path) -> None:
    """What a careful forger does after editing files: make the BagIt manifests agree."""
    bagit.Bag(str(path)).save(manifests=True)


def first_record(archive: Path) -> tuple[Path, str]:
    path = sorted((archive / "data" / "records" / "letter").rglob("v1.json"))[0]
    return path, f"letter/{path.parent.name}"


# --------------------------------------------------------------------------
# The honest archive
# --------------------------------------------------------------------------


def test_demo_archive_is_a_valid_bag_that_verifies(demo: Checkpoint, tmp_path: Path) -> None:
    target = tmp_path / "archive"
    summary = export_archive(target)
    assert summary.size == demo.size == RecordVersion.objects.count()
    assert summary.versions == demo.size
    assert not summary.mismatches
    bagit.Bag(str(target)).validate()  # raises on any problem
    data = target / "data"
    assert (data / "log" / "checkpoint").read_text() == demo.note
    assert (data / "README.txt").read_text().count("verify-archive") >= 1
    # Every version's bytes exactly as logged: the same SHA-256.
    for version in RecordVersion.objects.all():
        path = data / "records" / version.record_type / version.record_key
        digest = hashlib.sha256((path / f"v{version.version}.json").read_bytes()).hexdigest()
        assert digest == version.sha256
    receipts = list((data / "records").rglob("*.receipt"))
    records = {(v.record_type, v.record_key) for v in RecordVersion.objects.all()}
    assert len(receipts) == len(records) == summary.records

    report = verify_archive(target)
    assert report.ok, [str(p) for p in report.problems]
    assert report.entries_checked == report.records_checked == demo.size
    assert report.receipts_checked == len(records)
    assert report.key_source == "archive"


def test_cli_export_and_verify(demo: Checkpoint, tmp_path: Path) -> None:
    target = tmp_path / "bag"
    result = runner.invoke(app, ["archive", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert f"checkpoint {demo.size}" in result.output
    result = runner.invoke(app, ["verify-archive", str(target), "--key", keys.log_vkey()])
    assert result.exit_code == 0, result.output
    assert "OK: the archive is complete" in result.output
    assert "log key (given)" in result.output


def test_export_archive_option(demo: Checkpoint, tmp_path: Path) -> None:
    """``tripartite export --archive DIR`` (the open-data export command) writes the same."""
    result = runner.invoke(app, ["export", "--archive", str(tmp_path / "bag")])
    assert result.exit_code == 0, result.output
    assert verify_archive(tmp_path / "bag").ok


def test_receipt_checks_with_verify_receipt(archive: Path) -> None:
    """A receipt from the archive is what ``tripartite verify-receipt`` accepts."""
    record, _public_id = first_record(archive)
    receipts = sorted(record.parent.glob("*.receipt"))
    result = runner.invoke(
        app,
        [
            "verify-receipt",
            str(receipts[0]),
            "--record-json",
            str(receipts[0].with_suffix(".json")),
            "--key",
            keys.log_vkey(),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "SHA-256 matches the log" in result.output


def test_archive_served_statically_passes_the_monitor(archive: Path, tmp_path: Path) -> None:
    """data/ has the layout of the public log: a static server of it passes ``verify URL``."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(archive / "data"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        report = Monitor(url, tmp_path / "state.json", keys.log_vkey()).run()
    finally:
        server.shutdown()
        server.server_close()
    assert report.ok, [str(d) for d in report.discrepancies]
    assert report.records_checked == report.size


def test_versions_after_the_checkpoint_are_left_out(demo: Checkpoint, tmp_path: Path) -> None:
    factories.member(key="late")
    summary = export_archive(tmp_path / "a")
    assert summary.after_checkpoint == 1
    assert not (tmp_path / "a" / "data" / "records" / "member" / "late").exists()
    assert verify_archive(tmp_path / "a").ok


def test_export_refuses_without_checkpoint_or_into_a_full_directory(
    signing: None, tmp_path: Path
) -> None:
    with pytest.raises(ArchiveError, match="no checkpoint"):
        export_archive(tmp_path / "a")
    factories.member(key="m1")
    sign_checkpoint()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ArchiveError, match="not empty"):
        export_archive(tmp_path / "full")


# --------------------------------------------------------------------------
# Tampering
# --------------------------------------------------------------------------


def test_one_altered_byte_is_named(archive: Path) -> None:
    path, public_id = first_record(archive)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify_archive(archive)
    assert not report.ok
    relative = path.relative_to(archive).as_posix()
    bag = [p for p in report.problems if p.kind == "bag"]
    assert bag and any(relative in str(p) for p in bag)
    hashes = [p for p in report.problems if p.kind == "record-hash"]
    assert len(hashes) == 1 and hashes[0].where == f"{public_id} v1"
    assert "altered" in hashes[0].detail
    # Even with manifests made to agree, the log still names the record.
    regenerate_manifests(archive)
    report = verify_archive(archive)
    assert kinds(report) == {"record-hash"}
    result = runner.invoke(app, ["verify-archive", str(archive)])
    assert result.exit_code == 1
    assert f"[record-hash] {public_id} v1" in result.output


def test_a_removed_record_is_named(archive: Path) -> None:
    path, public_id = first_record(archive)
    path.unlink()
    report = verify_archive(archive)
    assert "bag" in kinds(report)
    missing = [p for p in report.problems if p.kind == "record-missing"]
    assert len(missing) == 1 and missing[0].where == f"{public_id} v1"
    regenerate_manifests(archive)
    assert kinds(verify_archive(archive)) == {"record-missing"}


def test_an_added_file_is_named(archive: Path) -> None:
    extra = archive / "data" / "records" / "letter" / "forged" / "v1.json"
    extra.parent.mkdir()
    extra.write_bytes(b"{}")
    regenerate_manifests(archive)
    report = verify_archive(archive)
    assert kinds(report) == {"record-unlogged"}
    assert report.problems[0].where == "records/letter/forged/v1.json"


def test_a_swapped_checkpoint_is_refused(demo: Checkpoint, tmp_path: Path) -> None:
    factories.member(key="later")
    newer = sign_checkpoint()
    assert newer is not None and newer.size == demo.size + 1
    target = tmp_path / "archive"
    export_archive(target)
    # Put the older (genuinely signed) checkpoint in place of the archived one.
    (target / "data" / "log" / "checkpoint").write_text(demo.note)
    regenerate_manifests(target)
    report = verify_archive(target)
    # The older checkpoint is genuine, but the archive holds more than it covers, and the
    # receipts were made against another checkpoint.
    assert kinds(report) == {"entries", "record-unlogged", "receipt-checkpoint"}
    swapped = next(p for p in report.problems if p.kind == "entries")
    assert "swapped for an older one" in swapped.detail
    unlogged = [p for p in report.problems if p.kind == "record-unlogged"]
    assert sorted(str(p.where) for p in unlogged) == [
        "records/member/later/v1.json",
        "records/member/later/v1.receipt",
    ]
    result = runner.invoke(app, ["verify-archive", str(target)])
    assert result.exit_code == 1 and "[entries] log/checkpoint" in result.output


def test_a_checkpoint_of_another_tree_is_refused(archive: Path) -> None:
    """A validly signed checkpoint of the same size but another root (a forked log)."""
    from tripartite.ledger.checkpoint import Checkpoint as Body
    from tripartite.ledger.checkpoint import sign_checkpoint as sign_note

    note = (archive / "data" / "log" / "checkpoint").read_text()
    size = int(note.splitlines()[1])
    forged = sign_note(Body(ORIGIN, size, bytes(32)), keys.log_signer())
    (archive / "data" / "log" / "checkpoint").write_bytes(forged)
    regenerate_manifests(archive)
    report = verify_archive(archive)
    assert {"tree", "tiles", "receipt-checkpoint"} <= kinds(report)
    tree = next(p for p in report.problems if p.kind == "tree")
    assert "swapped or altered" in tree.detail


def test_a_checkpoint_by_another_key_is_refused(archive: Path) -> None:
    _skey, other = generate_key(ORIGIN)
    report = verify_archive(archive, log_vkey=other)
    assert "checkpoint-signature" in kinds(report)
    assert "receipt" in kinds(report)
    # A forger who re-signs with his own key and puts it in the archive: only --key catches it.
    (archive / "data" / "log" / "key").write_text(other + "\n")
    regenerate_manifests(archive)
    report = verify_archive(archive, log_vkey=keys.log_vkey())
    assert report.notes and "another log key" in report.notes[0]
    assert report.ok  # the genuine key verifies the genuine checkpoint
    report = verify_archive(archive)
    assert "checkpoint-signature" in kinds(report)


# --------------------------------------------------------------------------
# Extra payloads (document blobs)
# --------------------------------------------------------------------------


def test_extra_payload_providers(demo: Checkpoint, tmp_path: Path) -> None:
    blob = b"%PDF-1.4 minutes of the meeting\n"
    digest = hashlib.sha256(blob).hexdigest()

    def provider() -> list[ExtraPayload]:
        return [
            ExtraPayload(
                f"{digest}.pdf", lambda: [blob], digest, "document/minutes", "application/pdf"
            )
        ]

    register_payload_provider("test-files", provider)
    try:
        target = tmp_path / "archive"
        summary = export_archive(target)
    finally:
        unregister_payload_provider("test-files")
    assert summary.extra["test-files"] == 1
    stored = target / "data" / "extra" / "test-files" / f"{digest}.pdf"
    assert stored.read_bytes() == blob
    report = verify_archive(target)
    assert report.ok and report.extra_checked == 1
    stored.write_bytes(blob + b"x")
    regenerate_manifests(target)
    report = verify_archive(target)
    assert kinds(report) == {"extra-hash"}
    assert report.problems[0].where == "document/minutes"
