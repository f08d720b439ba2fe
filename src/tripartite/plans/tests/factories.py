"""Build action-plan records for tests through the services (never by writing rows).

``plan_world()`` is the small, complete plan the page, API and co-creation tests share:
two parties disagreeing on a milestone, an IRM report in each methodology, published,
pending and withheld co-creation input, a reasoned response and a traced commitment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from tripartite.core.actors import system_actor
from tripartite.forums.models import Forum, Member, Organization
from tripartite.forums.tests import factories as forum_factories
from tripartite.plans import services
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Commitment,
    Input,
    IrmReport,
    Milestone,
    ProgressReport,
    ReasonedResponse,
)

D = dt.date


def plan(
    member: Member,
    key: str = "xx-3",
    number: int = 3,
    start_on: dt.date = D(2016, 7, 1),
    end_on: dt.date = D(2018, 6, 30),
    **fields: Any,
) -> ActionPlan:
    fields.setdefault("title", f"Action plan {number}")
    return services.create_plan(
        system_actor(),
        key=key,
        member=member,
        number=number,
        start_on=start_on,
        end_on=end_on,
        **fields,
    )


def advance(plan_: ActionPlan, *steps: tuple[str, dt.date]) -> ActionPlan:
    """Move ``plan_`` through state machine B, one (state, day) at a time."""
    for state, day in steps:
        services.transition_plan(system_actor(), plan_, to=state, on=day)
    return plan_


def commitment(plan_: ActionPlan, key: str, title: str | None = None, **fields: Any) -> Commitment:
    return services.add_commitment(
        system_actor(), key=key, plan=plan_, title=title or f"Commitment {key}", **fields
    )


def milestone(
    commitment_: Commitment, deliverable: str = "A deliverable", **fields: Any
) -> Milestone:
    return services.add_milestone(
        system_actor(), commitment=commitment_, deliverable=deliverable, **fields
    )


def report(
    commitment_: Commitment,
    party: str,
    completion: str,
    reported_on: dt.date = D(2017, 6, 30),
    **fields: Any,
) -> ProgressReport:
    fields.setdefault("text", f"The {party} view of progress.")
    return services.report_progress(
        system_actor(),
        commitment=commitment_,
        party=party,
        completion=completion,
        reported_on=reported_on,
        **fields,
    )


def public_input(plan_: ActionPlan, title: str = "An idea", **fields: Any) -> Input:
    """Input as a visitor without an account submits it (pending moderation)."""
    fields.setdefault("text", "Please publish the data behind this.")
    return services.submit_input(AnonymousUser(), plan=plan_, title=title, **fields)


def published_input(plan_: ActionPlan, title: str = "An idea", **fields: Any) -> Input:
    item = public_input(plan_, title, **fields)
    published = services.moderate_input(system_actor(), item, decision="publish")
    assert published is not None
    return published


@dataclass
class PlanWorld:
    member: Member
    forum: Forum
    gov: Organization
    ovs: Organization
    cso: Organization
    plan: ActionPlan
    next_plan: ActionPlan
    commitments: list[Commitment]
    milestones: list[Milestone]
    reports: list[ProgressReport]
    irm_report: IrmReport
    review: IrmReport
    assessment: Assessment
    inputs: list[Input]
    pending: Input
    withheld: Input
    unanswered: Input
    response: ReasonedResponse


def plan_world() -> PlanWorld:
    """A 2016-2018 plan (delivered, implementing) and a 2022 four-year plan in co-creation."""
    actor = system_actor()
    member = forum_factories.member("xx", "Exampleland")
    forum = forum_factories.forum(member, key="xx-forum")
    gov = forum_factories.organization("xx-gov", "government", "Ministry of Public Service")
    ovs = forum_factories.organization("xx-ovs", "oversight_body", "Information Institute")
    cso = forum_factories.organization("xx-cso", "civil_society", "Civic Group")

    the_plan = plan(
        member,
        forum=forum,
        co_creation_opens_on=D(2016, 3, 1),
        co_creation_closes_on=D(2026, 12, 31),
    )
    advance(the_plan, ("co_creation", D(2016, 3, 1)))
    inputs = [
        published_input(
            the_plan,
            "Open the water data",
            language="es",
            submitter_name="Ana Ruiz",
            publish_name=True,
        ),
        published_input(
            the_plan,
            "Track enforced disappearances",
            submitter_name="Kept Private",
            publish_name=False,
        ),
    ]
    unanswered = published_input(the_plan, "Publish procurement contracts")
    pending = public_input(the_plan, "Awaiting a moderator", contact_email="a@example.org")
    withheld_item = public_input(the_plan, "Abusive text")
    withheld = services.moderate_input(
        actor, withheld_item, decision="withhold", reason="Personal attacks on a named official."
    )
    assert withheld is not None

    water = commitment(
        the_plan,
        "XX0001",
        "Water metering and discharges",
        number=1,
        lead_institution=gov,
        supporting_institutions=[ovs],
        themes=["Access to drinking water"],
        ogp_values=["ati", "cp"],
        inputs=[inputs[0]],
        start_on=D(2016, 7, 1),
        end_on=D(2018, 6, 30),
    )
    rights = commitment(
        the_plan,
        "XX0002",
        "Policy on enforced disappearances",
        number=2,
        lead_institution=gov,
        themes=["Human rights and the rule of law"],
        ogp_values=["pa"],
        inputs=[inputs[1]],
    )
    response = services.respond_to_inputs(
        actor,
        plan=the_plan,
        inputs=inputs,
        decision="accepted",
        rationale="Both proposals became commitments XX0001 and XX0002.",
        published_on=dt.date.today(),
    )
    m1 = milestone(
        water,
        "Publish metering data",
        responsible=gov,
        start_on=D(2016, 7, 1),
        end_on=D(2017, 6, 30),
        status="substantial",
        evidence=[{"label": "Data portal", "url": "https://example.org/water"}],
    )
    m2 = milestone(water, "Public report on discharges", responsible=ovs)
    m3 = milestone(rights, "Register of disappeared persons", responsible=gov)
    advance(the_plan, ("delivered", D(2016, 7, 1)), ("implementing", D(2016, 7, 2)))
    reports = [
        report(water, "government", "substantial", D(2017, 6, 30), milestone=m1, author=gov),
        report(
            water,
            "civil_society",
            "limited",
            D(2017, 7, 15),
            milestone=m1,
            author=cso,
            evidence=[{"label": "Shadow report", "url": "https://example.org/shadow"}],
        ),
        report(rights, "government", "not_started", D(2017, 6, 30)),
        report(water, "oversight_body", "substantial", D(2017, 8, 1), author=ovs),
    ]
    irm = services.publish_irm_report(
        actor,
        key="xx-3-progress",
        plan=the_plan,
        report_type="progress_report",
        methodology="irm_pre2020",
        title="Progress report 2016-2017",
        researcher="A. Researcher",
        published_on=D(2017, 12, 1),
        public_influence="involve",
        forum_exists=True,
        acted_contrary_to_process=False,
    )
    assessment = services.record_assessment(
        actor,
        report=irm,
        commitment=water,
        specificity="high",
        relevance=["ati", "cp"],
        potential_impact="transformative",
        completion="substantial",
        on_time=True,
        did_it_open_government="major",
        starred=True,
    )
    services.record_assessment(
        actor,
        report=irm,
        commitment=rights,
        specificity="medium",
        relevance=["pa"],
        potential_impact="moderate",
        completion="not_started",
        starred=False,
    )

    next_plan = plan(
        member,
        key="xx-5",
        number=5,
        start_on=D(2022, 1, 1),
        end_on=D(2025, 12, 31),
        length=4,
        previous=the_plan,
        forum=forum,
        co_creation_opens_on=D(2021, 9, 1),
    )
    advance(next_plan, ("co_creation", D(2021, 9, 1)))
    review_commitment = commitment(
        next_plan,
        "XX0010",
        "Beneficial ownership register",
        themes=["Anti-corruption"],
        ogp_values=["ati"],
    )
    review = services.publish_irm_report(
        actor,
        key="xx-5-review",
        plan=next_plan,
        report_type="action_plan_review",
        methodology="irm_refresh_2020",
        title="Action plan review 2022-2025",
        published_on=D(2022, 4, 30),
        public_influence="collaborate",
        minimum_requirements={"MR1.1": "met", "MR4.1": "not_met"},
        acted_contrary_to_process=False,
    )
    services.record_assessment(
        actor,
        report=review,
        commitment=review_commitment,
        verifiable=True,
        open_gov_lens=True,
        potential_for_results="substantial",
        promising=True,
    )
    return PlanWorld(
        member=member,
        forum=forum,
        gov=gov,
        ovs=ovs,
        cso=cso,
        plan=the_plan,
        next_plan=next_plan,
        commitments=[water, rights],
        milestones=[m1, m2, m3],
        reports=reports,
        irm_report=irm,
        review=review,
        assessment=assessment,
        inputs=inputs,
        pending=pending,
        withheld=withheld,
        unanswered=unanswered,
        response=response,
    )


def open_for_input(member_: Member, key: str = "xx-5") -> ActionPlan:
    """A 2022-2025 plan in co-creation since 2021-09-01: open for the public's input."""
    item = plan(
        member_,
        key=key,
        number=5,
        start_on=dt.date(2022, 1, 1),
        end_on=dt.date(2025, 12, 31),
        co_creation_opens_on=dt.date(2021, 9, 1),
    )
    return advance(item, ("co_creation", dt.date(2021, 9, 1)))
