"""The data the open-data tests export: the Mexico 2017 demo scenario (with its action
plan and the Steering Committee's record), plus a small forum with minutes, sign-offs
and a decision with every seat's position (the demo has none), and the plans test world
(published, withheld and pending co-creation input). Built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.demo.mexico import load_mexico_2017
from tripartite.forums import services
from tripartite.forums.models import Decision, Forum, Meeting, Member, Seat, Statement
from tripartite.forums.tests import factories
from tripartite.oversight import review_services
from tripartite.oversight.compliance_store import refresh
from tripartite.oversight.tests.factories import contrary_plans
from tripartite.plans.tests.factories import PlanWorld, plan_world

D = dt.date


@dataclass
class ExportWorld:
    member: Member
    forum: Forum
    seats: list[Seat]
    meeting: Meeting
    decision: Decision
    statement: Statement
    plans: PlanWorld


def build_export_world() -> ExportWorld:
    actor = system_actor()
    load_mexico_2017()
    member = factories.member(key="qq", name="Quuxland")
    forum = factories.forum(member, key="qq-forum", name="Quuxland Forum")
    person = services.create_person(actor, key="qq-rep", name="Ana Quux", role_title="Director")
    orgs = [
        factories.organization("qq-gov", "government", "Quux Ministry", member=member),
        factories.organization("qq-cso1", "civil_society", "Quux Watch", member=member),
        factories.organization("qq-cso2", "civil_society", "Open Quux", member=member),
    ]
    seats = [factories.seat(forum, orgs[0], representative=person)]
    seats += [factories.seat(forum, org) for org in orgs[1:]]
    meeting = factories.meeting(
        forum, key="qq-2016-04", title="Plenary of April", day=D(2016, 4, 15), place="Quux City"
    )
    services.record_attendance(
        actor, meeting, attendance={seats[0]: "present", seats[1]: "present", seats[2]: "absent"}
    )
    minutes = services.publish_minutes(
        actor, meeting, text="The plan was discussed.", published_on=D(2016, 4, 20)
    )
    services.sign_off_minutes(
        actor, minutes, seat=seats[0], position="approve", signed_on=D(2016, 4, 21)
    )
    services.sign_off_minutes(
        actor,
        minutes,
        seat=seats[1],
        position="dissent",
        statement="The minutes omit our complaint.",
        signed_on=D(2016, 4, 22),
    )
    decision = services.record_decision(
        actor,
        key="qq-2016-d1",
        forum=forum,
        meeting=meeting,
        title="Adopt the plan",
        motion_text="The forum adopts the plan.",
        decided_on=D(2016, 4, 15),
        positions={seats[0]: "for", seats[1]: ("against", "Not consulted."), seats[2]: "abstain"},
    )
    statement = services.publish_statement(
        actor,
        key="qq-statement",
        title="Quux Watch on the plan",
        issued_on=D(2016, 5, 1),
        text="We were not consulted.",
        issued_by=[orgs[1]],
        member=member,
    )
    # Two late plan cycles of Quuxland: contrary findings, a procedural review, a status
    # change, and the compliance engine's stored readings.
    for plan in contrary_plans(member, 2):
        review_services.record_contrary_finding(
            actor,
            key=f"{plan.key}-late",
            plan=plan,
            trigger="late_plan",
            source="calendar",
            found_on=D(plan.start_on.year + 1, 1, 15),
            explanation="The plan was delivered more than four months late.",
        )
    member.refresh_from_db()
    refresh(member, actor=actor)
    return ExportWorld(
        member=member,
        forum=forum,
        seats=seats,
        meeting=meeting,
        decision=decision,
        statement=statement,
        plans=plan_world(),
    )


R = TypeVar("R", bound=PublicRecord)


def fresh(record: R) -> R:
    """A fresh copy of a shared world's record: a test that writes must not change the
    objects the next tests of the module share (the database is rolled back, they are not)."""
    return type(record)._default_manager.get(pk=record.pk)
