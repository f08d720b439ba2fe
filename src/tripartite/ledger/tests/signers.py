"""Fixed keys for the offline ledger tests: the log, a forger, and two witnesses."""

from __future__ import annotations

import hashlib

from tripartite.ledger import checkpoint, note

ORIGIN = "forum.example.gov/log"


def seed(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


LOG = note.Ed25519Signer.from_seed(ORIGIN, seed("log"))
FORGER = note.Ed25519Signer.from_seed(ORIGIN, seed("forger"))
GOV = checkpoint.CosignatureSigner(
    note.SignerKey("gov.example/witness", 0x04, seed("gov")), clock=lambda: 1_700_000_000
)
CSO = checkpoint.CosignatureSigner(
    note.SignerKey("cso.example/witness", 0x04, seed("cso")), clock=lambda: 1_700_000_000
)
