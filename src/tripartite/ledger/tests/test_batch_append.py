"""Appending versions in batches leaves the log exactly as appending them one by one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tripartite.core.models import RecordVersion
from tripartite.ledger import merkle
from tripartite.ledger.models import LogEntry, TreeHead, TreeNode
from tripartite.ledger.storage import append_version, append_versions, read_head

pytestmark = pytest.mark.django_db

AT = dt.datetime(2017, 5, 23, 12, 0, tzinfo=dt.UTC)


def unlogged_versions(count: int) -> list[RecordVersion]:
    return RecordVersion.objects.bulk_create(
        RecordVersion(
            record_type="member",
            record_key=f"m{n}",
            version=1,
            op="create",
            content={"n": n},
            sha256=f"{n:064x}",
            at=AT + dt.timedelta(seconds=n),
        )
        for n in range(count)
    )


LogState = tuple[
    list[tuple[int, bytes, bytes, int]], set[tuple[int, int, bytes]], tuple[int, bytes]
]


def log_state() -> LogState:
    entries = [
        (index, bytes(data), bytes(leaf), version_id)
        for index, data, leaf, version_id in LogEntry.objects.order_by("index").values_list(
            "index", "data", "leaf_hash", "record_version_id"
        )
    ]
    nodes = {
        (lv, ix, bytes(h)) for lv, ix, h in TreeNode.objects.values_list("level", "index", "hash")
    }
    head = TreeHead.objects.values_list("size", "root").get()
    return entries, nodes, (head[0], bytes(head[1]))


class Undo(Exception):
    """Raised to roll a savepoint back after its state was read."""


def state_after(write: Callable[[], None]) -> LogState:
    state: LogState = ([], set(), (0, b""))
    try:
        with transaction.atomic():
            write()
            state = log_state()
            raise Undo
    except Undo:
        pass
    return state


@pytest.mark.parametrize(
    "splits",
    [[1, 2, 3, 4, 5, 6, 7, 8], [36], [5, 31], [7, 1, 16, 12], [3, 13, 2, 18]],
    ids=lambda s: "-".join(map(str, s)),
)
def test_batches_of_any_sizes_store_the_same_entries_nodes_and_head_as_single_appends(
    splits: list[int],
) -> None:
    versions = unlogged_versions(sum(splits))

    def one_by_one() -> None:
        for version in versions:
            append_version(version)

    def in_batches() -> None:
        start = 0
        for size in splits:
            append_versions(versions[start : start + size])
            start += size

    sequential = state_after(one_by_one)
    batched = state_after(in_batches)
    assert batched == sequential
    entries, nodes, (size, root) = batched
    assert size == len(versions) == len(entries)
    assert root == merkle.root_hash([data for _i, data, _l, _v in entries])
    assert len(nodes) == 2 * size - bin(size).count("1")


def test_a_batch_locks_and_moves_the_head_once_and_writes_rows_in_a_few_statements() -> None:
    versions = unlogged_versions(600)
    with transaction.atomic():
        append_versions(versions[:10])
        with CaptureQueriesContext(connection) as queries:
            append_versions(versions[10:])
    heads = [q["sql"] for q in queries.captured_queries if "ledger_treehead" in q["sql"]]
    assert len(heads) == 2  # SELECT … (FOR UPDATE) and one UPDATE
    assert len(queries.captured_queries) < 12
    assert read_head()[0] == 600


def test_an_empty_batch_writes_nothing() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert append_versions([]) == []
    assert [q for q in queries.captured_queries if "ledger_" in q["sql"]] == []
