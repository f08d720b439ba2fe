"""Saving a public record: validate, write the row, append its version.

``save_record`` is the single place where a record's new state is persisted and
its version (content + SHA-256) is appended. The transparency log hooks in here:
each version's ``commitment()`` is what the ledger appends, inside the same
transaction as the record itself.

**Batches.** Inside ``with batch():`` (one transaction) ``save_record`` writes the row at
once but keeps its version pending; the batch writes all pending versions with one
multi-row INSERT, appends them to the log in one ``append_versions`` call and then sends
``record_saved`` for each, in order, when it is flushed (on exit, or by ``Batch.flush``
between service calls). ``save_records`` creates many new records of one model with
multi-row INSERTs (validated like ``save_record``; key, foreign-key and uniqueness checks
done once per batch instead of once per row). The stored result equals saving the same
records one by one: the same rows, versions and log entries, in the same order.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.ledger.storage import INSERT_CHUNK, append_version, append_versions

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
    _require_keys_free(model, [key])


def require_live(*records: PublicRecord | None) -> None:
    """New records cannot hang off retracted ones."""
    for record in records:
        if record is not None and record.is_retracted:
            raise Conflict(
                _("%(id)s has been retracted; nothing new can be recorded under it.")
                % {"id": record.public_id}
            )


def _version_of(
    instance: PublicRecord, *, actor: Any, op: str, reason: str, at: dt.datetime
) -> RecordVersion:
    """The (unsaved) version row of ``instance``'s current state."""
    content = instance.to_record()
    return RecordVersion(
        record_type=instance.RECORD_TYPE,
        record_key=instance.key,
        version=instance.version,
        op=op,
        content=content,
        sha256=canonical_sha256(content),
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
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
    Inside a ``batch()`` the version is written, logged and signalled when the batch is
    flushed (it is returned unsaved).
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
    pending = active_batch()
    version = _version_of(instance, actor=actor, op=op, reason=reason, at=now())
    if pending is not None:
        pending.add([(instance, version)])
        return version
    version.save()
    append_version(version)  # the transparency log's entry, in this same transaction
    record_saved.send(sender=type(instance), instance=instance, version=version)
    return version


# ---------------------------------------------------------------- batches


class Batch:
    """Versions waiting to be written, logged and signalled together (see ``batch``)."""

    def __init__(self, clock: Callable[[], dt.datetime] | None, depth: int) -> None:
        self.clock = clock
        self.depth = depth
        self.pending: list[tuple[PublicRecord, RecordVersion, object]] = []
        #: Versions written so far by this batch.
        self.written = 0

    def add(self, items: Sequence[tuple[PublicRecord, RecordVersion]]) -> None:
        # A service inside the batch runs in a savepoint; if it fails and its caller goes
        # on, the rows it wrote are rolled back, and so must its pending versions be.
        # Django drops the on-commit callbacks of a rolled-back savepoint, so a no-op
        # callback registered now tells at flush time whether these items still stand.
        marker = _Marker()
        transaction.on_commit(marker)
        self.pending += [(instance, version, marker) for instance, version in items]

    def flush(self) -> int:
        """Write, log and signal the pending versions; returns how many. Call it between
        service calls (not from inside one): at the batch's own transaction level."""
        connection = transaction.get_connection()
        if len(connection.savepoint_ids) != self.depth:
            raise RuntimeError("a batch is flushed between service calls, not inside one")
        if not self.pending:
            return 0
        standing = {id(entry[1]) for entry in connection.run_on_commit}
        items = [(i, v) for i, v, marker in self.pending if id(marker) in standing]
        self.pending = []
        versions = [version for _instance, version in items]
        RecordVersion.objects.bulk_create(versions, batch_size=INSERT_CHUNK)
        append_versions(versions)
        for instance, version in items:
            record_saved.send(sender=type(instance), instance=instance, version=version)
        self.written += len(versions)
        return len(versions)


class _Marker:
    def __call__(self) -> None:
        """Nothing to do on commit: its presence in the queue is the message."""


_local = threading.local()


def active_batch() -> Batch | None:
    """The batch the current thread is writing in, if any."""
    return getattr(_local, "batch", None)


def now() -> dt.datetime:
    """The time a version is recorded at: the batch's clock when it has one (a
    generator that must give the same log for the same seed), else the real time."""
    current = active_batch()
    if current is not None and current.clock is not None:
        return current.clock()
    return timezone.now()


@contextmanager
def batch(clock: Callable[[], dt.datetime] | None = None) -> Iterator[Batch]:
    """One transaction in which versions are logged together, when it ends or at each
    ``flush()``. A batch inside a batch joins the outer one. ``clock`` dates the
    versions (a generator's deterministic clock); by default they carry the real time.
    If the block raises, the transaction rolls back: nothing of the batch is kept."""
    current = active_batch()
    if current is not None:
        yield current
        return
    with transaction.atomic():
        depth = len(transaction.get_connection().savepoint_ids)
        started = Batch(clock, depth)
        _local.batch = started
        try:
            yield started
            started.flush()
        finally:
            _local.batch = None


# ---------------------------------------------------------------- receivers of many records


class _Collected:
    """The items one receiver collected in one (sub)transaction, handled on commit."""

    def __init__(self, handle: Callable[[list[Any]], None]) -> None:
        self.handle = handle
        self.items: list[Any] = []

    def __call__(self) -> None:
        self.handle(self.items)


_collectors = threading.local()


def on_commit_together(name: str, item: Any, handle: Callable[[list[Any]], None]) -> None:
    """Give ``item`` to ``handle`` after the transaction commits, with every other item
    collected under ``name`` in the same transaction: one call for a batch of thousands
    of records instead of one each (what a ``record_saved`` receiver uses to index or
    notify a batch at once). Items collected inside a savepoint that rolls back are
    dropped with it, as Django drops that savepoint's on-commit callbacks. Outside a
    transaction ``handle([item])`` runs at once.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        handle([item])
        return
    queue = connection.run_on_commit
    state = getattr(_collectors, "state", None)
    if state is None or state[0] is not queue:
        # Django replaces the queue on commit and on every rollback: keep only the
        # collectors whose callbacks survived.
        standing = {id(entry[1]) for entry in queue}
        kept = {k: c for k, c in (state[1].items() if state else ()) if id(c) in standing}
        state = (queue, kept)
        _collectors.state = state
    key = (name, tuple(connection.savepoint_ids))
    collected = state[1].get(key)
    if collected is None:
        collected = state[1][key] = _Collected(handle)
        transaction.on_commit(collected, robust=True)
    collected.items.append(item)


def _foreign_keys(model: type[PublicRecord]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field.model is not None
    ]


def _check_foreign_keys(model: type[PublicRecord], instances: Sequence[PublicRecord]) -> None:
    """What ``full_clean`` checks with one query per reference, checked with one query
    per foreign key: every referenced row exists."""
    for field in _foreign_keys(model):
        ids = {getattr(i, field.attname) for i in instances} - {None}
        if not ids:
            continue
        target = field.remote_field.model._base_manager
        found: set[Any] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), INSERT_CHUNK):
            chunk = ordered[start : start + INSERT_CHUNK]
            found |= set(target.filter(pk__in=chunk).values_list("pk", flat=True))
        missing = ids - found
        if missing:
            raise InvalidInput(
                _("%(field)s: no such record (%(ids)s).")
                % {"field": field.name, "ids": ", ".join(map(str, sorted(missing)[:5]))},
                {field.name: [_("No such record.")]},
            )


def _prefetch_links(model: type[PublicRecord], instances: Sequence[PublicRecord]) -> None:
    """Load the many-to-many links of all the records with one query per relation: their
    content (``to_record``) lists them, and would otherwise cost a query per record and
    relation, twice (the version, then the search index)."""
    names = [field.name for field in model._meta.many_to_many]
    if names:
        models.prefetch_related_objects(list(instances), *names)


def _require_keys_free(model: type[PublicRecord], keys: Sequence[str]) -> None:
    seen: set[str] = set()
    taken: set[str] = set()
    for key in keys:
        (taken if key in seen else seen).add(key)
    for start in range(0, len(keys), INSERT_CHUNK):
        chunk = keys[start : start + INSERT_CHUNK]
        taken |= set(model._default_manager.filter(key__in=chunk).values_list("key", flat=True))
    if taken:
        first = sorted(taken)[0]
        raise Conflict(
            _("%(id)s already exists.") % {"id": f"{model.RECORD_TYPE}/{first}"},
            {"key": [_("This key is already taken.")]},
        )


def save_records(
    instances: Sequence[PublicRecord],
    *,
    actor: Any,
    reason: str = "",
    write_related: Callable[[Sequence[PublicRecord]], None] | None = None,
) -> list[RecordVersion]:
    """Create many new records of one model and append their first versions. Call inside
    a service (a batch service checks the permission for every item's scope).

    Each instance is validated as ``save_record`` does (``full_clean``: fields, choices,
    the model's ``clean``); the checks that cost a query per row (keys free, references
    exist) are made once for the batch, and the database's own constraints refuse the
    rest (a clear 409, and nothing of the batch is kept). ``write_related(instances)``
    writes what needs the rows first (child rows, links), before their content is read.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_records must run inside a service's transaction")
    if not instances:
        return []
    model = type(instances[0])
    if any(type(i) is not model or i.version != 0 or i.pk is not None for i in instances):
        raise ValueError("save_records creates new records of one model")
    _require_keys_free(model, [i.key for i in instances])
    _check_foreign_keys(model, instances)
    _validate_each(instances)
    for instance in instances:
        instance.version = 1
    try:
        with transaction.atomic():
            model._default_manager.bulk_create(instances, batch_size=INSERT_CHUNK)
    except IntegrityError as error:
        raise Conflict(
            _("The batch conflicts with records already kept: %(error)s") % {"error": error}
        ) from error
    if write_related is not None:
        write_related(instances)
    return _version_each(model, instances, actor=actor, op=RecordVersion.Op.CREATE, reason=reason)


def publish_many_changes(
    changes: Sequence[tuple[PublicRecord, Mapping[str, Any]]],
    *,
    actor: Any,
    allowed: Iterable[str],
    reason: str = "",
) -> list[RecordVersion]:
    """A new version of each record with some of its ``allowed`` fields changed, for many
    records of one model at once (``publish_changes`` for a batch). Call inside a service.
    A record whose content would not change is refused, as one by one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish_many_changes must run inside a service's transaction")
    if not changes:
        return []
    allowed = set(allowed)
    model = type(changes[0][0])
    names: set[str] = set()
    records: list[PublicRecord] = []
    for record, fields in changes:
        unknown = sorted(set(fields) - allowed)
        if unknown or type(record) is not model or record.pk is None:
            raise InvalidInput(
                _("These fields cannot be changed: %(fields)s.")
                % {"fields": ", ".join(unknown) or model.RECORD_TYPE}
            )
        if record.is_retracted:
            raise Conflict(
                _("%(id)s has been retracted and can no longer change.") % {"id": record.public_id}
            )
        before = record.to_record()
        for name, value in fields.items():
            setattr(record, name, value)
        if record.to_record() == before:
            raise InvalidInput(
                _("Nothing changed in %(id)s: a new version needs at least one change.")
                % {"id": record.public_id}
            )
        names |= set(fields)
        records.append(record)
    _check_foreign_keys(model, records)
    _validate_each(records)
    at = timezone.now()
    for record in records:
        record.version += 1
        record.updated_at = at
    columns = sorted({model._meta.get_field(n).name for n in names} | {"version", "updated_at"})
    model._default_manager.bulk_update(records, columns, batch_size=INSERT_CHUNK)
    return _version_each(model, records, actor=actor, op=RecordVersion.Op.UPDATE, reason=reason)


def _version_each(
    model: type[PublicRecord],
    records: Sequence[PublicRecord],
    *,
    actor: Any,
    op: str,
    reason: str,
) -> list[RecordVersion]:
    """The next version of each saved record, appended to the log with the batch."""
    _prefetch_links(model, records)
    with batch() as current:
        versions = [_version_of(r, actor=actor, op=op, reason=reason, at=now()) for r in records]
        current.add(list(zip(records, versions, strict=True)))
    return versions


def _validate_each(instances: Sequence[PublicRecord]) -> None:
    """``full_clean`` of each row but the checks made once per batch (references, keys)
    and the database's own constraints; an error names the item."""
    exclude = [f.name for f in _foreign_keys(type(instances[0]))]
    for position, instance in enumerate(instances, start=1):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            invalid = validation_to_invalid(error)
            raise InvalidInput(
                _("Item %(n)s (%(id)s): %(error)s")
                % {"n": position, "id": instance.public_id, "error": invalid.message},
                invalid.field_errors,
            ) from error


def require_permission_for_each(
    permission: Any, actor: Any, calls: Iterable[Mapping[str, Any]]
) -> None:
    """A batch service's check that ``actor`` may act on every item's records: the
    permission is asked once per distinct scope (the items of one plan ask once)."""
    from .errors import PermissionDenied

    asked: set[tuple[tuple[str, Any], ...]] = set()
    for call in calls:
        signature = tuple(
            sorted(
                (name, value if isinstance(value, str | int | models.Model) else id(value))
                for name, value in call.items()
            )
        )
        if signature in asked:
            continue
        asked.add(signature)
        if not permission.allows(actor, call):
            raise PermissionDenied(
                _("You do not have permission to do this (%(permission)s).")
                % {"permission": permission.code}
            )


def retract_record(instance: PublicRecord, *, actor: Any, reason: str) -> RecordVersion:
    """A retraction is a new version that carries its reason; nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("A retraction needs a reason."), {"reason": [_("This field is required.")]}
        )
    if instance.is_retracted:
        raise Conflict(_("%(id)s is already retracted.") % {"id": instance.public_id})
    instance.retracted_at = now()
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
