"""Staff pages of the repository: file a document, add a file, redact a file, edit the
details, retract. The loop is the forums' (``forums.edit_views.handle``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tripartite.core.errors import InvalidInput
from tripartite.core.ratelimit import rate_limited
from tripartite.forums.edit_forms import unique_key
from tripartite.forums.edit_views import (
    EditPage,
    Outcome,
    handle,
    posted,
    retract_view,
    retracted_notice,
    staff_only,
)
from tripartite.plans.models import ActionPlan

from . import edit_forms as f
from . import services
from .models import Document
from .records import resolve

FORM_TEMPLATE = "documents/edit/form.html"


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _back(document: Document) -> tuple[str, str]:
    return document.get_absolute_url(), document.title


@staff_only
@rate_limited("upload")  # per account: only signed-in staff get this far
def upload(request: HttpRequest) -> HttpResponse:
    """``/documents/new/?attach=<type>/<key>``: file a document with its first file."""
    attach = request.GET.get("attach", "")
    target = resolve(attach) if attach else None
    form = f.UploadForm(
        posted(request),
        _files(request),
        initial={"attached_to": target.public_id if target else attach, "language": "en"},
    )

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        filename, content = form.file_data()
        plan = None
        if data["plan"]:
            plan = ActionPlan.objects.filter(key=data["plan"]).first()
            if plan is None:
                message = _("No action plan has the key “%(key)s”.") % {"key": data["plan"]}
                raise InvalidInput(message, {"plan": [message]})
        document = services.upload_document(
            request.user,
            key=data["key"] or unique_key(Document, data["title"][:60]),
            attached_to=data["attached_to"],
            title=data["title"],
            doc_type=data["doc_type"],
            language=data["language"],
            description=data["description"],
            published_on=data["published_on"],
            plan=plan,
            filename=filename,
            data=content,
        )
        return document.get_absolute_url(), _(
            "“%(title)s” is on the record; its text is being extracted."
        ) % {"title": document.title}

    back = (target.get_absolute_url(), str(target)) if target else (reverse("home"), _("Home"))
    return handle(
        request,
        EditPage(
            title=_("Add a document to the repository"),
            back=back,
            submit=_("Upload the document"),
            template=FORM_TEMPLATE,
            intro=_(
                "The file is kept unchanged under its SHA-256, which is logged with the "
                "document's record."
            ),
        ),
        form,
        perform,
    )


def _document(key: str) -> Document:
    return get_object_or_404(Document.objects.select_related("member", "plan"), key=key)


@staff_only
@rate_limited("upload")  # per account: only signed-in staff get this far
def add_version(request: HttpRequest, key: str) -> HttpResponse:
    document = _document(key)
    form = f.VersionForm(posted(request), _files(request))

    def perform() -> Outcome:
        filename, content = form.file_data()
        version = services.add_version(
            request.user,
            document,
            filename=filename,
            data=content,
            note=form.cleaned_data["note"],
        )
        return document.get_absolute_url(), _("File %(number)s of “%(title)s” is uploaded.") % {
            "number": version.number,
            "title": document.title,
        }

    return handle(
        request,
        EditPage(
            title=_("Upload a new file of “%(title)s”") % {"title": document.title},
            back=_back(document),
            submit=_("Upload the file"),
            template=FORM_TEMPLATE,
            notice=retracted_notice(document),
            intro=_("Earlier files stay on the record and can still be downloaded."),
        ),
        form,
        perform,
    )


@staff_only
@rate_limited("upload")  # per account: only signed-in staff get this far
def redact(request: HttpRequest, key: str) -> HttpResponse:
    document = _document(key)
    public = list(document.versions.filter(sealed=False).defer("text").order_by("-number"))
    numbers = [
        (v.number, _("File %(number)s: %(name)s") % {"number": v.number, "name": v.filename})
        for v in public
    ]
    form = f.RedactForm(posted(request), _files(request), numbers=numbers)
    notice = retracted_notice(document) or (
        "" if public else _("Every file of this document is already sealed.")
    )

    def perform() -> Outcome:
        filename, content = form.file_data()
        version = services.redact_version(
            request.user,
            document,
            number=form.cleaned_data["number"],
            filename=filename,
            data=content,
            reason=form.cleaned_data["reason"],
        )
        return document.get_absolute_url(), _(
            "File %(original)s is sealed; its redacted copy is file %(number)s."
        ) % {"original": form.cleaned_data["number"], "number": version.number}

    return handle(
        request,
        EditPage(
            title=_("Redact a file of “%(title)s”") % {"title": document.title},
            back=_back(document),
            submit=_("Seal the original and publish the redacted copy"),
            template=FORM_TEMPLATE,
            notice=notice,
            intro=_(
                "Upload the redacted copy. The original stays stored but sealed: the public "
                "can no longer download it, and its SHA-256 stays on the record and in the log."
            ),
        ),
        form,
        perform,
    )


@staff_only
def edit_details(request: HttpRequest, key: str) -> HttpResponse:
    document = _document(key)
    form = f.DetailsForm(posted(request), initial=f.details_initial(document))

    def perform() -> Outcome:
        services.update_document(
            request.user,
            document,
            changes=f.details_changes(form),
            reason=form.cleaned_data["reason"],
        )
        return document.get_absolute_url(), _("Version %(version)s of %(id)s is published.") % {
            "version": document.version,
            "id": document.public_id,
        }

    return handle(
        request,
        EditPage(
            title=_("Edit the details of “%(title)s”") % {"title": document.title},
            back=_back(document),
            submit=_("Publish the new version"),
            template=FORM_TEMPLATE,
            notice=retracted_notice(document),
        ),
        form,
        perform,
    )


_retract = retract_view({"document": Document}, services.retract_document)


def retract(request: HttpRequest, key: str) -> HttpResponse:
    return _retract(request, record_type="document", key=key)
