"""Batches of records: ``recording.batch`` and ``save_records`` store exactly what saving
the same records one by one stores (rows, versions, log entries, in the same order), fire
``record_saved`` for each version, and leave nothing when they fail.

The two runs happen at different instants, so the time a version is recorded at (in the
version and in its log entry) is left out of the comparison; everything else is compared
whole. That batches leave the log byte-identical is ``ledger/tests/test_batch_append.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.core.recording import (
    batch,
    on_commit_together,
    publish_many_changes,
    record_saved,
    save_record,
    save_records,
)
from tripartite.forums import services
from tripartite.forums.models import Member
from tripartite.ledger.models import LogEntry
from tripartite.ledger.storage import read_head

pytestmark = pytest.mark.django_db

Stored = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[dict[str, Any]]]


def stored() -> Stored:
    """Rows, versions and entries in the order they were written, without database ids
    (PostgreSQL does not give back the ids of a rolled-back transaction)."""
    members = list(Member.objects.order_by("pk").values_list("key", "name", "version"))
    versions = list(
        RecordVersion.objects.order_by("pk").values_list(
            "record_type", "record_key", "version", "op", "content", "sha256", "actor"
        )
    )
    entries = []
    for index, data, *version in LogEntry.objects.order_by("index").values_list(
        "index",
        "data",
        "record_version__record_type",
        "record_version__record_key",
        "record_version__version",
    ):
        commitment = json.loads(bytes(data))
        del commitment["at"]
        entries.append({"index": index, "of": version, **commitment})
    return members, versions, entries


class Undo(Exception):
    pass


def stored_after(write: Callable[[], None]) -> Stored:
    """What ``write`` stores; rolled back afterwards."""
    result: Stored = ([], [], [])
    try:
        with transaction.atomic():
            write()
            result = stored()
            raise Undo
    except Undo:
        pass
    return result


def new_members(count: int) -> list[Member]:
    return [Member(key=f"m{n:02d}", name=f"Land {n}", kind="country") for n in range(count)]


def one_by_one_services() -> None:
    actor = system_actor()
    for n in range(7):
        member = services.create_member(actor, key=f"m{n:02d}", name=f"Land {n}", kind="country")
        if n % 3 == 0:
            services.update_record(actor, member, changes={"name": f"Renamed {n}"})


def test_services_in_a_batch_store_what_they_store_one_by_one() -> None:
    system_actor()
    sequential = stored_after(one_by_one_services)

    def batched() -> None:
        with batch():
            one_by_one_services()

    assert stored_after(batched) == sequential
    assert len(sequential[2]) == 10


def test_save_records_stores_what_save_record_stores_one_by_one() -> None:
    actor = system_actor()

    def one_by_one() -> None:
        for member in new_members(12):
            save_record(member, actor=actor)

    def together() -> None:
        save_records(new_members(12), actor=actor)

    assert stored_after(together) == stored_after(one_by_one)


def test_many_changes_store_what_changes_one_by_one_store() -> None:
    actor = system_actor()

    def setup() -> list[Member]:
        members = new_members(5)
        save_records(members, actor=actor)
        return members

    def one_by_one() -> None:
        for member in setup():
            services.update_record(actor, member, changes={"name": f"New {member.key}"})

    def together() -> None:
        members = setup()
        publish_many_changes(
            [(m, {"name": f"New {m.key}"}) for m in members], actor=actor, allowed=["name"]
        )

    assert stored_after(together) == stored_after(one_by_one)


def test_record_saved_fires_once_per_version_in_order() -> None:
    seen: list[tuple[str, int]] = []

    def receiver(sender: Any, instance: Any, version: RecordVersion, **kwargs: Any) -> None:
        assert version.pk is not None and LogEntry.objects.filter(record_version=version).exists()
        seen.append((version.record_key, version.version))

    record_saved.connect(receiver, dispatch_uid="test-batch-order")
    try:
        with batch():
            save_records(new_members(3), actor=system_actor())
            services.create_member(system_actor(), key="zz", name="Last", kind="country")
    finally:
        record_saved.disconnect(dispatch_uid="test-batch-order")
    assert seen == [("m00", 1), ("m01", 1), ("m02", 1), ("zz", 1)]


def test_a_batch_that_raises_leaves_no_row_version_or_entry() -> None:
    system_actor()
    before = stored()
    with pytest.raises(RuntimeError), batch():
        save_records(new_members(4), actor=system_actor())
        services.create_member(system_actor(), key="zz", name="Last", kind="country")
        raise RuntimeError("the importer fails halfway")
    assert stored() == before
    assert read_head()[0] == len(before[2])


def test_a_failed_service_inside_a_batch_takes_only_its_own_versions_away() -> None:
    actor = system_actor()
    with batch():
        services.create_member(actor, key="aa", name="Kept", kind="country")
        with pytest.raises(Conflict):
            services.create_member(actor, key="aa", name="Taken key", kind="country")
        with pytest.raises(InvalidInput):
            services.create_member(actor, key="bb", name="Bad kind", kind="planet")
        services.create_member(actor, key="cc", name="Kept too", kind="country")
    assert list(RecordVersion.objects.values_list("record_key", flat=True)) == ["aa", "cc"]
    assert LogEntry.objects.count() == 2


def test_save_records_refuses_a_key_already_taken_and_writes_nothing() -> None:
    actor = system_actor()
    services.create_member(actor, key="m01", name="First", kind="country")
    with pytest.raises(Conflict), transaction.atomic():
        save_records(new_members(3), actor=actor)
    assert Member.objects.count() == RecordVersion.objects.count() == LogEntry.objects.count() == 1


def test_save_records_refuses_a_repeated_key_within_the_batch() -> None:
    members = [
        Member(key="xx", name="One", kind="country"),
        Member(key="xx", name="Two", kind="country"),
    ]
    with pytest.raises(Conflict), transaction.atomic():
        save_records(members, actor=system_actor())
    assert not Member.objects.exists()


def test_save_records_names_the_invalid_item() -> None:
    members = new_members(3)
    members[1].kind = "planet"
    with pytest.raises(InvalidInput, match=r"Item 2 \(member/m01\)"), transaction.atomic():
        save_records(members, actor=system_actor())
    assert not LogEntry.objects.exists()


def test_items_collected_together_reach_the_handler_once_after_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    calls: list[list[int]] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(5):
            on_commit_together("test", n, calls.append)
        try:
            with transaction.atomic():
                on_commit_together("test", 99, calls.append)
                raise Undo
        except Undo:
            pass
        on_commit_together("test", 5, calls.append)
    assert sorted(n for call in calls for n in call) == [0, 1, 2, 3, 4, 5]
    assert len(calls) <= 2  # the outer level and, after the rollback, at most one more
