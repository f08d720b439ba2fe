"""Write services of action plans. Every write of the app goes through here.

Each function checks its declared permission, validates (the rules in ``plans.rules``,
the policy rows in force), writes the rows and appends a version in one transaction.
Co-creation input is the one thing the public may write; it stays private until a
moderator publishes or withholds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import IRM_WORK, JOINT, PLAN_EDITS, PLANS, PROGRESS
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.core.permissions import PUBLIC_CONTRIBUTION
from tripartite.core.policy import PolicySet
from tripartite.core.recording import (
    publish_changes,
    retract_record,
    save_record,
    validation_to_invalid,
)
from tripartite.core.recording import (
    require_key_free as _key_free,
)
from tripartite.core.recording import (
    require_live as _live,
)
from tripartite.core.services import service
from tripartite.forums.models import Forum, Member, Organization

from .choices import RESULTS_REPORTS, Moderation, PlanState, ReportState
from .models import (
    ActionPlan,
    Assessment,
    Commitment,
    Input,
    IrmReport,
    Milestone,
    PlanTransition,
    ProgressReport,
    ReasonedResponse,
)
from .rules import (
    PlanFacts,
    RuleViolation,
    check_length,
    check_transition,
    co_creation_open,
    delivery_deadline,
)
from .rules import refresh_due as rule_refresh_due

# Fields a later version may change, per record type. Links that define what a record is
# (its plan, its commitment), states (changed by transitions) and derived dates are not here.
EDITABLE_FIELDS: dict[type[PublicRecord], tuple[str, ...]] = {
    ActionPlan: (
        "title",
        "original_title",
        "language",
        "description",
        "length",
        "start_on",
        "end_on",
        "co_creation_opens_on",
        "co_creation_closes_on",
        "forum",
        "source_url",
    ),
    Commitment: (
        "title",
        "short_title",
        "problem",
        "objective",
        "description",
        "lead_institution",
        "themes",
        "ogp_values",
        "start_on",
        "end_on",
        "source_url",
    ),
    Milestone: ("deliverable", "responsible", "start_on", "end_on", "status", "evidence"),
    ProgressReport: ("reported_on", "completion", "text", "language", "evidence"),
    IrmReport: (
        "title",
        "researcher",
        "state",
        "published_on",
        "forum_exists",
        "public_influence",
        "acted_contrary_to_process",
        "contrary_reasons",
        "minimum_requirements",
        "summary",
        "source_url",
    ),
    Assessment: (
        "completion",
        "specificity",
        "relevance",
        "potential_impact",
        "on_time",
        "did_it_open_government",
        "starred",
        "verifiable",
        "open_gov_lens",
        "potential_for_results",
        "promising",
        "early_results",
        "note",
    ),
    ReasonedResponse: ("decision", "rationale", "published_on", "language"),
}


def _rule(error: RuleViolation, field: str | None = None) -> InvalidInput:
    return InvalidInput(str(error), {field: [str(error)]} if field else None)


def _next_number(queryset: Any, field: str = "number") -> int:
    return int(queryset.aggregate(n=Max(field))["n"] or 0) + 1


def _derive_plan_dates(plan: ActionPlan, policies: PolicySet) -> None:
    """Due date and refresh date from the policy rows in force on the plan's start."""
    if plan.end_on <= plan.start_on:
        return  # the model's own validation says what is wrong, more plainly
    try:
        check_length(policies, plan.start_on, plan.end_on, plan.length)
    except RuleViolation as error:
        raise _rule(error, "length") from error
    previous_end = plan.previous.end_on if plan.previous_id and plan.previous else None
    deadline = delivery_deadline(policies, plan.start_on, previous_end)
    plan.due_on = deadline.due_on
    plan.due_rule = deadline.rule.public_id if deadline.rule else ""
    plan.refresh_due_on = rule_refresh_due(policies, plan.start_on, plan.length)


# ---------------------------------------------------------------- plans


@service(PLANS)
def create_plan(
    actor: Any,
    *,
    key: str,
    member: Member,
    number: int,
    title: str,
    start_on: dt.date,
    end_on: dt.date,
    length: int = 2,
    forum: Forum | None = None,
    previous: ActionPlan | None = None,
    **fields: Any,
) -> ActionPlan:
    """A new plan, in planning; its deadlines come from the rules in force on its start."""
    _live(member, forum, previous)
    _key_free(ActionPlan, key)
    if forum is not None and forum.member_id != member.pk:
        message = _("The forum must be a forum of the plan's member.")
        raise InvalidInput(message, {"forum": [message]})
    if ActionPlan.objects.filter(member=member, number=number).exists():
        raise Conflict(
            _("%(member)s already has a plan number %(number)s.")
            % {"member": member.name, "number": number}
        )
    plan = ActionPlan(
        key=key,
        member=member,
        number=number,
        title=title,
        start_on=start_on,
        end_on=end_on,
        length=length,
        forum=forum,
        previous=previous,
        state=PlanState.PLANNING,
        state_since=fields.pop("state_since", None),
        **fields,
    )
    if start_on and end_on:
        _derive_plan_dates(plan, PolicySet.load())
    save_record(plan, actor=actor)
    return plan


@service(PLANS)
def transition_plan(
    actor: Any, plan: ActionPlan, *, to: str, on: dt.date, note: str = ""
) -> ActionPlan:
    """Move a plan along state machine B; what the rules forbid is refused with the reason."""
    _live(plan)
    facts = PlanFacts(
        state=plan.state,
        length=plan.length,
        start_on=plan.start_on,
        end_on=plan.end_on,
        refresh_done_on=plan.refresh_done_on,
        commitments=plan.commitments.filter(retracted_at__isnull=True).count(),
        results_report=plan.irm_reports.filter(
            report_type__in=RESULTS_REPORTS, state=ReportState.FINAL, retracted_at__isnull=True
        ).exists(),
    )
    try:
        check_transition(facts, to, on)
    except RuleViolation as error:
        raise _rule(error, "to") from error
    if plan.state_since and on < plan.state_since:
        message = _(
            "The plan has been %(state)s since %(since)s; a later step cannot be dated earlier."
        ) % {"state": PlanState(plan.state).label, "since": plan.state_since}
        raise InvalidInput(message, {"on": [message]})
    from_state = plan.state
    plan.state = to
    plan.state_since = on
    if to == PlanState.DELIVERED:
        plan.delivered_on = on
    if to == PlanState.REFRESHED:
        plan.refresh_done_on = on

    def write_transition() -> None:
        PlanTransition.objects.create(
            plan=plan, from_state=from_state, to_state=to, on=on, note=note
        )

    save_record(plan, actor=actor, reason=note, write_related=write_transition)
    return plan


# ---------------------------------------------------------------- commitments and milestones


@service(PLANS)
def add_commitment(
    actor: Any,
    *,
    key: str,
    plan: ActionPlan,
    title: str,
    number: int | None = None,
    lead_institution: Organization | None = None,
    supporting_institutions: Sequence[Organization] = (),
    inputs: Sequence[Input] = (),
    **fields: Any,
) -> Commitment:
    """A commitment, keyed by its OGP id (``MX0064``)."""
    _live(plan, lead_institution, *supporting_institutions)
    _key_free(Commitment, key)
    if plan.state in (PlanState.ENDED, PlanState.RESULTS_ASSESSED):
        raise Conflict(_("The plan has ended; its commitments can no longer change."))
    _check_inputs(plan, inputs)
    if number is None:
        number = _next_number(plan.commitments)
    elif plan.commitments.filter(number=number).exists():
        raise Conflict(_("The plan already has a commitment number %(n)s.") % {"n": number})
    commitment = Commitment(
        key=key,
        plan=plan,
        number=number,
        title=title,
        lead_institution=lead_institution,
        **fields,
    )

    def write_links() -> None:
        commitment.supporting_institutions.set(supporting_institutions)
        commitment.inputs.set(inputs)

    save_record(commitment, actor=actor, write_related=write_links)
    return commitment


def _check_inputs(plan: ActionPlan, inputs: Iterable[Input]) -> None:
    for item in inputs:
        if item.plan_id != plan.pk:
            raise InvalidInput(_("%(id)s was submitted to another plan.") % {"id": item.public_id})
        if item.moderation != Moderation.PUBLISHED:
            raise InvalidInput(
                _("%(id)s is not published; only published input can be linked.")
                % {"id": item.public_id}
            )


@service(PLANS)
def link_inputs(
    actor: Any, commitment: Commitment, *, inputs: Sequence[Input], reason: str = ""
) -> Commitment:
    """Record which co-creation inputs a commitment came from (traceability both ways)."""
    _live(commitment, *inputs)
    _check_inputs(commitment.plan, inputs)
    already = set(commitment.inputs.values_list("pk", flat=True))
    new = [item for item in inputs if item.pk not in already]
    if not new:
        raise InvalidInput(_("These inputs are already linked to the commitment."))
    save_record(
        commitment, actor=actor, reason=reason, write_related=lambda: commitment.inputs.add(*new)
    )
    return commitment


@service(PLANS)
def add_milestone(
    actor: Any,
    *,
    commitment: Commitment,
    deliverable: str,
    number: int | None = None,
    responsible: Organization | None = None,
    key: str | None = None,
    **fields: Any,
) -> Milestone:
    _live(commitment, responsible)
    if number is None:
        number = _next_number(commitment.milestones)
    elif commitment.milestones.filter(number=number).exists():
        raise Conflict(_("The commitment already has a milestone number %(n)s.") % {"n": number})
    key = key or f"{commitment.key}-m{number}"
    _key_free(Milestone, key)
    milestone = Milestone(
        key=key,
        commitment=commitment,
        number=number,
        deliverable=deliverable,
        responsible=responsible,
        **fields,
    )
    save_record(milestone, actor=actor)
    return milestone


# ---------------------------------------------------------------- progress, each party's own


@service(PROGRESS)
def report_progress(
    actor: Any,
    *,
    commitment: Commitment,
    party: str,
    reported_on: dt.date,
    completion: str,
    text: str,
    milestone: Milestone | None = None,
    author: Organization | None = None,
    evidence: Sequence[Mapping[str, str]] = (),
    language: str = "en",
    key: str | None = None,
) -> ProgressReport:
    """One party's report. It never replaces another party's: all stand side by side."""
    _live(commitment, milestone, author)
    if reported_on < commitment.plan.start_on:
        raise InvalidInput(
            _("Progress cannot be reported before the plan starts (%(start)s).")
            % {"start": commitment.plan.start_on},
            {"reported_on": [_("Before the plan starts.")]},
        )
    if not (text or "").strip():
        raise InvalidInput(_("A report needs its text."), {"text": [_("This field is required.")]})
    if key is None:
        key = f"{commitment.key}-r{commitment.progress_reports.count() + 1:03d}"
    _key_free(ProgressReport, key)
    report = ProgressReport(
        key=key,
        commitment=commitment,
        milestone=milestone,
        party=party,
        author=author,
        reported_on=reported_on,
        completion=completion,
        text=text,
        language=language,
        evidence=[dict(item) for item in evidence],
    )
    save_record(report, actor=actor)
    return report


# ---------------------------------------------------------------- IRM


@service(IRM_WORK)
def publish_irm_report(
    actor: Any,
    *,
    key: str,
    plan: ActionPlan,
    report_type: str,
    methodology: str,
    title: str,
    **fields: Any,
) -> IrmReport:
    _live(plan)
    _key_free(IrmReport, key)
    report = IrmReport(
        key=key,
        plan=plan,
        report_type=report_type,
        methodology=methodology,
        title=title,
        **fields,
    )
    save_record(report, actor=actor)
    return report


@service(IRM_WORK)
def record_assessment(
    actor: Any, *, report: IrmReport, commitment: Commitment, **indicators: Any
) -> Assessment:
    """The IRM's coding of one commitment, in the methodology of its report."""
    _live(report, commitment)
    key = f"{report.key}-{commitment.key}".lower()
    if Assessment.objects.filter(report=report, commitment=commitment).exists():
        raise Conflict(
            _("%(report)s already assesses %(commitment)s; publish a new version instead.")
            % {"report": report.public_id, "commitment": commitment.public_id}
        )
    _key_free(Assessment, key)
    assessment = Assessment(key=key, report=report, commitment=commitment, **indicators)
    save_record(assessment, actor=actor)
    return assessment


# ---------------------------------------------------------------- co-creation


def _co_creation_open(plan: ActionPlan, day: dt.date) -> bool:
    return co_creation_open(plan.state, plan.co_creation_opens_on, plan.co_creation_closes_on, day)


MAX_INPUT_CHARS = 20_000


@service(PUBLIC_CONTRIBUTION)
def submit_input(
    actor: Any,
    *,
    plan: ActionPlan,
    title: str,
    text: str,
    language: str = "en",
    submitter_name: str = "",
    submitter_organization: str = "",
    publish_name: bool = False,
    contact_email: str = "",
    channel: str = "online",
    received_at: dt.datetime | None = None,
) -> Input:
    """Anyone's contribution while co-creation is open. It waits, private, for moderation.

    The plan's keepers (point of contact, secretariat) may transcribe input received
    offline, with the day it was received.
    """
    from tripartite.accounts.permissions import PLANS

    if not PLANS.allows(actor, {"plan": plan}) and (channel != "online" or received_at is not None):
        raise InvalidInput(_("Only the secretariat can record input received offline."))
    when = received_at or timezone.now()
    if plan.is_retracted or not _co_creation_open(plan, timezone.localdate(when)):
        raise Conflict(_("This plan is not open for co-creation input."))
    if not (title or "").strip() or not (text or "").strip():
        raise InvalidInput(
            _("Input needs a title and a text."),
            {
                name: [_("This field is required.")]
                for name, value in (("title", title), ("text", text))
                if not (value or "").strip()
            },
        )
    if publish_name and not (submitter_name or "").strip():
        raise InvalidInput(
            _("To publish your name, give it."), {"submitter_name": [_("This field is required.")]}
        )
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidInput(
            _("Input is limited to %(n)s characters.") % {"n": MAX_INPUT_CHARS},
            {"text": [_("Too long.")]},
        )
    item = Input(
        key="",
        plan=plan,
        received_at=when,
        channel=channel,
        language=language,
        title=title.strip(),
        text=text.strip(),
        submitter_name=submitter_name.strip(),
        submitter_organization=submitter_organization.strip(),
        publish_name=publish_name,
        contact_email=contact_email.strip(),
        account=actor if getattr(actor, "is_authenticated", False) else None,
    )
    number = Input.objects.filter(plan=plan).count() + 1
    item.key = _free_input_key(plan, number)
    try:
        item.full_clean()
    except ValidationError as error:
        raise validation_to_invalid(error) from error
    # Private until moderated: no version, nothing on the log yet. Two visitors sending at
    # once may pick the same number; the unique key refuses the second, which moves on.
    for _attempt in range(20):
        try:
            with transaction.atomic():
                item.save()
            return item
        except IntegrityError:
            number += 1
            item.key = _free_input_key(plan, number)
    raise Conflict(_("Too many inputs are arriving at once; please send yours again."))


def _free_input_key(plan: ActionPlan, number: int) -> str:
    key = f"{plan.key}-i{number:05d}"
    while Input.objects.filter(key=key).exists():
        number += 1
        key = f"{plan.key}-i{number:05d}"
    return key


MODERATION_DECISIONS = ("publish", "withhold", "discard")


@service(PLANS)
def moderate_input(actor: Any, item: Input, *, decision: str, reason: str = "") -> Input | None:
    """Publish an input, withhold it (on the record as received and withheld, with the
    reason, without its words), or discard it as spam (never public, gone)."""
    if decision not in MODERATION_DECISIONS:
        raise InvalidInput(
            _("Moderation decides one of: %(d)s.") % {"d": ", ".join(MODERATION_DECISIONS)}
        )
    if item.moderation != Moderation.PENDING:
        raise Conflict(_("%(id)s has already been moderated.") % {"id": item.public_id})
    if decision != "discard":
        _live(item.plan)
    reason = (reason or "").strip()
    if decision in ("withhold", "discard") and not reason:
        raise InvalidInput(
            _("Withholding or discarding input needs a reason."),
            {"reason": [_("This field is required.")]},
        )
    if decision == "discard":
        item.delete()  # it was never public and never logged
        return None
    item.moderation = Moderation.PUBLISHED if decision == "publish" else Moderation.WITHHELD
    item.moderation_reason = reason
    item.moderated_at = timezone.now()
    save_record(item, actor=actor, reason=reason)
    return item


@service(PLANS)
def respond_to_inputs(
    actor: Any,
    *,
    plan: ActionPlan,
    inputs: Sequence[Input],
    decision: str,
    rationale: str,
    published_on: dt.date,
    language: str = "en",
    key: str | None = None,
) -> ReasonedResponse:
    """The reasoned response to one or more published inputs of the plan."""
    _live(plan, *inputs)
    if not inputs:
        raise InvalidInput(
            _("A response answers at least one input."), {"inputs": [_("Choose an input.")]}
        )
    _check_inputs(plan, inputs)
    if not (rationale or "").strip():
        raise InvalidInput(
            _("A reasoned response needs its rationale."),
            {"rationale": [_("This field is required.")]},
        )
    early = [i.public_id for i in inputs if published_on < timezone.localdate(i.received_at)]
    if early:
        raise InvalidInput(
            _("A response cannot be dated before the input it answers: %(ids)s.")
            % {"ids": ", ".join(early)}
        )
    key = key or f"{plan.key}-r{plan.responses.count() + 1:04d}"
    _key_free(ReasonedResponse, key)
    response = ReasonedResponse(
        key=key,
        plan=plan,
        decision=decision,
        rationale=rationale.strip(),
        published_on=published_on,
        language=language,
    )
    save_record(response, actor=actor, write_related=lambda: response.inputs.set(inputs))
    return response


# ------------------------------------------------------ any plan record: new version, retraction


@service(PLAN_EDITS)
def update_record(
    actor: Any, record: PublicRecord, *, changes: Mapping[str, Any], reason: str = ""
) -> RecordVersion:
    """Publish a new version of a plan record with some of its editable fields changed."""
    return publish_changes(
        record,
        actor=actor,
        changes=changes,
        allowed=EDITABLE_FIELDS.get(type(record), ()),
        reason=reason,
        derive=_rederive if isinstance(record, ActionPlan) else None,
    )


def _rederive(record: PublicRecord) -> None:
    assert isinstance(record, ActionPlan)
    _derive_plan_dates(record, PolicySet.load())


@service(JOINT)
def retract(actor: Any, record: PublicRecord, *, reason: str) -> RecordVersion:
    """Retract a plan record: a new version that says why. Nothing is deleted."""
    return retract_record(record, actor=actor, reason=reason)
