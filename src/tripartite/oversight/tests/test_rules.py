"""The Steering Committee's pure rules: state machines A, C and D, terms, filers, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from tripartite.core.policy import SEED, PolicyRow, PolicySet
from tripartite.oversight import rules
from tripartite.oversight.rules import RuleViolation

D = dt.date
SEEDED = PolicySet(list(SEED))


def _change(current: str, to: str, **basis: bool) -> None:
    kwargs = {"has_resolution": False, "has_letter": False, "has_review": False} | basis
    rules.check_status_change(current, to, **kwargs)


def test_a_member_becomes_inactive_only_by_resolution() -> None:
    with pytest.raises(RuleViolation, match="resolution"):
        _change("active", "inactive", has_letter=True)


def test_a_resolution_makes_an_active_member_inactive() -> None:
    _change("active", "inactive", has_resolution=True)


def test_a_member_goes_under_review_only_through_a_review() -> None:
    with pytest.raises(RuleViolation, match="procedural review"):
        _change("active", "under_review", has_resolution=True)
    _change("active", "under_review", has_review=True)


def test_a_withdrawn_member_cannot_come_back() -> None:
    with pytest.raises(RuleViolation, match="cannot go from"):
        _change("withdrawn", "active", has_resolution=True)


def test_a_withdrawal_needs_a_letter_or_resolution() -> None:
    with pytest.raises(RuleViolation, match="letter"):
        _change("active", "withdrawn")
    _change("active", "withdrawn", has_letter=True)


def test_an_inactive_member_returns_to_active_only_by_resolution() -> None:
    with pytest.raises(RuleViolation, match="resolution"):
        _change("inactive", "active", has_letter=True)


def test_the_same_status_is_no_change() -> None:
    with pytest.raises(RuleViolation, match="already"):
        _change("active", "active", has_resolution=True)


def test_a_case_follows_machine_d_from_received_to_acknowledged() -> None:
    rules.check_case_step("received", "acknowledged", by="su", has_resolution=False)


def test_a_case_cannot_skip_the_eligibility_review() -> None:
    with pytest.raises(RuleViolation, match="cannot go from"):
        rules.check_case_step("acknowledged", "merits_review", by="cs", has_resolution=False)


def test_the_support_unit_does_not_review_merits() -> None:
    with pytest.raises(RuleViolation, match="Criteria and Standards"):
        rules.check_case_step("eligible", "merits_review", by="su", has_resolution=False)


def test_stage_two_needs_a_resolution() -> None:
    with pytest.raises(RuleViolation, match="resolution"):
        rules.check_case_step("stage1", "stage2", by="sc", has_resolution=False)
    rules.check_case_step("stage1", "stage2", by="sc", has_resolution=True)


def test_a_closed_case_takes_no_more_steps() -> None:
    with pytest.raises(RuleViolation, match="closed"):
        rules.check_case_step("resolved", "stage1", by="cs", has_resolution=True)


def test_a_government_may_withdraw_during_an_open_case() -> None:
    rules.check_case_step("stage1", "member_withdrew", by="government", has_resolution=False)


def test_an_extended_case_returns_to_extension_review() -> None:
    rules.check_case_step("extended", "extension_review", by="cs", has_resolution=False)


def test_an_individual_cannot_file() -> None:
    with pytest.raises(RuleViolation, match="individual"):
        rules.check_filer(
            "involved_entity",
            is_person=True,
            sector="",
            organization_member_key=None,
            case_member_key="mx",
            holds_sc_seat=False,
        )


def test_an_involved_entity_files_about_its_own_country_only() -> None:
    with pytest.raises(RuleViolation, match="country"):
        rules.check_filer(
            "involved_entity",
            is_person=False,
            sector="civil_society",
            organization_member_key="ar",
            case_member_key="mx",
            holds_sc_seat=False,
        )


def test_only_a_multilateral_files_as_multilateral_partner() -> None:
    with pytest.raises(RuleViolation, match="multilateral"):
        rules.check_filer(
            "multilateral_partner",
            is_person=False,
            sector="civil_society",
            organization_member_key=None,
            case_member_key="mx",
            holds_sc_seat=False,
        )


def test_an_sc_member_files_only_while_holding_a_seat() -> None:
    with pytest.raises(RuleViolation, match="Steering Committee seat"):
        rules.check_filer(
            "sc_member",
            is_person=False,
            sector="civil_society",
            organization_member_key=None,
            case_member_key="mx",
            holds_sc_seat=False,
        )


def test_a_term_runs_three_years_from_1_october() -> None:
    term = rules.sc_term(SEEDED, D(2016, 10, 1))
    assert (term.start, term.end) == (D(2016, 10, 1), D(2019, 9, 30))
    assert term.rule is not None and term.rule.code == "sc.term"


def test_a_term_cannot_start_on_another_day() -> None:
    with pytest.raises(RuleViolation, match="starts on"):
        rules.sc_term(SEEDED, D(2016, 9, 20))


def test_the_committee_grew_from_nine_to_eleven_seats_per_constituency() -> None:
    assert rules.seats_per_constituency(SEEDED, D(2013, 1, 1)) == 9
    assert rules.seats_per_constituency(SEEDED, D(2014, 8, 15)) == 10
    assert rules.seats_per_constituency(SEEDED, D(2017, 5, 23)) == 11


def test_a_co_chair_year_runs_1_october_to_30_september() -> None:
    assert rules.co_chair_year(D(2016, 10, 1)) == (D(2016, 10, 1), D(2017, 9, 30))
    with pytest.raises(RuleViolation):
        rules.co_chair_year(D(2016, 9, 20))


def test_minutes_are_due_fourteen_days_after_the_meeting() -> None:
    due = rules.minutes_due(SEEDED, D(2017, 6, 28))
    assert due is not None and due.due_on == D(2017, 7, 12)


def test_unpublished_response_policy_day_counts_give_no_deadline() -> None:
    assert rules.case_deadline(SEEDED, "received", D(2018, 7, 16)) is None


def test_a_recorded_day_count_gives_the_case_deadline() -> None:
    row = PolicyRow(
        "ack-10",
        "case.acknowledge",
        "Acknowledge within 10 days",
        D(2014, 1, 1),
        None,
        {"days": 10},
    )
    deadline = rules.case_deadline(PolicySet([row]), "received", D(2018, 7, 16))
    assert deadline is not None and deadline.due_on == D(2018, 7, 26)
    assert deadline.rule.key == "ack-10"


def test_stage_two_lasts_up_to_a_year() -> None:
    deadline = rules.case_deadline(SEEDED, "stage2", D(2016, 5, 4))
    assert deadline is not None and deadline.due_on == D(2017, 5, 4)


def test_a_review_cannot_close_before_the_member_rectifies_or_is_made_inactive() -> None:
    with pytest.raises(RuleViolation):
        rules.check_review_step("open", "closed")


def test_the_commitment_to_a_confidential_note_depends_on_its_salt() -> None:
    first = rules.commit_to_note("names withheld", "00" * 16)
    second = rules.commit_to_note("names withheld", "01" * 16)
    assert first != second and len(first) == 64
