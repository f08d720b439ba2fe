"""Models of action plans: the plan, its commitments and milestones, each party's progress
reports, the IRM's reports and assessments, and co-creation input with reasoned responses.

Rows are written only by ``plans.services``; each change appends a version that the
transparency log commits to. Sub-parts without an identity of their own (a plan's state
transitions) are versioned with their parent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.core.models import iso_date as _date
from tripartite.core.models import public_id_of as _ref
from tripartite.forums.models import Forum, Member, Organization

from .choices import (
    Completion,
    DidItOpenGovernment,
    InputChannel,
    Methodology,
    Moderation,
    OgpValue,
    Party,
    PlanLength,
    PlanState,
    PotentialForResults,
    PotentialImpact,
    PublicInfluence,
    ReportState,
    ReportType,
    ResponseDecision,
    Specificity,
)

# Evidence links are shown as links: only web addresses, never ``javascript:`` or ``data:``
# (the editing form's URL field checks the same; the API, CLI and importers rely on this).
_EVIDENCE_URL = URLValidator(schemes=["http", "https"])


def _check_evidence(evidence: Any) -> None:
    """Evidence is a list of ``{"label": …, "url": …}``; each needs a web address."""
    if not isinstance(evidence, list) or not all(
        isinstance(item, dict) and str(item.get("url", "")).strip() for item in evidence
    ):
        raise ValidationError(
            {"evidence": _("Evidence is a list of items, each with a label and a URL.")}
        )
    for item in evidence:
        try:
            _EVIDENCE_URL(str(item["url"]).strip())
        except ValidationError:
            raise ValidationError(
                {"evidence": _("Each evidence URL must be a web address (http or https).")}
            ) from None


class ActionPlan(PublicRecord):
    """A member's national (or local) action plan, from planning to its results."""

    RECORD_TYPE = "plan"

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="plans"
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    original_title = models.CharField(
        _("title in the original language"), max_length=300, blank=True
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    description = models.TextField(_("description"), blank=True)
    length = models.PositiveSmallIntegerField(
        _("length"), choices=PlanLength.choices, default=PlanLength.TWO_YEARS
    )
    start_on = models.DateField(_("starts"))
    end_on = models.DateField(_("ends"))
    co_creation_opens_on = models.DateField(_("co-creation opens"), null=True, blank=True)
    co_creation_closes_on = models.DateField(_("co-creation closes"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_plans",
    )
    # Derived by ``plans.rules`` from the policy rows in force on the plan's start; kept
    # with the rule that gave them, so a later change of rules never rewrites history.
    due_on = models.DateField(_("due"), null=True, blank=True)
    due_rule = models.CharField(_("deadline rule"), max_length=120, blank=True)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    refresh_due_on = models.DateField(_("refresh due"), null=True, blank=True)
    refresh_done_on = models.DateField(_("refreshed"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.PLANNING
    )
    state_since = models.DateField(_("state since"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["member__name", "number"]
        verbose_name = _("action plan")
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="unique_plan_number")
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_on and self.end_on and self.end_on <= self.start_on:
            errors["end_on"] = _("A plan must end after it starts.")
        if (
            self.co_creation_opens_on
            and self.co_creation_closes_on
            and self.co_creation_closes_on < self.co_creation_opens_on
        ):
            errors["co_creation_closes_on"] = _("Co-creation cannot close before it opens.")
        if self.forum is not None and self.member_id and self.forum.member_id != self.member_id:
            errors["forum"] = _("The forum must be a forum of the plan's member.")
        if (
            self.previous is not None
            and self.member_id
            and self.previous.member_id != self.member_id
        ):
            errors["previous"] = _("The previous plan must be a plan of the same member.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "member": self.member.public_id,
            "forum": _ref(self.forum),
            "number": self.number,
            "title": self.title,
            "original_title": self.original_title,
            "language": self.language,
            "description": self.description,
            "length_years": self.length,
            "start_on": _date(self.start_on),
            "end_on": _date(self.end_on),
            "co_creation_opens_on": _date(self.co_creation_opens_on),
            "co_creation_closes_on": _date(self.co_creation_closes_on),
            "previous": _ref(self.previous),
            "due_on": _date(self.due_on),
            "due_rule": self.due_rule,
            "delivered_on": _date(self.delivered_on),
            "refresh_due_on": _date(self.refresh_due_on),
            "refresh_done_on": _date(self.refresh_done_on),
            "state": self.state,
            "state_since": _date(self.state_since),
            "transitions": [
                {"from": t.from_state, "to": t.to_state, "on": _date(t.on), "note": t.note}
                for t in self.transitions.all()
            ],
            "source_url": self.source_url,
        }


class PlanTransition(models.Model):
    """One step of a plan through state machine B (versioned with its plan)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20, choices=PlanState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=PlanState.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.plan.public_id}: {self.from_state} → {self.to_state}"


class Commitment(PublicRecord):
    """A commitment of a plan; its key is the OGP id (``MX0064``)."""

    RECORD_TYPE = "commitment"

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_institution = models.ForeignKey(
        Organization,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_commitments",
    )
    supporting_institutions = models.ManyToManyField(
        Organization,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_commitments",
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    ogp_values = models.JSONField(_("OGP values"), default=list, blank=True)
    start_on = models.DateField(_("starts"), null=True, blank=True)
    end_on = models.DateField(_("ends"), null=True, blank=True)
    inputs: models.ManyToManyField[Input, Any] = models.ManyToManyField(
        "Input",
        verbose_name=_("co-creation inputs it came from"),
        blank=True,
        related_name="commitments",
    )
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("commitment")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_commitment_number")
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not isinstance(self.themes, list) or not all(
            isinstance(t, str) and t.strip() for t in self.themes
        ):
            errors["themes"] = _("Themes are a list of names.")
        if not isinstance(self.ogp_values, list) or not set(self.ogp_values) <= set(
            OgpValue.values
        ):
            errors["ogp_values"] = _("OGP values must come from: %(values)s.") % {
                "values": ", ".join(OgpValue.values)
            }
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("A commitment cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "plan": self.plan.public_id,
            "number": self.number,
            "title": self.title,
            "short_title": self.short_title,
            "problem": self.problem,
            "objective": self.objective,
            "description": self.description,
            "lead_institution": _ref(self.lead_institution),
            "supporting_institutions": sorted(
                o.public_id for o in self.supporting_institutions.all()
            ),
            "themes": list(self.themes),
            "ogp_values": sorted(self.ogp_values),
            "start_on": _date(self.start_on),
            "end_on": _date(self.end_on),
            "inputs": sorted(i.public_id for i in self.inputs.all()),
            "source_url": self.source_url,
        }


class Milestone(PublicRecord):
    """A deliverable of a commitment, with its status on the IRM completion scale."""

    RECORD_TYPE = "milestone"

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    deliverable = models.TextField(_("deliverable"))
    responsible = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    start_on = models.DateField(_("starts"), null=True, blank=True)
    end_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("milestone")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="unique_milestone_number")
        ]

    def clean(self) -> None:
        _check_evidence(self.evidence)
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("A milestone cannot end before it starts.")})

    def record_content(self) -> dict[str, Any]:
        return {
            "commitment": self.commitment.public_id,
            "number": self.number,
            "deliverable": self.deliverable,
            "responsible": _ref(self.responsible),
            "start_on": _date(self.start_on),
            "end_on": _date(self.end_on),
            "status": self.status,
            "evidence": self.evidence,
        }


class ProgressReport(PublicRecord):
    """One party's dated account of a commitment's (or one milestone's) progress.

    Reports are never merged: each party's view stands beside the others'.
    """

    RECORD_TYPE = "progress"

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    author = models.ForeignKey(
        Organization,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    reported_on = models.DateField(_("reported on"))
    completion = models.CharField(_("completion"), max_length=20, choices=Completion.choices)
    text = models.TextField(_("report"))
    language = models.CharField(_("language"), max_length=10, default="en")
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("progress report")

    def clean(self) -> None:
        _check_evidence(self.evidence)
        if (
            self.commitment_id
            and self.reported_on
            and (self.reported_on < self.commitment.plan.start_on)
        ):
            raise ValidationError(
                {
                    "reported_on": _(
                        "Progress cannot be reported before the plan starts (%(start)s)."
                    )
                    % {"start": self.commitment.plan.start_on}
                }
            )
        milestone = self.milestone if self.milestone_id else None
        if milestone is not None and milestone.commitment_id != self.commitment_id:
            raise ValidationError(
                {"milestone": _("The milestone must belong to the report's commitment.")}
            )

    def record_content(self) -> dict[str, Any]:
        return {
            "commitment": self.commitment.public_id,
            "milestone": _ref(self.milestone),
            "party": self.party,
            "author": _ref(self.author),
            "reported_on": _date(self.reported_on),
            "completion": self.completion,
            "text": self.text,
            "language": self.language,
            "evidence": self.evidence,
        }


class IrmReport(PublicRecord):
    """An IRM report on a plan, with its plan-level findings, in one methodology."""

    RECORD_TYPE = "irm-report"

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="irm_reports",
    )
    report_type = models.CharField(_("report"), max_length=30, choices=ReportType.choices)
    methodology = models.CharField(_("methodology"), max_length=20, choices=Methodology.choices)
    title = models.CharField(_("title"), max_length=300)
    researcher = models.CharField(_("researcher"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.FINAL
    )
    published_on = models.DateField(_("published"), null=True, blank=True)
    forum_exists = models.BooleanField(_("a multi-stakeholder forum exists"), null=True, blank=True)
    public_influence = models.CharField(
        _("level of public influence"), max_length=20, choices=PublicInfluence.choices, blank=True
    )
    acted_contrary_to_process = models.BooleanField(
        _("acted contrary to OGP process"), null=True, blank=True
    )
    contrary_reasons = models.TextField(_("why contrary to process"), blank=True)
    # {"MR1.1": "met", …}: minimum requirements of the 2021 Standards, as the IRM found them.
    minimum_requirements = models.JSONField(_("minimum requirements"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["plan", "published_on", "id"]
        verbose_name = _("IRM report")

    def clean(self) -> None:
        from .choices import MinimumRequirement

        errors: dict[str, Any] = {}
        if not isinstance(self.minimum_requirements, dict) or not all(
            isinstance(k, str) and v in MinimumRequirement.values
            for k, v in self.minimum_requirements.items()
        ):
            errors["minimum_requirements"] = _(
                "Each minimum requirement is met, not_met or not_applicable."
            )
        if self.acted_contrary_to_process is False and self.contrary_reasons.strip():
            errors["contrary_reasons"] = _(
                "Reasons are given only when the member acted contrary to process."
            )
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        return {
            "plan": self.plan.public_id,
            "report_type": self.report_type,
            "methodology": self.methodology,
            "title": self.title,
            "researcher": self.researcher,
            "state": self.state,
            "published_on": _date(self.published_on),
            "forum_exists": self.forum_exists,
            "public_influence": self.public_influence,
            "acted_contrary_to_process": self.acted_contrary_to_process,
            "contrary_reasons": self.contrary_reasons,
            "minimum_requirements": self.minimum_requirements,
            "summary": self.summary,
            "source_url": self.source_url,
        }


# The indicators of each methodology (domain §6.2); the other one's must stay empty.
PRE_2020_FIELDS = (
    "specificity",
    "relevance",
    "potential_impact",
    "on_time",
    "did_it_open_government",
    "starred",
)
REFRESH_2020_FIELDS = (
    "verifiable",
    "open_gov_lens",
    "potential_for_results",
    "promising",
    "early_results",
)


class Assessment(PublicRecord):
    """The IRM's coding of one commitment in one report.

    The IRM's verdicts (starred, promising) are stored as published; what the rules
    would derive from the coding is computed beside them, never in their place.
    """

    RECORD_TYPE = "assessment"

    report = models.ForeignKey(
        IrmReport,
        verbose_name=_("IRM report"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, blank=True
    )
    # Before 2020
    specificity = models.CharField(
        _("specificity"), max_length=10, choices=Specificity.choices, blank=True
    )
    relevance = models.JSONField(_("relevance to OGP values"), default=list, blank=True)
    potential_impact = models.CharField(
        _("potential impact"), max_length=20, choices=PotentialImpact.choices, blank=True
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    did_it_open_government = models.CharField(
        _("did it open government?"),
        max_length=20,
        choices=DidItOpenGovernment.choices,
        blank=True,
    )
    starred = models.BooleanField(_("starred (IRM verdict)"), null=True, blank=True)
    # From 2020
    verifiable = models.BooleanField(_("verifiable"), null=True, blank=True)
    open_gov_lens = models.BooleanField(_("open government lens"), null=True, blank=True)
    potential_for_results = models.CharField(
        _("potential for results"),
        max_length=20,
        choices=PotentialForResults.choices,
        blank=True,
    )
    promising = models.BooleanField(_("promising (IRM verdict)"), null=True, blank=True)
    # The refreshed early-results value set is not known (domain §9.4): kept as the IRM wrote it.
    early_results = models.CharField(_("early results"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "commitment"]
        verbose_name = _("IRM assessment")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="unique_assessment_per_report"
            )
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.report_id
            and self.commitment_id
            and (self.report.plan_id != self.commitment.plan_id)
        ):
            errors["commitment"] = _("The commitment must belong to the report's plan.")
        if not isinstance(self.relevance, list) or not set(self.relevance) <= set(OgpValue.values):
            errors["relevance"] = _("OGP values must come from: %(values)s.") % {
                "values": ", ".join(OgpValue.values)
            }
        if self.report_id:
            other = (
                REFRESH_2020_FIELDS
                if self.report.methodology == Methodology.PRE_2020
                else PRE_2020_FIELDS
            )
            for name in other:
                if getattr(self, name) not in (None, "", []):
                    errors[name] = _(
                        "This indicator does not exist in the report's methodology (%(m)s)."
                    ) % {"m": self.report.get_methodology_display()}
        if errors:
            raise ValidationError(errors)

    def record_content(self) -> dict[str, Any]:
        content: dict[str, Any] = {
            "report": self.report.public_id,
            "commitment": self.commitment.public_id,
            "methodology": self.report.methodology,
            "completion": self.completion,
            "note": self.note,
        }
        fields = (
            PRE_2020_FIELDS
            if self.report.methodology == Methodology.PRE_2020
            else REFRESH_2020_FIELDS
        )
        for name in fields:
            value = getattr(self, name)
            content[name] = sorted(value) if isinstance(value, list) else value
        return content


class Input(PublicRecord):
    """A contribution from the public during co-creation.

    It stays private (no version, not on the log, not on any page) until a moderator
    publishes or withholds it. The contact e-mail and the account are never published;
    the submitter's name only with their consent.
    """

    RECORD_TYPE = "input"
    PRIVATE_UNTIL_MODERATED = True

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="inputs",
    )
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(
        _("channel"), max_length=10, choices=InputChannel.choices, default=InputChannel.ONLINE
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    submitter_name = models.CharField(_("name"), max_length=200, blank=True)
    submitter_organization = models.CharField(_("organisation"), max_length=300, blank=True)
    publish_name = models.BooleanField(_("publish my name"), default=False)
    contact_email = models.EmailField(_("e-mail for the response"), blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="co_creation_inputs",
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("co-creation input")
        indexes = [models.Index(fields=["plan", "moderation"])]

    @property
    def public_submitter(self) -> str:
        """What the public sees of who wrote it."""
        if self.publish_name and self.submitter_name:
            return self.submitter_name
        return ""

    def record_content(self) -> dict[str, Any]:
        withheld = self.moderation == Moderation.WITHHELD
        return {
            "plan": self.plan.public_id,
            "received_at": self.received_at.isoformat(),
            "channel": self.channel,
            "language": self.language,
            # A withheld input is on the record as received and withheld, with the reason,
            # but not its words.
            "title": "" if withheld else self.title,
            "text": "" if withheld else self.text,
            "submitter": "" if withheld else self.public_submitter,
            "organization": "" if withheld else self.submitter_organization,
            "moderation": self.moderation,
            "moderation_reason": self.moderation_reason,
        }


class ReasonedResponse(PublicRecord):
    """The forum's published answer to one or more inputs, with its rationale."""

    RECORD_TYPE = "response"

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    inputs = models.ManyToManyField(Input, verbose_name=_("inputs"), related_name="responses")
    decision = models.CharField(_("decision"), max_length=20, choices=ResponseDecision.choices)
    rationale = models.TextField(_("rationale"))
    published_on = models.DateField(_("published"))
    language = models.CharField(_("language"), max_length=10, default="en")

    class Meta:
        ordering = ["published_on", "id"]
        verbose_name = _("reasoned response")

    def record_content(self) -> dict[str, Any]:
        return {
            "plan": self.plan.public_id,
            "inputs": sorted(i.public_id for i in self.inputs.all()),
            "decision": self.decision,
            "rationale": self.rationale,
            "published_on": _date(self.published_on),
            "language": self.language,
        }
