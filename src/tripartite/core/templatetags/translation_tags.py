"""``{% record_translations record.id %}``: on a record's page, its translation into the
reader's language (marked as one) and links to the others."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from tripartite.core.translations import language_name, translations_of

register = template.Library()


@register.inclusion_tag("core/translations/_on_record.html", takes_context=True)
def record_translations(context: Any, public_id: str) -> dict[str, Any]:
    found = translations_of(public_id)
    current = (get_language() or "").split("-")[0]
    shown = next((t for t in found if t.language == current), None)
    return {
        "user": context.get("user"),
        "public_id": public_id,
        "shown": shown,
        "shown_name": language_name(shown.language) if shown else "",
        "others": [(t, language_name(t.language)) for t in found if t is not shown],
        "current": current,
    }
