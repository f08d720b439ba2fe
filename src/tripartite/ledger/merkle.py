"""RFC 9162 section 2.1 (identical to RFC 6962 section 2.1) Merkle tree, SHA-256.

Two families of functions live here:

* A list-based reference: ``root_hash``, ``inclusion_proof`` and
  ``consistency_proof`` take the full list of entries and transcribe the RFC
  definitions MTH, PATH and PROOF directly.  They are simple, obviously right
  and O(n): use them in tests and for small trees.
* A storage-backed tree for a large, append-only log.  The log stores the hash
  of every *complete* subtree once (node ``(level, index)`` covers leaves
  ``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf
  hashes).  ``nodes_for_append`` computes the nodes a batch of new leaves
  completes, and ``root_at``, ``inclusion_proof_at`` and
  ``consistency_proof_at`` answer RFC 9162 queries for any past tree size
  from O(log n) stored nodes fetched in a single ``HashReader.get_hashes``
  call.  Nothing ever rehashes the whole log.

The verifiers follow RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by step with
the edge-case semantics of transparency-dev/merkle (see the conformance
README): index >= size fails, hashes must be 32 bytes, a consistency proof
from size 0 is rejected (the caller handles the empty tree), equal sizes need
an empty proof and equal roots, and ``sn`` must be fully consumed.
"""

import hashlib
from collections.abc import Sequence
from typing import Protocol

HASH_SIZE = 32

#: MTH({}) = SHA-256 of the empty string (RFC 9162 section 2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

# Domain-separation prefixes: they stop a leaf from being passed off as an
# inner node (second-preimage defence), so they must never be dropped.
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

#: A stored complete-subtree node: (level, index).
NodeKey = tuple[int, int]


class MissingHashError(LookupError):
    """The hash store lacks a node that a complete tree of that size must have."""


# --------------------------------------------------------------------------
# Hashing primitives
# --------------------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node: SHA-256(0x01 || left || right).

    The children are not length-checked here because RFC 6962 test vectors
    hash arbitrary byte strings; the verifiers check lengths instead.
    """
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def empty_root() -> bytes:
    """Root hash of the empty tree, SHA-256("")."""
    return EMPTY_ROOT


def _split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1), so k < n <= 2k."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


# --------------------------------------------------------------------------
# List-based reference (RFC 9162 sections 2.1.1, 2.1.3.1, 2.1.4.1)
# --------------------------------------------------------------------------


def _mth(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end]) given the leaf hashes of D."""
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return hashes[start]
    k = _split_point(n)
    return node_hash(_mth(hashes, start, start + k), _mth(hashes, start + k, end))


def _path(hashes: Sequence[bytes], m: int, start: int, end: int) -> list[bytes]:
    """PATH(m, D[start:end]), m relative to start."""
    n = end - start
    if n == 1:
        return []
    k = _split_point(n)
    if m < k:
        return [*_path(hashes, m, start, start + k), _mth(hashes, start + k, end)]
    return [*_path(hashes, m - k, start + k, end), _mth(hashes, start, start + k)]


def _subproof(hashes: Sequence[bytes], m: int, start: int, end: int, known: bool) -> list[bytes]:
    """SUBPROOF(m, D[start:end], known), m relative to start."""
    n = end - start
    if m == n:
        return [] if known else [_mth(hashes, start, end)]
    k = _split_point(n)
    if m <= k:
        return [*_subproof(hashes, m, start, start + k, known), _mth(hashes, start + k, end)]
    return [*_subproof(hashes, m - k, start + k, end, False), _mth(hashes, start, start + k)]


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH of a tree given all of its leaf hashes."""
    return _mth(hashes, 0, len(hashes))


def root_hash(entries: Sequence[bytes]) -> bytes:
    """MTH(entries); MTH([]) is SHA-256("")."""
    return root_from_leaf_hashes([leaf_hash(e) for e in entries])


def inclusion_proof_from_leaf_hashes(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D) for a tree given by its leaf hashes."""
    if not 0 <= index < len(hashes):
        raise ValueError(f"leaf index {index} outside tree of size {len(hashes)}")
    return _path(hashes, index, 0, len(hashes))


def inclusion_proof(entries: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, entries): audit path from the leaf's sibling up to the root's child."""
    return inclusion_proof_from_leaf_hashes([leaf_hash(e) for e in entries], index)


def consistency_proof_from_leaf_hashes(hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, D) for a tree given by its leaf hashes (0 < old_size <= n)."""
    if not 0 < old_size <= len(hashes):
        raise ValueError(f"need 0 < old_size <= {len(hashes)}, got {old_size}")
    return _subproof(hashes, old_size, 0, len(hashes), True)


def consistency_proof(entries: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, entries); empty when old_size == len(entries)."""
    return consistency_proof_from_leaf_hashes([leaf_hash(e) for e in entries], old_size)


# --------------------------------------------------------------------------
# Verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2)
# --------------------------------------------------------------------------


def _all_hashes(values: Sequence[bytes]) -> bool:
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """Run RFC 9162 section 2.1.3.2 steps 1-5 and return the computed root.

    Raises ``ValueError`` when the proof cannot belong to a tree of ``size``.
    """
    if not 0 <= index < size:  # step 1
        raise ValueError(f"leaf index {index} not below tree size {size}")
    if not _all_hashes([leaf, *proof]):
        raise ValueError("leaf hash and proof nodes must be 32-byte hashes")
    fn, sn = index, size - 1  # step 2
    r = leaf  # step 3
    for p in proof:  # step 4
        if sn == 0:  # 4a: more proof nodes than the tree has levels
            raise ValueError("inclusion proof too long")
        if fn & 1 or fn == sn:  # 4b
            r = node_hash(p, r)
            while fn != 0 and not fn & 1:  # 4b.ii: skip levels where we are a lone right edge
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1  # 4c
        sn >>= 1
    if sn != 0:  # step 5: a short proof would otherwise "prove" a smaller tree
        raise ValueError("inclusion proof too short")
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """True iff ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree (size, root)."""
    try:
        return root_from_inclusion_proof(leaf, index, size, proof) == root
    except ValueError:
        return False


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> bool:
    """True iff ``proof`` shows the tree (size1, root1) is a prefix of (size2, root2).

    size1 == 0 is rejected: an empty tree is trivially consistent with any tree,
    so callers (e.g. a witness per C2SP tlog-witness) must handle it first.
    """
    if size1 <= 0 or size2 < size1:
        return False
    if not _all_hashes([root1, root2, *proof]):
        return False
    if size1 == size2:
        return len(proof) == 0 and root1 == root2
    return _verify_consistency_path(size1, size2, list(proof), root1, root2)


def _verify_consistency_path(
    size1: int, size2: int, path: list[bytes], root1: bytes, root2: bytes
) -> bool:
    """RFC 9162 section 2.1.4.2 steps 1-7 for 0 < size1 < size2."""
    if not path:  # step 1
        return False
    if _is_power_of_two(size1):  # step 2: the old root is itself a node of the new tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:  # 6a
            return False
        if fn & 1 or fn == sn:  # 6b
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn != 0 and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1  # 6c
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0  # step 7


# --------------------------------------------------------------------------
# Storage-backed tree
# --------------------------------------------------------------------------


class HashReader(Protocol):
    """Read access to stored complete-subtree hashes."""

    def get_hashes(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        """Return the stored hash for each requested key present in the store."""
        ...


def _read(reader: HashReader, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
    """Fetch ``keys`` in one batch and insist that every one is present."""
    unique = sorted(set(keys))
    if not unique:
        return {}
    got = reader.get_hashes(unique)
    missing = [k for k in unique if k not in got]
    if missing:
        raise MissingHashError(f"hash store lacks nodes {missing[:8]}")
    return got


def subtree_keys(start: int, end: int) -> list[NodeKey]:
    """Complete subtrees, left to right, whose right fold is MTH(D[start:end]).

    Valid for the ranges the RFC recursion produces: ``start`` is a multiple of
    the smallest power of two >= end - start.  Then the binary decomposition of
    the length, highest bit first, gives aligned complete subtrees, and MTH
    splits off exactly the highest bit at every step.
    """
    length = end - start
    if length <= 0:
        raise ValueError(f"empty or negative range [{start}, {end})")
    if start % (1 << (length - 1).bit_length()):
        raise ValueError(f"range [{start}, {end}) is not an RFC 9162 subtree range")
    keys: list[NodeKey] = []
    for level in range(length.bit_length() - 1, -1, -1):
        if length >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


def _fold(hashes: list[bytes]) -> bytes:
    """Right fold of subtree hashes: H(a, H(b, H(c, d)))."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def _hash_ranges(ranges: list[tuple[int, int]], reader: HashReader) -> list[bytes]:
    """MTH of every range, reading all needed nodes in one batch."""
    plans = [subtree_keys(s, e) for s, e in ranges]
    got = _read(reader, [k for plan in plans for k in plan])
    return [_fold([got[k] for k in plan]) for plan in plans]


def _path_ranges(index: int, start: int, end: int) -> list[tuple[int, int]]:
    """The ranges whose MTH make up PATH(index - start, D[start:end]), in proof order."""
    out: list[tuple[int, int]] = []
    m = index - start
    while end - start > 1:  # walk down from the root; the proof lists bottom-up
        k = _split_point(end - start)
        if m < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            m -= k
            start += k
    out.reverse()
    return out


def _subproof_ranges(old_size: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose MTH make up PROOF(old_size, D[0:size]), in proof order."""
    out: list[tuple[int, int]] = []
    start, end, m, known = 0, size, old_size, True
    while m != end - start:
        k = _split_point(end - start)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            m -= k
            start += k
            known = False  # once we go right, the old root is no longer a proof input
    if not known:
        out.append((start, end))
    out.reverse()
    return out


def root_at(size: int, reader: HashReader) -> bytes:
    """MTH(D[0:size]) from at most log2(size) + 1 stored nodes."""
    if size < 0:
        raise ValueError("tree size must not be negative")
    if size == 0:
        return EMPTY_ROOT
    return _hash_ranges([(0, size)], reader)[0]


def inclusion_proof_at(index: int, size: int, reader: HashReader) -> list[bytes]:
    """PATH(index, D[0:size]) from O(log size) stored nodes."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside tree of size {size}")
    return _hash_ranges(_path_ranges(index, 0, size), reader)


def consistency_proof_at(size1: int, size2: int, reader: HashReader) -> list[bytes]:
    """PROOF(size1, D[0:size2]) from O(log size2) stored nodes (0 < size1 <= size2)."""
    if not 0 < size1 <= size2:
        raise ValueError(f"need 0 < size1 <= size2, got {size1}, {size2}")
    return _hash_ranges(_subproof_ranges(size1, size2), reader)


def subtree_hash_at(start: int, end: int, reader: HashReader) -> bytes:
    """MTH(D[start:end]) of a subtree range (start a multiple of bit_ceil(end - start)).

    These are the "subtrees" of draft-ietf-plants-merkle-tree-certs; [0, n)
    is the plain tree of size n.
    """
    if start == end:
        return EMPTY_ROOT
    return _hash_ranges([(start, end)], reader)[0]


def subtree_inclusion_proof_at(index: int, start: int, end: int, reader: HashReader) -> list[bytes]:
    """PATH(index - start, D[start:end]) for a subtree range, from stored nodes."""
    if not start <= index < end:
        raise ValueError(f"leaf index {index} outside subtree [{start}, {end})")
    subtree_keys(start, end)  # validates the range
    return _hash_ranges(_path_ranges(index, start, end), reader)


def nodes_for_append(
    size: int, new_leaf_hashes: Sequence[bytes], reader: HashReader
) -> dict[NodeKey, bytes]:
    """Complete-subtree nodes created by appending ``new_leaf_hashes`` to a tree of ``size``.

    Returns the new leaves (level 0) and every parent they complete.  Only the
    old tree's right edge (its at most log2(size) maximal complete subtrees)
    is read, in one batch, so a batch of m leaves costs O(m + log n) hashes.
    """
    if size < 0:
        raise ValueError("tree size must not be negative")
    if not _all_hashes(new_leaf_hashes):
        raise ValueError("leaf hashes must be 32-byte hashes")
    new_size = size + len(new_leaf_hashes)
    nodes: dict[NodeKey, bytes] = {(0, size + i): h for i, h in enumerate(new_leaf_hashes)}
    known = {**_read(reader, _left_edge_keys(size, new_size)), **nodes}
    level = 1
    while new_size >> level > size >> level:
        # Node (level, i) is complete iff (i + 1) << level <= new_size, and new
        # iff it was not complete at the old size.
        for i in range(size >> level, new_size >> level):
            h = node_hash(known[(level - 1, 2 * i)], known[(level - 1, 2 * i + 1)])
            known[(level, i)] = nodes[(level, i)] = h
        level += 1
    return nodes


def _left_edge_keys(size: int, new_size: int) -> list[NodeKey]:
    """Old nodes that become the left child of a newly completed parent.

    At each level with new parents, only the first new parent can have an old
    child, and only its left one, when that level's bit of the old size is set.
    """
    keys: list[NodeKey] = []
    level = 1
    while new_size >> level > size >> level:
        if size >> (level - 1) & 1:
            keys.append((level - 1, (size >> (level - 1)) - 1))
        level += 1
    return keys


class InMemoryHashStore:
    """A dict-backed ``HashReader`` that also tracks its tree size (for tests and tools)."""

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, bytes] = {}
        self.size = 0
        #: Number of keys requested through ``get_hashes`` (for complexity tests).
        self.keys_read = 0

    def get_hashes(self, keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        self.keys_read += len(keys)
        return {k: self._nodes[k] for k in keys if k in self._nodes}

    def put_hashes(self, nodes: dict[NodeKey, bytes]) -> None:
        self._nodes.update(nodes)

    def append_leaf_hashes(self, leaf_hashes: Sequence[bytes]) -> int:
        """Integrate a batch of leaf hashes; return the new tree size."""
        self.put_hashes(nodes_for_append(self.size, leaf_hashes, self))
        self.size += len(leaf_hashes)
        return self.size

    def append_entries(self, entries: Sequence[bytes]) -> int:
        """Integrate a batch of raw entries; return the new tree size."""
        return self.append_leaf_hashes([leaf_hash(e) for e in entries])

    def node_count(self) -> int:
        return len(self._nodes)
