"""What the accounts app stores beside allauth's tables: one row per signed-in session.

Privacy rule (issue 7): a session row holds when the session began and when it was last
seen (to a quarter of an hour), nothing else: no IP address, no user agent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord

from .roles import Role


class SessionRecord(models.Model):
    """A signed-in session of a user, listed on the user's session page."""

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    created_at = models.DateTimeField(_("signed in at"))
    last_seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M}"


class RoleGrant(models.Model):
    """A user holding a role on a scope (see ``accounts.roles``).

    Grants are made and ended only through joint changes (``JointChange``, logged), or by
    the site's own account from the command line, which logs a change applied at once.
    The grant row itself is private: it links the public change to the account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # The public id of the record the role is bound to; blank for the whole site.
    scope = models.CharField(_("scope"), max_length=160, blank=True)
    holder_name = models.CharField(_("name shown on the record"), max_length=200)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    change = models.ForeignKey(
        "JointChange",
        verbose_name=_("granted by the change"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )

    class Meta:
        ordering = ["role", "scope", "started_at"]
        verbose_name = _("role grant")
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.holder_name}: {self.role} {self.scope or 'site'}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPLIED = "applied", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeOperation(models.TextChoices):
    UPDATE = "update", _("Publish a new version")
    RETRACT = "retract", _("Retract a record")
    END_SEAT = "end_seat", _("End a seat")
    GRANT_ROLE = "grant_role", _("Grant a role")
    END_ROLE = "end_role", _("End a role")


class JointChange(PublicRecord):
    """A change that takes effect only once representatives of enough sectors approve it
    (the two-sector rule): its proposal, each approval and its outcome are versions of
    this record, so the log shows who agreed to what, and when."""

    RECORD_TYPE = "change"

    forum = models.ForeignKey(
        "forums.Forum",
        verbose_name=_("forum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_changes",
    )
    operation = models.CharField(_("operation"), max_length=20, choices=ChangeOperation.choices)
    target = models.CharField(_("record"), max_length=160, blank=True)
    summary = models.CharField(_("summary"), max_length=400)
    params = models.JSONField(_("proposed change"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_changes"
    )
    proposer_name = models.CharField(_("proposed by"), max_length=200)
    proposed_at = models.DateTimeField(_("proposed"))
    # The sectors (forum) or constituencies (site) whose approval the change needs.
    required = models.JSONField(_("approval needed from"), default=list, blank=True)
    # For a role grant: the account receiving it (private; the record shows the name).
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "key"]
        verbose_name = _("joint change")

    def get_absolute_url(self) -> str:
        return reverse("change-detail", kwargs={"key": self.key})

    def approved_sectors(self) -> set[str]:
        return {a.sector for a in self.approvals.all() if a.position == ApprovalPosition.APPROVE}

    def missing_sectors(self) -> list[str]:
        done = self.approved_sectors()
        return [sector for sector in self.required if sector not in done]

    def record_content(self) -> dict[str, Any]:
        return {
            "forum": self.forum.public_id if self.forum is not None else None,
            "operation": self.operation,
            "target": self.target,
            "summary": self.summary,
            "params": self.params,
            "reason": self.reason,
            "proposed_by": self.proposer_name,
            "proposed_at": self.proposed_at.isoformat(),
            "required": list(self.required),
            "approvals": [
                {
                    "sector": a.sector,
                    "by": a.name,
                    "position": a.position,
                    "at": a.at.isoformat(),
                    "statement": a.statement,
                }
                for a in self.approvals.all()
            ],
            "state": self.state,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


class ApprovalPosition(models.TextChoices):
    APPROVE = "approve", _("Approves")
    REJECT = "reject", _("Rejects")


class ChangeApproval(models.Model):
    """One sector's answer to a joint change; versioned as part of the change."""

    change = models.ForeignKey(JointChange, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30)
    position = models.CharField(_("position"), max_length=10, choices=ApprovalPosition.choices)
    statement = models.TextField(_("statement"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["change", "sector"], name="one_answer_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.change_id}: {self.sector} {self.position}"


class ApiToken(models.Model):
    """A personal credential for the JSON API's writes (``Authorization: Bearer …``).

    Only the token's SHA-256 is stored: the token is shown once, when it is made. A token
    acts as its account, with that account's roles and nothing more; it is made by a
    signed-in account that has passed its second factor, or from the server's shell.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    #: The first characters of the token, so that its owner can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
