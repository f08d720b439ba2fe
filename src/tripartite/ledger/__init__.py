"""Framework-free transparency-log core of Tripartite.

Pure Python (stdlib + ``cryptography``) implementations of the standards the
public record log follows: the RFC 6962 / RFC 9162 Merkle tree and proofs
(``merkle``), C2SP signed notes (``note``), tlog-checkpoint and
tlog-cosignature (``checkpoint``), tlog-tiles (``tiles``), tlog-proof receipts
(``proof``) and tlog-policy quorums (``policy``).  Nothing in this package
imports Django: storage, HTTP and the witness network protocol live in the
Django apps that build on it.
"""
