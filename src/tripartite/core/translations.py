"""Which fields of a record are translated, and finding a record's translations.

A field is translatable when it is prose a reader reads: titles, names, subjects, summaries
and texts. Codes, dates, references and URLs are the same in every language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .models import ContentTranslation, PublicRecord

# Prose fields, in the order a page shows them.
PROSE_FIELDS = (
    "name",
    "title",
    "subject",
    "summary",
    "motion_text",
    "deliverable",
    "mandate",
    "concerns",
    "explanation",
    "rationale",
    "description",
    "body",
    "text",
)
LONG = (models.TextField,)


def translatable_fields(record: PublicRecord) -> list[models.Field[Any, Any]]:
    """The record's prose fields, as model fields (for labels and sizes)."""
    names = {f.name: f for f in type(record)._meta.concrete_fields}
    found: list[models.Field[Any, Any]] = []
    for name in PROSE_FIELDS:
        field = names.get(name)
        if isinstance(field, models.CharField | models.TextField):
            found.append(field)
    return found


def original_language(record: PublicRecord) -> str:
    """The record's own language when it keeps one, else the site's default."""
    return str(getattr(record, "language", "") or settings.LANGUAGE_CODE)


def translations_of(public_id: str) -> list[ContentTranslation]:
    return list(
        ContentTranslation.objects.filter(record=public_id, retracted_at__isnull=True).order_by(
            "language"
        )
    )


def language_name(code: str) -> str:
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
