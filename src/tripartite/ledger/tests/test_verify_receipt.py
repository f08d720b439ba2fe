"""``tripartite verify-receipt``: one downloaded receipt checked offline (through CliRunner)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tripartite.core.canonical import canonical_json
from tripartite.ledger import checkpoint, merkle, note, proof
from tripartite.ledger.commands import register
from tripartite.ledger.tests.signers import CSO, FORGER, GOV, LOG, ORIGIN

POLICY = "\n".join(
    [
        f"witness GOV {GOV.key.verifier_key()}",
        f"witness CSO {CSO.key.verifier_key()}",
        "group both all GOV CSO",
        "quorum both",
        "",
    ]
)

app = typer.Typer()
register(app)
runner = CliRunner()


@dataclass
class Published:
    """A record version, its log entry and its receipt, as files a citizen downloaded."""

    dir: Path
    record: Path
    entry: Path
    receipt: Path
    content: dict[str, object]

    def run(self, *args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["verify-receipt", str(self.receipt), *args])
        return result.exit_code, result.output


def publish(
    tmp_path: Path,
    *,
    signer: note.Signer = LOG,
    cosigners: Sequence[note.Signer] = (GOV, CSO),
    with_extra: bool = True,
) -> Published:
    store = merkle.InMemoryHashStore()
    content: dict[str, object] = {}
    entry = b""
    for i in range(13):
        content = {
            "id": f"letter/mx-2017-{i:04d}",
            "type": "letter",
            "subject": f"Letter {i} to the ministry",
            "signatories": ["organization/cso-a", "organization/cso-b"],
        }
        entry = canonical_json(
            {
                "type": "letter",
                "id": content["id"],
                "version": 1,
                "op": "create",
                "sha256": hashlib.sha256(canonical_json(content)).hexdigest(),
                "at": "2017-05-23T10:00:00+00:00",
            }
        )
        store.append_entries([entry])
    body = checkpoint.Checkpoint(ORIGIN, 13, merkle.root_at(13, store)).to_text()
    signed = note.sign_note(body, [signer, *cosigners])
    receipt = proof.receipt_from_store(12, signed, store, entry if with_extra else None)
    paths = Published(
        tmp_path,
        tmp_path / "v1.json",
        tmp_path / "entry.json",
        tmp_path / "v1.receipt",
        content,
    )
    paths.record.write_bytes(canonical_json(content))
    paths.entry.write_bytes(entry)
    paths.receipt.write_bytes(receipt)
    return paths


KEY = str(LOG.verifier().key)


def test_valid_receipt_with_the_entry(tmp_path: Path) -> None:
    p = publish(tmp_path)
    code, out = p.run("--entry", str(p.entry), "--key", KEY)
    assert code == 0, out
    assert "letter/mx-2017-0012 v1" in out
    assert "index 12" in out and "inclusion proof OK" in out
    assert "not checked (no --policy)" in out
    assert out.rstrip().endswith("OK: the receipt is valid.")


def test_valid_receipt_with_the_record_json_only(tmp_path: Path) -> None:
    p = publish(tmp_path)
    code, out = p.run("--record-json", str(p.record), "--key", KEY)
    assert code == 0, out
    assert "SHA-256 matches the log" in out


def test_reformatted_record_json_still_matches(tmp_path: Path) -> None:
    p = publish(tmp_path)
    p.record.write_text(json.dumps(p.content, indent=2, ensure_ascii=True) + "\n")
    code, out = p.run("--record-json", str(p.record), "--key", KEY)
    assert code == 0, out


def test_receipt_for_an_altered_record_fails(tmp_path: Path) -> None:
    p = publish(tmp_path)
    altered = dict(p.content, subject="Letter 12, quietly rewritten")
    p.record.write_bytes(canonical_json(altered))
    code, out = p.run("--record-json", str(p.record), "--key", KEY)
    assert code == 1
    assert "the record was altered" in out and "letter/mx-2017-0012" in out
    # An entry whose hash was rewritten to match the altered record is not in the log.
    entry = json.loads(p.entry.read_bytes())
    entry["sha256"] = hashlib.sha256(canonical_json(altered)).hexdigest()
    p.entry.write_bytes(canonical_json(entry))
    code, out = p.run("--entry", str(p.entry), "--record-json", str(p.record), "--key", KEY)
    assert code == 1 and "FAILED (inclusion in the log)" in out


def test_record_json_of_another_record_fails(tmp_path: Path) -> None:
    p = publish(tmp_path)
    other = dict(p.content, id="letter/elsewhere")
    entry = json.loads(p.entry.read_bytes())
    p.record.write_bytes(canonical_json(other))
    assert entry["id"] == "letter/mx-2017-0012"
    code, out = p.run("--record-json", str(p.record), "--key", KEY)
    assert code == 1 and "altered" in out


def test_wrong_or_forged_key_fails(tmp_path: Path) -> None:
    p = publish(tmp_path)
    code, out = p.run("--entry", str(p.entry), "--key", str(FORGER.verifier().key))
    assert code == 1 and "FAILED (log signature)" in out
    (tmp_path / "forged").mkdir()
    forged = publish(tmp_path / "forged", signer=FORGER)
    code, out = forged.run("--entry", str(forged.entry), "--key", KEY)
    assert code == 1 and "FAILED (log signature)" in out


def test_key_from_a_file(tmp_path: Path) -> None:
    p = publish(tmp_path)
    key_file = tmp_path / "log.vkey"
    key_file.write_text(KEY + "\n")
    code, out = p.run("--entry", str(p.entry), "--key", str(key_file))
    assert code == 0, out


def test_policy_quorum(tmp_path: Path) -> None:
    policy = tmp_path / "policy.txt"
    policy.write_text(f"log {KEY}\n" + POLICY)
    p = publish(tmp_path)
    code, out = p.run("--entry", str(p.entry), "--policy", str(policy))
    assert code == 0, out
    assert "CSO, GOV (quorum 'both' met)" in out
    (tmp_path / "gov-only").mkdir()
    gov_only = publish(tmp_path / "gov-only", cosigners=[GOV])
    code, out = gov_only.run("--entry", str(gov_only.entry), "--policy", str(policy))
    assert code == 1 and "FAILED (witness quorum)" in out


def test_tampered_proof_fails(tmp_path: Path) -> None:
    p = publish(tmp_path)
    lines = p.receipt.read_bytes().split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(b"index ")) + 1
    flipped = bytearray(note.decode_base64(lines[index].decode()))
    flipped[0] ^= 1
    lines[index] = note.encode_base64(bytes(flipped)).encode()
    p.receipt.write_bytes(b"\n".join(lines))
    code, out = p.run("--entry", str(p.entry), "--key", KEY)
    assert code == 1 and "FAILED (inclusion in the log)" in out


def test_malformed_receipt_fails(tmp_path: Path) -> None:
    p = publish(tmp_path)
    p.receipt.write_bytes(b"not a receipt\n")
    code, out = p.run("--entry", str(p.entry), "--key", KEY)
    assert code == 1 and "not a valid receipt" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--entry or --record-json"),
        (["--entry", "ENTRY"], "--key"),
        (["--entry", "ENTRY", "--key", "nonsense+1"], ""),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    p = publish(tmp_path)
    args = [str(p.entry) if a == "ENTRY" else a for a in args]
    code, out = p.run(*args)
    assert code == 2
    assert message in out


def test_receipt_without_its_entry_needs_entry(tmp_path: Path) -> None:
    p = publish(tmp_path, with_extra=False)
    code, out = p.run("--record-json", str(p.record), "--key", KEY)
    assert code == 2 and "give it with --entry" in out
    code, out = p.run("--entry", str(p.entry), "--record-json", str(p.record), "--key", KEY)
    assert code == 0, out
