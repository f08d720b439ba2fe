"""What a person follows, and the changes waiting for their daily digest.

These rows are private, personal data: they are not public records, never enter the
transparency log, and go with the user (``on_delete=CASCADE``). Nothing here stores an IP
address or a user agent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At each change")
    DAILY = "daily", _("In a daily digest")


class Follow(models.Model):
    """A signed-in user follows one public record (by public id), and its children."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    record = models.CharField(_("record"), max_length=200, db_index=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    # The language of the request that made the follow: e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["record"]
        constraints = [
            models.UniqueConstraint(fields=["user", "record"], name="notifications_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.record}"


class DigestItem(models.Model):
    """One change waiting for the next daily digest of a follow's user (deleted once sent)."""

    follow = models.ForeignKey(
        Follow, verbose_name=_("follow"), on_delete=models.CASCADE, related_name="pending"
    )
    record = models.CharField(_("record"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    op = models.CharField(_("operation"), max_length=10)
    at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow", "record", "version"], name="notifications_digest_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record} v{self.version}"


class DigestMark(models.Model):
    """When a user's last digest went out: the next one holds everything since."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_mark",
    )
    sent_at = models.DateTimeField(_("last digest sent"))

    class Meta:
        verbose_name = _("digest mark")
        verbose_name_plural = _("digest marks")

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_at:%Y-%m-%d %H:%M}"


class DigestRun(models.Model):
    """The scheduled daily digest of one day (in the site's time zone).

    The row is the claim: ``day`` is unique, so of two workers (or a worker and the
    command) only the one whose insert commits first sends that day's digests
    (``schedule.claim``). ``finished_at`` stays empty while the digests are being sent; a
    claim left unfinished for ``schedule.STALE_CLAIM`` (its worker died) may be taken over.
    """

    day = models.DateField(_("day"), unique=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    sent = models.PositiveIntegerField(_("digests sent"), default=0)
    skipped = models.PositiveIntegerField(_("digests skipped"), default=0)
    failed = models.PositiveIntegerField(_("digests failed"), default=0)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'done' if self.finished_at else 'claimed'}"
