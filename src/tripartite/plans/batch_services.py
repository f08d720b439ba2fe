"""Batch services of action plans: many commitments, milestones, progress reports or
milestone updates of one plan in one call (the generator and importers use them).

Each checks its permission on the plan (the decorator) and, where the permission depends
on more than the plan (a progress report's party), on every distinct item scope; each
proves that every item belongs to the plan, validates every item as the one-record
service does, and writes with multi-row INSERTs through ``core.recording.save_records``,
so every record is versioned and logged like one written alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from tripartite.accounts.permissions import PLAN_EDITS, PLANS, PROGRESS
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.recording import (
    publish_many_changes,
    require_live,
    require_permission_for_each,
    save_records,
)
from tripartite.core.services import service

from .choices import PlanState
from .models import ActionPlan, Commitment, Milestone, ProgressReport
from .services import EDITABLE_FIELDS


def _outside(record: Any, plan: ActionPlan) -> InvalidInput:
    return InvalidInput(
        _("%(id)s does not belong to %(plan)s.") % {"id": record.public_id, "plan": plan.public_id}
    )


def _open(plan: ActionPlan) -> None:
    require_live(plan)
    if plan.state in (PlanState.ENDED, PlanState.RESULTS_ASSESSED):
        raise Conflict(_("The plan has ended; its commitments can no longer change."))


@service(PLANS)
def add_commitments(
    actor: Any, *, plan: ActionPlan, items: Sequence[Mapping[str, Any]]
) -> list[Commitment]:
    """Commitments of ``plan``, each keyed by its OGP id and numbered (``add_commitment``
    for a batch; supporting institutions and inputs are linked one by one afterwards)."""
    _open(plan)
    commitments = [Commitment(plan=plan, **item) for item in items]
    for commitment in commitments:
        require_live(commitment.lead_institution)
    save_records(commitments, actor=actor)
    return commitments


@service(PLANS)
def add_milestones(
    actor: Any, *, plan: ActionPlan, items: Sequence[Mapping[str, Any]]
) -> list[Milestone]:
    """Milestones of commitments of ``plan``; each item names its ``commitment``."""
    _open(plan)
    milestones = [Milestone(**item) for item in items]
    for milestone in milestones:
        if milestone.commitment.plan_id != plan.pk:
            raise _outside(milestone.commitment, plan)
        require_live(milestone.commitment, milestone.responsible)
    save_records(milestones, actor=actor)
    return milestones


def _first_report(actor: Any = None, *, items: Sequence[Mapping[str, Any]] = (), **_: Any) -> Any:
    first = items[0] if items else {}
    return {"commitment": first.get("commitment"), "party": first.get("party")}


@service(PROGRESS, target=_first_report)
def report_progress_many(
    actor: Any, *, plan: ActionPlan, items: Sequence[Mapping[str, Any]]
) -> list[ProgressReport]:
    """Progress reports on commitments of ``plan``, each by its party: the permission is
    checked for every (commitment, party) of the batch, as ``report_progress`` checks it."""
    require_permission_for_each(
        PROGRESS,
        actor,
        ({"commitment": item["commitment"], "party": item["party"]} for item in items),
    )
    reports = [ProgressReport(**item) for item in items]
    for report in reports:
        if report.commitment.plan_id != plan.pk:
            raise _outside(report.commitment, plan)
        require_live(report.commitment, report.milestone, report.author)
        if not (report.text or "").strip():
            raise InvalidInput(
                _("A report needs its text."), {"text": [_("This field is required.")]}
            )
    save_records(reports, actor=actor)
    return reports


def _plan_record(actor: Any = None, *, plan: ActionPlan | None = None, **_: Any) -> Any:
    return {"record": plan}


@service(PLAN_EDITS, target=_plan_record)
def update_milestones(
    actor: Any,
    *,
    plan: ActionPlan,
    changes: Sequence[tuple[Milestone, Mapping[str, Any]]],
    reason: str = "",
) -> list[Milestone]:
    """A new version of each milestone of ``plan`` with its fields changed (status and
    evidence as the work goes on): ``update_record`` for a batch."""
    require_live(plan)
    for milestone, _fields in changes:
        if milestone.commitment.plan_id != plan.pk:
            raise _outside(milestone, plan)
    publish_many_changes(changes, actor=actor, allowed=EDITABLE_FIELDS[Milestone], reason=reason)
    return [milestone for milestone, _fields in changes]
