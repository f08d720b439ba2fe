"""Test helpers: accounts that hold roles.

``grant`` gives one role through the service the command line uses (logged). For the
editing-page tests, ``hold_every_role`` makes an account hold every role on every record
(Support Unit, and point of contact, IRM researcher, secretariat, representative and SC
member on each member, forum, seat and SC seat), including records created later in the
test, without adding to the log, so those tests keep their exact version counts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from tripartite.accounts.joint_services import grant_role_at_setup
from tripartite.accounts.models import RoleGrant
from tripartite.accounts.roles import Role, forget_grants
from tripartite.core.actors import system_actor
from tripartite.core.recording import record_saved

_EVERYWHERE: set[int] = set()

ROLES_BY_TYPE = {
    "member": (Role.POINT_OF_CONTACT, Role.IRM_RESEARCHER),
    "forum": (Role.SECRETARIAT,),
    "seat": (Role.SECTOR_REPRESENTATIVE,),
    "scseat": (Role.SC_MEMBER,),
}


def grant(user: Any, role: str, record: Any = None) -> RoleGrant:
    forget_grants(user)
    made = grant_role_at_setup(
        system_actor(), user=user, role=role, scope=record.public_id if record else ""
    )
    forget_grants(user)
    return made


def _grant_quietly(user_id: int, role: str, scope: str) -> None:
    RoleGrant.objects.get_or_create(
        user_id=user_id,
        role=role,
        scope=scope,
        ended_at=None,
        defaults={"holder_name": f"user {user_id}", "started_at": timezone.now()},
    )


def hold_every_role(user: Any) -> Any:
    from tripartite.documents.records import record_models

    _EVERYWHERE.add(user.pk)
    _grant_quietly(user.pk, Role.SUPPORT_UNIT, "")
    for record_type, roles in ROLES_BY_TYPE.items():
        for key in record_models()[record_type]._default_manager.values_list("key", flat=True):
            for role in roles:
                _grant_quietly(user.pk, role, f"{record_type}/{key}")
    forget_grants(user)
    return user


def _on_saved(sender: Any, instance: Any, version: Any, **kwargs: Any) -> None:
    roles = ROLES_BY_TYPE.get(getattr(instance, "RECORD_TYPE", ""))
    if not roles or version.version != 1 or not _EVERYWHERE:
        return
    users = get_user_model().objects.filter(pk__in=_EVERYWHERE).values_list("pk", flat=True)
    for user_id in users:
        for role in roles:
            _grant_quietly(user_id, role, instance.public_id)


def reset() -> None:
    _EVERYWHERE.clear()


record_saved.connect(_on_saved, dispatch_uid="tests-hold-every-role")


def approver(sector: str, forum: Any = None, name: str = "") -> Any:
    """A new account representing ``sector`` in ``forum`` (or sitting for that Steering
    Committee constituency when ``forum`` is None), with a second factor."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tripartite.forums.models import Seat
    from tripartite.oversight.models import ScSeat

    username = name or f"{sector}-approver-{get_user_model().objects.count()}"
    account = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=None, is_staff=True
    )
    TOTP.activate(account, generate_totp_secret())
    if forum is not None:
        seat = Seat.objects.filter(
            forum=forum, sector=sector, end_on__isnull=True, retracted_at__isnull=True
        ).first()
        if seat is None:  # a forum of the test world without this sector yet: seat one
            seat = _seat(forum, sector, username)
        grant(account, Role.SECTOR_REPRESENTATIVE, seat)
    else:
        scseat = ScSeat.objects.filter(
            constituency=sector, ended_on__isnull=True, retracted_at__isnull=True
        ).first()
        if scseat is None:  # a test world without a Steering Committee: seat one
            scseat = _sc_seat(sector, username)
        grant(account, Role.SC_MEMBER, scseat)
    return account


def approve_all(change: Any) -> Any:
    """Every sector still missing approves ``change`` (which then takes effect)."""
    from tripartite.accounts.joint_services import answer_change

    change.refresh_from_db()
    for sector in change.missing_sectors():
        answer_change(approver(sector, change.forum), change, position="approve")
    change.refresh_from_db()
    return change


def change_at(location: str) -> Any:
    """The change whose page ``location`` is (after a proposal redirected there)."""
    from tripartite.accounts.models import JointChange

    assert location.startswith("/change/"), location
    return JointChange.objects.get(key=location.rstrip("/").rsplit("/", 1)[1])


def _seat(forum: Any, sector: str, name: str) -> Any:
    import datetime as dt

    from tripartite.forums import services

    system = system_actor()
    organisation = services.create_organization(
        system, key=f"org-{name}", name=f"Organisation of {name}", sector=sector
    )
    return services.add_seat(
        system,
        key=f"seat-{name}",
        forum=forum,
        organization=organisation,
        start_on=forum.established_on or dt.date(2015, 1, 1),
        sector=sector,
    )


def _sc_seat(constituency: str, name: str) -> Any:
    import datetime as dt

    from tripartite.forums import services as forum_services
    from tripartite.oversight import services

    system = system_actor()
    today = timezone.localdate()
    start = dt.date(today.year - (1 if today.month < 10 else 0), 10, 1)
    if constituency == "government":
        member = forum_services.create_member(
            system, key=f"m-{name}", name=f"Member of {name}", kind="country"
        )
        return services.add_sc_seat(
            system,
            key=f"sc-{name}",
            constituency=constituency,
            member=member,
            term_start=start,
            selection="election",
        )
    person = forum_services.create_person(system, key=f"p-{name}", name=name)
    return services.add_sc_seat(
        system,
        key=f"sc-{name}",
        constituency=constituency,
        person=person,
        term_start=start,
        selection="selection_committee",
    )
