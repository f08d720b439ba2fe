"""The log over HTTP: checkpoint, tiles and entry bundles (C2SP tlog-tiles), key, policy,
the /log page and the record partial.  A client recomputes the checkpoint's root from the
published tiles alone, and verifies the checkpoint with the published key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tripartite.core.canonical import canonical_json
from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories
from tripartite.ledger import keys, merkle, services, tiles
from tripartite.ledger.checkpoint import open_checkpoint, verifier_for_key
from tripartite.ledger.models import Checkpoint, Cosignature
from tripartite.ledger.note import (
    SIG_TYPE_COSIGNATURE_ED25519,
    generate_signer_key,
    parse_verifier_key,
)
from tripartite.ledger.policy import parse_policy
from tripartite.ledger.storage import read_head
from tripartite.ledger.tests.helpers import get, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_log(signing_log: None) -> None:
    """Every test here signs with a fresh key for the test origin (see conftest)."""


# ---------------------------------------------------------------- checkpoint and key


def test_no_checkpoint_yet_is_a_404(client: Client) -> None:
    response = client.get("/log/checkpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_the_checkpoint_verifies_with_the_published_key(client: Client) -> None:
    write(3)
    services.sign_checkpoint()
    response = client.get("/log/checkpoint")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=5"
    vkey = parse_verifier_key(get(client, "/log/key").decode().strip())
    assert vkey.name == "tripartite.test/log"
    signed = open_checkpoint(bytes(response.content), [verifier_for_key(vkey)])
    assert (signed.checkpoint.size, signed.checkpoint.root_hash) == read_head()


def test_the_latest_checkpoint_is_served(client: Client) -> None:
    write(2)
    services.sign_checkpoint()
    write(3)
    services.sign_checkpoint()
    body = get(client, "/log/checkpoint").decode()
    assert body.split("\n")[:2] == ["tripartite.test/log", "5"]


def test_the_key_and_policy_are_plain_text_lines(client: Client) -> None:
    response = client.get("/log/key")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == keys.log_vkey() + "\n"
    policy = parse_policy(get(client, "/log/policy"))
    assert [log.key.to_string() for log in policy.logs] == [keys.log_vkey()]
    assert policy.quorum == "none"  # no witness configured


def test_the_policy_names_one_witness_of_every_sector(settings: Any) -> None:
    witness_keys = [
        generate_signer_key(f"w{i}.example", SIG_TYPE_COSIGNATURE_ED25519).verifier_key()
        for i in range(3)
    ]
    settings.TRIPARTITE_LOG_WITNESSES = [
        {"name": "gov", "sector": "government", "url": "http://gov.example/", "vkey": str(k)}
        for k in witness_keys[:1]
    ] + [
        {"name": f"cso{i}", "sector": "civil_society", "url": "http://cso.example", "vkey": str(k)}
        for i, k in enumerate(witness_keys[1:])
    ]
    policy = parse_policy(keys.policy_text())
    assert [w.name for w in policy.witnesses] == ["gov", "cso0", "cso1"]
    assert policy.quorum == "every-sector"
    assert policy.evaluate({"gov", "cso1"})
    assert not policy.evaluate({"cso0", "cso1"})
    assert not policy.evaluate({"gov"})


# ---------------------------------------------------------------- tiles and entries


@pytest.fixture
def big_log() -> int:
    """A log of 261 entries: one full level-0 tile and bundle, then partial ones."""
    write(261)
    services.sign_checkpoint()
    return 261


def test_tiles_recompute_the_checkpoint_root(client: Client, big_log: int) -> None:
    checkpoint = open_checkpoint(
        get(client, "/log/checkpoint"),
        [verifier_for_key(get(client, "/log/key").decode().strip())],
    ).checkpoint
    fetched: list[str] = []

    def fetch(path: str) -> bytes:
        fetched.append(path)
        return get(client, f"/log/{path}")

    assert tiles.root_from_tiles(checkpoint.size, fetch) == checkpoint.root_hash
    assert sorted(fetched) == ["tile/0/001.p/5", "tile/1/000.p/1"]
    # Any proof can be computed from the tiles as well, e.g. entry 3's inclusion.
    reader = tiles.TileHashReader(checkpoint.size, fetch)
    entries = tiles.parse_entry_bundle(get(client, "/log/tile/entries/000"), 256)
    proof = merkle.inclusion_proof_at(3, checkpoint.size, reader)
    assert merkle.verify_inclusion(
        merkle.leaf_hash(entries[3]), 3, checkpoint.size, proof, checkpoint.root_hash
    )
    assert "tile/0/000" in fetched


def test_every_published_tile_and_bundle_matches(client: Client, big_log: int) -> None:
    for tile in tiles.iter_tiles(big_log):
        data = get(client, f"/log/{tile.path}")
        assert len(tiles.parse_tile(data, tile.width)) == tile.width
        if tile.level == 0:
            bundle = get(client, f"/log/{tiles.entries_path(tile.index, tile.width)}")
            assert tiles.bundle_matches_tile(bundle, data)
    entries = tiles.parse_entry_bundle(get(client, "/log/tile/entries/000"), 256)
    first = RecordVersion.objects.order_by("id").first()
    assert first is not None
    assert entries[0] == canonical_json(first.commitment())
    assert json.loads(entries[255])["id"] == "member/m255"


def test_tiles_are_binary_and_cacheable(client: Client, big_log: int) -> None:
    full = client.get("/log/tile/0/000")
    assert full["Content-Type"] == "application/octet-stream"
    assert full["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(full.content) == 256 * 32
    partial = client.get("/log/tile/0/001.p/5")
    assert partial["Cache-Control"] == "public, max-age=86400"
    assert len(partial.content) == 5 * 32
    bundle = client.get("/log/tile/entries/000")
    assert bundle["Content-Type"] == "application/octet-stream"
    assert bundle["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_narrower_partial_tile_stays_available_as_the_log_grows(
    client: Client, big_log: int
) -> None:
    narrow = get(client, "/log/tile/0/001.p/3")
    write(4)
    assert get(client, "/log/tile/0/001.p/3") == narrow
    assert get(client, "/log/tile/0/001.p/9")[: 3 * 32] == narrow


MISSING_TILES = [
    "tile/0/002",  # not yet (or ever) complete
    "tile/0/001",  # the full tile does not exist yet
    "tile/0/001.p/6",  # wider than the tree
    "tile/entries/001.p/6",
    "tile/entries/001",
    "tile/0/x000/001",  # non-canonical leading zero group
    "tile/0/000.p/256",  # a full tile has no .p/
    "tile/0/000.p/0",
    "tile/0/000.p/007",
]
NOT_TILE_PATHS = ["tile/0/1", "tile/64/000", "tile/-1/000", "tile/entries/000.p/", "tile/0/00a"]


def test_missing_and_non_canonical_tiles_are_404(client: Client, big_log: int) -> None:
    for path in MISSING_TILES:
        response = client.get(f"/log/{path}")
        assert response.status_code == 404, path
        assert response["Cache-Control"] == "no-store", path
    for path in NOT_TILE_PATHS:
        assert client.get(f"/log/{path}").status_code == 404, path


def test_the_log_endpoints_only_answer_get_and_head(client: Client, big_log: int) -> None:
    assert client.head("/log/tile/0/000").status_code == 200
    assert client.post("/log/checkpoint").status_code == 405
    assert client.post("/log/tile/0/000").status_code == 405


# ---------------------------------------------------------------- the /log page


def test_the_log_page_explains_and_shows_the_latest_checkpoint(client: Client) -> None:
    write(3)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None
    Cosignature.objects.create(
        checkpoint=checkpoint,
        witness="civic-witness",
        sector="civil_society",
        key_name="civic.example",
        key_id="0a0b0c0d",
        timestamp=1_700_000_000,
        line="— civic.example AAAA\n",
    )
    html = get(client, "/log").decode()
    assert '<main id="main"' in html
    assert html.count("<h1>") == 1
    for text in (
        "The public log",
        "What it protects against",
        "What it does not protect against",
        "How to check a record",
        "tripartite verify-receipt FILE",
        "tripartite.test/log",
        "civic-witness",
        "Civil society",
        checkpoint.note.split("\n")[2],  # the root, base64
    ):
        assert text in html, text
    assert "<dt>Latest checkpoint</dt><dd>3 entries</dd>" in html


def test_the_log_page_works_before_any_checkpoint(client: Client) -> None:
    html = get(client, "/log").decode()
    assert "None yet" in html


def test_the_log_page_is_translated(client: Client) -> None:
    response = client.get("/log", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()


def test_log_with_a_slash_redirects(client: Client) -> None:
    response = client.get("/log/")
    assert response.status_code == 301
    assert response["Location"] == "/log"


# ---------------------------------------------------------------- the record partial

PARTIAL = Template("{% load ledger_tags %}{% record_log public_id version %}")


def render_partial(public_id: str, version: int) -> str:
    return PARTIAL.render(Context({"public_id": public_id, "version": version}))


def test_the_partial_says_waiting_until_a_checkpoint_covers_the_version() -> None:
    write(2)
    html = render_partial("member/m1", 1)
    assert "Recorded in the" in html and "as entry 1" in html
    assert "Waiting for the next checkpoint" in html
    assert ".receipt" not in html


def test_the_partial_names_entry_checkpoint_cosigners_and_links_the_receipt() -> None:
    write(2)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None
    for witness, sector in (("gov-witness", "government"), ("cso-witness", "civil_society")):
        Cosignature.objects.create(
            checkpoint=checkpoint,
            witness=witness,
            sector=sector,
            key_name=f"{witness}.example",
            key_id="00000000",
            timestamp=1_700_000_000,
            line="x",
        )
    write(1)  # a later entry, not yet covered
    html = render_partial("member/m1", 1)
    assert "entry 1, checkpoint 2" in html
    assert "signed <time datetime=" in html
    assert "cosigned by cso-witness (Civil society), gov-witness (Government)" in html
    assert 'href="/records/member/m1/v1.receipt"' in html
    assert "Waiting" in render_partial("member/m2", 1)


def test_the_partial_says_when_the_policy_was_not_met() -> None:
    write(1)
    Checkpoint.objects.create(
        size=1,
        root=read_head()[1],
        note="n",
        key_id="0",
        signed_at="2026-01-01T00:00Z",
        quorum_met=False,
    )
    html = render_partial("member/m0", 1)
    assert "not cosigned by any witness" in html
    assert "The witness policy was not met." in html


@pytest.mark.parametrize("signed", [False, True])
def test_the_partial_costs_at_most_two_queries(signed: bool) -> None:
    write(3)
    if signed:
        services.sign_checkpoint()
    with CaptureQueriesContext(connection) as queries:
        render_partial("member/m1", 1)
    assert len(queries.captured_queries) == (2 if signed else 1)


def test_record_pages_show_their_place_in_the_log(client: Client) -> None:
    factories.member(key="xx")
    html = get(client, "/member/xx/").decode()
    assert "Waiting for the next checkpoint" in html
    services.sign_checkpoint()
    html = get(client, "/member/xx/").decode()
    assert "entry 0, checkpoint 1" in html
    assert 'href="/records/member/xx/v1.receipt"' in html
