"""Value sets of action plans and the IRM (shared/domain/ogp-process.md §2, §3.3, §6.2, §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanState(models.TextChoices):
    """State machine B of an action plan."""

    PLANNING = "planning", _("Planning")
    CO_CREATION = "co_creation", _("Co-creation")
    DELIVERED = "delivered", _("Delivered")
    IN_REVIEW = "in_review", _("In IRM review")
    IMPLEMENTING = "implementing", _("Implementing")
    REFRESH_DUE = "refresh_due", _("Refresh due")
    REFRESHED = "refreshed", _("Refreshed")
    ENDED = "ended", _("Ended")
    RESULTS_ASSESSED = "results_assessed", _("Results assessed")


class PlanLength(models.IntegerChoices):
    TWO_YEARS = 2, _("Two years")
    FOUR_YEARS = 4, _("Four years, refreshed at year two")


class Party(models.TextChoices):
    """Who a progress report speaks for."""

    GOVERNMENT = "government", _("Government (self-report)")
    CIVIL_SOCIETY = "civil_society", _("Civil society (shadow report)")
    OVERSIGHT_BODY = "oversight_body", _("Oversight body")


class Completion(models.TextChoices):
    """The IRM completion scale; reports by every party use it too."""

    NO_EVIDENCE = "no_evidence", _("No evidence available")
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")


# Order along the scale (no evidence says nothing, so it sorts first and counts as unknown).
COMPLETION_ORDER = {value: index for index, value in enumerate(Completion.values)}
HIGH_COMPLETION = (Completion.SUBSTANTIAL, Completion.COMPLETE)


class OgpValue(models.TextChoices):
    ACCESS_TO_INFORMATION = "ati", _("Access to information")
    CIVIC_PARTICIPATION = "cp", _("Civic participation")
    PUBLIC_ACCOUNTABILITY = "pa", _("Public accountability")
    TECHNOLOGY = "tech", _("Technology and innovation for transparency and accountability")


class Methodology(models.TextChoices):
    PRE_2020 = "irm_pre2020", _("IRM methodology before 2020")
    REFRESH_2020 = "irm_refresh_2020", _("IRM refreshed methodology (2020)")


class ReportType(models.TextChoices):
    CO_CREATION_BRIEF = "co_creation_brief", _("Co-creation brief")
    ACTION_PLAN_REVIEW = "action_plan_review", _("Action plan review")
    DESIGN_REPORT = "design_report", _("Design report")
    PROGRESS_REPORT = "progress_report", _("Progress report (mid-term)")
    END_OF_TERM_REPORT = "end_of_term_report", _("End-of-term report")
    RESULTS_REPORT = "results_report", _("Results report")


# Reports whose publication lets a plan move to "results assessed".
RESULTS_REPORTS = (ReportType.END_OF_TERM_REPORT, ReportType.RESULTS_REPORT)


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLIC_COMMENT = "public_comment", _("Open for public comment")
    FINAL = "final", _("Final")


class PublicInfluence(models.TextChoices):
    """IRM "level of public influence" on co-creation (IAP2 spectrum), lowest first."""

    NO_CONSULTATION = "no_consultation", _("No consultation")
    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


class Specificity(models.TextChoices):
    NONE = "none", pgettext_lazy("IRM indicator value", "None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PotentialImpact(models.TextChoices):
    NONE = "none", pgettext_lazy("IRM indicator value", "None")
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    TRANSFORMATIVE = "transformative", _("Transformative")


class DidItOpenGovernment(models.TextChoices):
    WORSENED = "worsened", _("Worsened")
    DID_NOT_CHANGE = "did_not_change", _("Did not change")
    MARGINAL = "marginal", _("Marginal")
    MAJOR = "major", _("Major")
    OUTSTANDING = "outstanding", _("Outstanding")


class PotentialForResults(models.TextChoices):
    UNCLEAR = "unclear", _("Unclear")
    MODEST = "modest", _("Modest")
    SUBSTANTIAL = "substantial", _("Substantial")


class MinimumRequirement(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class InputChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person or on paper")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", pgettext_lazy("moderation status", "Published")
    WITHHELD = "withheld", _("Withheld by moderation")


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY = "partially", _("Partially accepted")
    MERGED = "merged", _("Merged with other input")
    REJECTED = "rejected", _("Not taken up")
