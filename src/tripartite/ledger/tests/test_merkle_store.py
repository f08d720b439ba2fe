"""The storage-backed Merkle tree against the list-based RFC 9162 reference; verifier edges."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.ledger import merkle


def entries(n: int) -> list[bytes]:
    return [b"entry-%d" % i for i in range(n)]


def build_store(items: list[bytes], batches: list[int] | None = None) -> merkle.InMemoryHashStore:
    """A store filled with ``items``, appended in batches of the given sizes (cycled)."""
    store = merkle.InMemoryHashStore()
    sizes = batches or [1]
    pos, k = 0, 0
    while pos < len(items):
        step = max(1, sizes[k % len(sizes)])
        store.append_entries(items[pos : pos + step])
        pos += step
        k += 1
    return store


# --------------------------------------------------------------------------
# Equality with the reference
# --------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(1, 71))
def test_store_matches_reference_for_every_proof_of_small_trees(size: int) -> None:
    items = entries(size)
    hashes = [merkle.leaf_hash(e) for e in items]
    store = build_store(items, batches=[size % 5 + 1, 3])
    assert merkle.root_at(size, store) == merkle.root_hash(items)
    for index in range(size):
        want = merkle.inclusion_proof_from_leaf_hashes(hashes, index)
        assert merkle.inclusion_proof_at(index, size, store) == want
    for old in range(1, size + 1):
        assert merkle.consistency_proof_at(old, size, store) == merkle.consistency_proof(items, old)
        assert merkle.root_at(old, store) == merkle.root_hash(items[:old])


@settings(max_examples=25, deadline=None)
@given(size=st.integers(71, 3000), data=st.data())
def test_store_matches_reference_for_random_larger_trees(size: int, data: st.DataObject) -> None:
    items = entries(size)
    hashes = [merkle.leaf_hash(e) for e in items]
    batches = data.draw(st.lists(st.integers(1, 300), min_size=1, max_size=5))
    store = build_store(items, batches)
    tree_size = data.draw(st.integers(1, size))
    index = data.draw(st.integers(0, tree_size - 1))
    old = data.draw(st.integers(1, tree_size))
    prefix = hashes[:tree_size]
    assert merkle.root_at(tree_size, store) == merkle.root_from_leaf_hashes(prefix)
    assert merkle.inclusion_proof_at(
        index, tree_size, store
    ) == merkle.inclusion_proof_from_leaf_hashes(prefix, index)
    assert merkle.consistency_proof_at(
        old, tree_size, store
    ) == merkle.consistency_proof_from_leaf_hashes(prefix, old)


@settings(max_examples=30, deadline=None)
@given(batches=st.lists(st.integers(1, 40), min_size=1, max_size=12))
def test_batch_boundaries_do_not_change_the_stored_nodes(batches: list[int]) -> None:
    items = entries(sum(batches))
    one_by_one = build_store(items)
    batched = merkle.InMemoryHashStore()
    pos = 0
    for step in batches:
        batched.append_entries(items[pos : pos + step])
        pos += step
    keys = [(lvl, i) for lvl in range(12) for i in range(len(items) >> lvl)]
    assert batched.get_hashes(keys) == one_by_one.get_hashes(keys)


def test_store_holds_exactly_the_complete_subtrees() -> None:
    size = 1000
    store = build_store(entries(size), batches=[7])
    # Level h has floor(n / 2**h) complete nodes: 2n - popcount(n) in total.
    assert store.node_count() == 2 * size - size.bit_count()


def test_rfc6962_worked_example_paths_and_proofs() -> None:
    d = [b"d%d" % i for i in range(7)]
    a, b, c, dd, e, f, j = (merkle.leaf_hash(x) for x in d)
    g, h, i = merkle.node_hash(a, b), merkle.node_hash(c, dd), merkle.node_hash(e, f)
    k, leaf_l = merkle.node_hash(g, h), merkle.node_hash(i, j)
    store = build_store(d, batches=[3])
    assert merkle.inclusion_proof_at(0, 7, store) == [b, h, leaf_l]
    assert merkle.inclusion_proof_at(3, 7, store) == [c, g, leaf_l]
    assert merkle.inclusion_proof_at(4, 7, store) == [f, j, k]
    assert merkle.inclusion_proof_at(6, 7, store) == [i, k]
    assert merkle.consistency_proof_at(3, 7, store) == [c, dd, g, leaf_l]
    assert merkle.consistency_proof_at(4, 7, store) == [leaf_l]
    assert merkle.consistency_proof_at(6, 7, store) == [i, j, k]


# --------------------------------------------------------------------------
# Complexity: O(log n) node reads, never the whole log
# --------------------------------------------------------------------------


def test_queries_read_only_logarithmically_many_nodes() -> None:
    size = 5000
    store = build_store(entries(size), batches=[97])
    store.keys_read = 0
    merkle.root_at(size - 1, store)
    assert store.keys_read <= (size - 1).bit_length()
    store.keys_read = 0
    merkle.inclusion_proof_at(1234, size - 3, store)
    assert store.keys_read <= 2 * size.bit_length()
    store.keys_read = 0
    merkle.consistency_proof_at(777, size, store)
    assert store.keys_read <= 2 * size.bit_length() + 1


def test_append_reads_only_the_old_right_edge() -> None:
    store = build_store(entries(4095), batches=[4095])
    store.keys_read = 0
    store.append_entries([b"one more"])  # completes 12 levels at once
    assert store.keys_read <= 12
    assert merkle.root_at(4096, store) == merkle.root_hash([*entries(4095), b"one more"])


def test_appending_nothing_creates_no_nodes() -> None:
    store = build_store(entries(10))
    assert merkle.nodes_for_append(10, [], store) == {}


def test_append_rejects_leaf_hashes_that_are_not_32_bytes() -> None:
    with pytest.raises(ValueError, match="32-byte"):
        merkle.nodes_for_append(0, [b"short"], merkle.InMemoryHashStore())


def test_missing_stored_node_is_reported() -> None:
    empty = merkle.InMemoryHashStore()
    with pytest.raises(merkle.MissingHashError):
        merkle.root_at(5, empty)


def test_proof_queries_reject_out_of_range_sizes() -> None:
    store = build_store(entries(8))
    with pytest.raises(ValueError):
        merkle.inclusion_proof_at(8, 8, store)
    with pytest.raises(ValueError):
        merkle.consistency_proof_at(0, 8, store)
    with pytest.raises(ValueError):
        merkle.consistency_proof_at(5, 4, store)
    with pytest.raises(ValueError):
        merkle.root_at(-1, store)


def test_subtree_keys_rejects_unaligned_ranges() -> None:
    assert merkle.subtree_keys(8, 14) == [(2, 2), (1, 6)]
    with pytest.raises(ValueError):
        merkle.subtree_keys(4, 9)


# --------------------------------------------------------------------------
# Verifiers
# --------------------------------------------------------------------------

ITEMS = entries(21)
ROOT = merkle.root_hash(ITEMS)


def test_valid_inclusion_proof_verifies() -> None:
    proof = merkle.inclusion_proof(ITEMS, 13)
    assert merkle.verify_inclusion(merkle.leaf_hash(ITEMS[13]), 13, 21, proof, ROOT)


def test_truncated_inclusion_proof_is_rejected() -> None:
    proof = merkle.inclusion_proof(ITEMS, 13)
    assert not merkle.verify_inclusion(merkle.leaf_hash(ITEMS[13]), 13, 21, proof[:-1], ROOT)


def test_extended_inclusion_proof_is_rejected() -> None:
    proof = [*merkle.inclusion_proof(ITEMS, 13), ROOT]
    assert not merkle.verify_inclusion(merkle.leaf_hash(ITEMS[13]), 13, 21, proof, ROOT)


def test_inclusion_proof_for_another_index_is_rejected() -> None:
    proof = merkle.inclusion_proof(ITEMS, 13)
    assert not merkle.verify_inclusion(merkle.leaf_hash(ITEMS[13]), 12, 21, proof, ROOT)


def test_inclusion_with_index_at_tree_size_is_rejected() -> None:
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"x"), 1, 1, [], merkle.leaf_hash(b"x"))


def test_inclusion_of_unhashed_entry_is_rejected() -> None:
    # Passing raw entry bytes instead of a 32-byte leaf hash must fail, not be hashed silently.
    assert not merkle.verify_inclusion(b"x", 0, 1, [], merkle.leaf_hash(b"x"))


def test_valid_consistency_proof_verifies() -> None:
    proof = merkle.consistency_proof(ITEMS, 6)
    assert merkle.verify_consistency(6, 21, proof, merkle.root_hash(ITEMS[:6]), ROOT)


def test_truncated_consistency_proof_is_rejected() -> None:
    proof = merkle.consistency_proof(ITEMS, 6)
    assert not merkle.verify_consistency(6, 21, proof[:-1], merkle.root_hash(ITEMS[:6]), ROOT)


def test_consistency_from_empty_tree_is_rejected_even_with_empty_proof() -> None:
    assert not merkle.verify_consistency(0, 21, [], merkle.EMPTY_ROOT, ROOT)


def test_consistency_with_shrinking_tree_is_rejected() -> None:
    assert not merkle.verify_consistency(21, 6, [], ROOT, merkle.root_hash(ITEMS[:6]))


def test_consistency_of_equal_sizes_needs_empty_proof_and_equal_roots() -> None:
    assert merkle.verify_consistency(21, 21, [], ROOT, ROOT)
    assert not merkle.verify_consistency(21, 21, [ROOT], ROOT, ROOT)
    assert not merkle.verify_consistency(21, 21, [], ROOT, merkle.EMPTY_ROOT)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 200), data=st.data())
def test_any_single_bit_flip_breaks_an_inclusion_proof(size: int, data: st.DataObject) -> None:
    items = entries(size)
    index = data.draw(st.integers(0, size - 1))
    proof = merkle.inclusion_proof(items, index)
    root, leaf = merkle.root_hash(items), merkle.leaf_hash(items[index])
    assert merkle.verify_inclusion(leaf, index, size, proof, root)
    if proof:
        node = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        flipped = bytearray(proof[node])
        flipped[bit // 8] ^= 1 << (bit % 8)
        proof[node] = bytes(flipped)
        assert not merkle.verify_inclusion(leaf, index, size, proof, root)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 200), data=st.data())
def test_consistency_proofs_verify_and_reject_a_wrong_old_root(
    size: int, data: st.DataObject
) -> None:
    items = entries(size)
    old = data.draw(st.integers(1, size - 1))
    proof = merkle.consistency_proof(items, old)
    old_root, root = merkle.root_hash(items[:old]), merkle.root_hash(items)
    assert merkle.verify_consistency(old, size, proof, old_root, root)
    wrong = merkle.root_hash([*items[: old - 1], b"forged"])
    assert not merkle.verify_consistency(old, size, proof, wrong, root)


def test_random_access_pattern_over_a_large_log() -> None:
    rng = random.Random(7)
    size = 20000
    items = entries(size)
    store = build_store(items, batches=[1000, 37, 1])
    hashes = [merkle.leaf_hash(e) for e in items]
    for _ in range(5):
        tree_size = rng.randint(1, size)
        index = rng.randrange(tree_size)
        proof = merkle.inclusion_proof_at(index, tree_size, store)
        root = merkle.root_at(tree_size, store)
        assert merkle.verify_inclusion(hashes[index], index, tree_size, proof, root)
        assert root == merkle.root_from_leaf_hashes(hashes[:tree_size])
