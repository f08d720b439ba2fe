"""Reads of the log for pages and endpoints, each in a fixed number of queries.

Which checkpoint speaks for an entry: the newest checkpoint that met the witness policy
and covers the entry (its size is larger than the entry's index); failing that, the newest
checkpoint that covers it.  The record partial and the receipt use the same rule, so the
page names the checkpoint the receipt is built on.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from .models import Checkpoint, Cosignature, LogEntry
from .proof import receipt_from_store
from .storage import DatabaseHashReader, read_head


@dataclass(frozen=True)
class CosignerView:
    witness: str
    sector: str
    cosigned_at: datetime


@dataclass(frozen=True)
class CheckpointView:
    size: int
    signed_at: datetime
    quorum_met: bool
    root: bytes = b""
    cosigners: list[CosignerView] = field(default_factory=list)

    @property
    def root_base64(self) -> str:
        return base64.b64encode(self.root).decode("ascii")

    @property
    def root_hex(self) -> str:
        return self.root.hex()

    @property
    def last_entry(self) -> int:
        return self.size - 1


@dataclass(frozen=True)
class RecordLogStatus:
    """What a record page says about one version's place in the log."""

    public_id: str
    version: int
    entry: int | None  # None: the version has no log entry (should not happen)
    checkpoint: CheckpointView | None  # None: waiting for the next checkpoint
    receipt_url: str = ""


def _cosigners(rows: QuerySet[Cosignature]) -> list[CosignerView]:
    return [
        CosignerView(c.witness, c.sector, datetime.fromtimestamp(c.timestamp, tz=UTC)) for c in rows
    ]


def _view(checkpoint: Checkpoint, cosigners: list[CosignerView]) -> CheckpointView:
    return CheckpointView(
        size=checkpoint.size,
        signed_at=checkpoint.signed_at,
        quorum_met=checkpoint.quorum_met,
        root=bytes(checkpoint.root),
        cosigners=cosigners,
    )


def covering_checkpoints(index: int | OuterRef) -> QuerySet[Checkpoint]:
    """Checkpoints that cover entry ``index``, the one that speaks for it first."""
    return Checkpoint.objects.filter(size__gt=index).order_by("-quorum_met", "-size", "-id")


def latest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint (what ``/log/checkpoint`` serves)."""
    return Checkpoint.objects.order_by("-size", "-id").first()


def latest_checkpoint_view() -> CheckpointView | None:
    """The newest checkpoint and its cosigners (two queries)."""
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return None
    rows = Cosignature.objects.filter(checkpoint=checkpoint).order_by("sector", "witness")
    return _view(checkpoint, _cosigners(rows))


def _version_entries(record_type: str, key: str, version: int) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        record_version__record_type=record_type,
        record_version__record_key=key,
        record_version__version=version,
    )


def record_log_status(public_id: str, version: int) -> RecordLogStatus:
    """A version's entry and the checkpoint that covers it, in at most two queries."""
    record_type, _sep, key = str(public_id).partition("/")
    covering = covering_checkpoints(OuterRef("index"))
    row = (
        _version_entries(record_type, key, int(version))
        .annotate(
            cp_id=Subquery(covering.values("id")[:1]),
            cp_size=Subquery(covering.values("size")[:1]),
            cp_signed_at=Subquery(covering.values("signed_at")[:1]),
            cp_quorum_met=Subquery(covering.values("quorum_met")[:1]),
        )
        .values("index", "cp_id", "cp_size", "cp_signed_at", "cp_quorum_met")
        .first()
    )
    if row is None:
        return RecordLogStatus(public_id, int(version), None, None)
    if row["cp_id"] is None:
        return RecordLogStatus(public_id, int(version), row["index"], None)
    rows = Cosignature.objects.filter(checkpoint_id=row["cp_id"]).order_by("sector", "witness")
    checkpoint = CheckpointView(
        size=row["cp_size"],
        signed_at=row["cp_signed_at"],
        quorum_met=bool(row["cp_quorum_met"]),
        cosigners=_cosigners(rows),
    )
    url = reverse(
        "record-version-receipt",
        kwargs={"record_type": record_type, "key": key, "version": int(version)},
    )
    return RecordLogStatus(public_id, int(version), row["index"], checkpoint, url)


def receipt_for(record_type: str, key: str, version: int) -> bytes | None:
    """The tlog-proof receipt of a version, or None until a checkpoint covers it.

    The receipt's ``extra`` line carries the logged entry bytes (the canonical JSON of the
    commitment), so it can be checked offline on its own; that data is not trusted by the
    verifier, which recomputes the leaf hash from it and checks it against the proof.
    """
    entry = _version_entries(record_type, key, version).values_list("index", "data").first()
    if entry is None:
        return None
    index, data = entry
    checkpoint = covering_checkpoints(index).only("note").first()
    if checkpoint is None:
        return None
    return receipt_from_store(
        index, checkpoint.note.encode("utf-8"), DatabaseHashReader(), extra=bytes(data)
    )


@dataclass(frozen=True)
class LogOverview:
    """The ``/log`` page: the tree so far and the newest checkpoint."""

    entries: int
    checkpoint: CheckpointView | None
    checkpoints: int


def log_overview() -> LogOverview:
    size, _root = read_head()
    return LogOverview(
        entries=size,
        checkpoint=latest_checkpoint_view(),
        checkpoints=Checkpoint.objects.count(),
    )


@dataclass(frozen=True)
class ForumPolicyStatus:
    """Whether the latest checkpoint counts under a forum's witness policy."""

    policy_text: str
    own_policy: bool
    checkpoint: CheckpointView | None
    met: bool


def forum_policy_status(rules: str) -> ForumPolicyStatus:
    """The forum's policy (its own rules, or the site's) evaluated on the latest checkpoint's
    cosigners, in two queries."""
    from .keys import forum_policy_text
    from .policy import parse_policy

    text = forum_policy_text(rules)
    latest = latest_checkpoint()
    if latest is None:
        return ForumPolicyStatus(text, bool(rules.strip()), None, False)
    rows = Cosignature.objects.filter(checkpoint=latest).order_by("sector", "witness")
    cosigners = _cosigners(rows)
    met = parse_policy(text).evaluate(c.witness for c in cosigners)
    return ForumPolicyStatus(text, bool(rules.strip()), _view(latest, cosigners), met)
