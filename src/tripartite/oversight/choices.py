"""Value sets of the Steering Committee's record (shared/domain/ogp-process.md §1, §4, §5, §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Constituency(models.TextChoices):
    """The two halves of the Steering Committee, kept at parity."""

    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class SelectionMethod(models.TextChoices):
    ELECTION = "election", _("Election")
    SELECTION_COMMITTEE = "selection_committee", _("Selection committee")


class SeatEnd(models.TextChoices):
    TERM_ENDED = "term_ended", _("Term ended")
    RESIGNED = "resigned", _("Resigned")
    REPLACED = "replaced", _("Replaced")
    MEMBER_WITHDREW = "member_withdrew", _("Member withdrew from OGP")


class CoChairRole(models.TextChoices):
    LEAD = "lead", _("Lead co-chair")
    INCOMING = "incoming", _("Incoming (support) co-chair")


class MeetingLevel(models.TextChoices):
    WORKING = "working", _("Working level")
    MINISTERIAL = "ministerial", _("Ministerial level")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Hybrid")


class Body(models.TextChoices):
    """Who acts: the Steering Committee, one of its subcommittees, or the Support Unit."""

    SC = "sc", _("Steering Committee")
    CRITERIA_STANDARDS = "cs", _("Criteria and Standards subcommittee")
    GOVERNANCE_LEADERSHIP = "gl", _("Governance and Leadership subcommittee")
    SUPPORT_UNIT = "su", _("Support Unit")
    FILER = "filer", _("Filer")
    GOVERNMENT = "government", _("Government of the member")
    ENVOYS = "envoys", _("Envoys")


RESOLVING_BODIES = (Body.SC, Body.CRITERIA_STANDARDS, Body.GOVERNANCE_LEADERSHIP)


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    VOTE = "vote", _("Recorded vote")


class ResolutionOutcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


class CaseTrack(models.TextChoices):
    RESPONSE_POLICY = "response_policy", _("Response Policy")
    RAPID_RESPONSE = "rapid_response", _("Rapid Response")


class CaseState(models.TextChoices):
    """State machine D of a Response Policy case."""

    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ELIGIBILITY_REVIEW = "eligibility_review", _("Eligibility review")
    INELIGIBLE = "ineligible", _("Ineligible")
    ELIGIBLE = "eligible", _("Eligible")
    MERITS_REVIEW = "merits_review", _("Review of merits")
    REPORT_ADOPTED = "report_adopted", _("Report adopted")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    STAGE_ONE = "stage1", _("Stage one")
    STAGE_TWO = "stage2", _("Stage two")
    EXTENSION_REVIEW = "extension_review", _("Extension review")
    EXTENDED = "extended", _("Extended")
    RESOLVED = "resolved", _("Resolved")
    MEMBER_WITHDREW = "member_withdrew", _("Member withdrew")


CLOSED_CASE_STATES = frozenset(
    {
        CaseState.INELIGIBLE,
        CaseState.NOT_UPHELD,
        CaseState.RESOLVED,
        CaseState.MEMBER_WITHDREW,
    }
)


class FilerCategory(models.TextChoices):
    """Who may file a concern (Response Policy; domain §5.2). Individuals may not."""

    SC_MEMBER = "sc_member", _("Steering Committee member")
    MULTILATERAL_PARTNER = "multilateral_partner", _("Multilateral partner")
    INVOLVED_ENTITY = "involved_entity", _("Entity involved in OGP and in the country")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewState(models.TextChoices):
    """State machine C of a procedural review."""

    OPEN = "open", _("Open")
    SUPPORT_PLAN = "support_plan", _("Enhanced support")
    RECTIFIED = "rectified", _("Rectified")
    ESCALATED = "escalated", _("Escalated to the Steering Committee")
    MEMBER_INACTIVE = "member_inactive", _("Member inactive")
    CLOSED = "closed", _("Closed")


class ContraryTrigger(models.TextChoices):
    """Why a member acted contrary to process in a cycle (domain §4, §9.1)."""

    LATE_PLAN = "late_plan", _("Action plan late")
    MINIMUM_REQUIREMENTS = "minimum_requirements_not_met", _("Minimum requirements not met")
    NO_PROGRESS = "no_progress_any_commitment", _("No progress on any commitment")
    NO_ENGAGEMENT = "no_engagement", _("No engagement with civil society")
    NO_IRM_ENGAGEMENT = "no_irm_engagement", _("No engagement with the IRM")
    BELOW_INVOLVE = "below_involve", _("Public influence below involve")
    NO_REPOSITORY = "no_repository", _("No online repository")


class FindingSource(models.TextChoices):
    IRM_REPORT = "irm_report", _("IRM report")
    CALENDAR = "calendar", _("Support Unit calendar")
    COMPLIANCE_ENGINE = "compliance_engine", _("Compliance engine")
