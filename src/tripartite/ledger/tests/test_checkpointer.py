"""Signing checkpoints: only after writes, all kept, each verifiable; witnesses (real C2SP
tlog-witness servers on loopback) are asked over HTTP and their cosignatures kept; a
witness that is down, reset or has seen another tree is handled; the checkpointer loop."""

from __future__ import annotations

import html
import logging
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from tripartite.core.actors import system_actor
from tripartite.core.errors import PermissionDenied
from tripartite.core.tests.stop_after import StopAfter
from tripartite.ledger import checkpointer, keys, merkle, services
from tripartite.ledger.checkpoint import (
    Checkpoint as CheckpointBody,
)
from tripartite.ledger.checkpoint import (
    open_checkpoint,
    sign_checkpoint,
    verifier_for_key,
)
from tripartite.ledger.models import Checkpoint, Cosignature
from tripartite.ledger.note import Ed25519Verifier
from tripartite.ledger.storage import LogStateError, drop_trigger_sql, read_head
from tripartite.ledger.tests.helpers import write
from tripartite.ledger.witness import Witness, make_witness_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def witness_timing(signing_log: None, settings: Any) -> None:
    """``signing_log`` (see conftest), with the witnesses' timeout and retry."""
    settings.TRIPARTITE_LOG_WITNESS_TIMEOUT = 5.0
    settings.TRIPARTITE_LOG_WITNESS_RETRY = 300.0


def log_verifier() -> Ed25519Verifier:
    return Ed25519Verifier(keys.log_verifier_key())


# ---------------------------------------------------------------- witnesses on loopback


@dataclass
class RunningWitness:
    name: str
    sector: str
    witness: Witness
    url: str = ""
    server: Any = None

    def start(self) -> None:
        self.server = make_witness_server(self.witness, "127.0.0.1:0")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def config(self) -> dict[str, str]:
        return {
            "name": self.name,
            "sector": self.sector,
            "url": self.url,
            "vkey": self.witness.verifier_key,
        }

    def cosigned_size(self) -> int:
        state = self.witness.latest(keys.log_origin())
        return state.size if state else 0


@pytest.fixture
def witnesses(settings: Any, tmp_path: Path) -> Iterator[Callable[..., RunningWitness]]:
    running: list[RunningWitness] = []

    def start(name: str, sector: str, state_dir: Path | None = None) -> RunningWitness:
        witness = Witness(
            state_dir or tmp_path / f"witness-{name}",
            {keys.log_origin(): [keys.log_verifier_key()]},
            name=f"{name}.witness.example",
        )
        handle = RunningWitness(name, sector, witness)
        handle.start()
        running.append(handle)
        settings.TRIPARTITE_LOG_WITNESSES = [
            *[w for w in settings.TRIPARTITE_LOG_WITNESSES if w["name"] != name],
            handle.config(),
        ]
        return handle

    yield start
    for handle in running:
        handle.stop()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


# ---------------------------------------------------------------- signing


def test_nothing_is_signed_before_the_first_write() -> None:
    assert services.sign_checkpoint() is None
    assert Checkpoint.objects.count() == 0


def test_a_checkpoint_is_signed_after_writes_and_only_then() -> None:
    write(3)
    first = services.sign_checkpoint()
    assert first is not None
    assert services.sign_checkpoint() is None  # no write since
    write(2)
    second = services.sign_checkpoint()
    assert second is not None
    assert [c.size for c in Checkpoint.objects.order_by("id")] == [3, 5]  # all are kept


def test_the_checkpoint_is_the_head_signed_by_the_log_key() -> None:
    write(4)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None
    size, root = read_head()
    signed = open_checkpoint(checkpoint.note.encode(), [log_verifier()])
    assert signed.checkpoint.origin == "tripartite.test/log"
    assert (signed.checkpoint.size, signed.checkpoint.root_hash) == (size, root)
    assert (checkpoint.size, bytes(checkpoint.root)) == (size, root)
    assert checkpoint.key_id == f"{keys.log_verifier_key().key_id:08x}"
    assert checkpoint.quorum_met  # no witness configured: the default policy is "quorum none"


def test_the_log_key_is_generated_once_with_mode_0600(settings: Any) -> None:
    path = Path(settings.TRIPARTITE_LOG_KEY_FILE)
    assert not path.exists()
    vkey = keys.log_vkey()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text().startswith("PRIVATE+KEY+tripartite.test/log+")
    keys.clear_cache()
    assert keys.log_vkey() == vkey  # read back, not regenerated


def test_the_key_defaults_to_the_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.TRIPARTITE_LOG_KEY_FILE = None
    settings.DATA_DIR = tmp_path / "data"
    keys.clear_cache()
    keys.log_vkey()
    assert (tmp_path / "data" / "log_key").stat().st_mode & 0o777 == 0o600


def test_a_key_of_another_origin_is_refused(settings: Any) -> None:
    keys.log_vkey()
    settings.TRIPARTITE_LOG_ORIGIN = "elsewhere.example/log"
    keys.clear_cache()
    with pytest.raises(Exception, match="TRIPARTITE_LOG_ORIGIN"):
        keys.log_vkey()


def test_only_the_system_and_superusers_may_sign() -> None:
    write(1)
    user_model = get_user_model()
    staff = user_model.objects.create_user("staff", is_staff=True)
    root = user_model.objects.create_superuser("root", password="x" * 16)
    with pytest.raises(PermissionDenied):
        services.sign_checkpoint(AnonymousUser())
    with pytest.raises(PermissionDenied):
        services.sign_checkpoint(staff)
    assert services.sign_checkpoint(root) is not None


def test_a_tampered_tree_is_never_signed() -> None:
    write(5)
    services.sign_checkpoint()
    write(1)
    with connection.cursor() as cursor:  # what only someone bypassing the app could do
        for statement in drop_trigger_sql(connection.vendor):
            cursor.execute(statement)
        cursor.execute("UPDATE ledger_treenode SET hash = %s WHERE level = 2", [b"\x07" * 32])
    with pytest.raises(LogStateError):
        services.sign_checkpoint()
    assert Checkpoint.objects.count() == 1


# ---------------------------------------------------------------- witnesses


def test_witnesses_of_each_sector_cosign_and_the_policy_is_met(
    witnesses: Callable[..., RunningWitness],
) -> None:
    gov = witnesses("gov", "government")
    cso = witnesses("cso", "civil_society")
    write(3)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None and checkpoint.quorum_met
    rows = list(Cosignature.objects.filter(checkpoint=checkpoint).order_by("witness"))
    assert [(c.witness, c.sector) for c in rows] == [
        ("cso", "civil_society"),
        ("gov", "government"),
    ]
    policy = keys.policy()
    cosigners = [verifier_for_key(w.key) for w in policy.witnesses]
    signed = open_checkpoint(checkpoint.note.encode(), [log_verifier()], cosigners)
    assert policy.evaluate(policy.witness_names_for(signed.note.verified))
    assert {c.name for c in signed.cosignatures} == {
        "gov.witness.example",
        "cso.witness.example",
    }
    assert gov.cosigned_size() == cso.cosigned_size() == 3


def test_later_checkpoints_are_proven_consistent_to_the_witnesses(
    witnesses: Callable[..., RunningWitness],
) -> None:
    gov = witnesses("gov", "government")
    for batch in (1, 2, 5, 9, 1):
        write(batch)
        checkpoint = services.sign_checkpoint()
        assert checkpoint is not None and checkpoint.quorum_met
        assert gov.cosigned_size() == checkpoint.size
    assert Cosignature.objects.count() == 5


def test_policy_counts_sectors_one_missing_sector_misses_the_quorum(
    witnesses: Callable[..., RunningWitness], settings: Any
) -> None:
    witnesses("gov", "government")
    settings.TRIPARTITE_LOG_WITNESSES = [
        *settings.TRIPARTITE_LOG_WITNESSES,
        {
            "name": "cso",
            "sector": "civil_society",
            "url": closed_port_url(),
            "vkey": Witness(  # a real key, but nobody answers at that URL
                Path(settings.TRIPARTITE_LOG_KEY_FILE).parent / "absent",
                {keys.log_origin(): [keys.log_verifier_key()]},
                name="cso.witness.example",
            ).verifier_key,
        },
    ]
    write(2)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None
    assert not checkpoint.quorum_met
    assert list(Cosignature.objects.values_list("witness", flat=True)) == ["gov"]
    assert "quorum every-sector" in keys.policy_text()


def test_a_witness_that_was_down_is_asked_again_after_the_retry_delay(
    witnesses: Callable[..., RunningWitness], settings: Any
) -> None:
    gov = witnesses("gov", "government")
    gov.stop()
    write(2)
    first = services.sign_checkpoint()
    assert first is not None and not first.quorum_met
    assert services.sign_checkpoint() is None  # too early to ask again
    gov.start()
    settings.TRIPARTITE_LOG_WITNESSES = [gov.config()]
    settings.TRIPARTITE_LOG_WITNESS_RETRY = 0
    second = services.sign_checkpoint()
    assert second is not None and second.quorum_met
    assert second.size == first.size == 2
    assert services.sign_checkpoint() is None  # met: nothing more to do


def test_a_reset_witness_answers_409_and_is_asked_again_from_its_size(
    witnesses: Callable[..., RunningWitness], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    gov = witnesses("gov", "government")
    write(3)
    assert services.sign_checkpoint() is not None
    # The witness loses its state but keeps its key: it now stands at size 0.
    gov.stop()
    fresh = tmp_path / "witness-gov-fresh"
    fresh.mkdir()
    for name in ("witness.key", "witness.vkey"):
        if (gov.witness.state_dir / name).exists():
            shutil.copy2(gov.witness.state_dir / name, fresh / name)
    reset = witnesses("gov", "government", state_dir=fresh)
    assert reset.witness.verifier_key == gov.witness.verifier_key
    assert reset.cosigned_size() == 0
    write(2)
    with caplog.at_level(logging.INFO, logger="tripartite.witness"):
        checkpoint = services.sign_checkpoint()  # sends old 3, gets 409 "0", sends old 0
    assert checkpoint is not None and checkpoint.quorum_met
    assert any(r.getMessage().startswith("409 ") for r in caplog.records)
    assert reset.cosigned_size() == 5


def test_a_witness_that_saw_another_tree_does_not_cosign(
    witnesses: Callable[..., RunningWitness], caplog: pytest.LogCaptureFixture
) -> None:
    gov = witnesses("gov", "government")
    # Someone holding the log key showed the witness a larger, different tree (a fork).
    forged = sign_checkpoint(
        CheckpointBody(keys.log_origin(), 1000, b"\x01" * 32), keys.log_signer()
    )
    assert gov.witness.add_checkpoint(b"old 0\n\n" + forged).status == 200
    write(3)
    with caplog.at_level(logging.ERROR, logger="tripartite.ledger"):
        checkpoint = services.sign_checkpoint()
    assert checkpoint is not None and not checkpoint.quorum_met
    assert Cosignature.objects.count() == 0
    assert "larger than this log's 3" in caplog.text
    assert gov.cosigned_size() == 1000  # the witness kept what it saw; the split is visible


def test_a_cosignature_by_another_key_than_configured_is_not_kept(
    witnesses: Callable[..., RunningWitness], settings: Any, tmp_path: Path
) -> None:
    gov = witnesses("gov", "government")
    impostor = Witness(
        tmp_path / "impostor",
        {keys.log_origin(): [keys.log_verifier_key()]},
        name="gov.witness.example",
    )
    settings.TRIPARTITE_LOG_WITNESSES = [{**gov.config(), "vkey": impostor.verifier_key}]
    write(1)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None and not checkpoint.quorum_met
    assert Cosignature.objects.count() == 0


def test_a_policy_file_replaces_the_default_policy(
    witnesses: Callable[..., RunningWitness], settings: Any, tmp_path: Path
) -> None:
    gov = witnesses("gov", "government")
    witnesses("cso", "civil_society")
    policy = tmp_path / "policy.txt"
    policy.write_text(
        f"log {keys.log_vkey()}\nwitness gov {gov.witness.verifier_key}\nquorum gov\n"
    )
    settings.TRIPARTITE_LOG_POLICY_FILE = str(policy)
    write(1)
    checkpoint = services.sign_checkpoint()
    assert checkpoint is not None and checkpoint.quorum_met
    assert keys.policy().quorum == "gov"


# ---------------------------------------------------------------- the loop


def test_run_signs_once_per_round_when_there_were_writes() -> None:
    write(2)
    stop = StopAfter(3)
    checkpointer.run(0.25, stop)
    assert stop.waits == [0.25, 0.25, 0.25]
    assert Checkpoint.objects.count() == 1  # rounds 2 and 3 had nothing new to sign


def test_run_uses_the_interval_setting(settings: Any) -> None:
    settings.TRIPARTITE_LOG_CHECKPOINT_INTERVAL = 7.5
    stop = StopAfter(1)
    checkpointer.run(stop_event=stop)
    assert stop.waits == [7.5]


def test_run_keeps_going_after_a_failed_round(monkeypatch: pytest.MonkeyPatch) -> None:
    write(1)
    calls: list[int] = []
    real = checkpointer.sign_checkpoint

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(checkpointer, "sign_checkpoint", flaky)
    checkpointer.run(0, StopAfter(2))
    assert len(calls) == 2
    assert Checkpoint.objects.count() == 1


def test_run_once_returns_the_new_checkpoint() -> None:
    assert checkpointer.run_once() is None
    write(3)
    checkpoint = checkpointer.run_once()
    assert checkpoint is not None and checkpoint.size == 3
    assert merkle.root_at(3, services.DatabaseHashReader()) == bytes(checkpoint.root)


# ---------------------------------------------------------------- a forum's own policy


def test_a_forums_own_policy_decides_whether_the_latest_checkpoint_counts(
    witnesses: Callable[..., RunningWitness], settings: Any
) -> None:
    from tripartite.ledger.queries import forum_policy_status

    witnesses("gov", "government")
    settings.TRIPARTITE_LOG_WITNESSES = [
        *settings.TRIPARTITE_LOG_WITNESSES,
        {
            "name": "cso",
            "sector": "civil_society",
            "url": closed_port_url(),
            "vkey": Witness(
                Path(settings.TRIPARTITE_LOG_KEY_FILE).parent / "absent",
                {keys.log_origin(): [keys.log_verifier_key()]},
                name="cso.witness.example",
            ).verifier_key,
        },
    ]
    write(2)
    assert services.sign_checkpoint() is not None

    assert forum_policy_status("quorum gov").met
    assert not forum_policy_status("quorum cso").met
    assert not forum_policy_status("group both all gov cso\nquorum both").met


def test_a_forum_page_says_whether_its_policy_is_met(
    witnesses: Callable[..., RunningWitness], client: Any
) -> None:
    from tripartite.forums import services as forum_services
    from tripartite.forums.tests import factories

    witnesses("gov", "government")
    forum = factories.forum(key="policy-forum")
    forum_services.update_record(
        system_actor(), forum, changes={"witness_policy": "quorum gov"}, reason="Policy"
    )
    services.sign_checkpoint()

    page = html.unescape(client.get("/forum/policy-forum/").content.decode())
    policy = client.get("/forum/policy-forum/log-policy")

    assert "This forum has its own witness policy" in page
    assert "It meets this forum's policy." in page
    assert policy["Content-Type"].startswith("text/plain")
    assert "quorum gov" in policy.content.decode()


def test_a_forum_policy_that_does_not_parse_is_refused() -> None:
    from tripartite.core.errors import InvalidInput
    from tripartite.forums.tests import factories

    with pytest.raises(InvalidInput, match="witness_policy"):
        factories.forum(key="bad-policy", witness_policy="quorum nobody-at-all")
