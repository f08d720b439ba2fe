"""The daily digest on the worker's schedule: at the hour, once a day, whoever asks.

The clock is ``django.utils.timezone.now``, patched (the ``clock`` fixture): the schedule,
the digest marks and the records all read it, and no test sleeps. The site's clock is
Mexico City (UTC-6, no daylight saving time), so the digest hour, 06:00, is 12:00 UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone

from tripartite.core.actors import system_actor
from tripartite.core.tests.stop_after import StopAfter
from tripartite.forums import services as forum_services
from tripartite.notifications import schedule, services
from tripartite.notifications.models import DigestItem, DigestMark, DigestRun

from .helpers import IMMEDIATE_TASKS, LOCMEM, World, person, world

SITE = ZoneInfo("America/Mexico_City")
DAY = dt.date(2026, 3, 10)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """A moment on the site's clock."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SITE)


class Clock:
    """``timezone.now`` that says what the test sets."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(at(0))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


@pytest.fixture(autouse=True)
def _site() -> Iterator[None]:
    with override_settings(
        TASKS=IMMEDIATE_TASKS,
        EMAIL_BACKEND=LOCMEM,
        TIME_ZONE="America/Mexico_City",
        TRIPARTITE_DIGEST_HOUR=6,
        TRIPARTITE_SITE_URL="https://ogp.example",
    ):
        yield


def follower_with_a_change(capture: Callable[..., Any]) -> World:
    """Ana follows the forum in a daily digest, and the forum changes once."""
    w = world()
    services.follow(person("ana"), record=w.forum.public_id, frequency="daily")
    change(w, capture, "First change.")
    return w


def change(w: World, capture: Callable[..., Any], description: str) -> None:
    with capture(execute=True):
        forum_services.update_record(system_actor(), w.forum, changes={"description": description})


# ---------------------------------------------------------------- the clock


def test_the_digest_is_due_from_the_hour_on_the_sites_clock() -> None:
    assert schedule.due_day(at(5, 59)) is None
    assert schedule.due_day(at(6)) == DAY
    assert schedule.due_day(at(23, 59)) == DAY
    # 01:00 UTC on the 11th is still the evening of the 10th in Mexico City.
    assert schedule.due_day(dt.datetime(2026, 3, 11, 1, 0, tzinfo=dt.UTC)) == DAY
    assert schedule.start_of(DAY) == at(0)


def test_the_hour_is_a_setting(settings: Any) -> None:
    settings.TRIPARTITE_DIGEST_HOUR = 22
    assert schedule.due_day(at(21, 59)) is None
    assert schedule.due_day(at(22)) == DAY
    settings.TRIPARTITE_DIGEST_HOUR = 24
    with pytest.raises(ImproperlyConfigured, match="TRIPARTITE_DIGEST_HOUR"):
        schedule.due_day(at(22))


# ---------------------------------------------------------------- once a day


@pytest.mark.django_db
def test_before_the_hour_nothing_is_sent(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(5, 59)

    assert schedule.run_due() is None

    assert mail.outbox == []
    assert not DigestRun.objects.exists()
    assert DigestItem.objects.count() == 1


@pytest.mark.django_db
def test_after_the_hour_one_digest_is_sent_and_the_day_is_recorded(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(6)

    result = schedule.run_due(by="worker-a")

    assert result == {"day": "2026-03-10", "ran": True, "sent": 1, "skipped": 0, "failed": 0}
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Your daily digest" in message.subject
    run = DigestRun.objects.get()
    assert (run.day, run.claimed_by, run.sent) == (DAY, "worker-a", 1)
    assert run.claimed_at == run.finished_at == at(6)
    assert not DigestItem.objects.exists()


@pytest.mark.django_db
def test_the_same_day_nothing_more_is_sent_even_after_a_restart(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    w = follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(6)
    assert schedule.run_due() is not None
    clock.now = at(9)
    change(w, django_capture_on_commit_callbacks, "Second change.")

    # The next rounds of the same worker, or a worker started anew: the day's row is there.
    for moment in (at(9), at(9, 1), at(23, 59)):
        clock.now = moment
        assert schedule.run_once() is None

    assert len(mail.outbox) == 1
    assert DigestItem.objects.count() == 1  # waits for tomorrow
    assert DigestRun.objects.count() == 1


@pytest.mark.django_db
def test_the_next_day_it_runs_again_with_what_came_since(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    w = follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(6)
    schedule.run_due()
    clock.now = at(9)
    change(w, django_capture_on_commit_callbacks, "Second change.")

    next_day = DAY + dt.timedelta(days=1)
    clock.now = at(5, 59, next_day)
    assert schedule.run_due() is None
    clock.now = at(6, 0, next_day)
    assert schedule.run_due() == {
        "day": "2026-03-11",
        "ran": True,
        "sent": 1,
        "skipped": 0,
        "failed": 0,
    }

    first, second = mail.outbox
    assert "(version 2)" in first.body and "(version 3)" not in first.body
    assert "(version 3)" in second.body and "(version 2)" not in second.body
    assert list(DigestRun.objects.values_list("day", flat=True)) == [next_day, DAY]


@pytest.mark.django_db
def test_a_worker_that_was_down_at_the_hour_catches_up_at_its_next_round(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    w = follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(15, 30)  # started long after 06:00

    assert schedule.run_once() is not None
    assert len(mail.outbox) == 1

    # The next morning's digest is not held back by yesterday's late one (15 h earlier).
    change(w, django_capture_on_commit_callbacks, "Second change.")
    clock.now = at(6, 0, DAY + dt.timedelta(days=1))
    assert schedule.run_once() is not None
    assert len(mail.outbox) == 2


# ---------------------------------------------------------------- two workers


@pytest.mark.django_db
def test_a_claim_is_taken_once() -> None:
    first = schedule.claim(DAY, now=at(6), by="worker-a")
    assert first is not None
    assert schedule.claim(DAY, now=at(6), by="worker-b") is None
    assert schedule.claim(DAY + dt.timedelta(days=1), now=at(6), by="worker-b") is not None


@pytest.mark.django_db
def test_an_insert_that_loses_the_race_claims_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Worker B looked (no row yet), then worker A's claim committed, then B inserts.
    assert schedule.claim(DAY, now=at(6), by="worker-a") is not None
    monkeypatch.setattr(schedule, "_existing", lambda day: None)

    assert schedule.claim(DAY, now=at(6), by="worker-b") is None

    assert list(DigestRun.objects.values_list("claimed_by", flat=True)) == ["worker-a"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_one_digest(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real commits and one connection per thread: the database decides who claims. Both
    # workers find no row for the day before either inserts one, so both try to insert.
    w = world()
    services.follow(person("ana"), record=w.forum.public_id, frequency="daily")
    forum_services.update_record(system_actor(), w.forum, changes={"description": "New."})
    assert DigestItem.objects.count() == 1
    clock.now = at(6)
    start, looked = threading.Barrier(2), threading.Barrier(2)
    results: dict[str, Any] = {}
    real_existing = schedule._existing

    def existing(day: dt.date) -> DigestRun | None:
        found = real_existing(day)
        looked.wait(timeout=10)
        return found

    monkeypatch.setattr(schedule, "_existing", existing)

    def worker(name: str) -> None:
        try:
            start.wait(timeout=10)
            results[name] = schedule.run_due(by=name)
        except BaseException as error:  # reported below, in the test's thread
            results[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # On SQLite a worker may also find the table locked by the other: the loop logs it and
    # looks again next round, which the two rounds below stand for. What must never happen
    # is a second digest.
    for name, value in results.items():
        if isinstance(value, OperationalError) and "locked" in str(value):
            results[name] = None
    assert not any(isinstance(value, BaseException) for value in results.values()), results
    senders = [name for name, value in results.items() if value is not None]
    assert len(senders) <= 1, results
    monkeypatch.setattr(schedule, "_existing", real_existing)  # no more meeting points
    for name in ("a-next-round", "b-next-round"):
        if schedule.run_due(by=name) is not None:
            senders.append(name)
    if not senders:
        # SQLite's shared-cache test database refuses a locked table at once (no busy
        # wait): a claimer may lose both its run and the release of its claim to the other
        # thread. The claim then waits to go stale and is taken over, as a dead worker's.
        clock.now = at(6) + schedule.STALE_CLAIM + dt.timedelta(minutes=1)
        for name in ("a-after-stale", "b-after-stale"):
            if schedule.run_due(by=name) is not None:
                senders.append(name)
    assert len(senders) == 1, results
    assert len(mail.outbox) == 1
    run = DigestRun.objects.get()
    assert run.claimed_by == senders[0] and run.finished_at is not None


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_over_without_sending_twice(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    w = world()
    ana, ben = person("ana"), person("ben")
    services.follow(ana, record=w.forum.public_id, frequency="daily")
    services.follow(ben, record=w.forum.public_id, frequency="daily")
    change(w, django_capture_on_commit_callbacks, "First change.")
    # Worker A claimed at 06:00, mailed Ana, and died before Ben and before finishing.
    clock.now = at(6)
    DigestRun.objects.create(day=DAY, claimed_at=at(6), claimed_by="worker-a")
    DigestItem.objects.filter(follow__user=ana).delete()
    DigestMark.objects.create(user=ana, sent_at=at(6))

    clock.now = at(7, 59)
    assert schedule.run_due(by="worker-b") is None  # A may still be sending
    clock.now = at(8, 0) + dt.timedelta(seconds=1)
    result = schedule.run_due(by="worker-b")

    assert result is not None and result["sent"] == 1
    [message] = mail.outbox
    assert message.to == ["ben@example.org"]
    run = DigestRun.objects.get()
    assert run.claimed_by == "worker-b" and run.finished_at is not None


@pytest.mark.django_db
def test_a_failed_run_gives_its_claim_back_for_the_next_round(
    clock: Clock, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(6)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(schedule, "send_digests", SimpleNamespace(call=broken))
        schedule.run(0, StopAfter(1))  # the loop logs the error and goes on
    assert not DigestRun.objects.exists()

    clock.now = at(6, 1)
    assert schedule.run_once() is not None
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- the worker's loop


@pytest.mark.django_db
def test_the_loop_sends_once_over_many_rounds(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(6, 30)
    stop = StopAfter(3)

    schedule.run(stop_event=stop)

    assert stop.waits == [schedule.CHECK_EVERY] * 3
    assert len(mail.outbox) == 1


def test_tripartite_worker_runs_the_schedule_beside_the_task_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tripartite import cli
    from tripartite.ledger import checkpointer

    looked = threading.Event()
    seen: list[str] = []

    def run_due(now: dt.datetime | None = None, *, by: str = "") -> None:
        looked.set()

    def db_worker(*args: str) -> None:
        seen.extend(args)
        assert looked.wait(timeout=10), "the schedule never looked at the clock"
        seen.extend(t.name for t in threading.enumerate() if t.name == "digest-schedule")

    monkeypatch.setattr(schedule, "run_due", run_due)
    monkeypatch.setattr(checkpointer, "run", lambda stop_event: stop_event.wait())
    monkeypatch.setattr(cli, "_manage", db_worker)
    monkeypatch.setattr(cli, "_setup", lambda data_dir=None, debug=None: None)

    cli.worker()

    assert seen == ["db_worker", "--no-reload", "digest-schedule"]
    assert not any(t.name == "digest-schedule" for t in threading.enumerate())


# ---------------------------------------------------------------- the command


@pytest.mark.django_db
def test_the_command_takes_the_same_claim_and_force_sends_anyway(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    from typer.testing import CliRunner

    from tripartite.cli import app

    w = follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(3)  # the command sends when asked, before the hour too

    first = CliRunner().invoke(app, ["notifications", "digest"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["ran"] is True
    assert len(mail.outbox) == 1

    clock.now = at(6)  # the worker does not send it again
    assert schedule.run_due() is None
    change(w, django_capture_on_commit_callbacks, "Second change.")
    again = CliRunner().invoke(app, ["notifications", "digest"])
    assert json.loads(again.output) == {"day": "2026-03-10", "ran": False}
    assert len(mail.outbox) == 1

    forced = CliRunner().invoke(app, ["notifications", "digest", "--force"])
    assert json.loads(forced.output) == {
        "day": "2026-03-10",
        "ran": True,
        "sent": 1,
        "skipped": 0,
        "failed": 0,
    }
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_command_can_hand_the_day_to_the_worker(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    from typer.testing import CliRunner

    from tripartite.cli import app

    follower_with_a_change(django_capture_on_commit_callbacks)
    clock.now = at(7)

    result = CliRunner().invoke(app, ["notifications", "digest", "--enqueue"])

    assert result.exit_code == 0, result.output
    assert "queued" in json.loads(result.output)
    assert len(mail.outbox) == 1  # the immediate backend ran the task at once
    assert DigestRun.objects.get().day == DAY
