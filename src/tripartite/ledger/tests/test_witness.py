"""The C2SP tlog-witness, spoken to over real HTTP on 127.0.0.1 (a server thread per test)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tripartite.ledger import checkpoint, merkle, note, witness
from tripartite.ledger.commands import register

DATA = Path(__file__).parent / "data" / "tlog"
ORIGIN = "forum.example.gov/log"
OTHER_ORIGIN = "other.example.org/log"
NOW = 1_700_000_000


def seed(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


LOG = note.Ed25519Signer.from_seed(ORIGIN, seed("log"))
OTHER_LOG = note.Ed25519Signer.from_seed(OTHER_ORIGIN, seed("other log"))
#: Same key name as the log, different key: what a forger without the log key can do.
FORGER = note.Ed25519Signer.from_seed(ORIGIN, seed("forger"))


class Log:
    """An in-memory log built with the core: entries, stored tree, signed checkpoints."""

    def __init__(self, signer: note.Ed25519Signer = LOG, prefix: str = "entry") -> None:
        self.signer = signer
        self.prefix = prefix
        self.store = merkle.InMemoryHashStore()

    @property
    def size(self) -> int:
        return self.store.size

    def grow(self, count: int) -> Log:
        start = self.store.size
        self.store.append_entries(
            [f"{self.prefix} {i}".encode() for i in range(start, start + count)]
        )
        return self

    def root(self, size: int | None = None) -> bytes:
        return merkle.root_at(self.size if size is None else size, self.store)

    def note(self, size: int | None = None, signer: note.Signer | None = None) -> bytes:
        size = self.size if size is None else size
        body = checkpoint.Checkpoint(self.signer.name, size, self.root(size)).to_text()
        return note.sign_note(body, [signer or self.signer])

    def proof(self, old: int, new: int | None = None) -> list[bytes]:
        new = self.size if new is None else new
        if old == 0 or old == new:
            return []
        return merkle.consistency_proof_at(old, new, self.store)


def request_body(old: int, proof: list[bytes], signed: bytes) -> bytes:
    lines = [f"old {old}", *(note.encode_base64(h) for h in proof)]
    return ("\n".join(lines) + "\n\n").encode() + signed


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


def http(url: str, data: bytes | None = None, method: str | None = None) -> Answer:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers["Content-Type"], response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers["Content-Type"], error.read())


@dataclass
class Running:
    url: str
    witness: witness.Witness
    server: witness.WSGIServer
    thread: threading.Thread

    def add(self, old: int, proof: list[bytes], signed: bytes) -> Answer:
        return http(f"{self.url}/add-checkpoint", request_body(old, proof, signed))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def start(state_dir: Path, logs: list[note.VerifierKey], name: str | None = None) -> Running:
    w = witness.Witness(state_dir, witness.logs_by_origin(logs), name=name, clock=lambda: NOW)
    server = witness.make_witness_server(w, "127.0.0.1:0")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = server.server_address[1]
    return Running(f"http://127.0.0.1:{port}", w, server, thread)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    r = start(
        tmp_path / "witness",
        [LOG.verifier().key, OTHER_LOG.verifier().key],
        name="gov.example/witness",
    )
    yield r
    r.stop()


def cosigned(signed: bytes, answer: Answer, running: Running) -> checkpoint.SignedCheckpoint:
    """Attach the returned cosignature lines and verify them with the witness's key."""
    lines = answer.body.decode().splitlines(keepends=True)
    sigs = [note.parse_note(b"x\n\n" + line.encode()).signatures[0] for line in lines]
    combined = checkpoint.add_cosignatures(signed, sigs)
    cosigner = checkpoint.verifier_for_key(running.witness.verifier_key)
    return checkpoint.open_checkpoint(combined, [LOG.verifier()], [cosigner])


# --------------------------------------------------------------------------
# The protocol
# --------------------------------------------------------------------------


def test_first_checkpoint_is_cosigned(running: Running) -> None:
    log = Log().grow(5)
    signed = log.note()
    answer = running.add(0, [], signed)
    assert answer.status == 200, answer.body
    assert answer.body.decode().startswith("\u2014 gov.example/witness ")
    assert answer.body.endswith(b"\n") and answer.body.count(b"\n") == 1
    opened = cosigned(signed, answer, running)
    assert [c.name for c in opened.cosignatures] == ["gov.example/witness"]
    assert opened.cosignatures[0].timestamp == NOW
    latest = running.witness.latest(ORIGIN)
    assert latest is not None and (latest.size, latest.root_hash) == (5, log.root())


def test_consistent_growth_is_cosigned_and_served_to_monitors(running: Running) -> None:
    log = Log().grow(5)
    assert running.add(0, [], log.note()).status == 200
    for grow in (7, 1, 300):
        old = log.size
        log.grow(grow)
        signed = log.note()
        answer = running.add(old, log.proof(old), signed)
        assert answer.status == 200, answer.body
        cosigned(signed, answer, running)
    # Re-submitting the same checkpoint is consistent: cosigned again, state unchanged.
    assert running.add(log.size, [], log.note()).status == 200
    assert running.witness.state.history(ORIGIN) == [
        (5, log.root(5)),
        (12, log.root(12)),
        (13, log.root(13)),
        (313, log.root(313)),
    ]
    served = http(f"{running.url}/{witness.origin_hash(ORIGIN)}/checkpoint")
    assert served.status == 200
    assert served.content_type.startswith("text/plain")
    cosigner = checkpoint.verifier_for_key(running.witness.verifier_key)
    opened = checkpoint.open_checkpoint(served.body, [LOG.verifier()], [cosigner])
    assert opened.checkpoint.size == 313
    assert [c.name for c in opened.cosignatures] == ["gov.example/witness"]


def test_stale_old_size_gets_409_with_the_cosigned_size(running: Running) -> None:
    log = Log().grow(12)
    assert running.add(0, [], log.note(5)).status == 200
    assert running.add(5, log.proof(5, 12), log.note(12)).status == 200
    log.grow(8)
    for old in (5, 0, 13):
        answer = running.add(old, log.proof(old), log.note())
        assert answer.status == 409
        assert answer.content_type == "text/x.tlog.size"
        assert answer.body == b"12\n"
    # A log that learnt the size from the 409 can then proceed.
    assert running.add(12, log.proof(12), log.note()).status == 200


def test_forged_or_inconsistent_proofs_get_422(running: Running) -> None:
    log = Log().grow(12)
    assert running.add(0, [], log.note()).status == 200
    log.grow(8)
    proof = log.proof(12)
    # A bit flipped in one proof hash.
    bad = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
    assert running.add(12, bad, log.note()).status == 422
    # Missing or extra proof lines.
    assert running.add(12, proof[:-1], log.note()).status == 422
    assert running.add(12, [*proof, proof[0]], log.note()).status == 422
    # A rewritten log: the same key signs a tree with different history.
    rewritten = Log(prefix="rewritten").grow(20)
    assert running.add(12, rewritten.proof(12), rewritten.note()).status == 422
    # Same size, different root (a fork at the cosigned size).
    assert running.add(12, [], rewritten.note(12)).status == 422
    # The same size must come without a proof.
    assert running.add(12, proof[:1], Log().grow(12).note()).status == 422
    # Nothing of that moved the witness.
    latest = running.witness.latest(ORIGIN)
    assert latest is not None and latest.size == 12
    reasons = [r for _, r, _ in running.witness.state.evidence()]
    assert len(reasons) == 6 and "fork" in reasons[4]
    # The honest extension is still accepted.
    assert running.add(12, proof, log.note()).status == 200


def test_non_empty_proof_with_old_size_zero_gets_422(running: Running) -> None:
    other = Log(OTHER_LOG).grow(4)
    assert running.add(0, [merkle.leaf_hash(b"x")], other.note()).status == 422
    assert running.witness.latest(OTHER_ORIGIN) is None
    assert running.add(0, [], other.note()).status == 200


def test_empty_tree_with_a_non_empty_root_gets_422(running: Running) -> None:
    body = f"{ORIGIN}\n0\n{note.encode_base64(merkle.leaf_hash(b'x'))}\n"
    assert running.add(0, [], note.sign_note(body, [LOG])).status == 422
    empty = note.sign_note(checkpoint.format_checkpoint(ORIGIN, 0, merkle.EMPTY_ROOT), [LOG])
    assert running.add(0, [], empty).status == 200


def test_truncated_log_is_refused(running: Running) -> None:
    log = Log().grow(12)
    assert running.add(0, [], log.note()).status == 200
    truncated = log.note(8)  # validly signed, but smaller than what was cosigned
    assert running.add(12, [], truncated).status == 400  # old size > checkpoint size
    assert running.add(8, [], truncated).status == 409
    assert running.add(0, [], truncated).status == 409


def test_forged_log_signature_gets_403(running: Running) -> None:
    log = Log().grow(3)
    # Signed by a key with the log's name but not the log's key: no trusted signature.
    assert running.add(0, [], log.note(signer=FORGER)).status == 403
    # The log's key ID with a broken signature: a trusted key's signature fails.
    signed = bytearray(log.note())
    signature_start = signed.rindex(b" ") + 1
    raw = bytearray(note.decode_base64(signed[signature_start:-1].decode()))
    raw[10] ^= 0x40
    signed[signature_start:-1] = note.encode_base64(bytes(raw)).encode()
    assert running.add(0, [], bytes(signed)).status == 403
    # Another log's signature on this origin's checkpoint.
    other_signed = note.sign_note(checkpoint.parse_note(log.note()).text, [OTHER_LOG])
    assert running.add(0, [], other_signed).status == 403
    assert running.witness.latest(ORIGIN) is None


def test_unknown_origin_gets_404(running: Running) -> None:
    stranger = note.Ed25519Signer.from_seed("stranger.example/log", seed("stranger"))
    assert running.add(0, [], Log(stranger).grow(2).note()).status == 404


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"old 1",
        b"old 01\n\nx",
        b"old -1\n\n",
        b"new 0\n\n",
        b"old 0\nnot base64!\n\n",
        b"old 0\n" + note.encode_base64(b"short").encode() + b"\n\n",
        b"old 0\n\n",
        b"old 0\n\nthis is not a note\n",
        b"old 18446744073709551616\n\n",
    ],
)
def test_malformed_requests_get_400(running: Running, body: bytes) -> None:
    assert http(f"{running.url}/add-checkpoint", body).status == 400


def test_too_many_proof_lines_or_old_above_size_get_400(running: Running) -> None:
    log = Log().grow(5)
    assert running.add(0, [merkle.leaf_hash(b"x")] * 64, log.note()).status == 400
    assert running.add(6, [], log.note()).status == 400


def test_http_surface(running: Running) -> None:
    assert http(f"{running.url}/add-checkpoint").status == 405
    assert http(f"{running.url}/{witness.origin_hash(ORIGIN)}/checkpoint").status == 404
    assert http(f"{running.url}/nowhere").status == 404
    info = http(f"{running.url}/")
    assert info.status == 200 and running.witness.verifier_key.encode() in info.body


def test_state_persists_across_restart(tmp_path: Path) -> None:
    state_dir = tmp_path / "w"
    first = start(state_dir, [LOG.verifier().key])
    log = Log().grow(12)
    try:
        assert first.add(0, [], log.note()).status == 200
        vkey = first.witness.verifier_key
    finally:
        first.stop()
    second = start(state_dir, [LOG.verifier().key])
    try:
        assert second.witness.verifier_key == vkey  # same key after a restart
        answer = second.add(5, log.proof(5), log.note())
        assert (answer.status, answer.body) == (409, b"12\n")
        log.grow(4)
        assert second.add(12, log.proof(12), log.note()).status == 200
    finally:
        second.stop()


def test_concurrent_requests_cannot_roll_the_state_back(running: Running) -> None:
    log = Log().grow(12)
    assert running.add(0, [], log.note()).status == 200
    log.grow(20)
    barrier = threading.Barrier(8)
    answers: dict[int, Answer] = {}

    def submit(size: int) -> None:
        body = request_body(12, log.proof(12, size), log.note(size))
        barrier.wait()
        answers[size] = http(f"{running.url}/add-checkpoint", body)

    threads = [threading.Thread(target=submit, args=(13 + i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [size for size, a in answers.items() if a.status == 200]
    assert len(winners) == 1
    assert all(a.body == f"{winners[0]}\n".encode() for a in answers.values() if a.status == 409)
    latest = running.witness.latest(ORIGIN)
    assert latest is not None and latest.size == winners[0]


# --------------------------------------------------------------------------
# Key, configuration, conformance vector
# --------------------------------------------------------------------------


def test_key_file_is_private_and_stable(tmp_path: Path) -> None:
    state_dir = tmp_path / "w"
    key = witness.load_or_create_key(state_dir, "cso.example/witness")
    path = state_dir / witness.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    assert key.sig_type == note.SIG_TYPE_COSIGNATURE_ED25519
    vkey = (state_dir / witness.VKEY_FILE).read_text().strip()
    assert vkey == key.verifier_key().to_string()
    assert witness.load_or_create_key(state_dir) == key
    with pytest.raises(witness.WitnessConfigError, match="named"):
        witness.load_or_create_key(state_dir, "someone.else/witness")
    os.chmod(path, 0o644)
    with pytest.raises(witness.WitnessConfigError, match="chmod 600"):
        witness.load_or_create_key(state_dir)


def test_log_configuration(tmp_path: Path) -> None:
    vkey = LOG.verifier().key.to_string()
    assert witness.parse_log_option(f"{ORIGIN}={vkey}").name == ORIGIN
    assert witness.parse_log_option(vkey).name == ORIGIN
    with pytest.raises(witness.WitnessConfigError, match="does not match"):
        witness.parse_log_option(f"elsewhere.example/log={vkey}")
    cosigner_key = checkpoint.CosignatureSigner(
        note.SignerKey("w.example", 0x04, seed("w"))
    ).key.verifier_key()
    with pytest.raises(witness.WitnessConfigError, match="type 0x01"):
        witness.parse_log_option(cosigner_key.to_string())
    policy_text = "\n".join(
        [
            "# a forum's policy file doubles as the witness configuration",
            f"log {vkey} https://forum.example.gov/log",
            f"witness W1 {cosigner_key}",
            "group all-w any W1",
            "quorum all-w",
        ]
    )
    keys = witness.parse_log_config(policy_text)
    assert witness.logs_by_origin(keys) == {ORIGIN: [LOG.verifier().key]}
    with pytest.raises(witness.WitnessConfigError, match="line 1"):
        witness.parse_log_config("lgo something")
    with pytest.raises(witness.WitnessConfigError, match="at least one log"):
        witness.Witness(tmp_path / "w", {})


def test_witness_from_env(tmp_path: Path) -> None:
    config = tmp_path / "logs.conf"
    config.write_text(f"log {OTHER_LOG.verifier().key}\n")
    w = witness.witness_from_env(
        {
            witness.ENV_STATE_DIR: str(tmp_path / "state"),
            witness.ENV_LOGS: f"{ORIGIN}={LOG.verifier().key}",
            witness.ENV_CONFIG: str(config),
            witness.ENV_NAME: "env.example/witness",
        }
    )
    assert sorted(w.logs) == [ORIGIN, OTHER_ORIGIN]
    assert w.name == "env.example/witness"
    with pytest.raises(witness.WitnessConfigError):
        witness.witness_from_env({})


def test_conformance_vector_add_checkpoint_6_to_8(tmp_path: Path) -> None:
    """The derived add-checkpoint 6->8 request yields exactly the vector's cosignature."""
    vectors = json.loads((DATA / "derived_vectors.json").read_text())
    keys = vectors["keys"]
    state_dir = tmp_path / "w"
    state_dir.mkdir(mode=0o700)
    skey = note.SignerKey(
        keys["witness"]["name"], 0x04, bytes.fromhex(keys["witness"]["ed25519_seed_hex"])
    )
    key_path = state_dir / witness.KEY_FILE
    key_path.write_text(skey.to_string() + "\n")
    key_path.chmod(0o600)
    expected = vectors["cosignatures"][0]
    log_key = note.parse_verifier_key(keys["log"]["vkey"])
    w = witness.Witness(
        state_dir, witness.logs_by_origin([log_key]), clock=lambda: expected["timestamp"]
    )
    assert w.verifier_key == expected["witness_vkey"]
    size6 = next(c for c in vectors["signed_checkpoints"] if c["id"] == "log-size-6")
    assert w.add_checkpoint(b"old 0\n\n" + size6["note"].encode()).status == 200
    answer = w.add_checkpoint(vectors["witness_add_checkpoint_request"]["body"].encode())
    assert answer.status == 200
    assert answer.body.decode() == expected["cosignature_line"] + "\n"


# --------------------------------------------------------------------------
# The ``witness`` commands
# --------------------------------------------------------------------------

CLI_SCRIPT = (
    "import typer; from tripartite.ledger.commands import register; "
    "app = typer.Typer(); register(app); app()"
)


def _cli() -> tuple[typer.Typer, CliRunner]:
    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_witness_key_command(tmp_path: Path) -> None:
    app, runner = _cli()
    state_dir = tmp_path / "w"
    args = ["witness", "key", "--state-dir", str(state_dir), "--name", "cso.example/witness"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    vkey = first.stdout.strip()
    assert note.parse_verifier_key(vkey).name == "cso.example/witness"
    assert "generated a new witness key" in first.stderr
    again = runner.invoke(app, ["witness", "key", "--state-dir", str(state_dir)])
    assert again.stdout.strip() == vkey and again.stderr == ""
    clash = runner.invoke(app, [*args[:-1], "other.example/witness"])
    assert clash.exit_code == 2


def test_witness_serve_needs_a_log(tmp_path: Path) -> None:
    app, runner = _cli()
    result = runner.invoke(app, ["witness", "serve", "--state-dir", str(tmp_path / "w")])
    assert result.exit_code == 2 and "at least one log" in result.output
    result = runner.invoke(
        app, ["witness", "serve", "--state-dir", str(tmp_path / "w"), "--log", "x=y"]
    )
    assert result.exit_code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("server", ["wsgiref", "gunicorn"])
def test_witness_serve_command(tmp_path: Path, server: str) -> None:
    """``witness serve`` in its own process: cosigns, then refuses a rewritten log."""
    state_dir = tmp_path / "w"
    config = state_dir / "logs.conf"
    state_dir.mkdir(mode=0o700)
    config.write_text(f"log {LOG.verifier().key}\n")  # the default configuration file
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CLI_SCRIPT,
            "witness",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--state-dir",
            str(state_dir),
            "--name",
            "gov.example/witness",
            "--server",
            server,
            "--log",
            f"{OTHER_ORIGIN}={OTHER_LOG.verifier().key}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                info = http(f"{url}/")
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        assert info.status == 200 and b"gov.example/witness" in info.body
        log = Log().grow(10)
        answer = http(f"{url}/add-checkpoint", request_body(0, [], log.note()))
        assert answer.status == 200
        assert (
            http(f"{url}/add-checkpoint", request_body(0, [], Log(OTHER_LOG).grow(2).note())).status
            == 200
        )
        rewritten = Log(prefix="rewritten").grow(12)
        refused = http(
            f"{url}/add-checkpoint", request_body(10, rewritten.proof(10), rewritten.note())
        )
        assert refused.status == 422
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "verifier key: gov.example/witness+" in output
    assert f"accepts {ORIGIN}" in output and f"accepts {OTHER_ORIGIN}" in output
