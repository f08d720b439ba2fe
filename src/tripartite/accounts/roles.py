"""Roles bound to the records they concern, and who holds which.

A role is held through a ``RoleGrant`` on a scope: the whole site (operator, Support
Unit), a Steering Committee seat (SC member), a member (point of contact, IRM researcher),
a forum (secretariat) or a forum seat (sector representative). A grant on a scope covers
the records that belong to it (a forum's meetings, a member's plans); nothing else.
Deny by default: no grant, no write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Site operator")
    SUPPORT_UNIT = "support_unit", _("Support Unit staff")
    SC_MEMBER = "sc_member", _("Steering Committee member")
    IRM_RESEARCHER = "irm_researcher", _("IRM researcher")
    POINT_OF_CONTACT = "point_of_contact", _("Member point of contact")
    SECRETARIAT = "secretariat", _("Forum secretariat")
    SECTOR_REPRESENTATIVE = "sector_representative", _("Sector representative")


# The record type each role is bound to ("" for the whole site).
SCOPE_TYPE: dict[str, str] = {
    Role.OPERATOR: "",
    Role.SUPPORT_UNIT: "",
    Role.SC_MEMBER: "scseat",
    Role.IRM_RESEARCHER: "member",
    Role.POINT_OF_CONTACT: "member",
    Role.SECRETARIAT: "forum",
    Role.SECTOR_REPRESENTATIVE: "seat",
}


@dataclass(frozen=True)
class Scope:
    """Where a record sits: its member, forum and forum seat (any may be None)."""

    member: Any = None
    forum: Any = None
    seat: Any = None
    scseat: Any = None

    def public_ids(self) -> set[str]:
        return {
            r.public_id for r in (self.member, self.forum, self.seat, self.scseat) if r is not None
        }


def scope_of(target: Any) -> Scope:
    """The member, forum and seat a record (or public id) belongs to, by its references."""
    from tripartite.documents.records import related, resolve
    from tripartite.forums.models import Forum, Member, Seat
    from tripartite.oversight.models import ScSeat

    if isinstance(target, str):
        if not target:
            return Scope()
        target = resolve(target)
    if target is None:
        return Scope()
    if getattr(target, "attached_to", None) and isinstance(target.attached_to, str):
        # A document belongs where the record it is attached to belongs.
        attached = scope_of(target.attached_to)
        if attached.member is not None:
            return attached
    seat = target if isinstance(target, Seat) else None
    forum = related(target, Forum)
    member = target if isinstance(target, Member) else related(target, Member)
    if member is None and forum is not None:
        member = forum.member
    scseat = target if isinstance(target, ScSeat) else None
    return Scope(member=member, forum=forum, seat=seat, scseat=scseat)


def active_grants(user: Any) -> list[Any]:
    """The user's grants in force, cached on the user object for one request."""
    cached = getattr(user, "_tripartite_grants", None)
    if cached is None:
        from .models import RoleGrant

        cached = list(RoleGrant.objects.filter(user=user, ended_at__isnull=True))
        user._tripartite_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, "_tripartite_grants"):
        del user._tripartite_grants


def holds(user: Any, role: str, scope: Scope | None = None) -> bool:
    """True when ``user`` holds ``role`` on the site or on one of ``scope``'s records."""
    if not getattr(user, "pk", None):
        return False
    wanted = scope.public_ids() if scope is not None else set()
    for grant in active_grants(user):
        if grant.role != role:
            continue
        if grant.scope == "" or grant.scope in wanted:
            return True
    return False


def sectors_of(user: Any, forum: Any) -> set[str]:
    """The sectors ``user`` represents in ``forum`` today (through seat grants)."""
    from tripartite.forums.models import Seat

    seat_ids = [
        g.scope
        for g in active_grants(user)
        if g.role == Role.SECTOR_REPRESENTATIVE and g.scope.startswith("seat/")
    ]
    keys = [s.split("/", 1)[1] for s in seat_ids]
    seats = Seat.objects.filter(
        forum=forum, key__in=keys, end_on__isnull=True, retracted_at__isnull=True
    )
    return {seat.sector for seat in seats}


def constituencies_of(user: Any) -> set[str]:
    """The Steering Committee constituencies ``user`` sits for (through SC seat grants)."""
    from tripartite.oversight.models import ScSeat

    keys = [
        g.scope.split("/", 1)[1]
        for g in active_grants(user)
        if g.role == Role.SC_MEMBER and g.scope.startswith("scseat/")
    ]
    seats = ScSeat.objects.filter(key__in=keys, ended_on__isnull=True, retracted_at__isnull=True)
    return {seat.constituency for seat in seats}


def is_system(user: Any) -> bool:
    """The site's own account, which cannot sign in: the CLI, the worker, the demo
    loader. It holds every power, as shell access to the server does anyway; what it
    writes is logged and attributed like any other write (see docs/subsystems/security.md)."""
    from tripartite.core.actors import SYSTEM_USERNAME

    return bool(
        getattr(user, "pk", None)
        and user.get_username() == SYSTEM_USERNAME
        and not user.has_usable_password()
    )


def has_any_role(user: Any) -> bool:
    return is_system(user) or bool(active_grants(user))
