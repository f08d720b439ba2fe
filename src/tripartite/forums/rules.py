"""Pure rules of the forum record: decision outcomes and composition balance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .choices import REQUIRED_SECTORS, DecisionOutcome, DecisionRule, VotePosition


def decision_outcome(rule: str, positions: Iterable[tuple[str, str]]) -> str:
    """The outcome of a motion under a forum's decision rule.

    ``positions`` are (sector, position) pairs, one per seat. Absent seats do not
    count; an abstention counts as present but neither for nor against.
    """
    present = [(sector, pos) for sector, pos in positions if pos != VotePosition.ABSENT]
    if not present:
        return DecisionOutcome.PENDING
    if rule == DecisionRule.MAJORITY:
        # A majority of the seats present: abstaining seats are present, so they count.
        tally = Counter(pos for _, pos in present)
        if tally[VotePosition.FOR] * 2 > len(present):
            return DecisionOutcome.ADOPTED
        return DecisionOutcome.REJECTED
    by_sector: dict[str, Counter[str]] = {}
    for sector, pos in present:
        by_sector.setdefault(sector, Counter())[pos] += 1
    if rule == DecisionRule.SECTOR_VOTE:
        # Each sector present casts one vote (its seats' majority); the motion needs a
        # majority of the sectors present. A split or abstaining sector is present.
        sectors_for = sum(
            1 for t in by_sector.values() if t[VotePosition.FOR] > t[VotePosition.AGAINST]
        )
        if sectors_for * 2 > len(by_sector):
            return DecisionOutcome.ADOPTED
        return DecisionOutcome.REJECTED
    # Consensus of sectors: nobody objects and every sector present supports it.
    if any(t[VotePosition.AGAINST] for t in by_sector.values()):
        return DecisionOutcome.NO_CONSENSUS
    if all(t[VotePosition.FOR] for t in by_sector.values()):
        return DecisionOutcome.ADOPTED
    return DecisionOutcome.NO_CONSENSUS


def missing_required_sectors(sectors_with_seats: Iterable[str]) -> list[str]:
    """Required sectors (government, civil society) that hold no current seat."""
    present = set(sectors_with_seats)
    return [sector for sector in REQUIRED_SECTORS if sector not in present]
