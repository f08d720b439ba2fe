"""The entry is appended in the writer's transaction: a service that fails leaves neither a
version nor an entry, and the log goes on from where it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from tripartite.accounts.permissions import INTERNATIONAL
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.core.recording import save_record
from tripartite.core.services import service
from tripartite.forums import services
from tripartite.forums.models import Member
from tripartite.forums.tests import factories
from tripartite.ledger import merkle
from tripartite.ledger.models import LogEntry, TreeNode
from tripartite.ledger.storage import append_version, read_head

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@service(INTERNATIONAL)
def _create_then_fail(actor: Any, *, key: str) -> None:
    """A service that writes a record (and so its log entry), then fails."""
    member = Member(key=key, name="Doomed", kind="country")
    save_record(member, actor=actor)
    assert LogEntry.objects.filter(record_version__record_key=key).exists()  # appended...
    raise Boom("the service fails after writing")


@service(INTERNATIONAL)
def _two_records(actor: Any, *, keys: tuple[str, str]) -> None:
    for key in keys:
        save_record(Member(key=key, name=key, kind="country"), actor=actor)


def state() -> tuple[int, int, int, int, bytes]:
    size, root = read_head()
    return (
        RecordVersion.objects.count(),
        LogEntry.objects.count(),
        TreeNode.objects.count(),
        size,
        root,
    )


def test_a_failing_service_leaves_no_version_and_no_entry() -> None:
    factories.member(key="before")
    before = state()
    with pytest.raises(Boom):
        _create_then_fail(system_actor(), key="doomed")
    assert state() == before  # ...and rolled back with the record
    assert not Member.objects.filter(key="doomed").exists()


def test_the_log_continues_without_a_gap_after_a_failed_service() -> None:
    factories.member(key="a")
    with pytest.raises(Boom):
        _create_then_fail(system_actor(), key="doomed")
    factories.member(key="b")
    assert list(LogEntry.objects.values_list("index", flat=True)) == [0, 1]
    entries = [bytes(d) for d in LogEntry.objects.values_list("data", flat=True)]
    assert read_head() == (2, merkle.root_hash(entries))


def test_refused_writes_append_nothing() -> None:
    member = factories.member(key="xx")
    before = state()
    with pytest.raises(Conflict):
        factories.member(key="xx")  # the key is taken
    with pytest.raises(InvalidInput):
        services.update_record(system_actor(), member, changes={"name": member.name})
    assert state() == before


def test_versions_written_by_one_service_get_consecutive_entries() -> None:
    factories.member(key="first")
    _two_records(system_actor(), keys=("second", "third"))
    rows = LogEntry.objects.order_by("index").values_list(
        "index", "record_version__record_key", "record_version__version"
    )
    assert list(rows) == [(0, "first", 1), (1, "second", 1), (2, "third", 1)]


def test_updates_and_retractions_are_logged_with_their_operation() -> None:
    member = factories.member(key="xx")
    services.update_record(system_actor(), member, changes={"name": "Renamed"})
    services.retract(system_actor(), member, reason="Duplicate")
    logged = [
        json.loads(bytes(data))
        for data in LogEntry.objects.order_by("index").values_list("data", flat=True)
    ]
    assert [(e["version"], e["op"]) for e in logged] == [
        (1, "create"),
        (2, "update"),
        (3, "retract"),
    ]


def test_an_inner_savepoint_rolled_back_takes_its_entry_with_it() -> None:
    factories.member(key="kept")
    with transaction.atomic():
        sid = transaction.savepoint()
        save_record(Member(key="gone", name="Gone", kind="country"), actor=system_actor())
        assert read_head()[0] == 2
        transaction.savepoint_rollback(sid)
    assert read_head()[0] == 1
    assert LogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_append_refuses_to_run_outside_a_transaction() -> None:
    member = factories.member(key="xx")
    version = RecordVersion.objects.get(record_key=member.key)
    with pytest.raises(RuntimeError, match="transaction"):
        append_version(version)
    assert LogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_service_commits_its_entry_and_a_failed_one_does_not() -> None:
    factories.member(key="committed")
    with pytest.raises(Boom):
        _create_then_fail(system_actor(), key="doomed")
    assert list(LogEntry.objects.values_list("record_version__record_key", flat=True)) == [
        "committed"
    ]
    assert read_head()[0] == 1
