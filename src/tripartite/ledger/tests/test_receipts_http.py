"""Receipts over HTTP: ``/records/<type>/<key>/v<n>.receipt`` is a C2SP tlog-proof for the
version against the checkpoint that covers it; it verifies offline against the record's
canonical JSON, and fails for an altered record."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_json
from tripartite.forums import services as forum_services
from tripartite.forums.tests import factories
from tripartite.ledger import keys, services
from tripartite.ledger.note import generate_key
from tripartite.ledger.policy import parse_policy
from tripartite.ledger.proof import (
    ReceiptInclusionError,
    ReceiptQuorumError,
    ReceiptSignatureError,
    parse_receipt,
    verify_receipt,
)
from tripartite.ledger.tests.helpers import get
from tripartite.ledger.witness import Witness, make_witness_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_log(signing_log: None) -> None:
    """Every test here signs with a fresh key for the test origin (see conftest)."""


def entry_for(client: Client, public_id: str, version: int, commitment: dict[str, Any]) -> bytes:
    """What a reader rebuilds: the commitment with the SHA-256 of the downloaded JSON."""
    record = get(client, f"/records/{public_id}/v{version}.json")
    return canonical_json({**commitment, "sha256": hashlib.sha256(record).hexdigest()})


def test_no_receipt_until_a_checkpoint_covers_the_version(client: Client) -> None:
    factories.member(key="xx")
    response = client.get("/records/member/xx/v1.receipt")
    assert response.status_code == 404
    services.sign_checkpoint()
    factories.member(key="yy")
    assert client.get("/records/member/yy/v1.receipt").status_code == 404  # after the checkpoint
    assert client.get("/records/member/xx/v1.receipt").status_code == 200
    assert client.get("/records/member/xx/v2.receipt").status_code == 404  # no such version
    assert client.get("/records/member/zz/v1.receipt").status_code == 404


def test_the_receipt_verifies_against_the_records_canonical_json(client: Client) -> None:
    member = factories.member(key="xx")
    forum_services.update_record(system_actor(), member, changes={"name": "Renamed"})
    factories.member(key="yy")
    services.sign_checkpoint()
    response = client.get("/records/member/xx/v2.receipt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="member-xx-v2.tlog-proof"'
    receipt = parse_receipt(bytes(response.content))
    assert receipt.extra is not None
    commitment = json.loads(receipt.extra)  # the logged entry travels with the receipt
    assert (commitment["id"], commitment["version"], commitment["op"]) == ("member/xx", 2, "update")

    entry = entry_for(client, "member/xx", 2, commitment)
    assert entry == receipt.extra
    vkey = get(client, "/log/key").decode().strip()
    policy = parse_policy(get(client, "/log/policy"))
    result = verify_receipt(bytes(response.content), entry, [vkey], policy)
    assert (result.index, result.checkpoint.size) == (1, 3)


def test_a_receipt_for_an_altered_record_fails(client: Client) -> None:
    factories.member(key="xx", name="The original name")
    services.sign_checkpoint()
    data = get(client, "/records/member/xx/v1.receipt")
    receipt = parse_receipt(data)
    assert receipt.extra is not None
    commitment = json.loads(receipt.extra)
    original = get(client, "/records/member/xx/v1.json")
    altered = original.replace(b"The original name", b"A rewritten name")
    forged_entry = canonical_json({**commitment, "sha256": hashlib.sha256(altered).hexdigest()})
    vkey = keys.log_vkey()
    policy = parse_policy(keys.policy_text())
    with pytest.raises(ReceiptInclusionError):
        verify_receipt(data, forged_entry, [vkey], policy)
    back_dated = canonical_json({**commitment, "at": "2011-09-20T00:00:00+00:00"})
    with pytest.raises(ReceiptInclusionError):
        verify_receipt(data, back_dated, [vkey], policy)


def test_a_receipt_is_refused_under_another_log_key(client: Client, tmp_path: Path) -> None:
    factories.member(key="xx")
    services.sign_checkpoint()
    data = get(client, "/records/member/xx/v1.receipt")
    receipt = parse_receipt(data)
    assert receipt.extra is not None
    _skey, other_vkey = generate_key("tripartite.test/log")
    with pytest.raises(ReceiptSignatureError):
        verify_receipt(data, receipt.extra, [other_vkey], parse_policy("quorum none\n"))


def test_every_version_of_many_records_gets_a_verifying_receipt(client: Client) -> None:
    for i in range(12):
        member = factories.member(key=f"m{i}")
        if i % 3 == 0:
            forum_services.update_record(system_actor(), member, changes={"name": f"N{i}"})
    services.sign_checkpoint()
    vkey = keys.log_vkey()
    policy = parse_policy(keys.policy_text())
    indices = []
    for i in range(12):
        for version in (1, 2) if i % 3 == 0 else (1,):
            data = get(client, f"/records/member/m{i}/v{version}.receipt")
            receipt = parse_receipt(data)
            assert receipt.extra is not None
            entry = entry_for(client, f"member/m{i}", version, json.loads(receipt.extra))
            indices.append(verify_receipt(data, entry, [vkey], policy).index)
    assert sorted(indices) == list(range(16))


def test_receipts_carry_the_witness_cosignatures_the_policy_needs(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    witness = Witness(
        tmp_path / "witness",
        {keys.log_origin(): [keys.log_verifier_key()]},
        name="civic.witness.example",
    )
    server = make_witness_server(witness, "127.0.0.1:0")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.TRIPARTITE_LOG_WITNESSES = [
            {
                "name": "civic",
                "sector": "civil_society",
                "url": f"http://127.0.0.1:{server.server_address[1]}",
                "vkey": witness.verifier_key,
            }
        ]
        factories.member(key="xx")
        checkpoint = services.sign_checkpoint()
        assert checkpoint is not None and checkpoint.quorum_met
    finally:
        server.shutdown()
        server.server_close()
    data = get(client, "/records/member/xx/v1.receipt")
    receipt = parse_receipt(data)
    assert receipt.extra is not None
    policy = parse_policy(get(client, "/log/policy"))
    assert policy.quorum == "sector-civil_society"
    result = verify_receipt(data, receipt.extra, [], policy)  # log key taken from the policy
    assert result.witnesses == frozenset({"civic"})
    # Without the cosignature the same checkpoint does not meet the policy.
    stripped = data.split("\n— civic.witness.example".encode())[0] + b"\n"
    with pytest.raises(ReceiptQuorumError):
        verify_receipt(stripped, receipt.extra, [], policy)


def test_the_receipt_names_the_checkpoint_the_page_names(client: Client) -> None:
    factories.member(key="xx")
    services.sign_checkpoint()
    factories.member(key="yy")
    services.sign_checkpoint()
    receipt = parse_receipt(get(client, "/records/member/xx/v1.receipt"))
    assert receipt.checkpoint.decode().split("\n")[1] == "2"  # the newest covering checkpoint
    page = get(client, "/member/xx/").decode()
    assert "entry 0, checkpoint 2" in page
