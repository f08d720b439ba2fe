"""Mirroring a live instance (pytest-django ``live_server``) of the Mexico 2017 demo.

The source and the mirror share the test database (different tables), as the monitor tests
do; everything the mirror learns comes over HTTP from the live server.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.core.models import RecordVersion
from tripartite.demo.mexico import load_mexico_2017
from tripartite.forums.tests import factories
from tripartite.ledger import keys
from tripartite.ledger.services import sign_checkpoint
from tripartite.opendata.mirror import run_mirror, verify_mirror
from tripartite.opendata.mirror_models import MirrorEntry, MirrorRecordVersion, MirrorSource

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()
ORIGIN = "tripartite.test/log"


@pytest.fixture
def source(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[str]:
    """A live instance with the demo loaded and a signed checkpoint (no witnesses)."""
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_ORIGIN = ORIGIN
    settings.TRIPARTITE_LOG_WITNESSES = []
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    keys.clear_cache()
    load_mexico_2017()
    assert sign_checkpoint() is not None
    yield str(live_server.url)
    keys.clear_cache()


def alter_version(record_type: str, key: str, version: int, field: str, value: str) -> None:
    found = RecordVersion.objects.get(record_type=record_type, record_key=key, version=version)
    content = dict(found.content)
    content[field] = value
    param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_recordversion SET content = {param} WHERE id = %s",
            [json.dumps(content), found.pk],
        )


def stored(public_id: str, version: int) -> MirrorRecordVersion:
    record_type, _sep, key = public_id.partition("/")
    return MirrorRecordVersion.objects.get(record_type=record_type, record_key=key, version=version)


# --------------------------------------------------------------------------


def test_mirror_of_the_demo_verifies_and_is_served(source: str) -> None:
    result = run_mirror(source, keys.log_vkey())
    report = result.report
    assert report.ok, [str(d) for d in report.discrepancies]
    total = RecordVersion.objects.count()
    assert report.size == total
    assert result.entries_stored == MirrorEntry.objects.count() == total
    assert result.versions_stored == MirrorRecordVersion.objects.count() == total
    mirror = result.source
    assert (mirror.origin, mirror.slug, mirror.size) == (ORIGIN, "tripartite-test-log", total)
    assert set(MirrorRecordVersion.objects.values_list("verified_size", flat=True)) == {total}
    # The mirror's own copy passes the same checks offline.
    assert verify_mirror(mirror) == []
    # Exact bytes: each stored version hashes to its logged SHA-256.
    for version in RecordVersion.objects.all()[:20]:
        copy = stored(version.public_id, version.version)
        assert hashlib.sha256(bytes(copy.content)).hexdigest() == version.sha256

    client = Client()
    listing = client.get("/mirrors/")
    assert listing.status_code == 200
    assert ORIGIN in listing.content.decode() and source in listing.content.decode()
    page = client.get(mirror.get_absolute_url())
    assert page.status_code == 200 and "letter/" in page.content.decode()
    letter = MirrorRecordVersion.objects.filter(record_type="letter").first()
    assert letter is not None
    record_page = client.get(f"/mirrors/{mirror.slug}/letter/{letter.record_key}/")
    html = record_page.content.decode()
    assert record_page.status_code == 200
    assert f"Mirrored from {ORIGIN}" in html and f"verified at checkpoint {total}" in html
    raw = client.get(f"/mirrors/{mirror.slug}/records/letter/{letter.record_key}/v1.json")
    assert hashlib.sha256(raw.content).hexdigest() == raw["X-Content-SHA256"]
    assert client.get(f"/mirrors/{mirror.slug}/letter/nope/").status_code == 404


def test_rerun_fetches_only_what_is_new(source: str) -> None:
    first = run_mirror(source, keys.log_vkey())
    assert first.report.ok
    size = first.report.size
    factories.member(key="newcomer")
    sign_checkpoint()
    second = run_mirror(source)  # the key is pinned now
    assert second.report.ok, [str(d) for d in second.report.discrepancies]
    assert second.report.previous_size == size
    assert second.report.entries_checked == 1 and second.report.records_checked == 1
    assert (second.entries_stored, second.versions_stored) == (1, 1)
    assert stored("member/newcomer", 1).verified_size == size + 1
    assert verify_mirror(second.source) == []
    third = run_mirror(source)
    assert third.report.ok and third.report.entries_checked == 0


def test_record_altered_at_the_source_is_reported_not_copied(source: str, attacker: None) -> None:
    run_mirror(source, keys.log_vkey())
    letter = MirrorRecordVersion.objects.filter(record_type="letter").order_by("id").first()
    assert letter is not None
    public_id, original = letter.public_id, bytes(letter.content)
    alter_version("letter", letter.record_key, 1, "subject", "We never left")
    # An incremental run has nothing new to fetch; a full run re-checks every version.
    result = run_mirror(source, full=True)
    named = [d for d in result.report.discrepancies if d.kind == "record-hash"]
    assert [(d.public_id, d.version) for d in named] == [(public_id, 1)]
    assert result.kept == 1 and result.versions_stored == 0
    assert bytes(stored(public_id, 1).content) == original  # the verified copy stays
    assert verify_mirror(result.source) == []
    assert result.source.last_problems == 1


def test_new_version_altered_before_mirroring_is_not_stored(source: str, attacker: None) -> None:
    from tripartite.core.actors import system_actor
    from tripartite.forums import services as forum_services
    from tripartite.forums.models import Letter

    run_mirror(source, keys.log_vkey())
    letter = Letter.objects.order_by("id").first()
    assert letter is not None
    forum_services.update_record(
        system_actor(), letter, changes={"subject": "A corrected subject"}, reason="typo"
    )
    sign_checkpoint()
    alter_version("letter", letter.key, letter.version, "subject", "Something else")
    result = runner.invoke(app, ["mirror", source, "--no-progress"])
    assert result.exit_code == 1
    assert f"[record-hash] letter/{letter.key} v{letter.version}" in result.output
    assert not MirrorRecordVersion.objects.filter(
        record_type="letter", record_key=letter.key, version=letter.version
    ).exists()
    # The entry is mirrored (the log itself checked out); the version is not.
    assert MirrorSource.objects.get().size == RecordVersion.objects.count()


def test_wrong_key_stores_nothing(source: str) -> None:
    from tripartite.ledger.note import generate_key

    _skey, other = generate_key(ORIGIN)
    result = run_mirror(source, other)
    assert not result.report.ok
    assert {d.kind for d in result.report.discrepancies} == {"checkpoint"}
    assert not MirrorEntry.objects.exists() and not MirrorRecordVersion.objects.exists()
    assert result.source.size == 0
    assert Client().get("/mirrors/").status_code == 200


def test_the_mirror_republishes_the_log_and_passes_verify(source: str, tmp_path: Any) -> None:
    from tripartite.ledger.monitor import run_monitor

    result = run_mirror(source, keys.log_vkey())
    assert result.report.ok
    mirror_url = f"{source}/mirrors/{result.source.slug}"

    report = run_monitor(mirror_url, tmp_path / "state.json", keys.log_vkey())

    assert report.ok, [str(d) for d in report.discrepancies]
    assert report.size == result.report.size
    assert report.records_checked == RecordVersion.objects.count()
    # The checkpoint served is the source's own, as verified: this instance signs nothing.
    assert Client().get(f"/mirrors/{result.source.slug}/log/checkpoint").content.decode() == (
        result.source.checkpoint
    )


def test_a_mirror_whose_copy_was_altered_fails_verify(source: str, tmp_path: Any) -> None:
    from tripartite.ledger.monitor import run_monitor

    result = run_mirror(source, keys.log_vkey())
    copy = MirrorRecordVersion.objects.filter(record_type="letter").order_by("id").first()
    assert copy is not None
    MirrorRecordVersion.objects.filter(pk=copy.pk).update(
        content=bytes(copy.content).replace(b'"subject":"', b'"subject":"Not ')
    )

    report = run_monitor(
        f"{source}/mirrors/{result.source.slug}", tmp_path / "state.json", keys.log_vkey()
    )

    assert not report.ok
    assert [(d.kind, d.public_id) for d in report.discrepancies] == [
        ("record-hash", copy.public_id)
    ]
