"""Tables of the transparency log.

Every table but the head is append-only: database triggers (installed by migration
0002 and re-checked after every ``migrate``) refuse UPDATE and DELETE, on SQLite and on
PostgreSQL.  The head is the one row each append locks and moves forward; a trigger keeps
it from shrinking or changing its root at the same size.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .merkle import EMPTY_ROOT

HEAD_ID = 1


class TreeHead(models.Model):
    """The log's current size and root hash; locked by every append (one row, id 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    size = models.BigIntegerField(_("tree size"), default=0)
    root = models.BinaryField(_("root hash"), max_length=32, default=EMPTY_ROOT)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tree head")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="ledger_treehead_one_row"),
            models.CheckConstraint(condition=models.Q(size__gte=0), name="ledger_treehead_size"),
        ]

    def __str__(self) -> str:
        return f"tree head, size {self.size}"


class LogEntry(models.Model):
    """One leaf of the log: the canonical JSON of a record version's commitment."""

    index = models.BigIntegerField(_("index"), primary_key=True)
    data = models.BinaryField(_("entry bytes"))
    leaf_hash = models.BinaryField(_("leaf hash"), max_length=32)
    record_version = models.OneToOneField(
        "core.RecordVersion",
        verbose_name=_("record version"),
        on_delete=models.PROTECT,
        related_name="log_entry",
    )

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["index"]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="ledger_entry_index"),
        ]

    def __str__(self) -> str:
        return f"entry {self.index}"


class TreeNode(models.Model):
    """The hash of one complete subtree: leaves [index·2^level, (index+1)·2^level)."""

    level = models.PositiveSmallIntegerField(_("level"))
    index = models.BigIntegerField(_("index"))
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("tree node")
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="ledger_treenode_position"),
        ]

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint) with the cosignatures it collected.

    ``note`` is exactly what ``/log/checkpoint`` serves: the checkpoint text, the log's
    signature and the witnesses' cosignature lines.  All checkpoints are kept.
    """

    size = models.BigIntegerField(_("tree size"))
    root = models.BinaryField(_("root hash"), max_length=32)
    note = models.TextField(_("signed note"))
    key_id = models.CharField(_("log key ID"), max_length=8)
    signed_at = models.DateTimeField(_("signed at"))
    quorum_met = models.BooleanField(
        _("witness policy met"),
        help_text=_("Whether the cosignatures satisfied the witness policy when it was signed."),
    )

    class Meta:
        verbose_name = _("checkpoint")
        ordering = ["size", "id"]
        indexes = [
            models.Index(fields=["size", "id"], name="ledger_checkpoint_size"),
            # the newest checkpoint that met the policy and covers an entry (receipts)
            models.Index(fields=["quorum_met", "size", "id"], name="ledger_checkpoint_quorum"),
        ]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"

    @property
    def root_bytes(self) -> bytes:
        return bytes(self.root)


class Cosignature(models.Model):
    """One witness's cosignature on a checkpoint (C2SP tlog-cosignature, Ed25519)."""

    checkpoint = models.ForeignKey(
        Checkpoint,
        verbose_name=_("checkpoint"),
        on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    witness = models.CharField(_("witness"), max_length=100)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    key_name = models.CharField(_("key name"), max_length=200)
    key_id = models.CharField(_("key ID"), max_length=8)
    timestamp = models.BigIntegerField(_("cosigned at (POSIX time)"))
    line = models.TextField(_("signature line"))

    class Meta:
        verbose_name = _("cosignature")
        ordering = ["checkpoint", "witness"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="ledger_cosignature_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.witness} on checkpoint {self.checkpoint_id}"
