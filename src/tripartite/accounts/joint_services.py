"""Writes of the two-sector rule: proposing a change, answering it, withdrawing it, and
the role grants and resignations that go with it.

A proposal is a ``change`` record; each answer is a new version of it (so the log holds
every approval); the last approval needed applies the change in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.core.errors import Conflict, InvalidInput, PermissionDenied
from tripartite.core.models import PublicRecord
from tripartite.core.recording import save_record
from tripartite.core.services import service

from . import joint
from .joint import answerable_sectors, display_name
from .models import (
    ApprovalPosition,
    ChangeApproval,
    ChangeOperation,
    ChangeState,
    JointChange,
    RoleGrant,
)
from .permissions import ANY_EDITOR, SITE_TASK
from .roles import is_system


def _new_key() -> str:
    return f"{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"


def _new_change(
    actor: Any,
    *,
    operation: str,
    target: str,
    params: dict[str, Any],
    reason: Any,
    grantee: Any,
    forum: Any,
    required: list[str],
) -> JointChange:
    """A change as proposed now by ``actor`` (not saved)."""
    return JointChange(
        key=_new_key(),
        forum=forum,
        operation=operation,
        target=target,
        summary=_describe(operation, target, params)[:400],
        params=params,
        reason=reason,
        proposer=actor,
        proposer_name=display_name(actor),
        proposed_at=timezone.now(),
        required=required,
        grantee=grantee,
    )


def _describe(operation: str, target: str, params: Mapping[str, Any]) -> str:
    if operation == ChangeOperation.UPDATE:
        return _("New version of %(id)s: %(fields)s") % {
            "id": target,
            "fields": ", ".join(sorted(params.get("changes", {}))),
        }
    if operation == ChangeOperation.RETRACT:
        return _("Retract %(id)s") % {"id": target}
    if operation == ChangeOperation.END_SEAT:
        return _("End %(id)s on %(date)s") % {"id": target, "date": params.get("end_on")}
    if operation == ChangeOperation.GRANT_ROLE:
        return _("Grant %(holder)s the role %(role)s on %(scope)s") % {
            "holder": params.get("holder"),
            "role": params.get("role"),
            "scope": target or _("the whole site"),
        }
    return _("End the role %(role)s of %(holder)s on %(scope)s") % {
        "holder": params.get("holder"),
        "role": params.get("role"),
        "scope": target or _("the whole site"),
    }


def _check_target(operation: str, record: PublicRecord | None) -> None:
    if operation in (ChangeOperation.UPDATE, ChangeOperation.RETRACT, ChangeOperation.END_SEAT):
        if record is None:
            raise InvalidInput(_("There is no such record."))
        if operation == ChangeOperation.RETRACT and record.is_retracted:
            raise Conflict(_("%(id)s is already retracted.") % {"id": record.public_id})
        if record.is_retracted:
            raise Conflict(
                _("%(id)s has been retracted and can no longer change.") % {"id": record.public_id}
            )
    if operation == ChangeOperation.END_SEAT and getattr(record, "RECORD_TYPE", "") != "seat":
        raise InvalidInput(_("Only a seat can be ended."))
    if operation == ChangeOperation.END_SEAT and record.end_on is not None:  # type: ignore[union-attr]
        raise Conflict(_("This seat has already ended."))


def _finish(change: JointChange) -> None:
    """Apply the change once no required sector is missing."""
    if change.missing_sectors():
        return
    joint.apply(change)
    change.state = ChangeState.APPLIED
    change.decided_at = timezone.now()


@service(ANY_EDITOR)
def propose_change(
    actor: Any,
    *,
    operation: str,
    target: str,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    end_on: dt.date | None = None,
    end_reason: str = "",
    letter: Any = None,
    role: str = "",
    grantee: Any = None,
) -> JointChange:
    """Propose an edit, retraction, seat ending or role change for joint approval. The
    proposer's own sector (if they represent one that must approve) counts as approving."""
    from tripartite.documents.records import resolve

    reason = (reason or "").strip()
    if operation not in ChangeOperation.values:
        raise InvalidInput(_("Unknown operation."))
    params: dict[str, Any] = {}
    record = resolve(target) if target else None
    _check_target(operation, record)
    if operation == ChangeOperation.UPDATE:
        assert record is not None
        proposed = joint.serialise_changes(changes or {})
        current = joint.serialise_changes({name: getattr(record, name) for name in proposed})
        proposed = {k: v for k, v in proposed.items() if v != current[k]}
        if not proposed:
            raise InvalidInput(_("Nothing changed: a new version needs at least one change."))
        params["changes"] = proposed
    elif operation == ChangeOperation.RETRACT:
        if not reason:
            raise InvalidInput(
                _("A retraction needs a reason."), {"reason": [_("This field is required.")]}
            )
    elif operation == ChangeOperation.END_SEAT:
        if end_on is None or not end_reason:
            raise InvalidInput(_("Give the date and the reason the seat ends."))
        params.update(
            end_on=end_on.isoformat(), end_reason=end_reason, letter=joint.to_json(letter)
        )
    else:
        if grantee is None:
            raise InvalidInput(_("Name the account."), {"email": [_("No such account.")]})
        joint.check_grant(role, target)
        holding = joint.active_grant(grantee, role, target)
        if operation == ChangeOperation.GRANT_ROLE and holding is not None:
            raise Conflict(_("This account already holds this role here."))
        if operation == ChangeOperation.END_ROLE and holding is None:
            raise Conflict(_("This account does not hold this role here."))
        params.update(role=role, holder=holding.holder_name if holding else display_name(grantee))
    forum = joint.forum_of(record if record is not None else target)
    if operation in (ChangeOperation.GRANT_ROLE, ChangeOperation.END_ROLE) and not target:
        forum = None  # site-wide roles: the Steering Committee decides
    change = _new_change(
        actor,
        operation=operation,
        target=target,
        params=params,
        reason=reason,
        grantee=grantee,
        forum=forum,
        required=joint.required_sectors(forum),
    )
    now = change.proposed_at
    save_record(change, actor=actor)
    own = answerable_sectors(actor, change)
    if own:
        ChangeApproval.objects.create(
            change=change,
            user=actor,
            name=display_name(actor),
            sector=own[0],
            position=ApprovalPosition.APPROVE,
            at=now,
        )
        _finish(change)
        save_record(
            change,
            actor=actor,
            reason=_("Proposed and approved for %(sector)s") % {"sector": own[0]},
        )
    return change


@service(ANY_EDITOR)
def answer_change(
    actor: Any, change: JointChange, *, position: str, statement: str = ""
) -> JointChange:
    """A sector's representative approves or rejects a pending change, for their sector.
    A rejection ends it; the last approval needed applies it."""
    if change.state != ChangeState.PENDING:
        raise Conflict(_("This change is no longer awaiting approval."))
    if position not in ApprovalPosition.values:
        raise InvalidInput(_("Approve or reject."))
    sectors = answerable_sectors(actor, change)
    if not sectors:
        raise PermissionDenied(
            _("Only a representative of a sector whose approval is still needed can answer, once.")
        )
    ChangeApproval.objects.create(
        change=change,
        user=actor,
        name=display_name(actor),
        sector=sectors[0],
        position=position,
        statement=(statement or "").strip(),
        at=timezone.now(),
    )
    if position == ApprovalPosition.REJECT:
        change.state = ChangeState.REJECTED
        change.decided_at = timezone.now()
    else:
        _finish(change)
    save_record(change, actor=actor, reason=statement)
    return change


@service(ANY_EDITOR)
def withdraw_change(actor: Any, change: JointChange, *, reason: str = "") -> JointChange:
    """The proposer withdraws a change still awaiting approval."""
    if change.proposer_id != actor.pk:
        raise PermissionDenied(_("Only the person who proposed a change can withdraw it."))
    if change.state != ChangeState.PENDING:
        raise Conflict(_("This change is no longer awaiting approval."))
    change.state = ChangeState.WITHDRAWN
    change.decided_at = timezone.now()
    save_record(change, actor=actor, reason=reason)
    return change


def _applied_at_once(
    actor: Any,
    *,
    operation: str,
    scope: str,
    params: dict[str, Any],
    reason: Any,
    grantee: Any,
    forum: Any,
) -> JointChange:
    """A role change that needs no approval (a setup grant, a resignation), logged as a
    change applied at once with no approvals, so the record shows it for what it was."""
    change = _new_change(
        actor,
        operation=operation,
        target=scope,
        params=params,
        reason=reason,
        grantee=grantee,
        forum=forum,
        required=[],
    )
    change.state, change.decided_at = ChangeState.APPLIED, change.proposed_at
    save_record(change, actor=actor)
    return change


@service(SITE_TASK)
def grant_role_at_setup(
    actor: Any, *, user: Any, role: str, scope: str = "", holder_name: str = ""
) -> RoleGrant:
    """The site's own account grants a role at once (setting up a site, the command line)."""
    if not is_system(actor):
        raise PermissionDenied(_("Only the site's own account grants roles without approval."))
    change = _applied_at_once(
        actor,
        operation=ChangeOperation.GRANT_ROLE,
        scope=scope,
        params={"role": role, "holder": holder_name or display_name(user)},
        reason=_("Granted by the site's own account (command line)."),
        grantee=user,
        forum=joint.forum_of(scope) if scope else None,
    )
    with joint._authority(change):
        return joint.make_grant(change)


@service(ANY_EDITOR)
def resign_role(actor: Any, grant: RoleGrant) -> JointChange:
    """Give up one's own role at once: no one needs to approve a resignation."""
    if grant.user_id != actor.pk:
        raise PermissionDenied(_("You can only resign your own role."))
    if grant.ended_at is not None:
        raise Conflict(_("This role has already ended."))
    change = _applied_at_once(
        actor,
        operation=ChangeOperation.END_ROLE,
        scope=grant.scope,
        params={"role": grant.role, "holder": grant.holder_name},
        reason=_("Resigned by the holder."),
        grantee=actor,
        forum=grant.change.forum if grant.change is not None else None,
    )
    joint.end_grant_now(change)
    return change
