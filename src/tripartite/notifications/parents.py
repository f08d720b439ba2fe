"""Which records a change also concerns: following a record follows what hangs under it.

``PARENTS`` maps a record type to the attributes that lead to its parents. Following a
forum notifies its meetings, minutes, sign-offs, decisions, letters, statements and seats;
a meeting its minutes and decisions; a plan its commitments, milestones, progress reports,
co-creation inputs, responses and IRM reports; a commitment its milestones, progress
reports and assessments; a concern case its resolutions, status changes and missions (its
steps are part of the case itself, so each step is already a new version of the case);
any record its documents.

Members are deliberately no one's parent here: following a member would mean mail for
every record of a country. Follow its forum or its plan instead.
"""

from __future__ import annotations

from typing import Any

from tripartite.core.models import PublicRecord

PARENTS: dict[str, tuple[str, ...]] = {
    # forums
    "seat": ("forum",),
    "meeting": ("forum",),
    "minutes": ("meeting",),
    "signoff": ("minutes",),
    "decision": ("meeting", "forum"),
    "letter": ("forum", "response_to"),
    "statement": ("forum",),
    "withdrawal": ("forum",),
    # plans
    "commitment": ("plan",),
    "milestone": ("commitment",),
    "progress": ("milestone", "commitment"),
    "input": ("plan",),
    "response": ("plan",),
    "irm-report": ("plan",),
    "assessment": ("commitment", "report"),
    # oversight
    "resolution": ("case", "meeting"),
    "statuschange": ("case",),
    "mission": ("case",),
    # documents: the record a document is attached to (a public id)
    "document": ("attached_to",),
}
MAX_DEPTH = 4


def parents_of(record: Any) -> list[PublicRecord]:
    """The direct parents of ``record`` (public records only, live or not)."""
    found = []
    for name in PARENTS.get(getattr(record, "RECORD_TYPE", ""), ()):
        parent = getattr(record, name, None)
        if isinstance(parent, str):  # a reference kept as a public id
            from tripartite.documents.records import resolve

            parent = resolve(parent)
        if isinstance(parent, PublicRecord):
            found.append(parent)
    return found


def ancestors(record: PublicRecord, depth: int = MAX_DEPTH) -> list[str]:
    """Public ids of every record above ``record``, nearest first, each once."""
    seen: list[str] = []
    level = [record]
    for _ in range(depth):
        upper: list[PublicRecord] = []
        for current in level:
            for parent in parents_of(current):
                if parent.public_id not in seen and parent.public_id != record.public_id:
                    seen.append(parent.public_id)
                    upper.append(parent)
        if not upper:
            break
        level = upper
    return seen
