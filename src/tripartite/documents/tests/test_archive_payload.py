"""Documents in the exit-proof archive: public files travel with their logged hash, sealed
originals do not, and verify-archive checks every file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tripartite.core.actors import system_actor
from tripartite.demo.mexico import load_mexico_2017
from tripartite.documents import services
from tripartite.documents.tests import files
from tripartite.documents.tests.factories import upload
from tripartite.ledger import keys
from tripartite.ledger.services import sign_checkpoint
from tripartite.opendata.archive import export_archive, verify_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_ORIGIN = "tripartite.test/log"
    settings.TRIPARTITE_LOG_WITNESSES = []
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    settings.TRIPARTITE_BLOB_DIR = tmp_path / "blobs"
    keys.clear_cache()
    yield
    keys.clear_cache()


def test_public_files_are_archived_and_verified_sealed_originals_stay_out(
    signing: None, tmp_path: Path
) -> None:
    load_mexico_2017()
    document = upload("meeting/mx-stt-2016-04-15", "stt-minutes-2016-04")
    original = document.versions.get(number=1)
    services.redact_version(
        system_actor(),
        document,
        number=1,
        filename="acta-testada.pdf",
        data=files.pdf(["Acta testada"]),
        reason="Names of private individuals removed.",
    )
    assert sign_checkpoint() is not None

    target = tmp_path / "archive"
    summary = export_archive(target)

    stored = sorted(p for p in (target / "data" / "extra" / "documents").rglob("*") if p.is_file())
    redacted = document.versions.get(number=2)
    assert summary.extra["documents"] == 1
    assert [p.name for p in stored if p.name != "index.jsonl"] == [f"2-{redacted.sha256}"]
    assert not list(target.rglob(f"*{original.sha256}"))
    report = verify_archive(target)
    assert report.ok and report.extra_checked == 1
