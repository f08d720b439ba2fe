"""The permissions of every write service, as roles bound to records.

Each permission lists the roles that may act and, for roles bound to a record, which of
the call's arguments names the record whose scope must match the grant (``where``). A
signed-in account passes only when it holds one of those roles on that scope and has a
second factor (MFA before any editing role acts). The site's own account (CLI, worker,
demo loader) passes everything. Deny by default: an unlisted role never passes.

Joint permissions (``JOINT``) are the two-sector rule: editing a published forum record,
retracting any record, ending another's seat and granting roles happen only while an
approved ``JointChange`` is being applied (``accounts.joint``), never on one account's word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from tripartite.core.permissions import Permission

from .roles import SCOPE_TYPE, Role, Scope, active_grants, holds, is_system, scope_of

Where = str | Callable[[Mapping[str, Any]], Any] | None
Grant = tuple[str, Where]

# ``where`` for "a grant of this role on any record": recording a person, proposing a change.
ANYWHERE = "*"


def _mfa_ok(actor: Any) -> bool:
    from .mfa import has_mfa

    return is_system(actor) or has_mfa(actor)


def _targets(call: Mapping[str, Any], where: Where) -> list[Any]:
    if where is None:
        return []
    value = where(call) if callable(where) else call.get(where)
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def allowed_by(actor: Any, grants: Iterable[Grant], call: Mapping[str, Any] | None) -> bool:
    """Whether ``actor`` holds one of ``grants`` for this call's records. Without a call
    (a page asking "may this account use the form at all?") any grant of those roles counts."""
    for role, where in grants:
        if SCOPE_TYPE[role] == "":
            if holds(actor, role):
                return True
            continue
        if call is None or where == ANYWHERE:
            if any(g.role == role for g in active_grants(actor)):
                return True
            continue
        for target in _targets(call, where):
            if holds(actor, role, target if isinstance(target, Scope) else scope_of(target)):
                return True
    return False


def by_roles(code: str, description: Any, *grants: Grant) -> Permission:
    def rule(actor: Any, call: Any) -> bool:
        if is_system(actor):
            return True
        return _mfa_ok(actor) and allowed_by(actor, grants, call)

    return Permission(code=code, description=description, rule=rule)


def _member_forums(member: Any) -> list[Any]:
    """A member's forums: its secretariat keeps the member's organisations too."""
    return list(member.forums.all()) if member is not None else []


def _first(*names: str) -> Callable[[Mapping[str, Any]], Any]:
    """The first of ``names`` present in the call (a meeting, else its forum, …)."""

    def pick(call: Mapping[str, Any]) -> Any:
        for name in names:
            if call.get(name) is not None:
                return call[name]
        return None

    return pick


SU = Role.SUPPORT_UNIT
SECRETARIAT = Role.SECRETARIAT
REP = Role.SECTOR_REPRESENTATIVE
POC = Role.POINT_OF_CONTACT
IRM = Role.IRM_RESEARCHER
SC = Role.SC_MEMBER
OPERATOR = Role.OPERATOR


# ---------------------------------------------------------------- the international record

INTERNATIONAL = by_roles(
    "accounts.international",
    _(
        "Support Unit staff keep the international record (members, rules, the Steering "
        "Committee's seats, meetings and resolutions)."
    ),
    (SU, None),
)

ACCOUNTS = by_roles(
    "accounts.invite",
    _("The site operator and Support Unit staff invite people; an invitation grants no role."),
    (OPERATOR, None),
    (SU, None),
)

CASEWORK = by_roles(
    "accounts.casework",
    _("Support Unit staff and Steering Committee members handle concern cases."),
    (SU, None),
    (SC, ANYWHERE),
)

# Work the site does by itself (text extraction, stored compliance readings).
SITE_TASK = by_roles(
    "accounts.site_task",
    _("Only the site's own account (the worker) records derived data."),
)

# ---------------------------------------------------------------- a member's record

ORGANISATIONS = by_roles(
    "accounts.organisations",
    _(
        "Support Unit staff, and a member's point of contact or forum secretariat for the "
        "member's organisations, record organisations and people."
    ),
    (SU, None),
    (POC, "member"),
    (SECRETARIAT, lambda call: _member_forums(call.get("member"))),
)

PEOPLE = by_roles(
    "accounts.people",
    _("Any editing role may record a person acting in a public role."),
    (SU, None),
    (POC, ANYWHERE),
    (SECRETARIAT, ANYWHERE),
)

FORUM_SETUP = by_roles(
    "accounts.forum_setup",
    _("A member's point of contact (or Support Unit staff) sets up the member's forum."),
    (SU, None),
    (POC, "member"),
)

FORUM_BUSINESS = by_roles(
    "accounts.forum_business",
    _(
        "A forum's secretariat runs its business: seats, meetings, agendas, attendance, "
        "minutes and decisions."
    ),
    (SECRETARIAT, _first("forum", "meeting", "minutes", "seat")),
)

SIGN_OFF = by_roles(
    "accounts.sign_off",
    _("Only the representative of a seat signs off minutes for that seat's sector."),
    (REP, "seat"),
)

OWN_SEAT = by_roles(
    "accounts.own_seat",
    _(
        "A representative may end their own seat (a withdrawal) at once; ending another "
        "seat needs the forum's joint approval."
    ),
    (REP, "seat"),
)

WITHDRAWAL = by_roles(
    "accounts.withdrawal",
    _(
        "The representatives of the seats that leave (or the secretariat) record a "
        "collective withdrawal."
    ),
    (REP, "seats"),
    (SECRETARIAT, "forum"),
)


def _letter_scope(call: Mapping[str, Any]) -> list[Any]:
    return [call.get("forum"), call.get("member")]


def _forum_seats(call: Mapping[str, Any]) -> list[Any]:
    """The forum's seats, so a representative of any of them may register its letters."""
    forum = call.get("forum")
    if forum is None:
        return []
    return list(forum.seats.filter(end_on__isnull=True, retracted_at__isnull=True))


LETTERS = by_roles(
    "accounts.letters",
    _(
        "A forum's secretariat and representatives, the member's point of contact and "
        "Support Unit staff register letters."
    ),
    (SU, None),
    (SECRETARIAT, _letter_scope),
    (POC, _letter_scope),
    (REP, _forum_seats),
)


def _seats_of_issuers(call: Mapping[str, Any]) -> list[Any]:
    from tripartite.forums.models import Seat

    organisations = list(call.get("issued_by") or ())
    return list(
        Seat.objects.filter(
            organization__in=organisations, end_on__isnull=True, retracted_at__isnull=True
        )
    )


def _issuers_members(call: Mapping[str, Any]) -> list[Any]:
    return [o.member for o in call.get("issued_by") or () if o.member_id]


STATEMENTS = by_roles(
    "accounts.statements",
    _(
        "An organisation's representative (or the member's point of contact for government "
        "bodies, or Support Unit staff) publishes its statements."
    ),
    (SU, None),
    (REP, _seats_of_issuers),
    (POC, _issuers_members),
)

PLANS = by_roles(
    "accounts.plans",
    _(
        "A member's point of contact and forum secretariat write its action plans, "
        "commitments and milestones and answer co-creation input."
    ),
    (POC, _first("plan", "commitment", "member", "item", "record")),
    (SECRETARIAT, _first("plan", "forum", "commitment", "item", "record")),
)


def _plan_forum_seats(call: Mapping[str, Any]) -> list[Any]:
    from tripartite.forums.models import Seat

    scope = scope_of(call.get("commitment"))
    if scope.member is None:
        return []
    return list(
        Seat.objects.filter(
            forum__member=scope.member,
            sector=call.get("party"),
            end_on__isnull=True,
            retracted_at__isnull=True,
        )
    )


def _government_party(call: Mapping[str, Any]) -> Any:
    return call.get("commitment") if call.get("party") == "government" else None


PROGRESS = by_roles(
    "accounts.progress",
    _(
        "Each party reports progress for itself: the point of contact for government, a "
        "civil-society or oversight-body representative in the member's forum for theirs; "
        "Support Unit staff record a report sent by a party that holds no seat."
    ),
    (SU, None),
    (POC, _government_party),
    (SECRETARIAT, _government_party),
    (REP, _plan_forum_seats),
)

IRM_WORK = by_roles(
    "accounts.irm",
    _("IRM researchers publish the IRM's reports and assessments for the member they cover."),
    (IRM, _first("plan", "report", "commitment", "record")),
)

CONTRARY = by_roles(
    "accounts.contrary",
    _(
        "Support Unit staff, and IRM researchers for the member they cover, record that a "
        "member acted contrary to process."
    ),
    (SU, None),
    (IRM, "plan"),
)


def _document_scope(call: Mapping[str, Any]) -> Any:
    return call.get("document") or call.get("attached_to")


DOCUMENTS = by_roles(
    "accounts.documents",
    _(
        "Those who keep a record keep its documents: a forum's secretariat and "
        "representatives, the member's point of contact and IRM researcher, Support Unit "
        "staff."
    ),
    (SU, None),
    (SECRETARIAT, _document_scope),
    (POC, _document_scope),
    (IRM, _document_scope),
    (REP, lambda call: _forum_seats({"forum": scope_of(_document_scope(call)).forum})),
)

TRANSLATIONS = by_roles(
    "accounts.translations",
    _(
        "Those who keep a record translate it: a forum's secretariat and representatives, the "
        "member's point of contact and IRM researcher, Support Unit staff."
    ),
    (SU, None),
    (SECRETARIAT, "record"),
    (POC, "record"),
    (IRM, "record"),
    (REP, lambda call: _forum_seats({"forum": scope_of(call.get("record")).forum})),
)

# Editing a plan-side record: who wrote it may publish a new version of it.
PLAN_EDITS = by_roles(
    "accounts.plan_edits",
    _(
        "A member's point of contact, forum secretariat and IRM researcher publish new "
        "versions of the plan records they keep."
    ),
    (POC, "record"),
    (SECRETARIAT, "record"),
    (IRM, lambda call: call["record"] if _is_irm_record(call.get("record")) else None),
)


def _is_irm_record(record: Any) -> bool:
    return getattr(record, "RECORD_TYPE", "") in {"irm-report", "assessment"}


# ---------------------------------------------------------------- the two-sector rule


def _joint(actor: Any, call: Any) -> bool:
    if is_system(actor):
        return True
    from .joint import applying, covers

    change = applying()
    return change is not None and call is not None and covers(change, call)


JOINT = Permission(
    code="accounts.joint",
    description=_(
        "Takes effect only once representatives of the forum's sectors (or both Steering "
        "Committee constituencies) approve it: no account, the operator's included, acts "
        "alone."
    ),
    rule=_joint,
)

ANY_EDITOR = by_roles(
    "accounts.propose",
    _("Any editing role may propose a change for joint approval."),
    *((role, ANYWHERE if SCOPE_TYPE[role] else None) for role in Role),
)


def either(code: str, description: Any, *permissions: Permission) -> Permission:
    """Passes when any of ``permissions`` passes (for the same actor and call)."""
    return Permission(
        code=code,
        description=description,
        rule=lambda actor, call: any(p.rule(actor, call) for p in permissions),
    )


END_SEAT = either(
    "accounts.end_seat",
    _(
        "A representative ends their own seat at once; any other seat ends only with the "
        "forum's joint approval."
    ),
    OWN_SEAT,
    JOINT,
)


def _forum_edit(actor: Any, call: Any) -> bool:
    """A record of a forum changes only by joint approval; the forum-less records kept in
    the forums app (members, organisations, people, international letters) by their keepers."""
    if is_system(actor):
        return True
    record = call.get("record") if call is not None else None
    if record is None:
        return _mfa_ok(actor) and bool(active_grants(actor))
    scope = scope_of(record)
    if scope.forum is not None:
        return JOINT.rule(actor, call)
    kind = getattr(record, "RECORD_TYPE", "")
    if kind == "member":
        return INTERNATIONAL.rule(actor, call)
    if kind == "person":
        return PEOPLE.rule(actor, call)
    return ORGANISATIONS.rule(actor, {"member": scope.member})


FORUM_EDITS = Permission(
    code="accounts.forum_edits",
    description=_(
        "A new version of a forum's record (minutes, decision, seat, letter, …) takes "
        "effect only with the forum's joint approval; members, organisations and people are "
        "edited by those who keep them."
    ),
    rule=_forum_edit,
)
