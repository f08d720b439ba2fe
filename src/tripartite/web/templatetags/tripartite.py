"""Template helpers: translated labels of value sets, sector styling."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import TextChoices

from tripartite.forums import choices

register = template.Library()

VALUE_SETS: dict[str, type[TextChoices]] = {
    "sector": choices.Sector,
    "member_kind": choices.MemberKind,
    "member_status": choices.MemberStatus,
    "decision_rule": choices.DecisionRule,
    "seat_role": choices.SeatRole,
    "end_reason": choices.SeatEndReason,
    "meeting_mode": choices.MeetingMode,
    "meeting_status": choices.MeetingStatus,
    "attendance": choices.Attendance,
    "signoff": choices.SignOffPosition,
    "vote": choices.VotePosition,
    "outcome": choices.DecisionOutcome,
    "direction": choices.LetterDirection,
    "letter_type": choices.LetterType,
    "letter_status": choices.LetterStatus,
}


@register.filter
def label(value: Any, value_set: str) -> str:
    """The translated label of ``value`` in the named value set (the value itself if unknown)."""
    if value in (None, ""):
        return ""
    choices_class = VALUE_SETS[value_set]
    try:
        return str(choices_class(value).label)
    except ValueError:
        return str(value)


@register.filter
def css_token(value: Any) -> str:
    """A value safe to use in a class name."""
    return str(value).replace("_", "-")


@register.filter
def id_type(public_id: str) -> str:
    """``letter/mx-2017-0001`` → ``letter``."""
    return str(public_id).split("/", 1)[0]


@register.filter
def id_key(public_id: str) -> str:
    """``letter/mx-2017-0001`` → ``mx-2017-0001``."""
    return str(public_id).split("/", 1)[-1]
