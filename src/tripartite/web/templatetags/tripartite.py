"""Template helpers: translated labels of value sets, sector styling."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Choices

from tripartite.forums import choices
from tripartite.plans import choices as plan_choices

register = template.Library()

VALUE_SETS: dict[str, type[Choices]] = {
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
    "plan_state": plan_choices.PlanState,
    "plan_length": plan_choices.PlanLength,
    "party": plan_choices.Party,
    "completion": plan_choices.Completion,
    "ogp_value": plan_choices.OgpValue,
    "methodology": plan_choices.Methodology,
    "report_type": plan_choices.ReportType,
    "report_state": plan_choices.ReportState,
    "public_influence": plan_choices.PublicInfluence,
    "specificity": plan_choices.Specificity,
    "potential_impact": plan_choices.PotentialImpact,
    "did_it_open_government": plan_choices.DidItOpenGovernment,
    "potential_for_results": plan_choices.PotentialForResults,
    "minimum_requirement": plan_choices.MinimumRequirement,
    "input_channel": plan_choices.InputChannel,
    "moderation": plan_choices.Moderation,
    "response_decision": plan_choices.ResponseDecision,
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
