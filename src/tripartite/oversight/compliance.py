"""The compliance engine: the versioned rules of domain §9.3, read from the records.

``evaluate(member, plan=None, today=None)`` returns one ``Finding`` per rule and plan
cycle. Which version of a rule applies is decided by the policy rows
(``core.policy.PolicySet``) in force on the plan's start; a rule whose version is not in
force then is ``not_applicable``. Findings are computed, never stored: change a meeting
date and the next evaluation reads differently. Every finding lists the public ids of the
records it used (``evidence``) or says which record it would need (``missing``).

All records of a member are loaded in a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.policy import PolicyRow, PolicySet
from tripartite.forums.choices import MeetingStatus, Sector
from tripartite.forums.models import Forum, Meeting, Member, Minutes, Seat
from tripartite.plans.choices import Completion, Moderation, PublicInfluence
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Input,
    IrmReport,
    ProgressReport,
    ReasonedResponse,
)
from tripartite.plans.rules import add_months, delivery_deadline

MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"
INSUFFICIENT = "insufficient_evidence"

STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    NOT_MET: gettext_lazy("Not met"),
    NOT_APPLICABLE: gettext_lazy("Not applicable"),
    INSUFFICIENT: gettext_lazy("Insufficient evidence"),
}

INFLUENCE_ORDER = {value: index for index, value in enumerate(PublicInfluence.values)}


@dataclass(frozen=True)
class Finding:
    """One rule's reading of one member's plan cycle."""

    rule: str
    member: str
    plan: str
    policy: str  # public id of the policy row (``policy/<key>``), "" when there is none
    era: str  # the row's period as an ISO 8601 interval: "2022-01-01/..", "2018-01-01/2021-12-31"
    status: str
    explanation: str
    evidence: tuple[str, ...] = ()
    missing: str = ""
    verified: bool = True  # whether the policy row's source was verified

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "member": self.member,
            "plan": self.plan,
            "policy": self.policy,
            "era": self.era,
            "verified": self.verified,
            "status": self.status,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "missing": self.missing,
        }


def era_of(row: PolicyRow | None) -> str:
    if row is None:
        return ""
    end = row.effective_to.isoformat() if row.effective_to else ".."
    return f"{row.effective_from.isoformat()}/{end}"


# ---------------------------------------------------------------- the records of a member


@dataclass
class MemberRecords:
    """What the rules read about a member, loaded once."""

    member: Member
    forums: Sequence[Forum]
    meetings: list[Meeting]  # held, not retracted, by date
    seats_by_forum: dict[int, list[Seat]]
    plans: list[ActionPlan]
    # Dated publications on the record (minutes, reasoned responses, progress reports,
    # documents filed): Tripartite is the member's repository, so these are its dated
    # updates (MR2.2).
    publications: list[tuple[dt.date, str]] = field(default_factory=list)


def load_records(member: Member, plan: ActionPlan | None = None) -> MemberRecords:
    """The member's forums, seats, held meetings and plans (with inputs, responses, IRM
    reports and assessments) in a fixed number of queries."""
    live = {"retracted_at__isnull": True}
    forums = list(
        Forum.objects.filter(member=member, **live).prefetch_related(
            Prefetch("seats", queryset=Seat.objects.filter(**live), to_attr="live_seats")
        )
    )
    meetings = list(
        Meeting.objects.filter(
            forum__member=member,
            forum__retracted_at__isnull=True,
            status=MeetingStatus.HELD,
            **live,
        )
        .select_related("minutes")
        .order_by("date", "key")
    )
    plans_qs = (
        ActionPlan.objects.filter(member=member, **live)
        .select_related("previous")
        .prefetch_related(
            Prefetch(
                "inputs",
                queryset=Input.objects.filter(moderation=Moderation.PUBLISHED, **live)
                .order_by("received_at", "id")
                .prefetch_related(
                    Prefetch(
                        "responses",
                        queryset=ReasonedResponse.objects.filter(**live),
                        to_attr="live_responses",
                    )
                ),
                to_attr="published_inputs",
            ),
            Prefetch(
                "irm_reports",
                queryset=IrmReport.objects.filter(**live).prefetch_related(
                    Prefetch(
                        "assessments",
                        queryset=Assessment.objects.filter(**live),
                        to_attr="live_assessments",
                    )
                ),
                to_attr="live_reports",
            ),
        )
        .order_by("number")
    )
    if plan is not None:
        plans_qs = plans_qs.filter(pk=plan.pk)
    plans: list[ActionPlan] = list(plans_qs)
    return MemberRecords(
        member=member,
        forums=forums,
        meetings=meetings,
        seats_by_forum={f.pk: list(f.live_seats) for f in forums},
        plans=plans,
        publications=_publications(member, plans),
    )


def _publications(member: Member, plans: Sequence[ActionPlan]) -> list[tuple[dt.date, str]]:
    """Every dated publication of the member's process on the record, oldest first."""
    live = {"retracted_at__isnull": True}
    found: list[tuple[dt.date, str]] = [
        (day, f"minutes/{key}")
        for day, key in Minutes.objects.filter(meeting__forum__member=member, **live).values_list(
            "published_on", "key"
        )
    ]
    found += [
        (day, f"response/{key}")
        for day, key in ReasonedResponse.objects.filter(plan__member=member, **live).values_list(
            "published_on", "key"
        )
    ]
    found += [
        (day, f"progress/{key}")
        for day, key in ProgressReport.objects.filter(
            commitment__plan__member=member, **live
        ).values_list("reported_on", "key")
    ]
    found += [(plan.delivered_on, plan.public_id) for plan in plans if plan.delivered_on]
    # Documents filed in the member's repository (the documents app), by their upload day.
    from tripartite.documents.models import DocumentVersion

    found += [
        (uploaded.date(), f"document/{key}")
        for uploaded, key in DocumentVersion.objects.filter(
            document__member=member, document__retracted_at__isnull=True
        ).values_list("uploaded_at", "document__key")
    ]
    return sorted(found)


# ---------------------------------------------------------------- the rules


@dataclass
class Context:
    records: MemberRecords
    plan: ActionPlan
    row: PolicyRow
    today: dt.date

    @property
    def cycle_end(self) -> dt.date:
        """The end of the cycle, or today while it runs."""
        return min(self.plan.end_on, self.today)

    def meetings_between(self, start: dt.date, end: dt.date) -> list[Meeting]:
        return [m for m in self.records.meetings if start <= m.date <= end]

    def sectors_on(self, forum_id: int, day: dt.date) -> set[str]:
        return {s.sector for s in self.records.seats_by_forum.get(forum_id, []) if s.held_on(day)}


@dataclass(frozen=True)
class Outcome:
    status: str
    explanation: str
    evidence: tuple[str, ...] = ()
    missing: str = ""


Check = Callable[[Context], Outcome]


@dataclass(frozen=True)
class Rule:
    rule_id: str
    code: str  # the policy code whose rows version it
    check: Check
    matches: Callable[[PolicyRow], bool] = field(default=lambda row: True)


def _no_forum() -> Outcome:
    return Outcome(
        INSUFFICIENT,
        _("No forum (space for dialogue) of this member is on the record."),
        missing=_("a forum record of the member, with its seats and meetings"),
    )


def check_meeting_gap(ctx: Context) -> Outcome:
    months = int(ctx.row.params["max_gap_months"])
    if not ctx.records.forums:
        return _no_forum()
    if ctx.today < ctx.plan.start_on:
        return Outcome(
            INSUFFICIENT,
            _("The cycle has not started yet (%(start)s).") % {"start": ctx.plan.start_on},
            missing=_("meetings held during the cycle"),
        )
    meetings = ctx.meetings_between(ctx.plan.start_on, ctx.cycle_end)
    points = [ctx.plan.start_on, *(m.date for m in meetings), ctx.cycle_end]
    worst: tuple[int, dt.date, dt.date] | None = None
    for before, after in itertools.pairwise(points):
        if after > add_months(before, months):
            gap = (after - before).days
            if worst is None or gap > worst[0]:
                worst = (gap, before, after)
    evidence = tuple(m.public_id for m in meetings)
    if worst is None:
        return Outcome(
            MET,
            _(
                "%(count)s held meetings from %(start)s to %(end)s; no gap longer than "
                "%(months)s months."
            )
            % {
                "count": len(meetings),
                "start": ctx.plan.start_on,
                "end": ctx.cycle_end,
                "months": months,
            },
            evidence,
        )
    return Outcome(
        NOT_MET,
        _(
            "No held meeting for %(days)s days, from %(from)s to %(to)s; the rule asks for a "
            "meeting at least every %(months)s months (%(count)s held meetings in the cycle)."
        )
        % {
            "days": worst[0],
            "from": worst[1],
            "to": worst[2],
            "months": months,
            "count": len(meetings),
        },
        evidence,
    )


def check_composition(ctx: Context) -> Outcome:
    required = set(ctx.row.params.get("sectors", [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY]))
    if not ctx.records.forums:
        return _no_forum()
    meetings = ctx.meetings_between(ctx.plan.start_on, ctx.cycle_end)
    if meetings:
        lacking = [m for m in meetings if not required <= ctx.sectors_on(m.forum_id, m.date)]
        if lacking:
            return Outcome(
                NOT_MET,
                _(
                    "%(count)s of %(total)s held meetings took place without seats of "
                    "both government and civil society (first: %(first)s on %(day)s)."
                )
                % {
                    "count": len(lacking),
                    "total": len(meetings),
                    "first": lacking[0].public_id,
                    "day": lacking[0].date,
                },
                tuple(m.public_id for m in lacking),
            )
        return Outcome(
            MET,
            _("Government and civil society held seats at each of the %(total)s meetings.")
            % {"total": len(meetings)},
            tuple(m.public_id for m in meetings),
        )
    seats = [
        s
        for forum in ctx.records.forums
        for s in ctx.records.seats_by_forum.get(forum.pk, [])
        if s.start_on <= ctx.cycle_end and (s.end_on is None or s.end_on >= ctx.plan.start_on)
    ]
    sectors = {s.sector for s in seats}
    evidence = tuple(s.public_id for s in seats)
    if required <= sectors:
        return Outcome(
            MET,
            _("No meeting held yet in the cycle; the membership includes both sectors."),
            evidence,
        )
    return Outcome(
        NOT_MET,
        _("The forum's membership during the cycle lacks: %(sectors)s.")
        % {"sectors": ", ".join(str(Sector(s).label) for s in sorted(required - sectors))},
        evidence,
    )


def check_rules_public(ctx: Context) -> Outcome:
    if not ctx.records.forums:
        return _no_forum()
    active = [
        f
        for f in ctx.records.forums
        if f.established_on <= ctx.plan.end_on
        and (f.dissolved_on is None or f.dissolved_on >= ctx.plan.start_on)
    ] or ctx.records.forums
    published = [f for f in active if f.rules_url]
    if published:
        return Outcome(
            MET,
            _("The participation rules of %(forum)s are published.") % {"forum": published[0].name},
            tuple(x for f in published for x in (f.public_id, f.rules_url)),
        )
    return Outcome(
        NOT_MET,
        _("No forum of the member has published participation rules on the record."),
        tuple(f.public_id for f in active),
        _("the address of the forum's published participation rules (its rules URL)"),
    )


def check_repository_updates(ctx: Context) -> Outcome:
    """At least N dated updates in each full year of the cycle (12 months from its start)."""
    needed = int(ctx.row.params.get("min_updates_per_year", 2))
    start, end = ctx.plan.start_on, ctx.cycle_end
    cycle = [(d, ref) for d, ref in ctx.records.publications if start <= d <= end]
    if not cycle:
        return Outcome(
            INSUFFICIENT,
            _("No dated publication of this cycle is on the record."),
            missing=_(
                "the cycle's dated publications (minutes, reasoned responses, progress "
                "reports), or the member's own repository"
            ),
        )
    years: list[tuple[dt.date, dt.date]] = []
    year_start = start
    while add_months(year_start, 12) - dt.timedelta(days=1) <= end:
        years.append((year_start, add_months(year_start, 12) - dt.timedelta(days=1)))
        year_start = add_months(year_start, 12)
    if not years:
        return Outcome(
            INSUFFICIENT,
            _("The cycle has not yet run a full year (%(count)s updates so far).")
            % {"count": len({d for d, _ref in cycle})},
            tuple(ref for _d, ref in cycle),
            missing=_("a full year of the cycle"),
        )
    for first, last in years:
        days = {d for d, _ref in cycle if first <= d <= last}
        if len(days) < needed:
            return Outcome(
                NOT_MET,
                _(
                    "From %(first)s to %(last)s the record was updated on %(count)s days; "
                    "the rule asks for at least %(needed)s."
                )
                % {"first": first, "last": last, "count": len(days), "needed": needed},
                tuple(ref for d, ref in cycle if first <= d <= last),
            )
    return Outcome(
        MET,
        _("Updated at least %(needed)s times in each of the cycle's %(years)s full years.")
        % {"needed": needed, "years": len(years)},
        tuple(ref for _d, ref in cycle),
    )


def check_minutes_published(ctx: Context) -> Outcome:
    """Every forum meeting held in the cycle has its minutes published."""
    held = ctx.meetings_between(ctx.plan.start_on, ctx.cycle_end)
    if not held:
        return Outcome(
            INSUFFICIENT,
            _("No forum meeting held in this cycle is on the record."),
            missing=_("the forum's meetings of the cycle"),
        )
    without = [m for m in held if _live_minutes(m) is None]
    if without:
        return Outcome(
            NOT_MET,
            _("%(count)s of %(total)s meetings held have no published minutes.")
            % {"count": len(without), "total": len(held)},
            tuple(m.public_id for m in without),
            missing=_("the minutes of %(meetings)s")
            % {"meetings": ", ".join(m.public_id for m in without)},
        )
    return Outcome(
        MET,
        _("The minutes of all %(total)s meetings held are published.") % {"total": len(held)},
        tuple(_live_minutes(m).public_id for m in held),  # type: ignore[union-attr]
    )


def _live_minutes(meeting: Meeting) -> Minutes | None:
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return None
    return None if minutes.is_retracted else minutes


def check_needs_documents(ctx: Context) -> Outcome:
    return Outcome(
        INSUFFICIENT,
        _("The OGP website and document repository are not on the record yet."),
        missing=_(
            "records of the OGP website and its dated repository updates "
            "(they come with the documents app)"
        ),
    )


def check_reasoned_response(ctx: Context) -> Outcome:
    inputs: list[Input] = ctx.plan.published_inputs  # type: ignore[attr-defined]
    if not inputs:
        return Outcome(
            INSUFFICIENT,
            _("No published co-creation input for this plan is on the record."),
            missing=_("the plan's published co-creation input and the responses to it"),
        )
    unanswered = [i for i in inputs if not i.live_responses]  # type: ignore[attr-defined]
    responses = sorted(
        {r.public_id for i in inputs for r in i.live_responses}  # type: ignore[attr-defined]
    )
    if unanswered:
        return Outcome(
            NOT_MET,
            _("%(count)s of %(total)s published inputs have no reasoned response.")
            % {"count": len(unanswered), "total": len(inputs)},
            tuple(i.public_id for i in unanswered),
        )
    return Outcome(
        MET,
        _("All %(total)s published inputs have a reasoned response.") % {"total": len(inputs)},
        tuple(responses),
    )


def check_implementation_meetings(ctx: Context) -> Outcome:
    per_year = int(ctx.row.params.get("per_year", 2))
    delivered = ctx.plan.delivered_on
    if delivered is None:
        return Outcome(
            INSUFFICIENT,
            _("The plan has no delivery date, so implementation has not started."),
            missing=_("the plan's delivery date"),
        )
    if not ctx.records.forums:
        return _no_forum()
    used: list[Meeting] = []
    short: list[str] = []
    judged = 0
    year = 0
    while True:
        start = add_months(delivered, 12 * year)
        if start > ctx.plan.end_on:
            break
        end = min(add_months(delivered, 12 * (year + 1)) - dt.timedelta(days=1), ctx.plan.end_on)
        year += 1
        if end > ctx.today:
            break  # this year of implementation is still running
        days = (end - start).days + 1
        required = min(per_year, round(per_year * days / 365))
        held = [
            m
            for m in ctx.meetings_between(start, end)
            if Sector.CIVIL_SOCIETY in ctx.sectors_on(m.forum_id, m.date)
        ]
        used += held
        judged += 1
        if len(held) < required:
            short.append(
                _("%(start)s to %(end)s: %(held)s of %(required)s")
                % {"start": start, "end": end, "held": len(held), "required": required}
            )
    evidence = tuple(m.public_id for m in used)
    if judged == 0:
        return Outcome(
            INSUFFICIENT,
            _("No full year of implementation has passed since delivery (%(day)s).")
            % {"day": delivered},
            evidence,
            _("a completed year of implementation"),
        )
    if short:
        return Outcome(
            NOT_MET,
            _(
                "Fewer than %(n)s meetings with civil society seated in a year of "
                "implementation: %(years)s."
            )
            % {"n": per_year, "years": "; ".join(short)},
            evidence,
        )
    return Outcome(
        MET,
        _(
            "At least %(n)s meetings with civil society seated in each of %(years)s years "
            "of implementation."
        )
        % {"n": per_year, "years": judged},
        evidence,
    )


def _delivery(ctx: Context) -> Outcome:
    plan = ctx.plan
    previous_end = plan.previous.end_on if plan.previous is not None else None
    deadline = delivery_deadline(PolicySet([ctx.row]), plan.start_on, previous_end)
    if deadline.contrary_from is None:
        return Outcome(
            NOT_APPLICABLE,
            _("A first plan (no previous plan on the record) has no such deadline."),
            (plan.public_id,),
        )
    evidence = tuple(
        x for x in (plan.public_id, plan.previous.public_id if plan.previous else None) if x
    )
    delivered = plan.delivered_on
    values = {"due": deadline.due_on, "limit": deadline.contrary_from, "day": delivered}
    if delivered is None:
        if ctx.today >= deadline.contrary_from:
            return Outcome(
                NOT_MET,
                _("Not delivered; delivery on or after %(limit)s is contrary to process.") % values,
                evidence,
            )
        return Outcome(
            INSUFFICIENT,
            _("Not delivered yet; due %(due)s, contrary to process from %(limit)s.") % values,
            evidence,
            _("the plan's delivery date"),
        )
    if delivered >= deadline.contrary_from:
        return Outcome(
            NOT_MET,
            _("Delivered on %(day)s, on or after %(limit)s (due %(due)s).") % values,
            evidence,
        )
    return Outcome(
        MET, _("Delivered on %(day)s, before %(limit)s (due %(due)s).") % values, evidence
    )


def check_progress(ctx: Context) -> Outcome:
    no_progress = set(ctx.row.params.get("no_progress", [Completion.NOT_STARTED]))
    assessments: list[Assessment] = [
        a
        for report in ctx.plan.live_reports  # type: ignore[attr-defined]
        for a in report.live_assessments
        if a.completion
    ]
    if not assessments:
        return Outcome(
            INSUFFICIENT,
            _("No IRM assessment of completion for this plan's commitments is on the record."),
            missing=_("an IRM report assessing the completion of the plan's commitments"),
        )
    progressed = [a for a in assessments if a.completion not in no_progress]
    if progressed:
        return Outcome(
            MET,
            _("The IRM found progress on %(count)s of %(total)s assessed commitments.")
            % {
                "count": len({a.commitment_id for a in progressed}),
                "total": len({a.commitment_id for a in assessments}),
            },
            tuple(a.public_id for a in progressed),
        )
    return Outcome(
        NOT_MET,
        _("The IRM found no progress on any of the %(total)s assessed commitments.")
        % {"total": len({a.commitment_id for a in assessments})},
        tuple(a.public_id for a in assessments),
    )


def check_influence(ctx: Context) -> Outcome:
    minimum = str(ctx.row.params.get("minimum", PublicInfluence.INVOLVE))
    rated = [
        r
        for r in ctx.plan.live_reports  # type: ignore[attr-defined]
        if r.public_influence
    ]
    if not rated:
        return Outcome(
            INSUFFICIENT,
            _("No IRM report on this plan rates the level of public influence."),
            missing=_("an IRM report with the level of public influence during development"),
        )
    first = sorted(rated, key=lambda r: (r.published_on or dt.date.max, r.pk))[0]
    values = {
        "level": PublicInfluence(first.public_influence).label,
        "minimum": PublicInfluence(minimum).label,
        "report": first.public_id,
    }
    if INFLUENCE_ORDER[first.public_influence] >= INFLUENCE_ORDER[minimum]:
        return Outcome(
            MET,
            _("The IRM rated public influence %(level)s (minimum %(minimum)s) in %(report)s.")
            % values,
            (first.public_id,),
        )
    return Outcome(
        NOT_MET,
        _("The IRM rated public influence %(level)s, below %(minimum)s, in %(report)s.") % values,
        (first.public_id,),
    )


def _rule_id(name: str) -> Callable[[PolicyRow], bool]:
    return lambda row: row.params.get("rule_id") == name


RULES: dict[str, Rule] = {
    rule.rule_id: rule
    for rule in (
        Rule("MR1.1-freq", "forum.meeting_gap", check_meeting_gap, _rule_id("MR1.1-freq")),
        Rule("F2017-freq", "forum.meeting_gap", check_meeting_gap, _rule_id("F2017-freq")),
        Rule("MR1.1-mix", "forum.composition", check_composition),
        Rule("MR1.1-rules", "forum.rules_public", check_rules_public),
        Rule("MR2.1", "process.website", check_needs_documents),
        Rule("MR2.2", "process.repository", check_repository_updates),
        Rule("MINUTES", "forum.minutes", check_minutes_published),
        Rule("MR4.1", "cocreation.reasoned_response", check_reasoned_response),
        Rule("MR5.1", "forum.implementation_meetings", check_implementation_meetings),
        # Late delivery reads the plan.delivery rows that give a contrary-to-process day.
        Rule(
            "LATE-2018",
            "plan.delivery",
            _delivery,
            lambda row: (
                row.params.get("rule") == "fixed_date"
                and bool(row.params.get("contrary_after_months"))
            ),
        ),
        Rule(
            "LATE-2022",
            "plan.delivery",
            _delivery,
            lambda row: row.params.get("rule") == "after_previous_end",
        ),
        Rule("PROG", "irm.progress", check_progress),
        Rule("INVOLVE", "irm.minimum_influence", check_influence),
    )
}
# The order of the rules in every report (domain §9.3).
RULE_IDS = tuple(RULES)


# ---------------------------------------------------------------- evaluation


def _evaluate_plan(
    records: MemberRecords, plan: ActionPlan, policies: PolicySet, today: dt.date
) -> Iterable[Finding]:
    for rule in RULES.values():
        row = policies.find(rule.code, plan.start_on)
        member, plan_id = records.member.public_id, plan.public_id
        if row is None or not rule.matches(row):
            versions = [r for r in policies.rows(rule.code) if rule.matches(r)]
            version = versions[-1] if versions else None
            yield Finding(
                rule=rule.rule_id,
                member=member,
                plan=plan_id,
                policy=version.public_id if version else "",
                era=era_of(version),
                verified=version.verified if version else False,
                status=NOT_APPLICABLE,
                explanation=(
                    _("The plan starts on %(start)s, outside this rule's period (%(era)s).")
                    % {"start": plan.start_on, "era": era_of(version)}
                    if version
                    else _("No version of this rule is on the record.")
                ),
            )
            continue
        outcome = rule.check(Context(records, plan, row, today))
        yield Finding(
            rule=rule.rule_id,
            member=member,
            plan=plan_id,
            policy=row.public_id,
            era=era_of(row),
            verified=row.verified,
            status=outcome.status,
            explanation=outcome.explanation,
            evidence=outcome.evidence,
            missing=outcome.missing,
        )


def evaluate(
    member: Member,
    cycle_plan: ActionPlan | None = None,
    today: dt.date | None = None,
    policies: PolicySet | None = None,
) -> list[Finding]:
    """The findings of every rule for ``cycle_plan`` (or each of the member's plans)."""
    return evaluate_records(load_records(member, cycle_plan), today, policies)


def evaluate_records(
    records: MemberRecords, today: dt.date | None = None, policies: PolicySet | None = None
) -> list[Finding]:
    """The findings of every rule for the plans of records already loaded."""
    today = today or timezone.localdate()
    policies = policies or PolicySet.load()
    return [
        finding
        for plan in records.plans
        for finding in _evaluate_plan(records, plan, policies, today)
    ]
