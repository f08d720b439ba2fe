"""Value sets of the forum record (shared/domain/ogp-process.md §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OVERSIGHT_BODY = "oversight_body", _("Oversight body")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "private", _("Private sector")
    MULTILATERAL = "multilateral", _("Multilateral")


# A multi-stakeholder forum must include government and civil society (MR1.1).
REQUIRED_SECTORS = (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY)


class MemberKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    LOCAL = "local", _("Local government")


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under procedural review")
    INACTIVE = "inactive", _("Inactive")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionRule(models.TextChoices):
    SECTOR_CONSENSUS = "sector_consensus", _("Consensus of sectors")
    MAJORITY = "majority", _("Majority of seats present")
    SECTOR_VOTE = "sector_vote", _("One vote per sector, majority of sectors")


class SeatRole(models.TextChoices):
    MEMBER = "member", _("Member")
    REPRESENTATIVE = "representative", _("Representative")
    CO_REPRESENTATIVE = "co_representative", _("Co-representative")
    OBSERVER = "observer", _("Observer")


class SeatEndReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("Term ended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPLACED = "replaced", _("Replaced")
    FORUM_DISSOLVED = "forum_dissolved", _("Forum dissolved")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class SignOffPosition(models.TextChoices):
    APPROVE = "approve", _("Approves")
    APPROVE_WITH_STATEMENT = "approve_with_statement", _("Approves with a statement")
    DISSENT = "dissent", _("Dissents")


class VotePosition(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstains")
    ABSENT = "absent", _("Absent")


class DecisionOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    NO_CONSENSUS = "no_consensus", _("No consensus")


class LetterDirection(models.TextChoices):
    INBOUND = "inbound", _("Received")
    OUTBOUND = "outbound", _("Sent")
    OPEN = "open", _("Open letter")


class LetterType(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    LETTER_OF_CONCERN = "letter_of_concern", _("Letter of concern")
    RESPONSE = "response", _("Response")
    STATEMENT = "statement", _("Statement")
    INVITATION = "invitation", _("Invitation")
    REQUEST = "request", _("Request")
    CONTRARY_TO_PROCESS = "contrary_to_process_notification", _("Contrary-to-process notification")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    RECOMMITMENT = "recommitment", _("Recommitment")
    OTHER = "other", _("Other")


class LetterStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting response")
    RESPONDED = "responded", _("Responded")
    NO_RESPONSE_NEEDED = "no_response_needed", _("No response needed")
    CLOSED = "closed", _("Closed")
