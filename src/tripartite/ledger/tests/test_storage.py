"""The Django-backed tree: entries, stored nodes, head; proofs equal the list-based reference
and come from O(log n) stored nodes in one query."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_json
from tripartite.core.models import RecordVersion
from tripartite.forums import services
from tripartite.forums.tests import factories
from tripartite.ledger import merkle, tiles
from tripartite.ledger.models import LogEntry, TreeNode
from tripartite.ledger.storage import DatabaseHashReader, entry_bytes, lock_head, read_head

pytestmark = pytest.mark.django_db


def write_members(count: int, prefix: str = "m") -> None:
    for i in range(count):
        factories.member(key=f"{prefix}{i}", name=f"Land {i}")


def logged_entries() -> list[bytes]:
    return [bytes(d) for d in LogEntry.objects.order_by("index").values_list("data", flat=True)]


def test_an_empty_log_has_size_zero_and_the_empty_root() -> None:
    assert read_head() == (0, merkle.EMPTY_ROOT)
    assert merkle.root_at(0, DatabaseHashReader()) == merkle.EMPTY_ROOT


def test_each_version_is_one_entry_holding_its_canonical_commitment() -> None:
    member = factories.member(key="xx")
    services.update_record(system_actor(), member, changes={"name": "Renamed"})
    versions = list(RecordVersion.objects.order_by("id"))
    entries = list(LogEntry.objects.order_by("index").select_related("record_version"))
    assert [e.index for e in entries] == [0, 1]
    for version, entry in zip(versions, entries, strict=True):
        assert entry.record_version == version
        assert bytes(entry.data) == canonical_json(version.commitment()) == entry_bytes(version)
        assert bytes(entry.leaf_hash) == merkle.leaf_hash(bytes(entry.data))
    first = entries[0].data
    assert bytes(first).startswith(b'{"at":"')  # RFC 8785: keys sorted, no spaces
    assert b'"id":"member/xx","op":"create"' in bytes(first)
    assert b'"type":"member","version":1}' in bytes(first)


def test_entries_hold_no_record_content() -> None:
    factories.member(key="xx", name="A name that must not be in the log")
    [data] = logged_entries()
    assert b"A name" not in data
    assert set(__import__("json").loads(data)) == {"type", "id", "version", "op", "sha256", "at"}


def test_head_and_stored_tree_equal_the_reference_after_every_append() -> None:
    for n in range(1, 18):
        factories.member(key=f"m{n}")
        items = logged_entries()
        assert len(items) == n
        size, root = read_head()
        assert size == n
        assert root == merkle.root_hash(items)
        assert merkle.root_at(n, DatabaseHashReader()) == root


def test_stored_nodes_are_exactly_the_complete_subtrees() -> None:
    write_members(21)
    n = 21
    assert TreeNode.objects.count() == 2 * n - bin(n).count("1")
    hashes = [merkle.leaf_hash(e) for e in logged_entries()]
    for level, index, value in TreeNode.objects.values_list("level", "index", "hash"):
        start, end = index << level, (index + 1) << level
        assert end <= n
        assert bytes(value) == merkle.root_from_leaf_hashes(hashes[start:end])


def test_every_proof_from_the_store_equals_the_list_based_reference() -> None:
    write_members(19)
    items = logged_entries()
    reader = DatabaseHashReader()
    for size in range(1, len(items) + 1):
        assert merkle.root_at(size, reader) == merkle.root_hash(items[:size])
        for index in range(size):
            assert merkle.inclusion_proof_at(index, size, reader) == merkle.inclusion_proof(
                items[:size], index
            )
        for old in range(1, size + 1):
            assert merkle.consistency_proof_at(old, size, reader) == merkle.consistency_proof(
                items[:size], old
            )


def test_proofs_and_roots_read_the_store_in_one_query_of_few_rows() -> None:
    write_members(37)
    size = 37
    reader = DatabaseHashReader()
    with CaptureQueriesContext(connection) as queries:
        merkle.root_at(size, reader)
        merkle.inclusion_proof_at(5, size, reader)
        merkle.consistency_proof_at(13, size, reader)
    assert len(queries.captured_queries) == 3  # one query each
    assert reader.queries == 3


def test_the_reader_fetches_ranges_and_scattered_keys_in_one_query() -> None:
    write_members(40)
    reader = DatabaseHashReader()
    keys = [(0, i) for i in range(0, 40, 3)] + [(1, i) for i in range(5, 15)] + [(5, 0), (9, 0)]
    with CaptureQueriesContext(connection) as queries:
        got = reader.get_hashes(keys)
    assert len(queries.captured_queries) == 1
    assert (9, 0) not in got  # not a complete subtree of 40 leaves: absent, as in any store
    reference = merkle.InMemoryHashStore()
    reference.append_entries(logged_entries())
    assert got == reference.get_hashes(keys)


def test_an_append_costs_the_same_number_of_queries_however_large_the_log() -> None:
    def queries_of_one_write(key: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            factories.member(key=key)
        return sum("ledger_" in q["sql"] for q in captured.captured_queries)

    write_members(1, prefix="a")
    small = queries_of_one_write("first")
    write_members(70)
    large = queries_of_one_write("last")
    assert small == large <= 5  # lock head, read right edge, insert entry, insert nodes, move head


def test_tiles_read_from_the_store_equal_tiles_of_the_reference_tree() -> None:
    write_members(9)
    reference = merkle.InMemoryHashStore()
    reference.append_entries(logged_entries())
    tile = tiles.Tile(0, 0, 9)
    assert tiles.read_tile(tile, DatabaseHashReader()) == tiles.read_tile(tile, reference)


def test_an_empty_log_has_an_empty_head_even_after_a_flush() -> None:
    # The migration creates the head; a flushed database (transactional tests) has none
    # until the first append locks and creates it.
    with transaction.atomic():
        head = lock_head()
    assert (head.pk, head.size, bytes(head.root)) == (1, 0, merkle.EMPTY_ROOT)
    assert read_head() == (0, merkle.EMPTY_ROOT)
