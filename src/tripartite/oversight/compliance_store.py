"""Keeping the compliance engine's readings on the record, and acting on them.

``refresh(member)`` evaluates a member (``compliance.evaluate``), stores one reading per
plan cycle (a new logged version only when the findings changed), and records the
contrary-to-process findings the current triggers define (domain §4): a plan delivered
late by the calendar in force, the IRM finding no progress on any commitment, or an IRM
report that found the member acted contrary to process. Recording the second consecutive
one opens a procedural review (``review_services``).

It runs from ``tripartite compliance check`` and, after each committed change to the
records a reading depends on, from the worker (``oversight.tasks``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.core.policy import PolicySet
from tripartite.forums.models import Member
from tripartite.plans.models import ActionPlan

from . import review_services
from .choices import ContraryTrigger, FindingSource
from .compliance import NOT_MET, Finding, MemberRecords, evaluate_records, load_records
from .models import ContraryFinding

# Record types whose change can change a reading: the engine reads these (and policy rows).
EVIDENCE_TYPES = frozenset(
    {
        "forum",
        "seat",
        "meeting",
        "minutes",
        "plan",
        "input",
        "response",
        "irm-report",
        "assessment",
        "policy",
    }
)
# Engine rules whose "not met" is a contrary-to-process trigger of the current policy.
TRIGGER_RULES = {
    "LATE-2018": ContraryTrigger.LATE_PLAN,
    "LATE-2022": ContraryTrigger.LATE_PLAN,
    "PROG": ContraryTrigger.NO_PROGRESS,
}


def evidence_of(records: MemberRecords, policies: PolicySet) -> str:
    """The identity and version of every record (and policy row) a member's readings use,
    in a fixed order: computed once per member, then hashed with each plan's id."""
    parts: list[str] = []
    for forum in records.forums:
        parts.append(f"{forum.public_id}@{forum.version}")
        parts.extend(f"{s.public_id}@{s.version}" for s in records.seats_by_forum[forum.pk])
    parts.extend(f"{m.public_id}@{m.version}" for m in records.meetings)
    for item in records.plans:
        parts.append(f"{item.public_id}@{item.version}")
        for entry in item.published_inputs:  # type: ignore[attr-defined]
            parts.append(f"{entry.public_id}@{entry.version}")
            parts.extend(f"{r.public_id}@{r.version}" for r in entry.live_responses)
        for report in item.live_reports:  # type: ignore[attr-defined]
            parts.append(f"{report.public_id}@{report.version}")
            parts.extend(f"{a.public_id}@{a.version}" for a in report.live_assessments)
    parts.extend(f"{row.public_id}:{sorted(row.params.items())}" for row in policies.all_rows())
    return "\n".join(sorted(parts))


def fingerprint(evidence: str, plan: ActionPlan) -> str:
    """SHA-256 over a member's evidence (``evidence_of``) and the plan cycle read from it."""
    return hashlib.sha256(f"{evidence}\n{plan.public_id}".encode()).hexdigest()


@dataclass
class RefreshResult:
    member: Member
    findings: list[Finding]
    changed: list[str] = field(default_factory=list)  # public ids of readings that changed
    contrary: list[str] = field(default_factory=list)  # public ids of findings recorded


def _contrary_from(plan: ActionPlan, finding: Finding) -> dict[str, Any] | None:
    trigger = TRIGGER_RULES.get(finding.rule)
    if trigger is None or finding.status != NOT_MET:
        return None
    return {
        "trigger": trigger,
        "source": FindingSource.COMPLIANCE_ENGINE
        if trigger == ContraryTrigger.LATE_PLAN
        else FindingSource.IRM_REPORT,
        "explanation": f"{finding.rule}: {finding.explanation}",
    }


def _found_on(plan: ActionPlan, today: dt.date) -> dt.date:
    return plan.delivered_on or min(plan.due_on or today, today)


def _record_contrary(
    actor: Any,
    plan: ActionPlan,
    findings: Iterable[Finding],
    today: dt.date,
    existing: set[str],
) -> list[str]:
    recorded: list[str] = []
    wanted: dict[str, dict[str, Any]] = {}
    for finding in findings:
        contrary = _contrary_from(plan, finding)
        if contrary is not None:
            wanted.setdefault(contrary["trigger"], contrary)
    for report in plan.live_reports:  # type: ignore[attr-defined]
        if report.acted_contrary_to_process and report.state == "final":
            wanted.setdefault(
                ContraryTrigger.MINIMUM_REQUIREMENTS,
                {
                    "trigger": ContraryTrigger.MINIMUM_REQUIREMENTS,
                    "source": FindingSource.IRM_REPORT,
                    "irm_report": report,
                    "explanation": report.contrary_reasons
                    or _("The IRM found that the member acted contrary to OGP process."),
                    "found_on": report.published_on,
                },
            )
    for trigger, contrary in wanted.items():
        if trigger in existing:
            continue
        found = review_services.record_contrary_finding(
            actor,
            key=f"{plan.key}-{trigger}".replace("_", "-")[:120],
            plan=plan,
            trigger=trigger,
            source=contrary["source"],
            found_on=contrary.get("found_on") or _found_on(plan, today),
            explanation=contrary["explanation"],
            irm_report=contrary.get("irm_report"),
        )
        recorded.append(found.public_id)
    return recorded


def refresh(
    member: Member,
    *,
    actor: Any,
    today: dt.date | None = None,
    policies: PolicySet | None = None,
) -> RefreshResult:
    """Evaluate ``member``, store its readings, and record the contrary findings they show."""
    today = today or timezone.localdate()
    policies = policies or PolicySet.load()
    records = load_records(member)
    findings = evaluate_records(records, today, policies)
    result = RefreshResult(member=member, findings=findings)
    recorded: dict[int, set[str]] = {}
    for plan_id, trigger in ContraryFinding.objects.filter(
        member=member, retracted_at__isnull=True
    ).values_list("plan_id", "trigger"):
        recorded.setdefault(plan_id, set()).add(trigger)
    evidence = evidence_of(records, policies)
    for plan in records.plans:
        own = [f for f in findings if f.plan == plan.public_id]
        reading, changed = review_services.store_compliance_reading(
            actor,
            plan=plan,
            findings=[f.as_dict() for f in own],
            fingerprint=fingerprint(evidence, plan),
            computed_on=today,
        )
        if changed:
            result.changed.append(reading.public_id)
        result.contrary.extend(
            _record_contrary(actor, plan, own, today, recorded.get(plan.pk, set()))
        )
    return result
