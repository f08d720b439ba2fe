"""The monitor against an in-memory Tripartite log served over HTTP by a tiny WSGI app.

The fake instance publishes what a real one does (checkpoint, key, tlog-tiles,
entry bundles, each record version's canonical JSON) from data built with the
ledger core, and lets each test play a dishonest host.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import make_server
from wsgiref.types import StartResponse, WSGIEnvironment

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from tripartite.core.canonical import canonical_json
from tripartite.ledger import checkpoint, merkle, note, tiles
from tripartite.ledger import witness as witness_mod
from tripartite.ledger.commands import register
from tripartite.ledger.monitor import (
    Monitor,
    MonitorError,
    MonitorReport,
    MonitorState,
    default_state_file,
    frontier_append,
    frontier_keys,
    frontier_root,
    load_state,
    parse_entry,
    save_state,
)
from tripartite.ledger.tests.signers import CSO, FORGER, GOV, LOG, ORIGIN


def policy_text(witness_url: str | None = None) -> str:
    url = f" {witness_url}" if witness_url else ""
    return "\n".join(
        [
            f"log {LOG.verifier().key}",
            f"witness GOV {GOV.key.verifier_key()}{url}",
            f"witness CSO {CSO.key.verifier_key()}",
            "group both all GOV CSO",
            "quorum both",
            "",
        ]
    )


def record_content(public_id: str, version: int, title: str) -> dict[str, object]:
    type_ = public_id.split("/")[0]
    return {"id": public_id, "type": type_, "title": title, "revision": version}


def entry_for(public_id: str, version: int, content: bytes, op: str | None = None) -> bytes:
    return canonical_json(
        {
            "type": public_id.split("/")[0],
            "id": public_id,
            "version": version,
            "op": op or ("create" if version == 1 else "update"),
            "sha256": hashlib.sha256(content).hexdigest(),
            "at": f"2017-05-{1 + version % 28:02d}T10:00:00+00:00",
        }
    )


@dataclass
class FakeLog:
    """Entries, stored tree and record versions of one (possibly rewritten) history."""

    signer: note.Ed25519Signer = LOG
    entries: list[bytes] = field(default_factory=list)
    store: merkle.InMemoryHashStore = field(default_factory=merkle.InMemoryHashStore)
    records: dict[str, bytes] = field(default_factory=dict)  # "type/key/vN" -> JSON bytes

    def add_version(
        self, public_id: str, version: int, title: str = "", op: str | None = None
    ) -> None:
        content = canonical_json(record_content(public_id, version, title or public_id))
        self.records[f"{public_id}/v{version}"] = content
        self.append(entry_for(public_id, version, content, op))

    def append(self, entry: bytes) -> None:
        self.entries.append(entry)
        self.store.append_entries([entry])

    def add_records(self, count: int, kind: str = "letter", start: int = 0) -> FakeLog:
        for i in range(start, start + count):
            self.add_version(f"{kind}/l-{i:04d}", 1)
        return self

    def copy_prefix(self, size: int) -> FakeLog:
        other = FakeLog(self.signer)
        for entry in self.entries[:size]:
            other.append(entry)
        other.records = dict(self.records)
        return other

    def root(self, size: int) -> bytes:
        return merkle.root_at(size, self.store)

    def note(
        self,
        size: int | None = None,
        signer: note.Signer | None = None,
        cosigners: Iterable[note.Signer] = (),
    ) -> bytes:
        size = len(self.entries) if size is None else size
        body = checkpoint.Checkpoint(ORIGIN, size, self.root(size)).to_text()
        return note.sign_note(body, [signer or self.signer, *cosigners])


class FakeInstance:
    """The WSGI app: publishes ``log`` at ``size`` (tiles serve any width up to it)."""

    def __init__(self, log: FakeLog) -> None:
        self.log = log
        self.size = len(log.entries)
        self.cosigners: list[note.Signer] = []
        self.checkpoint_override: bytes | None = None
        self.tile_overrides: dict[str, bytes] = {}
        self.entry_overrides: dict[int, bytes] = {}
        self.record_overrides: dict[str, bytes | None] = {}
        self.witness_checkpoint: bytes | None = None
        self.drop_completed_partials = False
        self.hits: Counter[str] = Counter()
        self.paths: list[str] = []

    def publish(self, log: FakeLog | None = None, size: int | None = None) -> None:
        if log is not None:
            self.log = log
        self.size = len(self.log.entries) if size is None else size

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        path = environ["PATH_INFO"]
        self.paths.append(path)
        status, body = self.route(path)
        start_response(status, [("Content-Type", "application/octet-stream")])
        return [body]

    def route(self, path: str) -> tuple[str, bytes]:
        not_found = ("404 Not Found", b"not found\n")
        if path == "/log/checkpoint":
            self.hits["checkpoint"] += 1
            if self.checkpoint_override is not None:
                return "200 OK", self.checkpoint_override
            return "200 OK", self.log.note(self.size, cosigners=self.cosigners)
        if path == "/log/key":
            return "200 OK", (str(self.log.signer.verifier().key) + "\n").encode()
        if path.startswith("/log/tile/"):
            rel = path[len("/log/") :]
            try:
                tile = tiles.parse_tile_path(rel)
            except tiles.TileError:
                return not_found
            return self.tile(rel, tile) or not_found
        match = re.fullmatch(r"/records/([-\w]+)/([-\w]+)/v(\d+)\.json", path)
        if match:
            self.hits["records"] += 1
            name = f"{match[1]}/{match[2]}/v{match[3]}"
            if name in self.record_overrides:
                override = self.record_overrides[name]
                return ("200 OK", override) if override is not None else not_found
            data = self.log.records.get(name)
            return ("200 OK", data) if data is not None else not_found
        match = re.fullmatch(r"/witness/([0-9a-f]{64})/checkpoint", path)
        if match and self.witness_checkpoint is not None:
            return "200 OK", self.witness_checkpoint
        return not_found

    def tile(self, rel: str, tile: tiles.Tile) -> tuple[str, bytes] | None:
        if rel in self.tile_overrides:
            return "200 OK", self.tile_overrides[rel]
        if tile.level == tiles.ENTRIES_LEVEL:
            self.hits["bundles"] += 1
            available = self.size - tile.index * tiles.TILE_WIDTH
        else:
            self.hits["tiles"] += 1
            available = (self.size >> (8 * tile.level)) - tile.index * tiles.TILE_WIDTH
        if available < tile.width:
            return None
        if self.drop_completed_partials and not tile.is_full and available >= tiles.TILE_WIDTH:
            return None  # the tile is full now: tlog-tiles clients fall back to it
        if tile.level == tiles.ENTRIES_LEVEL:
            first = tile.index * tiles.TILE_WIDTH
            entries = [
                self.entry_overrides.get(i, self.log.entries[i])
                for i in range(first, first + tile.width)
            ]
            return "200 OK", tiles.build_entry_bundle(entries)
        return "200 OK", tiles.read_tile(tile, self.log.store)


@dataclass
class Served:
    instance: FakeInstance
    url: str
    state: Path

    def monitor(self, **options: object) -> MonitorReport:
        return Monitor(self.url, self.state, **options).run()  # type: ignore[arg-type]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    instance = FakeInstance(FakeLog().add_records(300))
    server = make_server(
        "127.0.0.1",
        0,
        instance,
        server_class=witness_mod.ThreadingWSGIServer,
        handler_class=witness_mod.QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Served(instance, f"http://127.0.0.1:{server.server_address[1]}", tmp_path / "m.json")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def kinds(report: MonitorReport) -> list[str]:
    return sorted({d.kind for d in report.discrepancies})


# --------------------------------------------------------------------------
# An honest log
# --------------------------------------------------------------------------


def test_first_run_checks_everything_and_pins_the_key(served: Served) -> None:
    report = served.monitor()
    assert report.ok, report.discrepancies
    assert (report.size, report.entries_checked, report.records_checked) == (300, 300, 300)
    assert report.key_source == "trust on first use"
    assert any("pinned the log key" in n for n in report.notes)
    assert report.state_advanced
    state = load_state(served.state)
    assert state is not None
    assert (state.size, state.origin, state.log_key) == (300, ORIGIN, str(LOG.verifier().key))
    assert frontier_root(state.frontier) == served.instance.log.root(300)
    assert state.versions["letter/l-0007"] == 1


def test_later_runs_fetch_only_new_entries(served: Served) -> None:
    assert served.monitor().ok
    served.instance.log.add_records(30, start=300)
    served.instance.log.add_version("letter/l-0003", 2, "amended")
    served.instance.publish()
    served.instance.hits.clear()
    served.instance.paths.clear()
    report = served.monitor()
    assert report.ok, report.discrepancies
    assert report.key_source == "pinned"
    assert (report.previous_size, report.size) == (300, 331)
    assert (report.entries_checked, report.records_checked) == (31, 31)
    assert served.instance.hits["records"] == 31
    bundles = [p for p in served.instance.paths if "/entries/" in p]
    assert bundles == ["/log/tile/entries/001.p/75"]
    # Nothing new: nothing fetched but the checkpoint and the tiles of the right edge.
    served.instance.hits.clear()
    report = served.monitor()
    assert report.ok and report.entries_checked == 0
    assert served.instance.hits["records"] == 0 and served.instance.hits["bundles"] == 0


def test_empty_log(served: Served) -> None:
    served.instance.publish(FakeLog())
    report = served.monitor()
    assert report.ok and report.size == 0
    served.instance.publish(FakeLog().add_records(3))
    assert served.monitor().ok


def test_partial_tiles_fall_back_to_full_tiles(served: Served) -> None:
    """The checkpoint lags the tiles: its partial tiles are only served as full tiles now."""
    served.instance.log.add_records(300, start=300)
    served.instance.publish()
    served.instance.drop_completed_partials = True
    served.instance.checkpoint_override = served.instance.log.note(300)
    report = served.monitor()
    assert report.ok, report.discrepancies
    assert report.size == 300


def test_progress_bar(served: Served) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    assert served.monitor(progress=True, console=console).ok
    assert "entries" in out.getvalue() and "records" in out.getvalue()


# --------------------------------------------------------------------------
# Records changed behind the log's back
# --------------------------------------------------------------------------


def test_changed_record_is_named(served: Served) -> None:
    tampered = canonical_json(record_content("letter/l-0042", 1, "rewritten"))
    served.instance.record_overrides["letter/l-0042/v1"] = tampered
    report = served.monitor()
    assert [(d.kind, d.public_id, d.version) for d in report.discrepancies] == [
        ("record-hash", "letter/l-0042", 1)
    ]
    assert "letter/l-0042 v1" in str(report.discrepancies[0])
    # The log itself is fine, so the state moves on, but the record stays on the list.
    assert report.state_advanced
    again = served.monitor()
    assert [d.public_id for d in again.discrepancies] == ["letter/l-0042"]
    del served.instance.record_overrides["letter/l-0042/v1"]
    fixed = served.monitor()
    assert fixed.ok and any("matches the log again" in n for n in fixed.notes)


def test_missing_record_is_named(served: Served) -> None:
    served.instance.record_overrides["letter/l-0010/v1"] = None
    report = served.monitor()
    assert [(d.kind, d.public_id) for d in report.discrepancies] == [
        ("record-missing", "letter/l-0010")
    ]


def test_full_run_rechecks_old_records(served: Served) -> None:
    assert served.monitor().ok
    served.instance.record_overrides["letter/l-0001/v1"] = b'{"id":"letter/l-0001"}'
    assert served.monitor().ok  # incremental: old versions are not fetched again
    report = served.monitor(full=True)
    assert [(d.kind, d.public_id) for d in report.discrepancies] == [
        ("record-hash", "letter/l-0001")
    ]
    assert report.entries_checked == 300


# --------------------------------------------------------------------------
# The log rewritten, truncated, forked, forged
# --------------------------------------------------------------------------


def test_rewritten_log_is_reported(served: Served) -> None:
    assert served.monitor().ok
    rewritten = FakeLog()
    rewritten.add_records(300)
    rewritten.entries[5] = entry_for("letter/l-0005", 1, b'{"forged":true}')
    rewritten.store = merkle.InMemoryHashStore()
    rewritten.store.append_entries(rewritten.entries)
    rewritten.add_records(10, start=300)
    served.instance.publish(rewritten)
    report = served.monitor()
    assert kinds(report) == ["consistency"]
    assert not report.state_advanced
    assert load_state(served.state).size == 300  # type: ignore[union-attr]


def test_truncated_log_is_reported(served: Served) -> None:
    assert served.monitor().ok
    served.instance.publish(served.instance.log.copy_prefix(250))
    report = served.monitor()
    assert kinds(report) == ["rollback"]
    assert not report.state_advanced


def test_forked_log_is_reported(served: Served) -> None:
    assert served.monitor().ok
    fork = FakeLog().add_records(299)
    fork.add_version("letter/l-9999", 1)
    served.instance.publish(fork)
    assert kinds(served.monitor()) == ["fork"]


def test_forged_checkpoint_signature_is_rejected(served: Served) -> None:
    assert served.monitor().ok
    served.instance.log.add_records(5, start=300)
    served.instance.publish()
    served.instance.checkpoint_override = served.instance.log.note(signer=FORGER)
    report = served.monitor()
    assert kinds(report) == ["checkpoint"]
    assert not report.state_advanced
    # On first use too: the served key does not sign the checkpoint.
    fresh = Monitor(served.url, served.state.with_name("fresh.json")).run()
    assert kinds(fresh) == ["checkpoint"]
    assert not served.state.with_name("fresh.json").exists()


def test_given_key_must_match_the_pinned_key(served: Served) -> None:
    assert served.monitor().ok
    report = served.monitor(log_vkey=str(FORGER.verifier().key))
    assert kinds(report) == ["key"]
    assert served.monitor(log_vkey=str(LOG.verifier().key)).ok


def test_given_key_is_used_on_first_run(served: Served) -> None:
    report = served.monitor(log_vkey=str(FORGER.verifier().key))
    assert kinds(report) == ["checkpoint"]
    report = served.monitor(log_vkey=str(LOG.verifier().key))
    assert report.ok and report.key_source == "given"


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(MonitorError, match="http"):
        Monitor("file:///etc/passwd", tmp_path / "s.json")
    with pytest.raises(MonitorError, match="key"):
        Monitor("http://127.0.0.1:1", tmp_path / "s.json", log_vkey="nonsense")
    with pytest.raises(MonitorError, match="policy"):
        Monitor("http://127.0.0.1:1", tmp_path / "s.json", policy="quorum nobody\n")


def test_unreachable_instance(tmp_path: Path) -> None:
    report = Monitor(
        "http://127.0.0.1:9", tmp_path / "s.json", log_vkey=str(LOG.verifier().key), timeout=2
    ).run()
    assert kinds(report) == ["fetch"]


# --------------------------------------------------------------------------
# Tiles and entries that do not agree
# --------------------------------------------------------------------------


def test_changed_entry_in_a_bundle_is_named(served: Served) -> None:
    content = canonical_json(record_content("letter/l-0100", 1, "other"))
    served.instance.entry_overrides[100] = entry_for("letter/l-0100", 1, content)
    served.instance.record_overrides["letter/l-0100/v1"] = content
    report = served.monitor()
    assert kinds(report) == ["entry-hash", "tree"]
    named = [d for d in report.discrepancies if d.kind == "entry-hash"]
    assert [(d.public_id, d.index) for d in named] == [("letter/l-0100", 100)]
    assert not report.state_advanced


def test_tampered_level0_tile_is_reported(served: Served) -> None:
    tile = tiles.Tile(0, 0)
    data = bytearray(tiles.read_tile(tile, served.instance.log.store))
    data[40] ^= 1  # the hash of entry 1
    served.instance.tile_overrides[tile.path] = bytes(data)
    report = served.monitor()
    assert "entry-hash" in kinds(report) and "tiles" in kinds(report)
    assert any(d.index == 1 for d in report.discrepancies)


def test_tampered_higher_tile_is_reported(served: Served) -> None:
    tile = tiles.Tile(1, 0, 1)
    served.instance.tile_overrides[tile.path] = merkle.leaf_hash(b"x")
    report = served.monitor()
    assert kinds(report) == ["tiles"]


def test_previously_verified_tile_hashes_must_not_change(served: Served) -> None:
    assert served.monitor().ok
    served.instance.log.add_records(10, start=300)
    served.instance.publish()
    # Entries 256..299 were verified at size 300; their tile is now 0/001.p/54.
    tile = tiles.Tile(0, 1, 54)
    data = bytearray(tiles.read_tile(tile, served.instance.log.store))
    data[5] ^= 1
    served.instance.tile_overrides[tile.path] = bytes(data)
    report = served.monitor()
    assert "tiles" in kinds(report)
    assert any("changed since it was verified" in d.detail for d in report.discrepancies)


def test_version_gaps_and_bad_entries_are_named(served: Served) -> None:
    log = served.instance.log
    log.add_version("letter/l-0001", 3)  # version 2 never logged
    log.add_version("letter/l-0002", 1)  # version 1 again
    log.add_version("letter/l-0004", 2, op="create")
    log.append(b'{"id":"letter/x","type":"letter"}')
    log.append(
        b'{"at":"2017-01-01T00:00:00+00:00", "id":"letter/y","op":"create",'
        b'"sha256":"' + b"0" * 64 + b'","type":"letter","version":1}'
    )
    served.instance.publish()
    report = served.monitor()
    found = sorted((d.kind, d.public_id or "", d.index or 0) for d in report.discrepancies)
    assert found == [
        ("entry", "letter/x", 303),
        ("entry", "letter/y", 304),
        ("entry-sequence", "letter/l-0001", 300),
        ("entry-sequence", "letter/l-0002", 301),
        ("entry-sequence", "letter/l-0004", 302),
    ]
    assert report.state_advanced  # the log is consistent; its content is what is wrong


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"id":"a/b"}', "lacks"),
        (
            b'{"at":"x","extra":1,"id":"a/b","op":"create","sha256":"x","type":"a","version":1}',
            "unexpected",
        ),
        (b'{"at":"x","id":"b/c","op":"create","sha256":"x","type":"a","version":1}', "id"),
        (b'{"at":"x","id":"a/../c","op":"create","sha256":"x","type":"a","version":1}', "key"),
        (b'{"at":"x","id":"a/b","op":"create","sha256":"x","type":"a","version":0}', "version"),
        (b'{"at":"x","id":"a/b","op":"create","sha256":"x","type":"a","version":1}', "sha256"),
    ],
)
def test_parse_entry_rejects(data: bytes, problem: str) -> None:
    entry, _, detail = parse_entry(0, data)
    assert entry is None and detail is not None and problem in detail


# --------------------------------------------------------------------------
# Witness policy
# --------------------------------------------------------------------------


def test_policy_quorum(served: Served) -> None:
    served.instance.cosigners = [GOV]
    report = served.monitor(policy=policy_text())
    assert kinds(report) == ["witness-quorum"]
    assert report.witnesses == ["GOV"]
    assert not report.state_advanced
    served.instance.cosigners = [GOV, CSO]
    report = served.monitor(policy=policy_text())
    assert report.ok and report.witnesses == ["CSO", "GOV"]
    assert report.key_source == "policy"
    # The policy is pinned: later runs apply it without being told.
    served.instance.cosigners = [CSO]
    assert kinds(served.monitor()) == ["witness-quorum"]


def test_bad_cosignature_rejects_the_checkpoint(served: Served) -> None:
    signed = served.instance.log.note(cosigners=[GOV, CSO])
    lines = signed.decode().splitlines(keepends=True)
    bad_line = lines[-1][:-10] + ("A" if lines[-1][-10] != "A" else "B") + lines[-1][-9:]
    served.instance.checkpoint_override = "".join([*lines[:-1], bad_line]).encode()
    assert kinds(served.monitor(policy=policy_text())) == ["checkpoint"]


def test_split_view_reported_by_a_witness(served: Served) -> None:
    served.instance.cosigners = [GOV, CSO]
    policy = policy_text(f"{served.url}/witness")
    # The witness last cosigned a bigger tree than the log shows us.
    bigger = served.instance.log.copy_prefix(300).add_records(5, start=300)
    served.instance.witness_checkpoint = bigger.note(cosigners=[GOV])
    report = served.monitor(policy=policy)
    assert kinds(report) == ["split-view"]
    # ... or a tree of another history.
    other = FakeLog().add_records(200, kind="decision")
    served.instance.witness_checkpoint = other.note(cosigners=[GOV])
    assert kinds(served.monitor(policy=policy)) == ["split-view"]
    # A witness behind the log is fine.
    served.instance.witness_checkpoint = served.instance.log.note(200, cosigners=[GOV])
    assert served.monitor(policy=policy).ok


# --------------------------------------------------------------------------
# State file and compact ranges
# --------------------------------------------------------------------------


def test_compact_range_matches_the_tree() -> None:
    store = merkle.InMemoryHashStore()
    frontier: list[bytes] = []
    for size in range(0, 600):
        assert frontier_root(frontier) == merkle.root_at(size, store)
        assert len(frontier) == len(frontier_keys(size))
        got = store.get_hashes(frontier_keys(size))
        assert [got[k] for k in frontier_keys(size)] == frontier
        leaf = merkle.leaf_hash(str(size).encode())
        frontier_append(frontier, size, leaf)
        store.append_leaf_hashes([leaf])


def test_state_file_round_trip_and_corruption(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.json"
    log = FakeLog().add_records(5)
    frontier: list[bytes] = []
    for i, entry in enumerate(log.entries):
        frontier_append(frontier, i, merkle.leaf_hash(entry))
    state = MonitorState("http://x", ORIGIN, None, None, 5, log.root(5), None, frontier)
    save_state(path, state)
    assert load_state(path) == state
    data = json.loads(path.read_text())
    data["root_hash"] = note.encode_base64(merkle.leaf_hash(b"x"))
    path.write_text(json.dumps(data))
    with pytest.raises(MonitorError, match="inconsistent"):
        load_state(path)
    path.write_text("{")
    with pytest.raises(MonitorError):
        load_state(path)


def test_default_state_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = default_state_file("https://forum.example.gov:8443/")
    assert path.parent == tmp_path / "tripartite" / "monitor"
    assert path.name.startswith("forum.example.gov_8443-")
    assert default_state_file("https://forum.example.gov:8443") == path


# --------------------------------------------------------------------------
# The ``verify URL`` command
# --------------------------------------------------------------------------


def _cli() -> tuple[typer.Typer, CliRunner]:
    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_verify_command_ok_then_discrepancy(served: Served) -> None:
    app, runner = _cli()
    args = ["verify", served.url, "--state", str(served.state), "--no-progress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "log key (trust on first use)" in result.output
    assert "entries re-hashed: 300" in result.output
    assert "OK: the log is consistent" in result.output
    served.instance.log.add_version("letter/l-0042", 2, "amended")
    served.instance.publish()
    served.instance.record_overrides["letter/l-0042/v2"] = b'{"id":"letter/l-0042"}'
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "[record-hash] letter/l-0042 v2, entry 300:" in result.output
    assert "FAILED: 1 discrepancies" in result.output


def test_verify_command_with_key_and_policy_files(served: Served, tmp_path: Path) -> None:
    app, runner = _cli()
    served.instance.cosigners = [GOV]
    key_file = tmp_path / "log.vkey"
    key_file.write_text(str(LOG.verifier().key) + "\n")
    policy_file = tmp_path / "policy.txt"
    policy_file.write_text(policy_text())
    args = ["verify", served.url, "--state", str(served.state), "--key", str(key_file)]
    result = runner.invoke(app, [*args, "--policy", str(policy_file)])
    assert result.exit_code == 1
    assert "[witness-quorum]" in result.output and "state not advanced" in result.output
    served.instance.cosigners = [GOV, CSO]
    result = runner.invoke(app, [*args, "--policy", str(policy_file)])
    assert result.exit_code == 0, result.output
    assert "witnesses: CSO, GOV (policy quorum 'both')" in result.output


def test_verify_command_usage(served: Served) -> None:
    app, runner = _cli()
    assert runner.invoke(app, ["verify"]).exit_code == 2
    assert runner.invoke(app, ["verify", served.url, "--local"]).exit_code == 2
    result = runner.invoke(app, ["verify", "ftp://example.org", "--state", str(served.state)])
    assert result.exit_code == 2 and "http" in result.output
