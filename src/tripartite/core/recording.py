"""Saving a public record: validate, write the row, append its version.

``save_record`` is the single place where a record's new state is persisted and
its version (content + SHA-256) is appended. The transparency log hooks in here:
each version's ``commitment()`` is what the ledger appends, inside the same
transaction as the record itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.ledger.storage import append_version

from .canonical import canonical_sha256
from .errors import Conflict, InvalidInput
from .models import PublicRecord, RecordVersion

# Sent inside the writing transaction after each new version; receivers that act on the
# change later (recomputing what depends on it) use ``transaction.on_commit``.
record_saved = Signal()


def validation_to_invalid(error: ValidationError) -> InvalidInput:
    """Turn Django's ValidationError into the service layer's clear 422."""
    if hasattr(error, "error_dict"):
        fields = {
            name: [str(m) for e in errs for m in e.messages]
            for name, errs in error.error_dict.items()
        }
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return InvalidInput(summary, fields)
    return InvalidInput(" ".join(error.messages))


def require_key_free(model: type[PublicRecord], key: str) -> None:
    """A new record's key must not be taken (a clear 409, not an integrity error)."""
    if model._default_manager.filter(key=key).exists():
        raise Conflict(
            _("%(id)s already exists.") % {"id": f"{model.RECORD_TYPE}/{key}"},
            {"key": [_("This key is already taken.")]},
        )


def require_live(*records: PublicRecord | None) -> None:
    """New records cannot hang off retracted ones."""
    for record in records:
        if record is not None and record.is_retracted:
            raise Conflict(
                _("%(id)s has been retracted; nothing new can be recorded under it.")
                % {"id": record.public_id}
            )


def save_record(
    instance: PublicRecord,
    *,
    actor: Any,
    op: str | None = None,
    reason: str = "",
    write_related: Callable[[], None] | None = None,
) -> RecordVersion:
    """Validate and save ``instance`` and append its next version. Call inside a service.

    ``write_related`` writes the parts that need the row to exist first (many-to-many
    links, child rows); it runs before the content is read, so the version holds them.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_record must run inside a service's transaction")
    if instance.is_retracted and op != RecordVersion.Op.RETRACT:
        raise Conflict(
            _("%(id)s has been retracted and can no longer change.") % {"id": instance.public_id}
        )
    if op is None:
        op = RecordVersion.Op.CREATE if instance.version == 0 else RecordVersion.Op.UPDATE
    try:
        instance.full_clean()
    except ValidationError as error:
        raise validation_to_invalid(error) from error
    instance.version += 1
    instance.save()
    if write_related is not None:
        write_related()
    content = instance.to_record()
    version = RecordVersion.objects.create(
        record_type=instance.RECORD_TYPE,
        record_key=instance.key,
        version=instance.version,
        op=op,
        content=content,
        sha256=canonical_sha256(content),
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )
    append_version(version)  # the transparency log's entry, in this same transaction
    record_saved.send(sender=type(instance), instance=instance, version=version)
    return version


def retract_record(instance: PublicRecord, *, actor: Any, reason: str) -> RecordVersion:
    """A retraction is a new version that carries its reason; nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("A retraction needs a reason."), {"reason": [_("This field is required.")]}
        )
    if instance.is_retracted:
        raise Conflict(_("%(id)s is already retracted.") % {"id": instance.public_id})
    instance.retracted_at = timezone.now()
    instance.retraction_reason = reason
    return save_record(instance, actor=actor, op=RecordVersion.Op.RETRACT, reason=reason)


def publish_changes(
    record: PublicRecord,
    *,
    actor: Any,
    changes: Mapping[str, Any],
    allowed: Iterable[str],
    reason: str = "",
    derive: Callable[[PublicRecord], None] | None = None,
) -> RecordVersion:
    """A new version of ``record`` with some of its ``allowed`` fields changed. Call inside
    a service. ``derive`` recomputes what the record derives from those fields (a decision's
    outcome, a plan's deadlines). A version that would publish the same content is refused:
    the same values in another order are no change.
    """
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    before = record.to_record()
    for name, value in changes.items():
        setattr(record, name, value)
    if derive is not None:
        derive(record)
    if record.to_record() == before:
        record.refresh_from_db()
        raise InvalidInput(_("Nothing changed: a new version needs at least one change."))
    return save_record(record, actor=actor, reason=reason)
