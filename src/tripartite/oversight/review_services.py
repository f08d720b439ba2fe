"""Write services of procedural review (domain §4; state machine C) and of the stored
readings of the compliance engine.

A contrary-to-process finding is recorded per member and plan cycle. When the rule in force
(``review.trigger``, PR-ESC) finds two consecutive cycles contrary, a procedural review
opens by itself in the same transaction and the member is placed under review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from tripartite.accounts.permissions import CONTRARY, INTERNATIONAL
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.policy import PolicySet
from tripartite.core.recording import require_key_free as _key_free
from tripartite.core.recording import require_live as _live
from tripartite.core.recording import save_record
from tripartite.core.services import service
from tripartite.forums.choices import MemberStatus
from tripartite.forums.models import Letter, Member
from tripartite.plans.models import ActionPlan, IrmReport

from . import services as committee
from .choices import Body, ReviewState
from .models import ComplianceReading, ContraryFinding, ProceduralReview, Resolution, ReviewStep
from .rules import RuleViolation, check_review_step

REVIEW_BODIES = frozenset({Body.SUPPORT_UNIT, Body.CRITERIA_STANDARDS, Body.SC})


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def _open_review(member: Member) -> ProceduralReview | None:
    return (
        ProceduralReview.objects.filter(member=member, retracted_at__isnull=True)
        .exclude(state=ReviewState.CLOSED)
        .first()
    )


@service(CONTRARY)
def record_contrary_finding(
    actor: Any,
    *,
    key: str,
    plan: ActionPlan,
    trigger: str,
    source: str,
    found_on: dt.date,
    explanation: str,
    irm_report: IrmReport | None = None,
    letter: Letter | None = None,
) -> ContraryFinding:
    """A member acted contrary to process in a plan's cycle. The second consecutive cycle so
    found opens a procedural review (PR-ESC) and places the member under review."""
    _live(plan, irm_report, letter)
    _key_free(ContraryFinding, key)
    if irm_report is not None and irm_report.plan_id != plan.pk:
        raise _invalid(_("The IRM report is about another plan."), "irm_report")
    if not explanation.strip():
        raise _invalid(_("Say what was contrary to process."), "explanation")
    finding = ContraryFinding(
        key=key,
        member=plan.member,
        plan=plan,
        trigger=trigger,
        source=source,
        found_on=found_on,
        explanation=explanation,
        irm_report=irm_report,
        letter=letter,
    )
    save_record(finding, actor=actor)
    _escalate(actor, finding)
    return finding


def _escalate(actor: Any, finding: ContraryFinding) -> ProceduralReview | None:
    """Open a review when the rule in force finds enough consecutive contrary cycles."""
    member = finding.member
    if _open_review(member) is not None:
        return None
    findings = list(
        ContraryFinding.objects.filter(member=member, retracted_at__isnull=True).select_related(
            "plan"
        )
    )
    policies = PolicySet.load()
    latest = policies.find("review.trigger", max(f.found_on for f in findings))
    if latest is None:
        return None
    needed = int(latest.params.get("consecutive", 2))
    numbers = {f.plan.number for f in findings}
    n = finding.plan.number
    # The windows of ``needed`` consecutive cycles that include this finding's cycle (a
    # finding may be recorded late, after a later cycle's).
    windows = [range(end - needed + 1, end + 1) for end in range(n, n + needed)]
    cycles = next((set(w) for w in windows if all(c in numbers for c in w)), None)
    if cycles is None:
        return None
    basis = [f for f in findings if f.plan.number in cycles]
    # The review opens when the window completes, under the rule in force that day.
    opened_on = max(f.found_on for f in basis)
    row = policies.find("review.trigger", opened_on)
    if row is None:
        return None
    # A member already out of the process (inactive, suspended, withdrawn) is not reviewed.
    if member.status != MemberStatus.ACTIVE:
        return None
    review = ProceduralReview(
        key=f"{member.key}-{max(cycles)}",
        member=member,
        opened_on=opened_on,
        state=ReviewState.OPEN,
        state_since=opened_on,
    )
    _key_free(ProceduralReview, review.key)

    def write() -> None:
        review.findings.set(basis)
        ReviewStep.objects.create(
            review=review,
            from_state=ReviewState.OPEN,
            to_state=ReviewState.OPEN,
            on=opened_on,
            actor_body=Body.CRITERIA_STANDARDS,
            document=row.public_id,
            note=_("Opened automatically: contrary to process in %(n)s consecutive cycles.")
            % {"n": needed},
        )

    save_record(review, actor=actor, write_related=write)
    committee.change_member_status(
        actor,
        member,
        to=MemberStatus.UNDER_REVIEW,
        on=opened_on,
        reason=_("Contrary to process in %(n)s consecutive action-plan cycles (%(findings)s).")
        % {"n": needed, "findings": ", ".join(f.public_id for f in basis)},
        review=review,
    )
    return review


@service(INTERNATIONAL)
def advance_review(
    actor: Any,
    review: ProceduralReview,
    *,
    to: str,
    on: dt.date,
    by: str,
    document: str = "",
    note: str = "",
    resolution: Resolution | None = None,
) -> ProceduralReview:
    """A step of a procedural review. Rectified returns the member to active; the member
    becomes inactive only by a Steering Committee resolution."""
    _live(review, resolution)
    if by not in REVIEW_BODIES:
        raise _invalid(
            _(
                "A procedural review is moved by the Support Unit, Criteria and Standards "
                "or the SC."
            ),
            "by",
        )
    if resolution is not None and resolution.member_id not in (None, review.member_id):
        raise _invalid(_("The resolution concerns another member."), "resolution")
    try:
        check_review_step(review.state, to)
    except RuleViolation as error:
        raise _invalid(str(error), "to") from error
    if on < review.state_since:
        raise _invalid(_("A later step cannot be dated before the current one."), "on")
    if to == ReviewState.MEMBER_INACTIVE and resolution is None:
        raise _invalid(
            _("Only a Steering Committee resolution makes a member under review inactive."),
            "resolution",
        )
    from_state = review.state
    review.state = to
    review.state_since = on
    if to == ReviewState.CLOSED:
        review.closed_on = on
        review.outcome = note

    def write() -> None:
        ReviewStep.objects.create(
            review=review,
            from_state=from_state,
            to_state=to,
            on=on,
            actor_body=by,
            document=document or (resolution.public_id if resolution else ""),
            note=note,
        )

    save_record(review, actor=actor, reason=note, write_related=write)
    member = review.member
    if to == ReviewState.RECTIFIED and member.status == MemberStatus.UNDER_REVIEW:
        committee.change_member_status(
            actor,
            member,
            to=MemberStatus.ACTIVE,
            on=on,
            reason=note or _("Rectified the actions that led to the review."),
            review=review,
            resolution=resolution,
        )
    if to == ReviewState.MEMBER_INACTIVE and member.status == MemberStatus.UNDER_REVIEW:
        committee.change_member_status(
            actor,
            member,
            to=MemberStatus.INACTIVE,
            on=on,
            reason=note or _("Not rectified; made inactive by the Steering Committee."),
            review=review,
            resolution=resolution,
        )
    return review


# ---------------------------------------------------------------- stored compliance readings


@service(INTERNATIONAL)
def store_compliance_reading(
    actor: Any,
    *,
    plan: ActionPlan,
    findings: Sequence[dict[str, Any]],
    fingerprint: str,
    computed_on: dt.date,
) -> tuple[ComplianceReading, bool]:
    """Keep the engine's reading of a plan cycle. A new version is written only when the
    findings changed; returns the reading and whether it changed."""
    _live(plan)
    findings = [dict(f) for f in findings]
    reading = ComplianceReading.objects.filter(plan=plan).first()
    if reading is not None:
        if reading.is_retracted:
            raise Conflict(_("The stored reading of this plan was retracted."))
        if reading.findings == findings:
            if reading.evidence_fingerprint != fingerprint:
                # Same reading from changed evidence: note the new fingerprint without a
                # new public version (nothing the public reads has changed).
                ComplianceReading.objects.filter(pk=reading.pk).update(
                    evidence_fingerprint=fingerprint
                )
                reading.evidence_fingerprint = fingerprint
            return reading, False
        reading.findings = findings
        reading.evidence_fingerprint = fingerprint
        reading.computed_on = computed_on
        save_record(reading, actor=actor, reason=_("The evidence changed."))
        return reading, True
    reading = ComplianceReading(
        key=plan.key,
        member=plan.member,
        plan=plan,
        findings=findings,
        evidence_fingerprint=fingerprint,
        computed_on=computed_on,
    )
    save_record(reading, actor=actor)
    return reading, True
