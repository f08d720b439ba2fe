"""Tamper scenarios against a running instance: the host turns dishonest, the checks notice.

A real Tripartite instance (pytest-django ``live_server``) with data written through the
forum services, checkpoints signed by ``ledger.services.sign_checkpoint()`` and cosigned by a
real witness (``ledger.witness`` over HTTP in a thread).  The "attacker" is someone with the
database (and, where said, the log key): the append-only triggers are removed first with raw
SQL, as such an attacker would, on SQLite and PostgreSQL alike.  Then:

(a) a record row changed in SQL is named by ``verify --local``; a record version's content
    changed in SQL is named by ``verify URL`` (and by ``--local``);
(b) a rewritten and a truncated log are refused by the witness and reported by the monitor;
(c) a checkpoint with a forged signature is rejected by the monitor and the witness;
(d) a receipt for an altered record fails ``verify-receipt``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from django.db import connection
from typer.testing import CliRunner

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_json
from tripartite.forums import services as forum_services
from tripartite.forums.tests import factories
from tripartite.ledger import checkpoint as cp
from tripartite.ledger import keys, merkle, note, storage
from tripartite.ledger import witness as witness_mod
from tripartite.ledger.commands import register
from tripartite.ledger.models import Checkpoint, Cosignature, LogEntry, TreeNode
from tripartite.ledger.proof import create_receipt
from tripartite.ledger.services import sign_checkpoint

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "tripartite.test/log"
WITNESS_NAME = "cso.test/witness"

app = typer.Typer()
register(app)
runner = CliRunner()


# --------------------------------------------------------------------------
# The instance, its witness, the attacker
# --------------------------------------------------------------------------


@dataclass
class Instance:
    url: str
    witness: witness_mod.Witness
    witness_url: str
    state: Path
    tmp: Path

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return bytes(response.read())

    def verify(self, *args: str) -> tuple[int, str]:
        result = runner.invoke(
            app, ["verify", self.url, "--state", str(self.state), "--no-progress", *args]
        )
        return result.exit_code, result.output

    def witness_post(self, body: bytes) -> int:
        request = urllib.request.Request(f"{self.witness_url}/add-checkpoint", data=body)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            with error:
                return int(error.code)


@pytest.fixture
def instance(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Instance]:
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_ORIGIN = ORIGIN
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    keys.clear_cache()
    w = witness_mod.Witness(
        tmp_path / "witness",
        witness_mod.logs_by_origin([keys.log_verifier_key()]),
        name=WITNESS_NAME,
    )
    server = witness_mod.make_witness_server(w, "127.0.0.1:0")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    witness_url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.TRIPARTITE_LOG_WITNESSES = [
        {"name": "cso", "sector": "civil_society", "url": witness_url, "vkey": w.verifier_key}
    ]
    try:
        yield Instance(live_server.url, w, witness_url, tmp_path / "monitor.json", tmp_path)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        keys.clear_cache()


def add_checkpoint_body(old_size: int, proof: list[bytes], signed: bytes) -> bytes:
    """A C2SP tlog-witness add-checkpoint request body."""
    lines = [f"old {old_size}", *(note.encode_base64(h) for h in proof)]
    return ("\n".join(lines) + "\n\n").encode() + signed


def publish_records() -> None:
    """A forum, its seats, a letter with two versions: written through the services."""
    _forum, seats = factories.tripartite_forum(cso_count=2)
    orgs = tuple(s.organization for s in seats[2:])
    letter = factories.letter("l1", signatories=orgs, subject="We leave the forum")
    forum_services.update_record(
        system_actor(), letter, changes={"subject": "We leave the forum today"}, reason="typo"
    )


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def json_param() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def latest_note() -> bytes:
    latest = Checkpoint.objects.order_by("-size", "-id").first()
    assert latest is not None
    return latest.note.encode()


def rebuild_tree(entries: list[bytes]) -> None:
    """What a careful attacker does after editing entries: recompute every node and the head."""
    store = merkle.InMemoryHashStore()
    store.append_entries(entries)
    sql("DELETE FROM ledger_treenode")
    nodes = store.get_hashes(
        [(level, index) for level in range(64) for index in range(len(entries) >> level)]
    )
    TreeNode.objects.bulk_create(TreeNode(level=k[0], index=k[1], hash=v) for k, v in nodes.items())
    size = len(entries)
    sql(
        "UPDATE ledger_treehead SET size = %s, root = %s WHERE id = 1",
        [size, merkle.root_at(size, store)],
    )


def forget_checkpoints() -> None:
    """So that the instance's own consistency self-check does not stop it from signing."""
    sql("DELETE FROM ledger_cosignature")
    sql("DELETE FROM ledger_checkpoint")


def honest_start(instance: Instance) -> tuple[int, bytes]:
    """Publish, checkpoint with the witness's cosignature, first monitor run: all clean."""
    publish_records()
    signed = sign_checkpoint()
    assert signed is not None and signed.quorum_met
    assert list(signed.cosignatures.values_list("witness", flat=True)) == ["cso"]
    code, out = instance.verify("--policy", str(policy_file(instance)))
    assert code == 0, out
    assert "witnesses: cso" in out and "OK: the log is consistent" in out
    latest = instance.witness.latest(ORIGIN)
    assert latest is not None and latest.size == signed.size
    return signed.size, latest.root_hash


def policy_file(instance: Instance) -> Path:
    path = instance.tmp / "policy.txt"
    path.write_bytes(instance.get("/log/policy"))
    return path


# --------------------------------------------------------------------------
# (a) Records changed in the database
# --------------------------------------------------------------------------


def test_changed_row_named_by_verify_local(instance: Instance) -> None:
    publish_records()
    sign_checkpoint()
    result = runner.invoke(app, ["verify", "--local"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    # The letter's current row edited in SQL, behind every service.
    sql("UPDATE forums_letter SET subject = %s WHERE key = %s", ["We never left", "l1"])
    result = runner.invoke(app, ["verify", "--local"])
    assert result.exit_code == 1
    named = [line for line in result.output.splitlines() if "letter/l1" in line]
    assert named and "record-row" in named[0]
    assert "FAILED" in result.output


def test_changed_version_named_by_verify_url_and_local(instance: Instance, attacker: None) -> None:
    honest_start(instance)
    version = json.loads(instance.get("/records/letter/l1/v1.json"))
    version["subject"] = "We never left the forum"
    sql(
        "UPDATE core_recordversion SET content = "
        + json_param()
        + " WHERE record_type = %s AND record_key = %s AND version = %s",
        [json.dumps(version), "letter", "l1", 1],
    )
    assert json.loads(instance.get("/records/letter/l1/v1.json"))["subject"] == version["subject"]
    # Incremental runs do not fetch versions they verified already; a full run does.
    code, out = instance.verify()
    assert code == 0, out
    code, out = instance.verify("--full")
    assert code == 1
    assert "[record-hash] letter/l1 v1, entry" in out
    assert out.count("[record-hash]") == 1
    # A fresh monitor names it on its first run.
    fresh = runner.invoke(
        app, ["verify", instance.url, "--state", str(instance.tmp / "fresh.json")]
    )
    assert fresh.exit_code == 1 and "[record-hash] letter/l1 v1" in fresh.output
    local = runner.invoke(app, ["verify", "--local"])
    assert local.exit_code == 1
    assert any(
        "letter/l1" in line and "version-content" in line for line in local.output.splitlines()
    )


# --------------------------------------------------------------------------
# (b) The log rewritten or truncated
# --------------------------------------------------------------------------


def test_rewritten_log_refused_by_witness_and_reported(instance: Instance, attacker: None) -> None:
    size, witnessed_root = honest_start(instance)
    # Rewrite history: letter/l1 v1 now commits to other content, and the whole tree is
    # recomputed so that it is self-consistent.
    entries = [bytes(d) for d in LogEntry.objects.order_by("index").values_list("data", flat=True)]
    target = next(i for i, e in enumerate(entries) if b'"id":"letter/l1"' in e)
    forged = json.loads(entries[target])
    forged["sha256"] = "0" * 64
    entries[target] = canonical_json(forged)
    sql(
        "UPDATE ledger_logentry SET data = %s, leaf_hash = %s WHERE " + '"index" = %s',
        [entries[target], merkle.leaf_hash(entries[target]), target],
    )
    rebuild_tree(entries)
    forget_checkpoints()
    # The instance keeps working on the rewritten tree and asks the witness to cosign.
    factories.letter("l2", subject="Another letter")
    signed = sign_checkpoint()
    assert signed is not None and signed.size == size + 1
    assert not signed.quorum_met and not Cosignature.objects.exists()
    latest = instance.witness.latest(ORIGIN)
    assert latest is not None and (latest.size, latest.root_hash) == (size, witnessed_root)
    evidence = instance.witness.state.evidence()
    assert evidence and "does not verify" in evidence[-1][1]
    # The monitor, which saw the honest tree, refuses the new one.
    code, out = instance.verify()
    assert code == 1
    assert "[consistency]" in out and "rewritten" in out
    assert "state not advanced" in out
    # verify --local sees the entry no longer matches the version it commits to.
    local = runner.invoke(app, ["verify", "--local"])
    assert local.exit_code == 1 and "letter/l1" in local.output


def test_truncated_log_refused_by_witness_and_reported(instance: Instance, attacker: None) -> None:
    size, witnessed_root = honest_start(instance)
    keep = size - 2  # drop the letter's two versions from the log
    entries = [
        bytes(d)
        for d in LogEntry.objects.filter(index__lt=keep)
        .order_by("index")
        .values_list("data", flat=True)
    ]
    sql('DELETE FROM ledger_logentry WHERE "index" >= %s', [keep])
    rebuild_tree(entries)
    forget_checkpoints()
    signed = sign_checkpoint()
    assert signed is not None and signed.size == keep and not signed.quorum_met
    # The witness keeps what it cosigned and refuses the smaller tree however it is asked.
    assert instance.witness_post(add_checkpoint_body(size, [], signed.note.encode())) == 400
    assert instance.witness_post(add_checkpoint_body(keep, [], signed.note.encode())) == 409
    assert instance.witness_post(add_checkpoint_body(0, [], signed.note.encode())) == 409
    latest = instance.witness.latest(ORIGIN)
    assert latest is not None and (latest.size, latest.root_hash) == (size, witnessed_root)
    code, out = instance.verify()
    assert code == 1
    assert "[rollback]" in out and f"{keep} entries, fewer than the {size}" in out


# --------------------------------------------------------------------------
# (c) A forged checkpoint
# --------------------------------------------------------------------------


def test_forged_checkpoint_signature_rejected(instance: Instance) -> None:
    size, _root = honest_start(instance)
    # Without the log key, an attacker signs with a key of the same name and stores the
    # result as the newest checkpoint (INSERT is allowed: no trigger to remove).
    forger = note.Ed25519Signer(note.generate_signer_key(ORIGIN))
    stored = merkle.root_at(size, storage.DatabaseHashReader())
    forged_body = cp.Checkpoint(ORIGIN, size + 5, merkle.leaf_hash(b"forged")).to_text()
    forged = note.sign_note(forged_body, [forger])
    Checkpoint.objects.create(
        size=size + 5,
        root=merkle.leaf_hash(b"forged"),
        note=forged.decode(),
        key_id=f"{forger.key_id:08x}",
        signed_at=Checkpoint.objects.get(size=size).signed_at,
        quorum_met=False,
    )
    assert instance.get("/log/checkpoint") == forged
    code, out = instance.verify()
    assert code == 1
    assert "[checkpoint] checkpoint rejected" in out and "state not advanced" in out
    # The witness refuses it too: no trusted signature.
    assert instance.witness_post(add_checkpoint_body(size, [], forged)) == 403
    # A receipt that embeds a forged checkpoint of the real tree fails offline.
    receipt = instance.tmp / "forged.receipt"
    record = instance.tmp / "member.json"
    record.write_bytes(instance.get("/records/member/xx/v1.json"))
    leaf_index = 0
    entry = bytes(LogEntry.objects.get(index=leaf_index).data)
    assert b'"id":"member/xx"' in entry
    receipt.write_bytes(
        create_receipt(
            leaf_index,
            merkle.inclusion_proof_at(leaf_index, size, storage.DatabaseHashReader()),
            note.sign_note(cp.Checkpoint(ORIGIN, size, stored).to_text(), [forger]),
            entry,
        )
    )
    result = runner.invoke(
        app,
        ["verify-receipt", str(receipt), "--record-json", str(record), "--key", keys.log_vkey()],
    )
    assert result.exit_code == 1 and "FAILED (log signature)" in result.output


# --------------------------------------------------------------------------
# (d) A receipt for an altered record
# --------------------------------------------------------------------------


def test_receipt_for_an_altered_record_fails(instance: Instance, attacker: None) -> None:
    honest_start(instance)
    receipt = instance.tmp / "letter-l1-v2.tlog-proof"
    record = instance.tmp / "v2.json"
    receipt.write_bytes(instance.get("/records/letter/l1/v2.receipt"))
    record.write_bytes(instance.get("/records/letter/l1/v2.json"))
    policy = policy_file(instance)
    args = ["verify-receipt", str(receipt), "--record-json", str(record), "--policy", str(policy)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Entry letter/l1 v2: update" in result.output
    assert "witnesses: cso (quorum" in result.output
    # The version's content is changed in the database; the page now serves other bytes.
    content = json.loads(record.read_bytes())
    content["subject"] = "We never wrote this letter"
    sql(
        "UPDATE core_recordversion SET content = "
        + json_param()
        + " WHERE record_type = %s AND record_key = %s AND version = %s",
        [json.dumps(content), "letter", "l1", 2],
    )
    record.write_bytes(instance.get("/records/letter/l1/v2.json"))
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "the record was altered" in result.output and "letter/l1 v2" in result.output
    # Rewriting the log entry to match does not help: it is no longer in the signed tree.
    entry = LogEntry.objects.get(record_version__record_key="l1", record_version__version=2)
    forged_entry = json.loads(bytes(entry.data))
    forged_entry["sha256"] = hashlib.sha256(record.read_bytes()).hexdigest()
    data = canonical_json(forged_entry)
    sql(
        'UPDATE ledger_logentry SET data = %s, leaf_hash = %s WHERE "index" = %s',
        [data, merkle.leaf_hash(data), entry.index],
    )
    receipt.write_bytes(instance.get("/records/letter/l1/v2.receipt"))
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "FAILED (inclusion in the log)" in result.output


# --------------------------------------------------------------------------
# The same through the ``tripartite`` console script, in its own process
# --------------------------------------------------------------------------

CLI_WIRED = "register(" in (Path(__file__).parents[2] / "cli.py").read_text()


@pytest.mark.slow
@pytest.mark.skipif(not CLI_WIRED, reason="tripartite.cli does not call register(app) yet")
def test_console_script(instance: Instance, attacker: None) -> None:
    honest_start(instance)
    cli = [sys.executable, "-m", "tripartite.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args], capture_output=True, text=True, timeout=120, check=False
        )

    state = str(instance.tmp / "script.json")
    clean = run("verify", instance.url, "--state", state, "--key", keys.log_vkey())
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "OK: the log is consistent" in clean.stdout
    receipt, record = instance.tmp / "v1.receipt", instance.tmp / "v1.json"
    receipt.write_bytes(instance.get("/records/letter/l1/v1.receipt"))
    record.write_bytes(instance.get("/records/letter/l1/v1.json"))
    ok = run("verify-receipt", str(receipt), "--record-json", str(record), "--key", keys.log_vkey())
    assert ok.returncode == 0, ok.stdout + ok.stderr
    content = json.loads(record.read_bytes())
    content["subject"] = "Rewritten in the database"
    sql(
        "UPDATE core_recordversion SET content = "
        + json_param()
        + " WHERE record_type = %s AND record_key = %s AND version = %s",
        [json.dumps(content), "letter", "l1", 1],
    )
    tampered = run("verify", instance.url, "--state", state, "--full")
    assert tampered.returncode == 1
    assert "[record-hash] letter/l1 v1" in tampered.stdout
    record.write_bytes(instance.get("/records/letter/l1/v1.json"))
    bad = run(
        "verify-receipt", str(receipt), "--record-json", str(record), "--key", keys.log_vkey()
    )
    assert bad.returncode == 1 and "the record was altered" in bad.stderr + bad.stdout
    key = run("witness", "key", "--state-dir", str(instance.tmp / "witness"))
    assert key.returncode == 0 and key.stdout.strip() == instance.witness.verifier_key
