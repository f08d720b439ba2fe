"""``{{ value|olabel:"case_state" }}``: translated labels of the oversight value sets."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Choices

from tripartite.forums.choices import MemberKind, MemberStatus
from tripartite.oversight import choices as c
from tripartite.oversight.compliance import STATUS_LABELS

register = template.Library()

VALUE_SETS: dict[str, type[Choices]] = {
    "constituency": c.Constituency,
    "selection": c.SelectionMethod,
    "seat_end": c.SeatEnd,
    "co_chair_role": c.CoChairRole,
    "meeting_level": c.MeetingLevel,
    "meeting_mode": c.MeetingMode,
    "body": c.Body,
    "method": c.DecisionMethod,
    "resolution_outcome": c.ResolutionOutcome,
    "track": c.CaseTrack,
    "case_state": c.CaseState,
    "filer_category": c.FilerCategory,
    "task_status": c.TaskStatus,
    "review_state": c.ReviewState,
    "trigger": c.ContraryTrigger,
    "finding_source": c.FindingSource,
    "member_status": MemberStatus,
    "member_kind": MemberKind,
}


@register.filter
def olabel(value: Any, value_set: str) -> str:
    """The translated label of ``value`` in the named value set (the value if unknown)."""
    if value in (None, ""):
        return ""
    if value_set == "compliance":
        return str(STATUS_LABELS.get(value, value))
    try:
        return str(VALUE_SETS[value_set](value).label)
    except ValueError:
        return str(value)
