"""Framework-free transparency-log core of Tripartite.

Pure Python (stdlib + ``cryptography``) implementations of the standards the
public record log follows: the RFC 6962 / RFC 9162 Merkle tree and proofs
(``merkle``), C2SP signed notes (``note``), tlog-checkpoint and
tlog-cosignature (``checkpoint``), tlog-tiles (``tiles``), tlog-proof receipts
(``proof``) and tlog-policy quorums (``policy``).  These modules, and the witness
(``witness``) and monitor (``monitor``), import nothing from Django. The Django side
sits beside them in the same package: ``models``, ``storage``, ``services``,
``checkpointer``, ``integrity``, ``views`` (see docs/subsystems/ledger.md).
"""
