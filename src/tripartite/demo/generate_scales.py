"""The sizes ``tripartite generate --scale`` writes: totals per record type, spread evenly
(the first members, plans and commitments take the remainders)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Scale:
    members: int
    plans: int
    commitments: int
    milestones: int
    progress_reports: int
    letters: int
    meetings: int
    documents: int
    #: New versions of milestones (status moving on): log entries without new records.
    milestone_updates: int

    @property
    def records(self) -> int:
        """Records written, with each member's organisations (3) and forum (1)."""
        counted = (f.name for f in fields(self) if f.name != "milestone_updates")
        return sum(getattr(self, name) for name in counted) + 4 * self.members

    @property
    def versions(self) -> int:
        """Versions written: one log entry each."""
        return self.records + self.milestone_updates


SCALES: dict[str, Scale] = {
    # Seconds: what the tests run.
    "small": Scale(
        members=2,
        plans=3,
        commitments=8,
        milestones=20,
        progress_reports=40,
        letters=10,
        meetings=8,
        documents=12,
        milestone_updates=20,
    ),
    # One member fully populated: ~15,000 records.
    "national": Scale(
        members=1,
        plans=6,
        commitments=200,
        milestones=1_000,
        progress_reports=8_000,
        letters=1_500,
        meetings=500,
        documents=2_500,
        milestone_updates=1_500,
    ),
    # The global figures: over 1,000,000 log entries.
    "global": Scale(
        members=250,
        plans=1_200,
        commitments=25_000,
        milestones=120_000,
        progress_reports=400_000,
        letters=60_000,
        meetings=20_000,
        documents=100_000,
        milestone_updates=280_000,
    ),
}


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal counts, the larger first."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
