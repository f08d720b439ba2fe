"""The rules of action plans, as pure functions over plain values (no database).

State machine B, deadlines from the policy rows in force, the IRM's starred derivation,
and how the parties' progress reports compare. ``plans.services`` applies them;
the pages show what they derive beside what was recorded.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tripartite.core.policy import PolicyRow, PolicySet

from .choices import COMPLETION_ORDER, Completion, PlanState

S = PlanState

# State machine B (domain §9.2). Each target lists the states it may be reached from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.CO_CREATION: (S.PLANNING,),
    S.DELIVERED: (S.CO_CREATION,),
    # Plans from 2020 get an IRM Action Plan Review first; older ones went straight on.
    S.IN_REVIEW: (S.DELIVERED,),
    S.IMPLEMENTING: (S.DELIVERED, S.IN_REVIEW, S.REFRESHED),
    S.REFRESH_DUE: (S.IMPLEMENTING,),
    S.REFRESHED: (S.REFRESH_DUE,),
    S.ENDED: (S.IMPLEMENTING, S.REFRESHED),
    S.RESULTS_ASSESSED: (S.ENDED,),
}


class RuleViolation(Exception):
    """A step the rules forbid; the message says which rule and why."""


@dataclass(frozen=True)
class PlanFacts:
    """What the transition rules need to know about a plan."""

    state: str
    length: int
    start_on: dt.date
    end_on: dt.date
    refresh_done_on: dt.date | None = None
    commitments: int = 0
    results_report: bool = False


def check_transition(plan: PlanFacts, target: str, on: dt.date) -> None:
    """Raise ``RuleViolation`` unless ``plan`` may move to ``target`` on ``on``."""
    if target not in TRANSITIONS:
        raise RuleViolation(_("Unknown state: %(state)s.") % {"state": target})
    allowed = TRANSITIONS[target]
    if plan.state not in allowed:
        raise RuleViolation(
            _(
                "A plan cannot go from %(from)s to %(to)s; "
                "it can reach %(to)s only from: %(allowed)s."
            )
            % {
                "from": PlanState(plan.state).label,
                "to": PlanState(target).label,
                "allowed": ", ".join(str(PlanState(s).label) for s in allowed),
            }
        )
    if target == S.DELIVERED and plan.commitments == 0:
        raise RuleViolation(_("A plan without commitments cannot be delivered."))
    if target == S.REFRESH_DUE and plan.length != 4:
        raise RuleViolation(_("Only four-year plans have a mid-term refresh."))
    if target == S.ENDED:
        if plan.length == 4 and plan.refresh_done_on is None:
            raise RuleViolation(
                _("A four-year plan must be refreshed at year two before it can end.")
            )
        if on < plan.end_on:
            raise RuleViolation(
                _("The plan runs until %(end)s; it cannot end before then.") % {"end": plan.end_on}
            )
    if target == S.RESULTS_ASSESSED and not plan.results_report:
        raise RuleViolation(
            _(
                "Results are assessed by a published IRM end-of-term or results report; "
                "record it first."
            )
        )


def co_creation_open(
    state: str, opens_on: dt.date | None, closes_on: dt.date | None, day: dt.date
) -> bool:
    """Whether the public may submit input on ``day``: in co-creation, inside the window."""
    if state != S.CO_CREATION:
        return False
    if opens_on and day < opens_on:
        return False
    return not (closes_on and day > closes_on)


# ---------------------------------------------------------------- dates


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date | None
    rule: PolicyRow | None
    # The day from which delivery counts as contrary to process, where the rule says so.
    contrary_from: dt.date | None = None


def delivery_deadline(
    policies: PolicySet, start_on: dt.date, previous_end_on: dt.date | None
) -> Deadline:
    """When a plan starting on ``start_on`` is due, by the rule in force on that day."""
    row = policies.find("plan.delivery", start_on)
    if row is None:
        return Deadline(None, None)
    params = row.params
    if params.get("rule") == "fixed_date":
        due = dt.date(start_on.year, int(params["month"]), int(params["day"]))
        contrary = params.get("contrary_after_months")
        return Deadline(
            due, row, add_months(due, int(contrary)) + dt.timedelta(days=1) if contrary else None
        )
    if params.get("rule") == "after_previous_end":
        if previous_end_on is None:
            return Deadline(None, row)  # a first plan has no such deadline
        due = add_months(previous_end_on, int(params["months"]))
        return Deadline(due, row, due + dt.timedelta(days=1))
    return Deadline(None, row)


def allowed_lengths(policies: PolicySet, start_on: dt.date) -> list[int]:
    row = policies.find("plan.length", start_on)
    return [int(y) for y in row.params.get("years", [2, 4])] if row else [2, 4]


def refresh_due(policies: PolicySet, start_on: dt.date, length: int) -> dt.date | None:
    if length != 4:
        return None
    row = policies.find("plan.length", start_on)
    years = int(row.params.get("refresh_after_years", 2)) if row else 2
    return add_months(start_on, 12 * years)


def check_length(policies: PolicySet, start_on: dt.date, end_on: dt.date, length: int) -> None:
    allowed = allowed_lengths(policies, start_on)
    if length not in allowed:
        raise RuleViolation(
            _("A plan starting on %(start)s may run for %(allowed)s years, not %(length)s.")
            % {
                "start": start_on,
                # "2" or "2, 4": a list of numbers reads the same in every language.
                "allowed": ", ".join(str(y) for y in allowed),
                "length": length,
            }
        )
    row = policies.find("plan.delivery", start_on)
    minimum = row.params.get("min_months") if row else None
    if minimum and months_between(start_on, end_on) + 1 < int(minimum):
        raise RuleViolation(
            _("Plans under this rule must cover at least %(months)s months.") % {"months": minimum}
        )


def irm_deadlines(
    policies: PolicySet, delivered_on: dt.date | None, end_on: dt.date
) -> dict[str, dt.date]:
    """The IRM's own deadlines where a rule sets them: review after delivery, results
    after the end."""
    out: dict[str, dt.date] = {}
    if delivered_on is not None:
        review = policies.find("irm.review", delivered_on)
        if review:
            out["review_due_on"] = add_months(
                delivered_on, int(review.params["months_after_delivery"])
            )
    results = policies.find("irm.results", end_on)
    if results:
        out["results_due_on"] = add_months(end_on, int(results.params["months_after_end"]))
    return out


def days_late(due_on: dt.date | None, delivered_on: dt.date | None, today: dt.date) -> int:
    """Days past the due date at delivery (or today, if not delivered); 0 if on time."""
    if due_on is None:
        return 0
    return max(((delivered_on or today) - due_on).days, 0)


# ---------------------------------------------------------------- IRM


def derive_starred(
    policies: PolicySet,
    assessed_on: dt.date,
    *,
    specificity: str,
    relevance: Iterable[str],
    potential_impact: str,
    completion: str,
) -> bool | None:
    """What the star rule in force on ``assessed_on`` derives; None without a rule or coding."""
    row = policies.find("irm.starred", assessed_on)
    if row is None or not (specificity and potential_impact and completion):
        return None
    p = row.params
    return (
        specificity in p["specificity"]
        and bool(set(relevance) & set(p["values"]))
        and potential_impact in p["potential_impact"]
        and completion in p["completion"]
    )


# ---------------------------------------------------------------- the parties' views


def disagreement(latest_by_party: Mapping[str, str]) -> bool:
    """True when parties' latest reports put the same work at different completion levels.

    "No evidence" is a statement about evidence, not a level, so it is not compared.
    """
    levels = {c for c in latest_by_party.values() if c and c != Completion.NO_EVIDENCE}
    return len(levels) > 1


def completion_rank(value: str) -> int:
    return COMPLETION_ORDER.get(value, -1)
