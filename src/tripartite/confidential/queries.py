"""Reads of the confidential channel: recipient keys and the public face of submissions."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import RecipientKey, SealedSubmission


def active_recipients() -> list[RecipientKey]:
    """The keys every new submission is sealed to."""
    return list(
        RecipientKey.objects.filter(retired_on__isnull=True, retracted_at__isnull=True).order_by(
            "name", "key"
        )
    )


def all_recipients() -> QuerySet[RecipientKey]:
    return RecipientKey.objects.order_by("retired_on", "name", "key")


def submission(key: str) -> SealedSubmission | None:
    return SealedSubmission.objects.prefetch_related("recipients").filter(key=key).first()
