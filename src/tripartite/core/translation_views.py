"""Pages of record translations: one translation, and the editors' form to add or revise
one (``/translate/<type>/<key>/?language=es``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.documents.records import resolve
from tripartite.forums.edit_views import EditPage, handle, posted, staff_only

from .models import ContentTranslation, PublicRecord
from .translation_services import translate_record
from .translations import language_name, original_language, translatable_fields


def translation_detail(request: HttpRequest, key: str) -> HttpResponse:
    translation = get_object_or_404(ContentTranslation, key=key, version__gt=0)
    record = resolve(translation.record)
    rows = []
    if record is not None:
        for field in translatable_fields(record):
            if field.name in translation.fields:
                rows.append(
                    (
                        field.verbose_name,
                        getattr(record, field.name),
                        translation.fields[field.name],
                    )
                )
    return render(
        request,
        "core/translations/detail.html",
        {
            "translation": translation,
            "record": record,
            "rows": rows,
            "language_name": language_name(translation.language),
            "original_name": language_name(original_language(record)) if record else "",
            "outdated": record is not None and record.version > translation.source_version,
        },
    )


def form_class(record: PublicRecord) -> type[forms.Form]:
    """A form with the language and one box per prose field of ``record``."""
    original = original_language(record)
    attrs: dict[str, Any] = {
        "language": forms.ChoiceField(
            label=gettext_lazy("Language of the translation"),
            choices=[(code, name) for code, name in settings.LANGUAGES if code != original],
        )
    }
    for field in translatable_fields(record):
        long = field.get_internal_type() == "TextField"
        attrs[field.name] = forms.CharField(
            label=field.verbose_name,
            required=False,
            widget=forms.Textarea(attrs={"rows": 6}) if long else forms.TextInput(),
            help_text=gettext_lazy("Original: %(text)s")
            % {"text": str(getattr(record, field.name) or "—")[:200]},
        )
    attrs["note"] = forms.CharField(
        label=gettext_lazy("Translator's note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    return type("TranslationForm", (forms.Form,), attrs)


@staff_only
def translate_by_id(request: HttpRequest, public_id: str) -> HttpResponse:
    record = resolve(public_id.strip("/"))
    if record is None:
        raise Http404("no such record")
    language = request.GET.get("language", "")
    existing = ContentTranslation.objects.filter(record=record.public_id, language=language).first()
    initial = {"language": language, **(existing.fields if existing else {})}
    if existing:
        initial["note"] = existing.note
    form = form_class(record)(posted(request), initial=initial)

    def perform() -> tuple[str, str]:
        data = dict(form.cleaned_data)
        chosen, note = data.pop("language"), data.pop("note")
        made = translate_record(
            request.user, record=record, language=chosen, fields=data, note=note
        )
        return made.get_absolute_url(), _("The %(language)s translation is published.") % {
            "language": language_name(chosen)
        }

    page = EditPage(
        title=_("Translate %(id)s") % {"id": record.public_id},
        back=record,
        submit=_("Publish the translation"),
        intro=_(
            "The record keeps its original language (%(language)s). A translation is shown "
            "as a translation, with the version of the original it was made from."
        )
        % {"language": language_name(original_language(record))},
    )
    return handle(request, page, form, perform)
