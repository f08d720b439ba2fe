"""``verify_local()``: the database against its own log.  Each tamper scenario is done the
way an attacker with database access would, in raw SQL (with the triggers dropped first
where they stand in the way), and must be named with the record's public id."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_sha256
from tripartite.core.models import RecordVersion
from tripartite.forums import services as forum_services
from tripartite.forums.tests import factories
from tripartite.ledger import keys, services
from tripartite.ledger.checkpoint import Checkpoint as CheckpointBody
from tripartite.ledger.checkpoint import sign_checkpoint
from tripartite.ledger.integrity import Discrepancy, verify_local
from tripartite.ledger.models import Checkpoint
from tripartite.ledger.note import Ed25519Signer, generate_signer_key
from tripartite.ledger.storage import (
    drop_trigger_sql,
    install_append_only_triggers,
    read_head,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_log(signing_log: None) -> None:
    """Every test here signs with a fresh key for the test origin (see conftest)."""


@pytest.fixture
def world() -> None:
    """Records with several versions, a retraction, two checkpoints."""
    member = factories.member(key="mx", name="Mexico")
    forum_services.update_record(system_actor(), member, changes={"name": "México"})
    factories.member(key="ar", name="Argentina")
    services.sign_checkpoint()
    other = factories.member(key="cl", name="Chile")
    forum_services.retract(system_actor(), other, reason="Entered by mistake")
    factories.member(key="uy", name="Uruguay")
    services.sign_checkpoint()


@pytest.fixture
def raw_sql() -> Iterator[Any]:
    """A cursor with the append-only triggers dropped (rolled back with the test)."""
    with connection.cursor() as cursor:
        for statement in drop_trigger_sql(connection.vendor):
            cursor.execute(statement)
        yield cursor
    install_append_only_triggers(connection)


def kinds(found: list[Discrepancy]) -> set[tuple[str, str]]:
    return {(d.public_id, d.kind) for d in found}


@pytest.mark.usefixtures("world")
def test_a_sound_database_has_no_discrepancy() -> None:
    assert verify_local() == []


def test_an_empty_database_has_no_discrepancy() -> None:
    assert verify_local() == []


@pytest.mark.usefixtures("world")
def test_a_record_row_changed_in_sql_is_named(raw_sql: Any) -> None:
    raw_sql.execute("UPDATE forums_member SET name = 'Rewritten' WHERE key = 'ar'")
    found = verify_local()
    assert kinds(found) == {("member/ar", "record-row")}
    [problem] = found
    assert "changed outside a service" in problem.detail
    assert str(problem).startswith("member/ar: record-row: ")


@pytest.mark.usefixtures("world")
def test_a_record_row_changed_without_touching_the_triggers_is_named() -> None:
    """Record rows are not append-only (they are the current projection): no trigger
    stands in the way, and the check is what catches it."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_member SET iso2 = 'ZZ' WHERE key = 'mx'")
    assert kinds(verify_local()) == {("member/mx", "record-row")}


@pytest.mark.usefixtures("world")
def test_a_row_whose_version_number_was_rolled_back_is_named() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_member SET version = 1, name = 'Mexico' WHERE key = 'mx'")
    assert ("member/mx", "record-version") in kinds(verify_local())


@pytest.mark.usefixtures("world")
def test_a_deleted_record_row_is_named() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM forums_member WHERE key = 'uy'")
    assert kinds(verify_local()) == {("member/uy", "record-missing")}


@pytest.mark.usefixtures("world")
def test_a_version_whose_content_was_changed_is_named(raw_sql: Any) -> None:
    raw_sql.execute(
        "UPDATE core_recordversion SET content = %s WHERE record_key = 'ar'",
        ['{"id": "member/ar", "type": "member", "name": "Atlantis"}'],
    )
    assert ("member/ar", "version-content") in kinds(verify_local())


@pytest.mark.usefixtures("world")
def test_a_version_rewritten_with_a_matching_hash_still_disagrees_with_its_entry(
    raw_sql: Any,
) -> None:
    version = RecordVersion.objects.get(record_key="ar")
    content = {**version.content, "name": "Atlantis"}
    raw_sql.execute(
        "UPDATE core_recordversion SET content = %s, sha256 = %s WHERE id = %s",
        [json.dumps(content), canonical_sha256(content), version.pk],
    )
    raw_sql.execute("UPDATE forums_member SET name = 'Atlantis' WHERE key = 'ar'")
    found = kinds(verify_local())
    assert ("member/ar", "entry-mismatch") in found  # the log still holds the old hash
    assert ("member/ar", "version-content") not in found


@pytest.mark.usefixtures("world")
def test_a_back_dated_version_is_named(raw_sql: Any) -> None:
    raw_sql.execute(
        "UPDATE core_recordversion SET at = %s WHERE record_key = 'uy'",
        [dt.datetime(2011, 9, 20, tzinfo=dt.UTC)],
    )
    assert kinds(verify_local()) == {("member/uy", "entry-mismatch")}


@pytest.mark.usefixtures("world")
def test_an_entry_whose_bytes_were_changed_is_named(raw_sql: Any) -> None:
    raw_sql.execute(
        'UPDATE ledger_logentry SET data = %s WHERE "index" = 0',
        [b'{"at":"2011-01-01T00:00:00+00:00","id":"member/mx","op":"create"}'],
    )
    found = kinds(verify_local())
    assert ("member/mx", "entry-mismatch") in found
    assert ("member/mx", "entry-leaf-hash") in found


@pytest.mark.usefixtures("world")
def test_a_changed_tree_node_is_found(raw_sql: Any) -> None:
    raw_sql.execute(
        'UPDATE ledger_treenode SET hash = %s WHERE level = 1 AND "index" = 0', [b"\x05" * 32]
    )
    found = verify_local()
    assert ("log", "tree-node") in kinds(found)
    assert any("node 1/0" in d.detail for d in found)


@pytest.mark.usefixtures("world")
def test_a_truncated_log_is_found(raw_sql: Any) -> None:
    size, _root = read_head()
    raw_sql.execute('DELETE FROM ledger_treenode WHERE level = 0 AND "index" = %s', [size - 1])
    raw_sql.execute('DELETE FROM ledger_logentry WHERE "index" = %s', [size - 1])
    found = kinds(verify_local())
    assert ("member/uy", "missing-entry") in found
    assert ("log", "entry-count") in found
    assert ("log", "tree-root") in found


@pytest.mark.usefixtures("world")
def test_a_forged_checkpoint_signature_is_found() -> None:
    latest = Checkpoint.objects.order_by("-size").first()
    assert latest is not None
    lines = latest.note.split("\n")
    lines[-2] = lines[-2][:-8] + "AAAAAAA="  # break the log's signature
    Checkpoint.objects.create(
        size=latest.size,
        root=latest.root,
        note="\n".join(lines),
        key_id=latest.key_id,
        signed_at=timezone.now(),
        quorum_met=True,
    )
    assert ("log", "checkpoint-signature") in kinds(verify_local())


@pytest.mark.usefixtures("world")
def test_a_checkpoint_of_another_tree_is_found() -> None:
    """Signed with the log's own key (a stolen key, or a log that forked its history)."""
    size, _root = read_head()
    note = sign_checkpoint(CheckpointBody(keys.log_origin(), size, b"\x09" * 32), keys.log_signer())
    Checkpoint.objects.create(
        size=size,
        root=b"\x09" * 32,
        note=note.decode(),
        key_id="0",
        signed_at=timezone.now(),
        quorum_met=True,
    )
    found = kinds(verify_local())
    assert ("log", "checkpoint-root") in found
    assert ("log", "checkpoint-consistency") in found


@pytest.mark.usefixtures("world")
def test_a_checkpoint_signed_by_an_unknown_key_is_found() -> None:
    stranger = generate_signer_key(keys.log_origin())
    size, root = read_head()
    note = sign_checkpoint(CheckpointBody(keys.log_origin(), size, root), Ed25519Signer(stranger))
    Checkpoint.objects.create(
        size=size,
        root=root,
        note=note.decode(),
        key_id="0",
        signed_at=timezone.now(),
        quorum_met=True,
    )
    assert kinds(verify_local()) == {("log", "checkpoint-signature")}


@pytest.mark.usefixtures("world")
def test_checkpoints_signed_with_a_retired_key_still_verify(settings: Any, tmp_path: Path) -> None:
    old_vkey = keys.log_vkey()
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "new_log_key")  # a rotated key
    keys.clear_cache()
    assert ("log", "checkpoint-signature") in kinds(verify_local())
    settings.TRIPARTITE_LOG_RETIRED_VKEYS = [old_vkey]
    factories.member(key="pe")
    services.sign_checkpoint()  # signed with the new key
    assert verify_local() == []


@pytest.mark.usefixtures("world")
def test_many_problems_are_summarised_not_listed_one_by_one() -> None:
    for i in range(25):  # 4 + 25 member rows, all changed below
        factories.member(key=f"x{i}")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forums_member SET iso2 = 'QQ'")
    found = verify_local()
    assert len(found) == 21
    assert found[-1].detail == "… and 9 more of the same kind"
