"""The Steering Committee's rules as pure functions: state machines A, C and D, terms,
co-chair years and filer eligibility (shared/domain/ogp-process.md §1, §4, §5, §9.2).

Nothing here touches the database; the services call these and turn a ``RuleViolation``
into the service layer's clear 422. Numbers that OGP changes over time (term length,
minutes deadline, Response Policy day-counts) come from policy rows, passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tripartite.core.policy import PolicyRow, PolicySet
from tripartite.forums.choices import MemberStatus
from tripartite.plans.rules import add_months

from .choices import Body, CaseState, FilerCategory, ReviewState


class RuleViolation(Exception):
    """A step the rules do not allow; the message says which rule and why."""


# ---------------------------------------------------------------- A. member status

S = MemberStatus
STATUS_TRANSITIONS: Mapping[str, frozenset[str]] = {
    S.APPLICANT: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.UNDER_REVIEW, S.INACTIVE, S.SUSPENDED, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.ACTIVE, S.INACTIVE, S.WITHDRAWN}),
    S.INACTIVE: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}
# What must stand behind each kind of change (domain §1.7, §9.2 A).
NEEDS_RESOLUTION = frozenset({S.INACTIVE, S.SUSPENDED})


def status_label(value: str) -> str:
    return str(dict(MemberStatus.choices).get(value, value))


def check_status_change(
    current: str,
    to: str,
    *,
    has_resolution: bool,
    has_letter: bool,
    has_review: bool,
) -> None:
    """Refuse a status change state machine A does not allow, or one without its basis."""
    if to == current:
        raise RuleViolation(
            _("The member is already %(status)s.") % {"status": status_label(current)}
        )
    if to not in STATUS_TRANSITIONS.get(current, frozenset()):
        raise RuleViolation(
            _("A member cannot go from %(from)s to %(to)s.")
            % {"from": status_label(current), "to": status_label(to)}
        )
    if to in NEEDS_RESOLUTION and not has_resolution:
        raise RuleViolation(
            _("Only a Steering Committee resolution can make a member %(status)s.")
            % {"status": status_label(to)}
        )
    if to == S.UNDER_REVIEW and not has_review:
        raise RuleViolation(
            _("A member is placed under procedural review only by an open procedural review.")
        )
    if to == S.WITHDRAWN and not (has_letter or has_resolution):
        raise RuleViolation(
            _(
                "A withdrawal needs the government's letter, the Support Unit's letter noting "
                "it, or the resolution that ended the membership."
            )
        )
    if current in (S.INACTIVE, S.SUSPENDED) and to == S.ACTIVE and not has_resolution:
        raise RuleViolation(_("Only a resolution returns an inactive member to active status."))
    if current == S.UNDER_REVIEW and to == S.ACTIVE and not (has_resolution or has_review):
        raise RuleViolation(
            _("A member leaves procedural review when the review records it as rectified.")
        )


# ---------------------------------------------------------------- D. concern cases

C = CaseState
CASE_TRANSITIONS: Mapping[str, frozenset[str]] = {
    C.RECEIVED: frozenset({C.ACKNOWLEDGED}),
    C.ACKNOWLEDGED: frozenset({C.ELIGIBILITY_REVIEW}),
    C.ELIGIBILITY_REVIEW: frozenset({C.ELIGIBLE, C.INELIGIBLE}),
    C.ELIGIBLE: frozenset({C.MERITS_REVIEW}),
    C.MERITS_REVIEW: frozenset({C.REPORT_ADOPTED}),
    # A case may also be closed by resolution once the report is adopted (Mexico 2019).
    C.REPORT_ADOPTED: frozenset({C.NOT_UPHELD, C.STAGE_ONE, C.RESOLVED}),
    C.STAGE_ONE: frozenset({C.RESOLVED, C.STAGE_TWO}),
    C.STAGE_TWO: frozenset({C.EXTENSION_REVIEW, C.RESOLVED}),
    C.EXTENSION_REVIEW: frozenset({C.RESOLVED, C.EXTENDED}),
    C.EXTENDED: frozenset({C.EXTENSION_REVIEW, C.RESOLVED}),
}
CLOSED = frozenset({C.INELIGIBLE, C.NOT_UPHELD, C.RESOLVED, C.MEMBER_WITHDREW})
# Which body takes each step (domain §5.3): the Support Unit acknowledges and reviews
# eligibility, Criteria and Standards reviews the merits, the SC votes on sanctions.
STEP_BODIES: Mapping[str, frozenset[str]] = {
    C.ACKNOWLEDGED: frozenset({Body.SUPPORT_UNIT}),
    C.ELIGIBILITY_REVIEW: frozenset({Body.SUPPORT_UNIT}),
    C.ELIGIBLE: frozenset({Body.SUPPORT_UNIT}),
    C.INELIGIBLE: frozenset({Body.SUPPORT_UNIT}),
    C.MERITS_REVIEW: frozenset({Body.CRITERIA_STANDARDS}),
    C.REPORT_ADOPTED: frozenset({Body.CRITERIA_STANDARDS}),
    C.NOT_UPHELD: frozenset({Body.CRITERIA_STANDARDS}),
    C.STAGE_ONE: frozenset({Body.CRITERIA_STANDARDS, Body.SC}),
    C.STAGE_TWO: frozenset({Body.SC}),
    C.EXTENSION_REVIEW: frozenset({Body.CRITERIA_STANDARDS}),
    C.EXTENDED: frozenset({Body.SC}),
    C.RESOLVED: frozenset({Body.CRITERIA_STANDARDS, Body.SC}),
    C.MEMBER_WITHDREW: frozenset({Body.GOVERNMENT, Body.SUPPORT_UNIT}),
}
# Steps that are decisions of a body and so need its resolution behind them.
NEEDS_CASE_RESOLUTION = frozenset({C.STAGE_TWO, C.EXTENDED})


def case_state_label(value: str) -> str:
    return str(dict(CaseState.choices).get(value, value))


def body_label(value: str) -> str:
    return str(dict(Body.choices).get(value, value))


def check_case_step(current: str, to: str, *, by: str, has_resolution: bool) -> None:
    """Refuse a case step state machine D does not allow, or taken by the wrong body."""
    if current in CLOSED:
        raise RuleViolation(
            _("The case is closed (%(state)s); nothing more can happen in it.")
            % {"state": case_state_label(current)}
        )
    # A government may withdraw from OGP at any point of an open case (Hungary 2016).
    allowed = CASE_TRANSITIONS.get(current, frozenset()) | {C.MEMBER_WITHDREW}
    if to not in allowed:
        raise RuleViolation(
            _("A case cannot go from %(from)s to %(to)s; next can come: %(next)s.")
            % {
                "from": case_state_label(current),
                "to": case_state_label(to),
                "next": ", ".join(case_state_label(s) for s in sorted(allowed)),
            }
        )
    bodies = STEP_BODIES.get(to, frozenset())
    if by not in bodies:
        raise RuleViolation(
            _("%(state)s is a step for %(bodies)s, not for %(by)s.")
            % {
                "state": case_state_label(to),
                "bodies": ", ".join(body_label(b) for b in sorted(bodies)),
                "by": body_label(by),
            }
        )
    if to in NEEDS_CASE_RESOLUTION and not has_resolution:
        raise RuleViolation(
            _("%(state)s needs the Steering Committee's resolution behind it.")
            % {"state": case_state_label(to)}
        )


def commit_to_note(note: str, salt: str) -> str:
    """The salted SHA-256 commitment the public record keeps for a confidential note."""
    return hashlib.sha256(bytes.fromhex(salt) + note.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    rule: PolicyRow


# The policy row that sets the deadline of the step after each state, when there is one.
CASE_DEADLINE_CODES: Mapping[str, str] = {
    C.RECEIVED: "case.acknowledge",
    C.ELIGIBILITY_REVIEW: "case.eligibility",
    C.ELIGIBLE: "case.government_response",
    C.STAGE_TWO: "case.stage_two",
    C.EXTENDED: "case.stage_two",
}


def case_deadline(policies: PolicySet, state: str, since: dt.date) -> Deadline | None:
    """When the next step is due, if a policy row in force sets a number for it.

    The Response Policy's day-counts were not published (domain §5.3): the seed rows
    carry no number and so give no deadline until staff record a sourced row.
    """
    code = CASE_DEADLINE_CODES.get(state)
    if code is None:
        return None
    row = policies.find(code, since)
    if row is None:
        return None
    if row.params.get("days") is not None:
        return Deadline(since + dt.timedelta(days=int(row.params["days"])), row)
    if row.params.get("months") is not None:
        return Deadline(add_months(since, int(row.params["months"])), row)
    return None


def check_filer(
    category: str,
    *,
    is_person: bool,
    sector: str,
    organization_member_key: str | None,
    case_member_key: str,
    holds_sc_seat: bool,
) -> None:
    """Who may file (domain §5.2): SC members, multilateral partners, and entities involved
    in OGP and in the country concerned. Never an individual acting on their own behalf."""
    if is_person:
        raise RuleViolation(
            _(
                "An individual acting on his or her own behalf cannot file a concern under the "
                "Response Policy; an eligible organisation must file it."
            )
        )
    if category == FilerCategory.SC_MEMBER and not holds_sc_seat:
        raise RuleViolation(
            _("The organisation did not hold a Steering Committee seat when the case was filed.")
        )
    if category == FilerCategory.MULTILATERAL_PARTNER and sector != "multilateral":
        raise RuleViolation(
            _("Only a multilateral organisation can file as a multilateral partner.")
        )
    if category == FilerCategory.INVOLVED_ENTITY and organization_member_key != case_member_key:
        raise RuleViolation(
            _(
                "An entity files as involved in OGP only about the country where it takes "
                "part in the OGP process."
            )
        )


# ---------------------------------------------------------------- C. procedural review

R = ReviewState
REVIEW_TRANSITIONS: Mapping[str, frozenset[str]] = {
    R.OPEN: frozenset({R.SUPPORT_PLAN, R.RECTIFIED, R.ESCALATED}),
    R.SUPPORT_PLAN: frozenset({R.RECTIFIED, R.ESCALATED}),
    R.RECTIFIED: frozenset({R.CLOSED}),
    R.ESCALATED: frozenset({R.MEMBER_INACTIVE, R.RECTIFIED}),
    R.MEMBER_INACTIVE: frozenset({R.CLOSED}),
    R.CLOSED: frozenset(),
}


def review_state_label(value: str) -> str:
    return str(dict(ReviewState.choices).get(value, value))


def check_review_step(current: str, to: str) -> None:
    if to not in REVIEW_TRANSITIONS.get(current, frozenset()):
        raise RuleViolation(
            _("A procedural review cannot go from %(from)s to %(to)s.")
            % {"from": review_state_label(current), "to": review_state_label(to)}
        )


# ---------------------------------------------------------------- terms and co-chairs


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date
    rule: PolicyRow | None


def sc_term(policies: PolicySet, start: dt.date) -> Term:
    """A Steering Committee term from the row in force: it starts on its start day (1 October)
    and runs its number of years to the day before the same date."""
    row = policies.find("sc.term", start)
    if row is None:
        raise RuleViolation(
            _("No Steering Committee term rule is in force on %(day)s.")
            % {"day": start.isoformat()}
        )
    month, day = int(row.params.get("start_month", 10)), int(row.params.get("start_day", 1))
    if (start.month, start.day) != (month, day):
        raise RuleViolation(
            _("A Steering Committee term starts on %(date)s of the year (rule %(rule)s).")
            % {"date": date_format(dt.date(2000, month, day), "j F"), "rule": row.public_id}
        )
    years = int(row.params.get("years", 3))
    end = dt.date(start.year + years, month, day) - dt.timedelta(days=1)
    return Term(start, end, row)


def max_consecutive_terms(policies: PolicySet, day: dt.date) -> int:
    row = policies.find("sc.term", day)
    return int(row.params.get("max_consecutive", 2)) if row else 2


def seats_per_constituency(policies: PolicySet, day: dt.date) -> int | None:
    row = policies.find("sc.size", day)
    return int(row.params["per_constituency"]) if row else None


def co_chair_year(start: dt.date) -> tuple[dt.date, dt.date]:
    """A co-chair year runs 1 October to 30 September (domain §1.3)."""
    if (start.month, start.day) != (10, 1):
        raise RuleViolation(_("A co-chair year starts on 1 October."))
    return start, dt.date(start.year + 1, 9, 30)


def minutes_due(policies: PolicySet, ended: dt.date) -> Deadline | None:
    row = policies.find("sc.minutes", ended)
    if row is None or row.params.get("days") is None:
        return None
    return Deadline(ended + dt.timedelta(days=int(row.params["days"])), row)
