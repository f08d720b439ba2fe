"""The plan rules as pure functions: deadlines by the rule set in force, state machine B,
the IRM star derivation and how the parties' views compare. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from tripartite.core.policy import SEED, PolicyRow, PolicySet
from tripartite.plans.rules import (
    PlanFacts,
    RuleViolation,
    add_months,
    allowed_lengths,
    check_length,
    check_transition,
    co_creation_open,
    days_late,
    delivery_deadline,
    derive_starred,
    disagreement,
    irm_deadlines,
    months_between,
    refresh_due,
)

D = dt.date
SEEDED = PolicySet(list(SEED))


def facts(state: str, **overrides: object) -> PlanFacts:
    values: dict[str, object] = {
        "state": state,
        "length": 2,
        "start_on": D(2016, 7, 1),
        "end_on": D(2018, 6, 30),
        "commitments": 3,
    }
    values.update(overrides)
    return PlanFacts(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- deadlines by rule set


def test_plan_starting_in_2017_is_due_on_30_june_of_its_first_year() -> None:
    deadline = delivery_deadline(SEEDED, D(2017, 7, 1), None)
    assert deadline.due_on == D(2017, 6, 30)
    assert deadline.rule is not None and deadline.rule.key == "plan-delivery-2015"


def test_plan_under_the_2017_rules_has_no_contrary_to_process_date() -> None:
    assert delivery_deadline(SEEDED, D(2017, 7, 1), None).contrary_from is None


def test_plan_starting_in_2018_is_due_31_august_and_contrary_from_1_january() -> None:
    deadline = delivery_deadline(SEEDED, D(2018, 9, 1), D(2018, 6, 30))
    assert deadline.due_on == D(2018, 8, 31)
    assert deadline.contrary_from == D(2019, 1, 1)


def test_plan_starting_in_2022_is_due_twelve_months_after_the_previous_plan_ended() -> None:
    deadline = delivery_deadline(SEEDED, D(2022, 9, 1), D(2021, 8, 31))
    assert deadline.due_on == D(2022, 8, 31)
    assert deadline.rule is not None and deadline.rule.key == "plan-delivery-2022"


def test_first_plan_under_the_2022_rules_has_no_due_date() -> None:
    deadline = delivery_deadline(SEEDED, D(2022, 9, 1), None)
    assert deadline.due_on is None
    assert deadline.rule is not None and deadline.rule.key == "plan-delivery-2022"


def test_plan_before_any_rule_has_no_deadline() -> None:
    assert delivery_deadline(SEEDED, D(2012, 1, 1), None).rule is None


def test_a_recorded_rule_set_decides_instead_of_the_seed() -> None:
    custom = PolicyRow(
        "custom",
        "plan.delivery",
        "Custom",
        D(2010, 1, 1),
        None,
        {"rule": "fixed_date", "month": 3, "day": 31},
        recorded=True,
    )
    policies = PolicySet([custom, *[row for row in SEED if row.code != "plan.delivery"]])
    assert delivery_deadline(policies, D(2017, 7, 1), None).due_on == D(2017, 3, 31)


# ---------------------------------------------------------------- plan length and refresh


def test_only_two_year_plans_are_allowed_before_2022() -> None:
    assert allowed_lengths(SEEDED, D(2019, 9, 1)) == [2]


def test_four_year_plan_before_2022_is_refused() -> None:
    with pytest.raises(RuleViolation, match="2 years, not 4"):
        check_length(SEEDED, D(2019, 9, 1), D(2023, 8, 31), 4)


def test_four_year_plan_from_2022_is_allowed() -> None:
    check_length(SEEDED, D(2022, 1, 1), D(2025, 12, 31), 4)


def test_plan_under_the_2018_rules_must_cover_twenty_months() -> None:
    with pytest.raises(RuleViolation, match="20 months"):
        check_length(SEEDED, D(2018, 9, 1), D(2019, 12, 31), 2)


def test_four_year_plan_is_refreshed_at_year_two() -> None:
    assert refresh_due(SEEDED, D(2022, 1, 1), 4) == D(2024, 1, 1)


def test_two_year_plan_has_no_refresh() -> None:
    assert refresh_due(SEEDED, D(2022, 1, 1), 2) is None


def test_irm_review_is_due_four_months_after_delivery_from_2020() -> None:
    assert irm_deadlines(SEEDED, D(2022, 1, 15), D(2025, 12, 31))["review_due_on"] == D(2022, 5, 15)


def test_irm_review_has_no_deadline_before_2020() -> None:
    assert "review_due_on" not in irm_deadlines(SEEDED, D(2016, 7, 1), D(2018, 6, 30))


def test_results_are_due_four_months_after_the_plan_ends() -> None:
    assert irm_deadlines(SEEDED, None, D(2025, 12, 31))["results_due_on"] == D(2026, 4, 30)


def test_days_late_counts_from_the_due_date_to_delivery() -> None:
    assert days_late(D(2016, 6, 30), D(2016, 7, 10), D(2026, 1, 1)) == 10


def test_days_late_counts_to_today_while_undelivered() -> None:
    assert days_late(D(2026, 1, 1), None, D(2026, 1, 31)) == 30


def test_plan_delivered_on_time_is_not_late() -> None:
    assert days_late(D(2016, 6, 30), D(2016, 6, 1), D(2026, 1, 1)) == 0


def test_add_months_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_months_between_counts_whole_months() -> None:
    assert months_between(D(2018, 9, 1), D(2020, 4, 30)) == 19


# ---------------------------------------------------------------- state machine B


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("planning", "delivered"),
        ("planning", "implementing"),
        ("co_creation", "implementing"),
        ("delivered", "ended"),
        ("implementing", "co_creation"),
        ("ended", "implementing"),
        ("results_assessed", "ended"),
    ],
)
def test_forbidden_step_is_refused_with_the_states_it_can_come_from(
    state: str, target: str
) -> None:
    with pytest.raises(RuleViolation, match="only from"):
        check_transition(facts(state), target, D(2018, 7, 1))


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("planning", "co_creation"),
        ("co_creation", "delivered"),
        ("delivered", "in_review"),
        ("delivered", "implementing"),
        ("in_review", "implementing"),
    ],
)
def test_allowed_step_passes(state: str, target: str) -> None:
    check_transition(facts(state), target, D(2018, 7, 1))


def test_plan_without_commitments_cannot_be_delivered() -> None:
    with pytest.raises(RuleViolation, match="without commitments"):
        check_transition(facts("co_creation", commitments=0), "delivered", D(2016, 7, 1))


def test_two_year_plan_has_no_refresh_step() -> None:
    with pytest.raises(RuleViolation, match="four-year"):
        check_transition(facts("implementing"), "refresh_due", D(2017, 7, 1))


def test_four_year_plan_cannot_end_without_its_refresh() -> None:
    plan = facts("implementing", length=4, start_on=D(2022, 1, 1), end_on=D(2025, 12, 31))
    with pytest.raises(RuleViolation, match="refreshed at year two"):
        check_transition(plan, "ended", D(2026, 1, 1))


def test_refreshed_four_year_plan_can_end_after_its_end_date() -> None:
    plan = facts(
        "refreshed",
        length=4,
        start_on=D(2022, 1, 1),
        end_on=D(2025, 12, 31),
        refresh_done_on=D(2024, 1, 15),
    )
    check_transition(plan, "ended", D(2026, 1, 1))


def test_plan_cannot_end_before_its_end_date() -> None:
    with pytest.raises(RuleViolation, match="cannot end before"):
        check_transition(facts("implementing"), "ended", D(2018, 6, 1))


def test_results_need_a_published_results_report() -> None:
    with pytest.raises(RuleViolation, match="results report"):
        check_transition(facts("ended"), "results_assessed", D(2018, 11, 1))


def test_results_assessed_with_a_results_report() -> None:
    check_transition(facts("ended", results_report=True), "results_assessed", D(2018, 11, 1))


def test_unknown_state_is_refused() -> None:
    with pytest.raises(RuleViolation, match="Unknown state"):
        check_transition(facts("planning"), "abandoned", D(2018, 11, 1))


# ---------------------------------------------------------------- co-creation window


def test_co_creation_is_open_inside_the_window() -> None:
    assert co_creation_open("co_creation", D(2016, 3, 1), D(2016, 4, 30), D(2016, 4, 1))


def test_co_creation_is_closed_after_the_window() -> None:
    assert not co_creation_open("co_creation", D(2016, 3, 1), D(2016, 4, 30), D(2016, 5, 1))


def test_co_creation_is_closed_before_the_window_opens() -> None:
    assert not co_creation_open("co_creation", D(2016, 3, 1), None, D(2016, 2, 28))


def test_co_creation_is_closed_in_any_other_state() -> None:
    assert not co_creation_open("implementing", None, None, D(2016, 4, 1))


# ---------------------------------------------------------------- IRM stars


def star(day: dt.date, impact: str, **overrides: object) -> bool | None:
    coding: dict[str, object] = {
        "specificity": "high",
        "relevance": ["ati"],
        "potential_impact": impact,
        "completion": "substantial",
    }
    coding.update(overrides)
    return derive_starred(SEEDED, day, **coding)  # type: ignore[arg-type]


def test_moderate_impact_earned_a_star_before_2015() -> None:
    assert star(D(2013, 6, 1), "moderate") is True


def test_moderate_impact_earns_no_star_from_2015() -> None:
    assert star(D(2016, 6, 1), "moderate") is False


def test_transformative_impact_earns_a_star_from_2015() -> None:
    assert star(D(2016, 6, 1), "transformative") is True


def test_technology_alone_earns_no_star() -> None:
    assert star(D(2016, 6, 1), "transformative", relevance=["tech"]) is False


def test_limited_completion_earns_no_star() -> None:
    assert star(D(2016, 6, 1), "transformative", completion="limited") is False


def test_incomplete_coding_derives_nothing() -> None:
    assert star(D(2016, 6, 1), "") is None


# ---------------------------------------------------------------- the parties' views


def test_parties_at_different_levels_disagree() -> None:
    assert disagreement({"government": "complete", "civil_society": "limited"})


def test_parties_at_the_same_level_agree() -> None:
    assert not disagreement({"government": "limited", "civil_society": "limited"})


def test_no_evidence_is_not_a_level_to_disagree_with() -> None:
    assert not disagreement({"government": "complete", "civil_society": "no_evidence"})
