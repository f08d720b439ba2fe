"""Staff forms of the repository: file a document, add a file, redact a file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tripartite.forums.edit_forms import date_field, key_field, language_field, text_area

from . import filetypes, limits
from .choices import DocumentType

ACCEPT = ".pdf,.docx,.odt,.html,.htm,.md,.markdown,.txt"


def file_field(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=_(
            "PDF, Word (DOCX), OpenDocument text (ODT), HTML, Markdown or plain text. The type "
            "is checked from the content; encrypted or damaged files are refused."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class FileFormMixin:
    """Reads the uploaded file once, refusing one above the size limit before reading it."""

    cleaned_data: dict[str, Any]

    def clean_file(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["file"]
        current = limits.current()
        if uploaded.size is not None and uploaded.size > current.max_bytes:
            raise forms.ValidationError(filetypes.too_large_message(uploaded.size, current))
        return uploaded

    def file_data(self) -> tuple[str, bytes]:
        uploaded: UploadedFile = self.cleaned_data["file"]
        uploaded.seek(0)
        return uploaded.name or "document", uploaded.read()


class UploadForm(FileFormMixin, forms.Form):
    attached_to = forms.CharField(
        label=_("Attached to"),
        max_length=170,
        help_text=_(
            "The public identifier of the record the document belongs to, such as "
            "meeting/mx-stt-2016-04-15, plan/mx-3 or letter/mx-2017-0012."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    doc_type = forms.ChoiceField(label=_("Type of document"), choices=DocumentType.choices)
    file = file_field(_("File"))
    language = language_field()
    published_on = date_field(_("Date of the document"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=text_area(4))
    plan = forms.SlugField(
        label=_("Action plan cycle"),
        required=False,
        max_length=120,
        help_text=_(
            "The key of the action plan (such as mx-3) when the record belongs to none; "
            "otherwise the record's own plan is used."
        ),
    )
    key = key_field(_("Leave empty to derive one from the title."))


class VersionForm(FileFormMixin, forms.Form):
    file = file_field(_("New file"))
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("Shown publicly in the document's history."),
    )


class RedactForm(FileFormMixin, forms.Form):
    number = forms.TypedChoiceField(label=_("File to redact"), coerce=int, choices=())
    file = file_field(_("Redacted copy"))
    reason = forms.CharField(
        label=_("Reason for the redaction"),
        widget=text_area(3),
        help_text=_(
            "Shown publicly. The original is sealed: it is no longer offered for download, "
            "but its SHA-256 stays on the record."
        ),
    )

    def __init__(self, *args: Any, numbers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = numbers  # type: ignore[attr-defined]


class DetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    doc_type = forms.ChoiceField(label=_("Type of document"), choices=DocumentType.choices)
    language = language_field()
    published_on = date_field(_("Date of the document"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=text_area(4))
    reason = forms.CharField(
        label=_("Reason for the new version"),
        widget=text_area(3),
        help_text=_("Shown publicly in the record's history."),
    )


DETAIL_FIELDS = ("title", "doc_type", "language", "published_on", "description")


def details_initial(document: Any) -> dict[str, Any]:
    return {name: getattr(document, name) for name in DETAIL_FIELDS}


def details_changes(form: forms.Form) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in DETAIL_FIELDS}
