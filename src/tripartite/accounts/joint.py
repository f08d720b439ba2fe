"""The two-sector rule's machinery: which sectors must approve a change, how a proposed
change is kept (as JSON, references by public id) and how an approved one is applied.

A joint service (permission ``JOINT``) passes only while ``apply`` runs it for the
approved change that names the same record, so the change is written by the proposer's
account but on the authority of every approving sector, all in one transaction.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from tripartite.core.errors import InvalidInput
from tripartite.core.models import PublicRecord

from .models import ChangeOperation, ChangeState, JointChange, RoleGrant
from .roles import SCOPE_TYPE, constituencies_of, scope_of, sectors_of

_APPLYING: contextvars.ContextVar[JointChange | None] = contextvars.ContextVar(
    "tripartite_joint_change", default=None
)

# With no forum (the international record, site-wide roles) the Steering Committee's two
# constituencies approve.
SITE_CONSTITUENCIES = ["government", "civil_society"]
MR11_SECTORS = ["government", "civil_society"]  # a forum has at least these (MR1.1)


def applying() -> JointChange | None:
    """The approved change being applied right now, if any."""
    return _APPLYING.get()


@contextlib.contextmanager
def _authority(change: JointChange) -> Iterator[None]:
    token = _APPLYING.set(change)
    try:
        yield
    finally:
        _APPLYING.reset(token)


def covers(change: JointChange, call: Mapping[str, Any]) -> bool:
    """Whether the service call acts on the change's own record."""
    for name in ("record", "document", "seat"):
        value = call.get(name)
        if isinstance(value, PublicRecord):
            return value.public_id == change.target
    return change.operation in (ChangeOperation.GRANT_ROLE, ChangeOperation.END_ROLE)


# ---------------------------------------------------------------- where a change is decided


def forum_of(target: Any) -> Any:
    """The forum that decides a change to ``target``: its own forum, else its member's
    current forum; None for the international record (the Steering Committee decides)."""
    scope = scope_of(target)
    if scope.forum is not None:
        return scope.forum
    if scope.member is not None:
        return (
            scope.member.forums.filter(retracted_at__isnull=True, dissolved_on__isnull=True)
            .order_by("-established_on")
            .first()
        )
    return None


def required_sectors(forum: Any) -> list[str]:
    """The sectors that must approve a change in ``forum``: as configured, else every
    sector with a seat; never fewer than government and civil society (MR1.1)."""
    if forum is None:
        return list(SITE_CONSTITUENCIES)
    configured = forum.approval_sector_list()
    if configured:
        return sorted(set(configured))
    seated = set(
        forum.seats.filter(end_on__isnull=True, retracted_at__isnull=True).values_list(
            "sector", flat=True
        )
    )
    return sorted(seated | set(MR11_SECTORS))


# ---------------------------------------------------------------- keeping proposed values


def to_json(value: Any) -> Any:
    """A field value as JSON: records by public id, dates in ISO 8601."""
    if isinstance(value, PublicRecord):
        return value.public_id
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(model: type[models.Model], name: str, value: Any) -> Any:
    """The inverse of ``to_json`` for ``model.name``."""
    from tripartite.documents.records import resolve

    field = model._meta.get_field(name)
    if value is None:
        return None
    if field.is_relation:
        return resolve(value)
    return field.to_python(value)  # type: ignore[union-attr]


def serialise_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: to_json(value) for name, value in changes.items()}


def restore_changes(record: PublicRecord, changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: from_json(type(record), name, value) for name, value in changes.items()}


# ---------------------------------------------------------------- who answers


def sector_label(code: str) -> str:
    """A sector (or Steering Committee constituency) as people call it, translated."""
    from tripartite.forums.choices import Sector

    try:
        return str(Sector(code).label)
    except ValueError:
        return code


def display_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()).strip()


def answerable_sectors(user: Any, change: JointChange) -> list[str]:
    """The required sectors ``user`` may still answer for (none once they have answered)."""
    if change.state != ChangeState.PENDING:
        return []
    if change.approvals.filter(user=user).exists():
        return []
    mine = constituencies_of(user) if change.forum_id is None else sectors_of(user, change.forum)
    answered = {a.sector for a in change.approvals.all()}
    return [s for s in change.required if s in mine and s not in answered]


# ---------------------------------------------------------------- applying


def _app_services(record: PublicRecord) -> Any:
    import importlib

    label = record._meta.app_label
    return importlib.import_module(f"tripartite.{label}.services")


def apply(change: JointChange) -> None:
    """Carry out an approved change, on the authority of its approvals."""
    from tripartite.documents.records import resolve

    with _authority(change):
        op = change.operation
        if op == ChangeOperation.GRANT_ROLE:
            make_grant(change)
            return
        if op == ChangeOperation.END_ROLE:
            end_grant_now(change)
            return
        record = resolve(change.target)
        if record is None:
            raise InvalidInput(_("%(id)s no longer exists.") % {"id": change.target})
        services = _app_services(record)
        if op == ChangeOperation.UPDATE:
            services.update_record(
                change.proposer,
                record,
                changes=restore_changes(record, change.params.get("changes", {})),
                reason=change.reason,
            )
        elif op == ChangeOperation.RETRACT:
            retract = getattr(services, "retract", None) or services.retract_document
            retract(change.proposer, record, reason=change.reason)
        elif op == ChangeOperation.END_SEAT:
            services.end_seat(
                change.proposer,
                record,
                end_on=dt.date.fromisoformat(change.params["end_on"]),
                end_reason=change.params["end_reason"],
                letter=resolve(change.params["letter"]) if change.params.get("letter") else None,
            )


def active_grant(user: Any, role: str, scope: str) -> RoleGrant | None:
    return RoleGrant.objects.filter(
        user=user, role=role, scope=scope, ended_at__isnull=True
    ).first()


def check_grant(role: str, scope: str) -> None:
    """A role is bound to a record of its own kind (or to the whole site), which must exist."""
    from tripartite.documents.records import resolve

    if role not in SCOPE_TYPE:
        raise InvalidInput(_("Unknown role: %(role)s.") % {"role": role})
    kind = SCOPE_TYPE[role]
    if not kind:
        if scope:
            raise InvalidInput(_("This role is held for the whole site, not for a record."))
        return
    record = resolve(scope) if scope.startswith(kind + "/") else None
    if record is None or record.is_retracted:
        raise InvalidInput(
            _("This role is bound to a %(kind)s: give the public id of a live one, e.g. %(kind)s/…")
            % {"kind": kind},
            {"scope": [_("Give the public id of a live %(kind)s.") % {"kind": kind}]},
        )


def make_grant(change: JointChange) -> RoleGrant:
    from django.utils import timezone

    from .roles import forget_grants

    role, scope = change.params["role"], change.target
    check_grant(role, scope)
    if active_grant(change.grantee, role, scope) is not None:
        raise InvalidInput(_("This account already holds this role here."))
    forget_grants(change.grantee)
    assert change.grantee is not None
    if not change.grantee.is_staff:
        # A role makes the account an editing account: two-factor authentication is now
        # required of it (accounts.middleware), and it can no longer be erased (privacy).
        change.grantee.is_staff = True
        change.grantee.save(update_fields=["is_staff"])
    return RoleGrant.objects.create(
        user=change.grantee,
        role=role,
        scope=scope,
        holder_name=change.params.get("holder", ""),
        started_at=timezone.now(),
        change=change,
    )


def end_grant_now(change: JointChange) -> None:
    from django.utils import timezone

    from .roles import forget_grants

    grant = active_grant(change.grantee, change.params["role"], change.target)
    if grant is None:
        raise InvalidInput(_("This account does not hold this role here."))
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    forget_grants(change.grantee)
