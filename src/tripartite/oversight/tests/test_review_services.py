"""Procedural review: contrary findings per cycle; the second consecutive one opens a
review by itself and places the member under review; the review's steps move the member."""

from __future__ import annotations

import datetime as dt

import pytest

from tripartite.core.actors import system_actor
from tripartite.core.errors import InvalidInput
from tripartite.forums.models import Member
from tripartite.forums.tests import factories as forum_factories
from tripartite.oversight import review_services, services
from tripartite.oversight.models import ContraryFinding, ProceduralReview, StatusChange
from tripartite.oversight.tests.factories import contrary_plans
from tripartite.plans.models import ActionPlan

pytestmark = pytest.mark.django_db
D = dt.date


def _find(plan: ActionPlan, trigger: str = "late_plan") -> ContraryFinding:
    return review_services.record_contrary_finding(
        system_actor(),
        key=f"{plan.key}-{trigger}",
        plan=plan,
        trigger=trigger,
        source="calendar",
        found_on=D(plan.start_on.year + 1, 1, 15),
        explanation="Delivered late.",
    )


@pytest.fixture
def member() -> Member:
    return forum_factories.member()


def test_one_contrary_cycle_opens_no_review(member: Member) -> None:
    [first, _second] = contrary_plans(member, 2)
    _find(first)
    member.refresh_from_db()
    assert not ProceduralReview.objects.exists()
    assert member.status == "active"


def test_the_second_consecutive_cycle_opens_a_review_and_places_the_member_under_it(
    member: Member,
) -> None:
    first, second = contrary_plans(member, 2)
    _find(first)
    _find(second)
    review = ProceduralReview.objects.get()
    member.refresh_from_db()
    assert review.state == "open" and review.opened_on == D(2015, 1, 15)
    assert member.status == "under_review"
    change = StatusChange.objects.get(member=member)
    assert change.review == review and "2 consecutive" in change.reason


def test_two_contrary_cycles_with_a_gap_open_no_review(member: Member) -> None:
    first, _second, third = contrary_plans(member, 3)
    _find(first)
    _find(third)
    assert not ProceduralReview.objects.exists()


def test_a_late_recorded_earlier_cycle_still_opens_the_review(member: Member) -> None:
    first, second = contrary_plans(member, 2)
    _find(second)
    _find(first)
    assert ProceduralReview.objects.get().findings.count() == 2


def test_two_triggers_in_one_cycle_are_not_two_cycles(member: Member) -> None:
    [first, _second] = contrary_plans(member, 2)
    _find(first, "late_plan")
    _find(first, "no_progress_any_commitment")
    assert not ProceduralReview.objects.exists()


def test_rectified_returns_the_member_to_active(member: Member) -> None:
    first, second = contrary_plans(member, 2)
    _find(first)
    _find(second)
    review = ProceduralReview.objects.get()
    review_services.advance_review(
        system_actor(), review, to="rectified", on=D(2016, 1, 1), by="cs", note="Plan delivered."
    )
    member.refresh_from_db()
    assert member.status == "active"


def test_a_member_under_review_becomes_inactive_only_by_resolution(member: Member) -> None:
    first, second = contrary_plans(member, 2)
    _find(first)
    _find(second)
    review = ProceduralReview.objects.get()
    review_services.advance_review(
        system_actor(), review, to="escalated", on=D(2016, 1, 1), by="cs"
    )
    with pytest.raises(InvalidInput, match="resolution"):
        review_services.advance_review(
            system_actor(), review, to="member_inactive", on=D(2016, 2, 1), by="sc"
        )
    resolution = services.record_resolution(
        system_actor(),
        key="inactive",
        title="Inactive",
        text="Not rectified.",
        adopted_on=D(2016, 2, 1),
        method="consensus",
        member=member,
    )
    review_services.advance_review(
        system_actor(),
        review,
        to="member_inactive",
        on=D(2016, 2, 1),
        by="sc",
        resolution=resolution,
    )
    member.refresh_from_db()
    assert (member.status, member.status_since) == ("inactive", D(2016, 2, 1))


def test_a_review_step_the_machine_forbids_is_refused(member: Member) -> None:
    first, second = contrary_plans(member, 2)
    _find(first)
    _find(second)
    review = ProceduralReview.objects.get()
    with pytest.raises(InvalidInput, match="cannot go from"):
        review_services.advance_review(
            system_actor(), review, to="closed", on=D(2016, 1, 1), by="cs"
        )


def test_a_finding_needs_an_explanation(member: Member) -> None:
    [first] = contrary_plans(member, 1)
    with pytest.raises(InvalidInput, match="what was contrary"):
        review_services.record_contrary_finding(
            system_actor(),
            key="x",
            plan=first,
            trigger="late_plan",
            source="calendar",
            found_on=D(2013, 1, 1),
            explanation=" ",
        )
