"""Several app servers and several workers on one PostgreSQL (issue 9).

Two ``tripartite serve`` (on two ports) and two ``tripartite worker`` share one database
and one data dir. Client threads register letters through both servers at once. Then:

* the log is dense (indices 0..n-1, no gap, no fork) and matches its head's root;
* the checkpoints form one sequence: signed in order of size (never backwards), each
  consistent with the next, the last one covering the whole log;
* every change mail was sent exactly once (an account follows the forum, so each letter
  queues one mail task, which either worker may run) and the daily digest went out once,
  although both workers reached its hour at the same moment.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import harness as h

pytestmark = pytest.mark.system

WRITE_SECONDS = 8.0
IMMEDIATE = "immediate@example.org"
DAILY = "daily@example.org"

SET_UP_FOLLOWERS = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from tripartite.core.actors import system_actor
from tripartite.forums import services
from tripartite.notifications.services import follow

users = get_user_model().objects
forum = "forum/{h.FORUM_KEY}"
follow(users.create_user(username="immediate", email={IMMEDIATE!r}), record=forum)
follow(users.create_user(username="daily", email={DAILY!r}), record=forum, frequency="daily")
services.register_letter(
    system_actor(), key="seed", reference="SEED-1", direction="inbound", letter_type="other",
    subject="Seed letter", received_on=dt.date(2017, 5, 23),
    forum=services.Forum.objects.get(key="{h.FORUM_KEY}"),
)
"""


def mails_to(mail_dir: Path, address: str) -> int:
    """How many messages the file-based mail backend wrote to ``address``."""
    line = f"To: {address}"
    return sum(
        path.read_text(errors="replace").splitlines().count(line)
        for path in mail_dir.glob("*")
        if path.is_file()
    )


def wait_for_mails(mail_dir: Path, address: str, expected: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while (count := mails_to(mail_dir, address)) < expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return count


def test_two_servers_and_two_workers_keep_one_log_and_send_once(tmp_path: Path) -> None:
    reason = h.postgresql_unreachable_reason()
    if reason:
        pytest.skip(reason)
    # The digest hour is midnight, so both workers find today's digest due at their start.
    with h.site_on("postgresql", tmp_path, TRIPARTITE_DIGEST_HOUR="0") as site:
        token = site.set_up_writer()
        site.python(SET_UP_FOLLOWERS)
        servers = [site.start_server(workers=2), site.start_server(workers=2)]
        workers = [site.start_worker(), site.start_worker()]
        ports = [server.port or 0 for server in servers]
        with h.Writers(ports, token, threads=4, prefix="S") as writers:
            time.sleep(WRITE_SECONDS)
        tally = writers.tally
        checkpointed = h.wait_for_checkpoint_of_head(site.database)
        mail_dir = site.data_dir / "mail"
        expected_changes = 1 + len(tally.acknowledged)  # the seed letter and each write
        wait_for_mails(mail_dir, IMMEDIATE, expected_changes)
        wait_for_mails(mail_dir, DAILY, 1)
        time.sleep(3)  # a second sending of anything would show up by now
        changes, digests = mails_to(mail_dir, IMMEDIATE), mails_to(mail_dir, DAILY)
        digest_runs = site.database.query("SELECT day, sent FROM notifications_digestrun")
        by_id = [
            row[0] for row in site.database.query("SELECT size FROM ledger_checkpoint ORDER BY id")
        ]
        assert all(process.alive() for process in [*servers, *workers])
        site.stop_all()

        state = h.read_log(site.database)
        problems = h.log_problems(state)
        verified = site.verify_local()
        print(
            f"\nseveral servers on PostgreSQL: servers=2, workers=2, "
            f"writes_attempted={tally.attempted}, writes_acknowledged={len(tally.acknowledged)}, "
            f"log_entries={len(state.indices)}, checkpoints={len(state.checkpoints)}, "
            f"last_checkpoint={checkpointed}, "
            f"change_mails={changes} (expected {expected_changes}), "
            f"digest_mails={digests}, digest_runs={len(digest_runs)}"
        )
        assert tally.statuses == {201: len(tally.acknowledged)}, tally.statuses
        assert tally.refused == 0
        assert problems == [], problems
        assert by_id == sorted(by_id), f"checkpoint sizes went backwards: {by_id}"
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert not h.missing_letters(site.database, sorted(tally.acknowledged))
        assert changes == expected_changes, "a change mail was lost or sent twice"
        assert digests == 1, "the daily digest was not sent exactly once"
        assert len(digest_runs) == 1 and digest_runs[0][1] == 1, digest_runs
