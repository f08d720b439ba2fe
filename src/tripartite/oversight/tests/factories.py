"""Build Steering Committee records for tests through the services (never by writing rows).

``oversight_world()`` is the small, complete record the page and API tests share: a
committee of two seats per constituency (``sc.size`` recorded as 2 so the world is
small), a lead and an incoming co-chair of each constituency, a subcommittee, a meeting
with an agenda item about the member, background documents (one in advance, one late) and
overdue minutes, a resolution by recorded vote, a case with eligible filers, steps, a
confidential note and an outreach task, an envoy mission, two consecutive contrary
findings that opened a review, and the member's status history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tripartite.core import services as core_services
from tripartite.core.actors import system_actor
from tripartite.forums import services as forum_services
from tripartite.forums.models import Letter, Member, Organization, Person
from tripartite.forums.tests import factories as forum_factories
from tripartite.oversight import case_services, review_services, services
from tripartite.oversight.models import (
    CoChair,
    ConcernCase,
    ContraryFinding,
    EnvoyMission,
    ProceduralReview,
    Resolution,
    ScMeeting,
    ScSeat,
    Subcommittee,
)
from tripartite.plans.models import ActionPlan
from tripartite.plans.tests import factories as plan_factories

D = dt.date


def small_committee(per_constituency: int = 2) -> None:
    """Record a committee size for tests, so that a few seats fill it."""
    core_services.record_policy_rule(
        system_actor(),
        key=f"sc-size-test-{per_constituency}",
        code="sc.size",
        title=f"{per_constituency} seats per constituency (test)",
        effective_from=D(2011, 1, 1),
        params={"per_constituency": per_constituency},
        source_url="https://example.org/test",
        verified=True,
    )


def person(key: str, name: str | None = None) -> Person:
    return forum_services.create_person(system_actor(), key=key, name=name or key.title())


def gov_seat(member: Member, key: str, start: dt.date = D(2015, 10, 1), **fields: Any) -> ScSeat:
    return services.add_sc_seat(
        system_actor(),
        key=key,
        constituency="government",
        member=member,
        term_start=start,
        selection="election",
        **fields,
    )


def cs_seat(
    holder: Person,
    key: str,
    organization: Organization | None = None,
    start: dt.date = D(2015, 10, 1),
    **fields: Any,
) -> ScSeat:
    return services.add_sc_seat(
        system_actor(),
        key=key,
        constituency="civil_society",
        person=holder,
        organization=organization,
        term_start=start,
        selection="selection_committee",
        **fields,
    )


def contrary_plans(member: Member, count: int = 2) -> list[ActionPlan]:
    """``count`` consecutive two-year plans of ``member``, from 2012."""
    plans = []
    previous = None
    for number in range(1, count + 1):
        start = D(2010 + 2 * number, 7, 1)
        previous = plan_factories.plan(
            member,
            key=f"{member.key}-{number}",
            number=number,
            start_on=start,
            end_on=D(start.year + 2, 6, 30),
            previous=previous,
        )
        plans.append(previous)
    return plans


@dataclass
class OversightWorld:
    member: Member
    other: Member
    filer: Organization
    multilateral: Organization
    gov_seats: list[ScSeat]
    cs_seats: list[ScSeat]
    lead_gov: CoChair
    subcommittee: Subcommittee
    meeting: ScMeeting
    resolution: Resolution
    consensus: Resolution
    case: ConcernCase
    letter: Letter
    mission: EnvoyMission
    findings: list[ContraryFinding]
    review: ProceduralReview
    envoy: Person


def oversight_world() -> OversightWorld:
    actor = system_actor()
    small_committee(2)
    member = forum_factories.member("xx", "Exampleland")
    other = forum_factories.member("yy", "Otherland")
    third = forum_factories.member("zz", "Thirdland")
    filer = forum_factories.organization("watchdog", "civil_society", member=member)
    multilateral = forum_factories.organization("devbank", "multilateral")
    ngo = forum_factories.organization("ngo", "civil_society")
    alice, bob, envoy = person("alice", "Alice Ada"), person("bob", "Bob Bede"), person("carol")
    gov_seats = [gov_seat(other, "yy-2015"), gov_seat(third, "zz-2015")]
    cs_seats = [cs_seat(alice, "alice-2015", ngo), cs_seat(bob, "bob-2015")]
    lead_gov = services.appoint_co_chair(
        actor, key="yy-lead-2016", seat=gov_seats[0], role="lead", starts_on=D(2016, 10, 1)
    )
    services.appoint_co_chair(
        actor, key="zz-incoming-2016", seat=gov_seats[1], role="incoming", starts_on=D(2016, 10, 1)
    )
    services.appoint_co_chair(
        actor, key="alice-lead-2016", seat=cs_seats[0], role="lead", starts_on=D(2016, 10, 1)
    )
    services.appoint_co_chair(
        actor, key="bob-incoming-2016", seat=cs_seats[1], role="incoming", starts_on=D(2016, 10, 1)
    )
    subcommittee = services.create_subcommittee(
        actor, key="cs", code="C&S", name="Criteria and Standards", remit="Reviews participation."
    )
    services.set_subcommittee_members(
        actor,
        subcommittee,
        on=D(2016, 1, 1),
        seats=[gov_seats[0], cs_seats[0]],
        co_chairs=[cs_seats[0]],
    )
    letter = forum_factories.letter(
        "concern-1",
        signatories=(filer,),
        member=member,
        direction="inbound",
        letter_type="letter_of_concern",
        subject="Concerns about civic space in Exampleland",
        received_on=D(2017, 3, 1),
    )
    case = case_services.file_case(
        actor,
        key="xx-2017",
        member=member,
        title="Civic space in Exampleland",
        concerns="A new law restricts foreign funding of NGOs.",
        received_on=D(2017, 3, 1),
        filers=[(filer, "involved_entity"), (multilateral, "multilateral_partner")],
        letter=letter,
    )
    case_services.advance_case(
        actor, case, to="acknowledged", on=D(2017, 3, 5), by="su", note="Receipt acknowledged."
    )
    case_services.advance_case(
        actor,
        case,
        to="eligibility_review",
        on=D(2017, 3, 6),
        by="su",
        confidential_note="The filer asked that its staff not be named.",
    )
    case_services.add_outreach_task(
        actor,
        case,
        title="Reach out to government officials and civil society before the meeting",
        owner=envoy,
        due_on=D(2017, 6, 20),
    )
    meeting = services.schedule_sc_meeting(
        actor,
        key="sc-2017-06",
        title="Steering Committee, working level",
        level="working",
        starts_on=D(2017, 6, 27),
        ends_on=D(2017, 6, 28),
        place="Washington DC",
        agenda=[
            {"title": "Exampleland: civic space", "member": member, "case": case},
            "Rules of the game",
        ],
    )
    services.add_background_document(
        actor,
        meeting,
        title="Background pack",
        url="https://example.org/pack",
        published_on=D(2017, 6, 20),
    )
    services.add_background_document(actor, meeting, title="Late note", published_on=D(2017, 6, 28))
    resolution = services.record_resolution(
        actor,
        key="yy-inactive-2017",
        title="Otherland is made inactive",
        text="The SC designates Otherland inactive for one year.",
        adopted_on=D(2017, 6, 28),
        method="vote",
        votes={"for": 3, "against": 0, "abstain": 1},
        meeting=meeting,
        member=other,
        effective_on=D(2017, 6, 28),
    )
    consensus = services.record_resolution(
        actor,
        key="xx-envoys-2017",
        title="Envoys to Exampleland",
        text="The SC appoints two envoys.",
        adopted_on=D(2017, 6, 28),
        method="consensus",
        meeting=meeting,
        member=member,
    )
    services.change_member_status(
        actor,
        other,
        to="inactive",
        on=D(2017, 6, 28),
        reason="Response Policy, stage two.",
        resolution=resolution,
    )
    mission = services.record_mission(
        actor,
        key="xx-2017-10",
        member=member,
        title="Envoys' visit to Exampleland",
        mandate="Gather information and report back to the full SC.",
        envoys=[envoy],
        staff=[bob],
        resolution=consensus,
        starts_on=D(2017, 10, 19),
        ends_on=D(2017, 10, 20),
    )
    plans = contrary_plans(member, 2)
    findings = [
        review_services.record_contrary_finding(
            actor,
            key=f"{plan.key}-late",
            plan=plan,
            trigger="late_plan",
            source="calendar",
            found_on=D(plan.start_on.year + 1, 1, 15),
            explanation="The plan was delivered more than four months late.",
        )
        for plan in plans
    ]
    review = ProceduralReview.objects.get(member=member)
    member.refresh_from_db()
    return OversightWorld(
        member=member,
        other=other,
        filer=filer,
        multilateral=multilateral,
        gov_seats=gov_seats,
        cs_seats=cs_seats,
        lead_gov=lead_gov,
        subcommittee=subcommittee,
        meeting=meeting,
        resolution=resolution,
        consensus=consensus,
        case=case,
        letter=letter,
        mission=mission,
        findings=findings,
        review=review,
        envoy=envoy,
    )
