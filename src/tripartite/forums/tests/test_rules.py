"""Pure rules of the forum record: decision outcomes and required sectors."""

from __future__ import annotations

import pytest

from tripartite.forums.choices import DecisionOutcome, DecisionRule, Sector, VotePosition
from tripartite.forums.rules import decision_outcome, missing_required_sectors

GOV, CSO, OVS = Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.OVERSIGHT_BODY
FOR, AGAINST, ABSTAIN, ABSENT = (
    VotePosition.FOR,
    VotePosition.AGAINST,
    VotePosition.ABSTAIN,
    VotePosition.ABSENT,
)
ADOPTED, REJECTED, NO_CONSENSUS, PENDING = (
    DecisionOutcome.ADOPTED,
    DecisionOutcome.REJECTED,
    DecisionOutcome.NO_CONSENSUS,
    DecisionOutcome.PENDING,
)
CONSENSUS, MAJORITY, SECTOR_VOTE = (
    DecisionRule.SECTOR_CONSENSUS,
    DecisionRule.MAJORITY,
    DecisionRule.SECTOR_VOTE,
)


# ---------------------------------------------------------------- every rule


@pytest.mark.parametrize("rule", DecisionRule.values)
def test_no_positions_leaves_the_decision_pending(rule: str) -> None:
    assert decision_outcome(rule, []) == PENDING


@pytest.mark.parametrize("rule", DecisionRule.values)
def test_nobody_present_leaves_the_decision_pending(rule: str) -> None:
    assert decision_outcome(rule, [(GOV, ABSENT), (CSO, ABSENT)]) == PENDING


@pytest.mark.parametrize("rule", DecisionRule.values)
def test_unanimous_support_is_adopted(rule: str) -> None:
    assert decision_outcome(rule, [(GOV, FOR), (CSO, FOR), (OVS, FOR)]) == ADOPTED


@pytest.mark.parametrize("rule", DecisionRule.values)
def test_positions_may_be_given_as_a_generator(rule: str) -> None:
    assert decision_outcome(rule, ((s, FOR) for s in (GOV, CSO))) == ADOPTED


# ---------------------------------------------------------------- consensus of sectors


def test_consensus_one_objection_blocks_it() -> None:
    assert (
        decision_outcome(CONSENSUS, [(GOV, FOR), (CSO, FOR), (CSO, AGAINST), (OVS, FOR)])
        == NO_CONSENSUS
    )


def test_consensus_sector_that_only_abstains_blocks_it() -> None:
    assert decision_outcome(CONSENSUS, [(GOV, FOR), (CSO, ABSTAIN), (OVS, FOR)]) == NO_CONSENSUS


def test_consensus_an_abstention_within_a_supporting_sector_does_not_block_it() -> None:
    assert decision_outcome(CONSENSUS, [(GOV, FOR), (CSO, FOR), (CSO, ABSTAIN)]) == ADOPTED


def test_consensus_an_absent_sector_does_not_block_it() -> None:
    assert decision_outcome(CONSENSUS, [(GOV, FOR), (CSO, FOR), (OVS, ABSENT)]) == ADOPTED


def test_consensus_absent_seat_within_a_supporting_sector_does_not_count() -> None:
    assert decision_outcome(CONSENSUS, [(GOV, FOR), (CSO, FOR), (CSO, ABSENT)]) == ADOPTED


def test_consensus_everyone_present_abstains() -> None:
    assert decision_outcome(CONSENSUS, [(GOV, ABSTAIN), (CSO, ABSTAIN)]) == NO_CONSENSUS


# ---------------------------------------------------------------- majority of seats present


def test_majority_more_for_than_against_is_adopted() -> None:
    assert decision_outcome(MAJORITY, [(GOV, FOR), (CSO, FOR), (CSO, AGAINST)]) == ADOPTED


def test_majority_tie_is_rejected() -> None:
    assert decision_outcome(MAJORITY, [(GOV, FOR), (CSO, AGAINST)]) == REJECTED


def test_majority_counts_seats_not_sectors() -> None:
    # One sector with three seats outvotes two sectors with one seat each.
    assert (
        decision_outcome(
            MAJORITY, [(CSO, FOR), (CSO, FOR), (CSO, FOR), (GOV, AGAINST), (OVS, AGAINST)]
        )
        == ADOPTED
    )


def test_majority_absent_seats_do_not_count() -> None:
    assert (
        decision_outcome(MAJORITY, [(GOV, FOR), (CSO, ABSENT), (CSO, ABSENT), (OVS, ABSENT)])
        == ADOPTED
    )


def test_majority_everyone_present_abstains_is_rejected() -> None:
    assert decision_outcome(MAJORITY, [(GOV, ABSTAIN), (CSO, ABSTAIN)]) == REJECTED


def test_majority_needs_more_than_half_of_the_seats_present() -> None:
    assert (
        decision_outcome(
            MAJORITY, [(GOV, FOR), (GOV, FOR), (CSO, AGAINST), (CSO, ABSTAIN), (OVS, ABSTAIN)]
        )
        == REJECTED
    )


# ---------------------------------------------------------------- one vote per sector


def test_sector_vote_majority_of_sectors_is_adopted() -> None:
    assert decision_outcome(SECTOR_VOTE, [(GOV, FOR), (CSO, AGAINST), (OVS, FOR)]) == ADOPTED


def test_sector_vote_counts_sectors_not_seats() -> None:
    # Three CSO seats for are one sector's vote; two sectors against win.
    assert (
        decision_outcome(
            SECTOR_VOTE, [(CSO, FOR), (CSO, FOR), (CSO, FOR), (GOV, AGAINST), (OVS, AGAINST)]
        )
        == REJECTED
    )


def test_sector_vote_each_sector_votes_by_its_own_majority() -> None:
    assert (
        decision_outcome(
            SECTOR_VOTE, [(CSO, FOR), (CSO, FOR), (CSO, AGAINST), (GOV, FOR), (OVS, AGAINST)]
        )
        == ADOPTED
    )


def test_sector_vote_tie_between_sectors_is_rejected() -> None:
    assert decision_outcome(SECTOR_VOTE, [(GOV, FOR), (CSO, AGAINST)]) == REJECTED


def test_sector_vote_split_sector_abstains_but_counts_as_present() -> None:
    # CSO splits 1-1: it is present and casts no vote for, so government's vote alone is
    # one sector of two present, not a majority.
    assert (
        decision_outcome(
            SECTOR_VOTE, [(GOV, FOR), (GOV, FOR), (CSO, FOR), (CSO, AGAINST), (OVS, AGAINST)]
        )
        == REJECTED
    )
    assert decision_outcome(SECTOR_VOTE, [(GOV, FOR), (CSO, FOR), (CSO, AGAINST)]) == REJECTED
    assert (
        decision_outcome(
            SECTOR_VOTE, [(GOV, FOR), (CSO, FOR), (CSO, FOR), (CSO, AGAINST), (OVS, AGAINST)]
        )
        == ADOPTED
    )


def test_sector_vote_absent_sector_does_not_vote() -> None:
    assert decision_outcome(SECTOR_VOTE, [(GOV, FOR), (CSO, FOR), (OVS, ABSENT)]) == ADOPTED


def test_sector_vote_everyone_present_abstains_is_rejected() -> None:
    assert decision_outcome(SECTOR_VOTE, [(GOV, ABSTAIN), (CSO, ABSTAIN)]) == REJECTED


def test_sector_vote_needs_more_than_half_of_the_sectors_present() -> None:
    assert decision_outcome(SECTOR_VOTE, [(GOV, FOR), (CSO, ABSTAIN), (OVS, ABSTAIN)]) == REJECTED


# ---------------------------------------------------------------- required sectors


def test_no_seats_misses_both_required_sectors_in_order() -> None:
    assert missing_required_sectors([]) == [GOV, CSO]


def test_government_only_misses_civil_society() -> None:
    assert missing_required_sectors([GOV, OVS]) == [CSO]


def test_civil_society_only_misses_government() -> None:
    assert missing_required_sectors([CSO, CSO]) == [GOV]


def test_both_required_sectors_present_misses_nothing() -> None:
    assert missing_required_sectors([OVS, CSO, GOV, Sector.ACADEMIA]) == []


def test_other_sectors_do_not_replace_a_required_one() -> None:
    assert missing_required_sectors(
        [Sector.ACADEMIA, Sector.PRIVATE, Sector.MULTILATERAL, OVS]
    ) == [GOV, CSO]


def test_missing_sectors_accepts_plain_strings_and_generators() -> None:
    assert missing_required_sectors(s for s in ["government"]) == ["civil_society"]
