"""Adapter for the shared transparency-log conformance checker.

``shared/conformance/tlog/check_vectors.py --impl <this file>`` imports this
module and checks the functions below (RFC 9162 Merkle tree and proofs, C2SP
signed-note, tlog-checkpoint, tlog-tiles paths, tlog-cosignature messages)
against external vectors.  Each function only adapts the checker's calling
convention to the ledger modules; no logic lives here.

The checker loads the module by file path, outside any package.  In that
case the ledger directory is loaded as a standalone package under a private
name, so the relative imports work without importing ``tripartite`` (and with
it, possibly, Django).
"""

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

_STANDALONE_PACKAGE = "_tripartite_ledger_standalone"


def _standalone_modules() -> tuple[ModuleType, ...]:
    """Load this directory as a package and return its checkpoint, merkle, note, tiles."""
    here = Path(__file__).resolve().parent
    if _STANDALONE_PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            _STANDALONE_PACKAGE, here / "__init__.py", submodule_search_locations=[str(here)]
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load the ledger package from {here}")
        package = importlib.util.module_from_spec(spec)
        sys.modules[_STANDALONE_PACKAGE] = package
        spec.loader.exec_module(package)
    names = ("checkpoint", "merkle", "note", "tiles")
    return tuple(importlib.import_module(f"{_STANDALONE_PACKAGE}.{n}") for n in names)


if TYPE_CHECKING or __package__:
    from . import checkpoint, merkle, note, tiles
else:
    checkpoint, merkle, note, tiles = _standalone_modules()


# RFC 9162 section 2.1: the merkle module already has the checker's signatures.
leaf_hash = merkle.leaf_hash
node_hash = merkle.node_hash
root_hash = merkle.root_hash
inclusion_proof = merkle.inclusion_proof
consistency_proof = merkle.consistency_proof
verify_inclusion = merkle.verify_inclusion
verify_consistency = merkle.verify_consistency


def note_key_id(name: str, sig_type: int, public_key: bytes) -> int:
    """C2SP signed-note key ID (uint32)."""
    return note.key_id(name, sig_type, public_key)


def open_note(note_bytes: bytes, vkeys: list[str]) -> tuple[str, list[str]]:
    """Verify a note against vkeys; raises on any invalid note."""
    verifiers = [checkpoint.verifier_for_key(v) for v in vkeys]
    opened = note.open_note(note_bytes, verifiers)
    return opened.text, opened.verified_names


def sign_note(text: str, name: str, ed25519_seed: bytes) -> bytes:
    """A note with a single Ed25519 (type 0x01) signature."""
    return note.sign_note(text, [note.Ed25519Signer.from_seed(name, ed25519_seed)])


def parse_checkpoint(body: str) -> tuple[str, int, bytes, list[str]]:
    """C2SP tlog-checkpoint body -> (origin, size, root hash, extension lines)."""
    parsed = checkpoint.parse_checkpoint(body)
    return parsed.origin, parsed.size, parsed.root_hash, list(parsed.extensions)


def tile_path(level: int, index: int, width: int | None) -> str:
    """C2SP tlog-tiles path; level -1 means entry bundles."""
    return tiles.tile_path(level, index, width)


def cosignature_message(checkpoint_body: str, timestamp: int) -> bytes:
    """C2SP tlog-cosignature Ed25519 cosignature/v1 signed message."""
    return checkpoint.cosignature_message(checkpoint_body, timestamp)


__all__ = [
    "consistency_proof",
    "cosignature_message",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "note_key_id",
    "open_note",
    "parse_checkpoint",
    "root_hash",
    "sign_note",
    "tile_path",
    "verify_consistency",
    "verify_inclusion",
]
