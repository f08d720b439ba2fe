"""Writing translations of records (issue 8): one record per record and language, a new
version each time it is revised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import TRANSLATIONS

from .errors import InvalidInput
from .models import ContentTranslation, PublicRecord
from .recording import require_live, save_record
from .services import service
from .translations import original_language, translatable_fields


@service(TRANSLATIONS)
def translate_record(
    actor: Any,
    *,
    record: PublicRecord,
    language: str,
    fields: Mapping[str, str],
    note: str = "",
) -> ContentTranslation:
    """Publish (or revise) the translation of ``record``'s prose into ``language``."""
    require_live(record)
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(
            _("Choose one of the site's languages."), {"language": [_("Not a site language.")]}
        )
    if language == original_language(record):
        raise InvalidInput(
            _("This is the record's original language: publish a new version instead."),
            {"language": [_("The record is written in this language.")]},
        )
    allowed = {f.name for f in translatable_fields(record)}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput(
            _("These fields are not translated: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    kept = {name: text.strip() for name, text in fields.items() if (text or "").strip()}
    if not kept:
        raise InvalidInput(_("Translate at least one field."))
    existing = ContentTranslation.objects.filter(record=record.public_id, language=language).first()
    translation = existing or ContentTranslation(
        key=f"{record.RECORD_TYPE}-{record.key}-{language}"[:120],
        record=record.public_id,
        language=language,
    )
    if existing is not None and existing.fields == kept and existing.note == note.strip():
        raise InvalidInput(_("Nothing changed: a new version needs at least one change."))
    translation.fields = kept
    translation.note = note.strip()
    translation.source_version = record.version
    save_record(translation, actor=actor)
    return translation
