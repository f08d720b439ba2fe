"""The role-by-service matrix: each role against each write service, on the records the
role is bound to, and the same role bound to another member's records (refused).

``EXPECTED`` is the access policy in one table; ``CALLS`` gives each service a call on
the test world's records. A new service fails ``test_every_service_is_in_the_matrix``
until it is given its row here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.core.services import REGISTRY
from tripartite.core.tests.test_service_registry import service_modules
from tripartite.forums.models import Forum, Member, Minutes, Organization, Seat
from tripartite.forums.tests import factories as ff
from tripartite.forums.tests.read_world import kept_for_module
from tripartite.oversight.models import ScSeat
from tripartite.oversight.tests import factories as of
from tripartite.plans.models import ActionPlan, Commitment, Input
from tripartite.plans.tests import factories as pf

pytestmark = pytest.mark.django_db

for _module in service_modules():  # every service registers its permission on import
    pass

OP, SU, SC = Role.OPERATOR, Role.SUPPORT_UNIT, Role.SC_MEMBER
IRM, POC = Role.IRM_RESEARCHER, Role.POINT_OF_CONTACT
SEC, REP = Role.SECRETARIAT, Role.SECTOR_REPRESENTATIVE
EVERY_ROLE = frozenset(Role)
NOBODY: frozenset[str] = frozenset()  # joint approval, or the site's own account only


@dataclass
class World:
    member: Member
    forum: Forum
    gov: Seat
    cso: Seat
    cso_org: Organization
    minutes: Minutes
    plan: ActionPlan
    commitment: Commitment
    item: Input
    scseat: ScSeat
    other: Member  # roles bound to this member's records must not reach the first


def build() -> World:
    member = ff.member("xx", "Exampleland")
    forum = ff.forum(member)
    gov = ff.seat(forum, ff.organization("gov", "government", member=member))
    cso_org = ff.organization("cso", "civil_society")
    cso = ff.seat(forum, cso_org)
    meeting = ff.meeting(forum)
    from tripartite.core.actors import system_actor
    from tripartite.forums import services as fs

    minutes = fs.publish_minutes(
        system_actor(), meeting, text="Minutes.", published_on=dt.date(2016, 5, 1)
    )
    plan = pf.plan(member, forum=forum)
    commitment = pf.commitment(plan, "XX0001")
    other = ff.member("yy", "Otherland")
    other_forum = ff.forum(other, key="yy-forum")
    ff.seat(other_forum, ff.organization("yy-cso", "civil_society"))
    of.small_committee(2)
    scseat = of.gov_seat(other, "yy-2015")
    return World(
        member,
        forum,
        gov,
        cso,
        cso_org,
        minutes,
        plan,
        commitment,
        None,
        scseat,
        other,  # type: ignore[arg-type]
    )


Call = Callable[[World], dict[str, Any]]


def NO_RECORD(w: World) -> dict[str, Any]:
    """The call of a service that concerns no one member's records."""
    return {}


DOC = lambda w: SimpleNamespace(attached_to=w.forum.public_id)  # noqa: E731

# service → (the call, the roles that may make it)
MATRIX: dict[str, tuple[Call, frozenset[str]]] = {
    "accounts.services.invite_editor": (NO_RECORD, frozenset({OP, SU})),
    "accounts.joint_services.propose_change": (NO_RECORD, EVERY_ROLE),
    "accounts.joint_services.answer_change": (NO_RECORD, EVERY_ROLE),
    "accounts.joint_services.withdraw_change": (NO_RECORD, EVERY_ROLE),
    "accounts.joint_services.resign_role": (NO_RECORD, EVERY_ROLE),
    "accounts.joint_services.grant_role_at_setup": (NO_RECORD, NOBODY),
    "confidential.services.register_recipient_key": (NO_RECORD, frozenset({SU})),
    "confidential.services.retire_recipient_key": (NO_RECORD, frozenset({SU})),
    "core.services.record_policy_rule": (NO_RECORD, frozenset({SU})),
    "documents.services.upload_document": (
        lambda w: {"attached_to": w.forum.public_id},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    "documents.services.add_version": (
        lambda w: {"document": DOC(w)},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    "documents.services.update_document": (
        lambda w: {"document": DOC(w)},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    "documents.services.redact_version": (
        lambda w: {"document": DOC(w)},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    "documents.services.retract_document": (lambda w: {"document": DOC(w)}, NOBODY),
    "documents.services.record_extraction": (NO_RECORD, NOBODY),
    "forums.services.create_member": (NO_RECORD, frozenset({SU})),
    "forums.services.create_organization": (
        lambda w: {"member": w.member},
        frozenset({SU, POC, SEC}),
    ),
    "forums.services.create_person": (NO_RECORD, frozenset({SU, POC, SEC})),
    "forums.services.create_forum": (lambda w: {"member": w.member}, frozenset({SU, POC})),
    "forums.services.add_seat": (lambda w: {"forum": w.forum}, frozenset({SEC})),
    "forums.services.end_seat": (lambda w: {"seat": w.cso}, frozenset({REP})),
    "forums.services.record_collective_withdrawal": (
        lambda w: {"forum": w.forum, "seats": [w.cso]},
        frozenset({REP, SEC}),
    ),
    "forums.services.schedule_meeting": (lambda w: {"forum": w.forum}, frozenset({SEC})),
    "forums.services.set_agenda": (lambda w: {"meeting": w.minutes.meeting}, frozenset({SEC})),
    "forums.services.record_attendance": (
        lambda w: {"meeting": w.minutes.meeting},
        frozenset({SEC}),
    ),
    "forums.services.publish_minutes": (
        lambda w: {"meeting": w.minutes.meeting},
        frozenset({SEC}),
    ),
    "forums.services.sign_off_minutes": (
        lambda w: {"minutes": w.minutes, "seat": w.cso},
        frozenset({REP}),
    ),
    "forums.services.record_decision": (lambda w: {"forum": w.forum}, frozenset({SEC})),
    "forums.services.register_letter": (
        lambda w: {"forum": w.forum, "member": w.member},
        frozenset({SU, SEC, POC, REP}),
    ),
    "forums.services.publish_statement": (
        lambda w: {"issued_by": [w.cso_org]},
        frozenset({SU, REP}),
    ),
    "forums.services.update_record": (lambda w: {"record": w.minutes}, NOBODY),
    "forums.services.retract": (lambda w: {"record": w.minutes}, NOBODY),
    "plans.services.create_plan": (
        lambda w: {"member": w.member, "forum": w.forum},
        frozenset({POC, SEC}),
    ),
    "plans.services.transition_plan": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    # Batch services (generator, importers): the same roles as their one-record services.
    "plans.batch_services.add_commitments": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    "plans.batch_services.add_milestones": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    "plans.batch_services.report_progress_many": (
        lambda w: {"commitment": w.commitment, "party": "civil_society"},
        frozenset({SU, REP}),
    ),
    "plans.batch_services.update_milestones": (
        lambda w: {"record": w.plan},
        frozenset({POC, SEC}),
    ),
    "forums.batch_services.schedule_meetings": (lambda w: {"forum": w.forum}, frozenset({SEC})),
    "forums.batch_services.register_letters": (
        lambda w: {"forum": w.forum, "member": w.member},
        frozenset({SU, SEC, POC, REP}),
    ),
    "documents.batch_services.file_documents": (
        lambda w: {"attached_to": w.forum.public_id},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    "plans.services.add_commitment": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    "plans.services.link_inputs": (lambda w: {"commitment": w.commitment}, frozenset({POC, SEC})),
    "plans.services.add_milestone": (
        lambda w: {"commitment": w.commitment},
        frozenset({POC, SEC}),
    ),
    "plans.services.report_progress": (
        lambda w: {"commitment": w.commitment, "party": "civil_society"},
        frozenset({SU, REP}),
    ),
    "plans.services.publish_irm_report": (lambda w: {"plan": w.plan}, frozenset({IRM})),
    "plans.services.record_assessment": (
        lambda w: {"commitment": w.commitment},
        frozenset({IRM}),
    ),
    "plans.services.moderate_input": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    "plans.services.respond_to_inputs": (lambda w: {"plan": w.plan}, frozenset({POC, SEC})),
    "plans.services.update_record": (lambda w: {"record": w.commitment}, frozenset({POC, SEC})),
    "plans.services.retract": (lambda w: {"record": w.commitment}, NOBODY),
    "oversight.review_services.record_contrary_finding": (
        lambda w: {"plan": w.plan},
        frozenset({SU, IRM}),
    ),
    "oversight.review_services.advance_review": (NO_RECORD, frozenset({SU})),
    "oversight.review_services.store_compliance_reading": (NO_RECORD, frozenset({SU})),
    "oversight.services.retract": (lambda w: {"record": w.scseat}, NOBODY),
    "core.translation_services.translate_record": (
        lambda w: {"record": w.minutes},
        frozenset({SU, SEC, POC, IRM, REP}),
    ),
    # Signing the log's checkpoints: the checkpointer (the site's own account) only.
    "ledger.services.sign_checkpoint": (NO_RECORD, NOBODY),
    **{
        f"oversight.case_services.{name}": ((NO_RECORD), frozenset({SU, SC}))
        for name in (
            "file_case",
            "advance_case",
            "record_case_event",
            "add_outreach_task",
            "complete_outreach_task",
            "attach_to_case",
        )
    },
}
# The rest of the international record: Support Unit staff only.
INTERNATIONAL_SERVICES = [
    name
    for name in REGISTRY
    if name.startswith("tripartite.oversight.services.") and not name.endswith(".retract")
]
for _name in INTERNATIONAL_SERVICES:
    MATRIX[_name.removeprefix("tripartite.")] = (NO_RECORD, frozenset({SU}))

# Not bound to roles: anyone's own follows, and the public's contributions.
OUTSIDE_ROLES = {
    "notifications",
    "plans.services.submit_input",
    "confidential.services.submit_sealed",
    # An account's own credentials, not a record: tested in test_api_tokens.py.
    "accounts.token_services",
}


def test_every_service_is_in_the_matrix() -> None:
    names = {
        name.removeprefix("tripartite.")
        for name in REGISTRY
        if ".tests." not in name
        and not any(name.removeprefix("tripartite.").startswith(o) for o in OUTSIDE_ROLES)
        and "privacy_services" not in name
    }
    assert names == set(MATRIX)


def scope_for(role: str, w: World, bound_elsewhere: bool) -> Any:
    """The record a holder of ``role`` is bound to for this world (or the other member's)."""
    if role in (OP, SU):
        return None
    if bound_elsewhere:
        other_forum = w.other.forums.get()
        return {
            SC: w.scseat,  # an SC seat is not a member's record: it binds no member's writes
            IRM: w.other,
            POC: w.other,
            SEC: other_forum,
            REP: other_forum.seats.get(),
        }[role]
    return {SC: w.scseat, IRM: w.member, POC: w.member, SEC: w.forum, REP: w.cso}[role]


def holder(role: str, scope: Any) -> Any:
    account = get_user_model().objects.create_user(f"holder-{role}", password="x" * 20)
    TOTP.activate(account, generate_totp_secret())
    grant(account, role, scope)
    return account


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module (each test runs in its own savepoint, as Django's
    setUpTestData): the matrix asks hundreds of questions of the same records."""
    yield from kept_for_module(django_db_blocker, build)


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


CASES = sorted((service, role) for service in MATRIX for role in Role)


@pytest.mark.parametrize(("service", "role"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_role_against_service(world: World, service: str, role: str) -> None:
    call, allowed = MATRIX[service]
    permission = REGISTRY[f"tripartite.{service}"]
    account = holder(role, scope_for(role, world, bound_elsewhere=False))
    assert permission.allows(account, call(world)) is (role in allowed)


BOUND = sorted(
    (service, role)
    for service, (_call, allowed) in MATRIX.items()
    for role in allowed
    # A joint_services call names no record up front: any holder of a role may propose or
    # answer, and the change itself decides who counts.
    if role not in (OP, SU, SC)
    and _call is not NO_RECORD
    and not service.startswith("accounts.joint_services")
)


@pytest.mark.parametrize(("service", "role"), BOUND, ids=[f"{s}-{r}" for s, r in BOUND])
def test_a_role_bound_to_another_members_records_does_not_reach_these(
    world: World, service: str, role: str
) -> None:
    call, _allowed = MATRIX[service]
    permission = REGISTRY[f"tripartite.{service}"]
    account = holder(role, scope_for(role, world, bound_elsewhere=True))
    assert not permission.allows(account, call(world))


def test_a_role_without_a_second_factor_does_nothing(world: World) -> None:
    account = get_user_model().objects.create_user("no-mfa", password="x" * 20)
    grant(account, SEC, world.forum)
    permission = REGISTRY["tripartite.forums.services.schedule_meeting"]
    assert not permission.allows(account, {"forum": world.forum})
