"""The plans services: what they write, what they refuse, and that a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tripartite.core import services as core_services
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.forums.models import Member
from tripartite.forums.tests import factories as forum_factories
from tripartite.forums.tests.editing import user
from tripartite.ledger.models import LogEntry
from tripartite.plans import services
from tripartite.plans.models import ActionPlan, Input
from tripartite.plans.tests import factories as f

D = dt.date
pytestmark = pytest.mark.django_db


def versions() -> int:
    return RecordVersion.objects.count()


@pytest.fixture
def member() -> Member:
    return forum_factories.member()


@pytest.fixture
def plan(member: Member) -> ActionPlan:
    return f.advance(f.plan(member), ("co_creation", D(2016, 3, 1)))


def latest_content(record: Any) -> dict[str, Any]:
    version = RecordVersion.objects.get(
        record_type=record.RECORD_TYPE, record_key=record.key, version=record.version
    )
    return dict(version.content)


# ---------------------------------------------------------------- plans and their deadlines


def test_plan_of_2016_is_due_by_the_2015_calendar_rule(member: Member) -> None:
    created = f.plan(member, start_on=D(2016, 7, 1))
    assert (created.due_on, created.due_rule) == (D(2016, 6, 30), "policy/plan-delivery-2015")


def test_plan_of_2022_is_due_twelve_months_after_its_predecessor(member: Member) -> None:
    first = f.plan(member, key="xx-4", number=4, start_on=D(2019, 9, 1), end_on=D(2021, 8, 31))
    second = f.plan(
        member,
        key="xx-5",
        number=5,
        start_on=D(2022, 1, 1),
        end_on=D(2025, 12, 31),
        length=4,
        previous=first,
    )
    assert (second.due_on, second.due_rule) == (D(2022, 8, 31), "policy/plan-delivery-2022")
    assert second.refresh_due_on == D(2024, 1, 1)


def test_recorded_policy_rows_replace_the_seed_for_new_plans(member: Member) -> None:
    core_services.record_policy_rule(
        system_actor(),
        key="delivery-local",
        code="plan.delivery",
        title="Local rule",
        effective_from=D(2010, 1, 1),
        params={"rule": "fixed_date", "month": 3, "day": 31},
        source_url="https://example.org/rule",
        verified=True,
    )
    created = f.plan(member, start_on=D(2016, 7, 1))
    assert (created.due_on, created.due_rule) == (D(2016, 3, 31), "policy/delivery-local")


def test_overlapping_policy_row_is_refused() -> None:
    record = core_services.record_policy_rule
    record(system_actor(), key="a", code="x.rule", title="A", effective_from=D(2020, 1, 1))
    with pytest.raises(Conflict, match="in force in that period"):
        record(system_actor(), key="b", code="x.rule", title="B", effective_from=D(2021, 1, 1))


def test_four_year_plan_before_2022_is_refused_and_nothing_written(member: Member) -> None:
    before = versions()
    with pytest.raises(InvalidInput, match="not 4"):
        f.plan(member, start_on=D(2019, 9, 1), end_on=D(2023, 8, 31), length=4)
    assert versions() == before


def test_second_plan_with_the_same_number_is_refused(plan: ActionPlan, member: Member) -> None:
    with pytest.raises(Conflict, match="already has a plan number 3"):
        f.plan(member, key="xx-other")


def test_plan_ending_before_it_starts_is_refused(member: Member) -> None:
    with pytest.raises(InvalidInput, match="end after it starts"):
        f.plan(member, start_on=D(2018, 1, 1), end_on=D(2017, 1, 1))


def test_changing_the_start_recomputes_the_deadline(plan: ActionPlan) -> None:
    services.update_record(
        system_actor(), plan, changes={"start_on": D(2018, 9, 1), "end_on": D(2020, 8, 31)}
    )
    assert (plan.due_on, plan.due_rule) == (D(2018, 8, 31), "policy/plan-delivery-2018")


def test_plan_state_cannot_be_changed_as_a_plain_edit(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="cannot be changed: state"):
        services.update_record(system_actor(), plan, changes={"state": "ended"})


# ---------------------------------------------------------------- state machine B


def test_refused_transition_names_the_rule_and_writes_nothing(plan: ActionPlan) -> None:
    before = versions()
    with pytest.raises(InvalidInput, match="without commitments"):
        services.transition_plan(system_actor(), plan, to="delivered", on=D(2016, 7, 1))
    plan.refresh_from_db()
    assert (plan.state, versions()) == ("co_creation", before)


def test_delivery_sets_the_delivered_date(plan: ActionPlan) -> None:
    f.commitment(plan, "XX0001")
    services.transition_plan(system_actor(), plan, to="delivered", on=D(2016, 7, 10))
    assert (plan.state, plan.delivered_on) == ("delivered", D(2016, 7, 10))


def test_transitions_are_part_of_the_plans_versioned_content(plan: ActionPlan) -> None:
    assert latest_content(plan)["transitions"] == [
        {"from": "planning", "to": "co_creation", "on": "2016-03-01", "note": ""}
    ]


def test_step_dated_before_the_current_state_is_refused(plan: ActionPlan) -> None:
    f.commitment(plan, "XX0001")
    with pytest.raises(InvalidInput, match="cannot be dated earlier"):
        services.transition_plan(system_actor(), plan, to="delivered", on=D(2016, 2, 1))


def test_four_year_plan_goes_through_its_refresh(member: Member) -> None:
    p = f.plan(
        member, key="xx-5", number=5, start_on=D(2022, 1, 1), end_on=D(2025, 12, 31), length=4
    )
    f.advance(p, ("co_creation", D(2021, 9, 1)))
    f.commitment(p, "XX0010")
    f.advance(
        p,
        ("delivered", D(2022, 1, 1)),
        ("in_review", D(2022, 1, 2)),
        ("implementing", D(2022, 5, 1)),
        ("refresh_due", D(2024, 1, 1)),
        ("refreshed", D(2024, 3, 1)),
        ("implementing", D(2024, 3, 2)),
        ("ended", D(2026, 1, 1)),
    )
    assert (p.state, p.refresh_done_on) == ("ended", D(2024, 3, 1))


def test_results_assessed_after_a_final_results_report(plan: ActionPlan) -> None:
    f.commitment(plan, "XX0001")
    f.advance(
        plan,
        ("delivered", D(2016, 7, 1)),
        ("implementing", D(2016, 7, 2)),
        ("ended", D(2018, 7, 1)),
    )
    services.publish_irm_report(
        system_actor(),
        key="xx-3-eot",
        plan=plan,
        report_type="end_of_term_report",
        methodology="irm_pre2020",
        title="End of term",
        published_on=D(2018, 11, 1),
    )
    services.transition_plan(system_actor(), plan, to="results_assessed", on=D(2018, 11, 2))
    assert plan.state == "results_assessed"


def test_commitments_of_an_ended_plan_cannot_be_added(plan: ActionPlan) -> None:
    f.commitment(plan, "XX0001")
    f.advance(
        plan,
        ("delivered", D(2016, 7, 1)),
        ("implementing", D(2016, 7, 2)),
        ("ended", D(2018, 7, 1)),
    )
    with pytest.raises(Conflict, match="has ended"):
        f.commitment(plan, "XX0002")


# ---------------------------------------------------------------- commitments, milestones, progress


def test_commitment_is_keyed_by_its_ogp_id(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064", themes=["Water"], ogp_values=["ati"])
    assert (commitment.public_id, commitment.number) == ("commitment/XX0064", 1)


def test_unknown_ogp_value_is_refused(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="OGP values"):
        f.commitment(plan, "XX0064", ogp_values=["transparency"])


def test_milestone_key_follows_its_commitment(plan: ActionPlan) -> None:
    milestone = f.milestone(f.commitment(plan, "XX0064"))
    assert milestone.key == "XX0064-m1"


def test_evidence_without_a_url_is_refused(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="Evidence"):
        f.milestone(f.commitment(plan, "XX0064"), evidence=[{"label": "no link"}])


def test_reports_of_different_parties_stand_side_by_side(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    f.report(commitment, "government", "complete")
    f.report(commitment, "civil_society", "limited")
    assert sorted(commitment.progress_reports.values_list("party", "completion")) == [
        ("civil_society", "limited"),
        ("government", "complete"),
    ]


def test_progress_before_the_plan_starts_is_refused(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="before the plan starts"):
        f.report(f.commitment(plan, "XX0064"), "government", "limited", D(2015, 1, 1))


def test_progress_on_another_commitments_milestone_is_refused(plan: ActionPlan) -> None:
    other = f.milestone(f.commitment(plan, "XX0065"))
    with pytest.raises(InvalidInput, match="milestone must belong"):
        f.report(f.commitment(plan, "XX0064"), "government", "limited", milestone=other)


def test_milestone_of_a_retracted_commitment_is_refused(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    services.retract(system_actor(), commitment, reason="Recorded twice.")
    with pytest.raises(Conflict, match="retracted"):
        f.milestone(commitment)


# ---------------------------------------------------------------- IRM


def irm_report(plan: ActionPlan, methodology: str = "irm_pre2020") -> Any:
    return services.publish_irm_report(
        system_actor(),
        key=f"xx-{methodology}",
        plan=plan,
        report_type="progress_report",
        methodology=methodology,
        title="Report",
        published_on=D(2017, 12, 1),
    )


def test_pre_2020_assessment_refuses_the_refreshed_indicators(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    with pytest.raises(InvalidInput, match="does not exist in the report's methodology"):
        services.record_assessment(
            system_actor(), report=irm_report(plan), commitment=commitment, promising=True
        )


def test_refreshed_assessment_refuses_the_old_indicators(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    with pytest.raises(InvalidInput, match="specificity"):
        services.record_assessment(
            system_actor(),
            report=irm_report(plan, "irm_refresh_2020"),
            commitment=commitment,
            specificity="high",
        )


def test_assessment_keeps_only_its_methodologys_indicators(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    assessment = services.record_assessment(
        system_actor(),
        report=irm_report(plan),
        commitment=commitment,
        specificity="high",
        starred=True,
    )
    content = latest_content(assessment)
    assert (content["starred"], "promising" in content) == (True, False)


def test_commitment_of_another_plan_cannot_be_assessed(plan: ActionPlan, member: Member) -> None:
    other_plan = f.plan(member, key="xx-4", number=4, start_on=D(2018, 9, 1), end_on=D(2020, 8, 31))
    other = f.commitment(other_plan, "XX0099")
    with pytest.raises(InvalidInput, match="report's plan"):
        services.record_assessment(system_actor(), report=irm_report(plan), commitment=other)


def test_minimum_requirement_findings_use_the_value_set(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="met, not_met or not_applicable"):
        services.publish_irm_report(
            system_actor(),
            key="xx-apr",
            plan=plan,
            report_type="action_plan_review",
            methodology="irm_refresh_2020",
            title="APR",
            minimum_requirements={"MR1.1": "yes"},
        )


# ---------------------------------------------------------------- co-creation input


def test_anonymous_input_waits_unversioned_and_off_the_log(plan: ActionPlan) -> None:
    entries = LogEntry.objects.count()
    item = f.public_input(plan)
    assert (item.version, item.moderation, item.account) == (0, "pending", None)
    assert (LogEntry.objects.count(), versions()) == (entries, entries)


def test_signed_in_input_is_tied_to_the_account(plan: ActionPlan) -> None:
    citizen = user("citizen", staff=False)
    item = services.submit_input(citizen, plan=plan, title="Idea", text="Text")
    assert item.account == citizen


def test_input_outside_co_creation_is_refused(member: Member) -> None:
    with pytest.raises(Conflict, match="not open for co-creation"):
        f.public_input(f.plan(member))


def test_input_after_the_window_closed_is_refused(member: Member) -> None:
    p = f.plan(member, co_creation_closes_on=D(2016, 4, 30))
    f.advance(p, ("co_creation", D(2016, 3, 1)))
    with pytest.raises(Conflict, match="not open"):
        f.public_input(p)


def test_input_without_text_is_refused_and_nothing_written(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="title and a text"):
        services.submit_input(AnonymousUser(), plan=plan, title="Idea", text="  ")
    assert not Input.objects.exists()


def test_publishing_a_name_needs_the_name(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="give it"):
        f.public_input(plan, publish_name=True)


def test_visitors_cannot_record_offline_input(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="offline"):
        f.public_input(plan, channel="offline")


def test_published_input_carries_its_words_but_never_the_email(plan: ActionPlan) -> None:
    item = f.published_input(
        plan, submitter_name="Ana", publish_name=False, contact_email="ana@example.org"
    )
    content = latest_content(item)
    assert (content["text"], content["submitter"]) == ("Please publish the data behind this.", "")
    assert "ana@example.org" not in str(content)


def test_consented_name_is_published(plan: ActionPlan) -> None:
    item = f.published_input(plan, submitter_name="Ana", publish_name=True)
    assert latest_content(item)["submitter"] == "Ana"


def test_withheld_input_is_logged_with_its_reason_but_not_its_words(plan: ActionPlan) -> None:
    item = services.moderate_input(
        system_actor(), f.public_input(plan), decision="withhold", reason="Insults."
    )
    assert item is not None
    content = latest_content(item)
    assert (content["text"], content["moderation_reason"]) == ("", "Insults.")


def test_discarded_spam_is_gone_and_never_logged(plan: ActionPlan) -> None:
    before = versions()
    item = f.public_input(plan)
    services.moderate_input(system_actor(), item, decision="discard", reason="Spam.")
    assert (Input.objects.count(), versions()) == (0, before)


def test_withholding_needs_a_reason(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="needs a reason"):
        services.moderate_input(system_actor(), f.public_input(plan), decision="withhold")


def test_input_is_moderated_once(plan: ActionPlan) -> None:
    item = f.published_input(plan)
    with pytest.raises(Conflict, match="already been moderated"):
        services.moderate_input(system_actor(), item, decision="publish")


# ---------------------------------------------------------------- responses and traceability


def test_response_answers_published_inputs(plan: ActionPlan) -> None:
    item = f.published_input(plan)
    response = services.respond_to_inputs(
        system_actor(),
        plan=plan,
        inputs=[item],
        decision="partially",
        rationale="Part of it is in XX0064.",
        published_on=dt.date.today(),
    )
    assert latest_content(response)["inputs"] == [item.public_id]


def test_pending_input_cannot_be_answered(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="not published"):
        services.respond_to_inputs(
            system_actor(),
            plan=plan,
            inputs=[f.public_input(plan)],
            decision="accepted",
            rationale="Yes.",
            published_on=dt.date.today(),
        )


def test_response_needs_a_rationale(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="rationale"):
        services.respond_to_inputs(
            system_actor(),
            plan=plan,
            inputs=[f.published_input(plan)],
            decision="rejected",
            rationale=" ",
            published_on=dt.date.today(),
        )


def test_response_dated_before_the_input_is_refused(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="before the input"):
        services.respond_to_inputs(
            system_actor(),
            plan=plan,
            inputs=[f.published_input(plan)],
            decision="rejected",
            rationale="No.",
            published_on=D(2016, 1, 1),
        )


def test_input_of_another_plan_cannot_be_answered(plan: ActionPlan, member: Member) -> None:
    other = f.advance(
        f.plan(member, key="xx-4", number=4, start_on=D(2018, 9, 1), end_on=D(2020, 8, 31)),
        ("co_creation", D(2018, 3, 1)),
    )
    with pytest.raises(InvalidInput, match="another plan"):
        services.respond_to_inputs(
            system_actor(),
            plan=plan,
            inputs=[f.published_input(other)],
            decision="accepted",
            rationale="Yes.",
            published_on=dt.date.today(),
        )


def test_linking_inputs_traces_them_both_ways(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064")
    item = f.published_input(plan)
    services.link_inputs(system_actor(), commitment, inputs=[item])
    assert (list(item.commitments.all()), latest_content(commitment)["inputs"]) == (
        [commitment],
        [item.public_id],
    )


def test_linking_the_same_input_twice_is_refused(plan: ActionPlan) -> None:
    item = f.published_input(plan)
    commitment = f.commitment(plan, "XX0064", inputs=[item])
    with pytest.raises(InvalidInput, match="already linked"):
        services.link_inputs(system_actor(), commitment, inputs=[item])


def test_overlong_input_is_refused(plan: ActionPlan) -> None:
    with pytest.raises(InvalidInput, match="limited to"):
        f.public_input(plan, text="x" * (services.MAX_INPUT_CHARS + 1))


def test_inputs_get_distinct_keys(plan: ActionPlan) -> None:
    first, second = f.public_input(plan), f.public_input(plan)
    assert (first.key, second.key) == ("xx-3-i00001", "xx-3-i00002")


def test_retracted_input_cannot_be_linked(plan: ActionPlan) -> None:
    item = f.published_input(plan)
    services.retract(system_actor(), item, reason="Posted twice.")
    with pytest.raises(Conflict, match="retracted"):
        services.link_inputs(system_actor(), f.commitment(plan, "XX0064"), inputs=[item])


def test_input_of_a_retracted_plan_cannot_be_published(plan: ActionPlan) -> None:
    item = f.public_input(plan)
    services.retract(system_actor(), plan, reason="Recorded by mistake.")
    with pytest.raises(Conflict, match="retracted"):
        services.moderate_input(system_actor(), item, decision="publish")


def test_plan_cannot_be_moved_to_another_members_forum(plan: ActionPlan) -> None:
    other_forum = forum_factories.forum(forum_factories.member("yy", "Otherland"), key="yy-f")
    with pytest.raises(InvalidInput, match="forum of the plan's member"):
        services.update_record(system_actor(), plan, changes={"forum": other_forum})


def test_report_cannot_be_redated_before_the_plan_starts(plan: ActionPlan) -> None:
    progress = f.report(f.commitment(plan, "XX0064"), "government", "limited")
    with pytest.raises(InvalidInput, match="before the plan starts"):
        services.update_record(system_actor(), progress, changes={"reported_on": D(2015, 1, 1)})


def test_same_values_in_another_order_are_no_change(plan: ActionPlan) -> None:
    commitment = f.commitment(plan, "XX0064", ogp_values=["ati", "cp"])
    with pytest.raises(InvalidInput, match="Nothing changed"):
        services.update_record(system_actor(), commitment, changes={"ogp_values": ["cp", "ati"]})
