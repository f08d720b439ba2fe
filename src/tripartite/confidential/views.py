"""Pages of the confidential channel.

``/confidential/`` explains what is and is not protected and takes a submission:

* JavaScript on: ``static/confidential/seal.js`` seals the message in the browser to every
  active recipient key and posts only ``sealed_bundle`` (the copies); the words never
  leave the device in clear.
* JavaScript off: the form posts the words; this view seals them at once, in memory, and
  from then on handles only the sealed copies. The view is marked sensitive (its POST
  parameters and local variables are hidden from Django's error reports and debug
  pages), the words are removed from the request once sealed, and any failure after the
  words arrived is re-raised without the chained exception whose frames held them.

The other pages are the public list of recipient keys (with the staff form to add and
retire keys), one page per key and one per sealed submission.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from tripartite.accounts.permissions import INTERNATIONAL
from tripartite.core.errors import ServiceError
from tripartite.core.ratelimit import rate_limited
from tripartite.forums.edit_forms import attach_service_error
from tripartite.forums.edit_views import SeeOther, error_items, posted

from . import queries, sealing, services
from .forms import ConcernForm, RecipientKeyForm
from .models import RecipientKey

SEALED_FIELD = "sealed_bundle"


class SubmissionFailed(RuntimeError):
    """An unexpected failure while handling a submission; carries nothing of the message."""


@sensitive_variables()
def _scrub(request: HttpRequest) -> None:
    """Drop the words from the request once sealed: what stays is the CSRF token only, so
    nothing later in the request (middleware, a logging handler formatting the request, an
    error report) can read them."""
    kept = QueryDict(mutable=True)
    token = request.POST.get("csrfmiddlewaretoken")
    if token is not None:
        kept["csrfmiddlewaretoken"] = token
    request._post = kept  # type: ignore[attr-defined]
    if hasattr(request, "_body"):
        request._body = b""


def _channel_context(request: HttpRequest) -> dict[str, Any]:
    recipients = queries.active_recipients()
    return {
        "recipients": recipients,
        "recipient_keys": [{"id": r.public_id, "public_key": r.public_key} for r in recipients],
        "size_buckets": list(sealing.SIZE_BUCKETS),
        "message_format": sealing.MESSAGE_FORMAT,
    }


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
# By address even when signed in: a sealed submission is never tied to an account, not
# even for the length of a rate-limit window. Inside the sensitive-data decorators; it
# reads no posted field.
@rate_limited("sealed", by_user=False)
def submit(request: HttpRequest) -> HttpResponse:
    """GET: what is protected and the form. POST: keep the sealed copies, show the receipt."""
    status, error_message = 200, ""
    form = ConcernForm()
    if request.method == "POST":
        try:
            outcome = _receive(request)
        except Exception:  # re-raised below, outside this block: without the words' frames
            _scrub(request)
            outcome = None
        if outcome is None:
            raise SubmissionFailed("A confidential submission failed; nothing of it was kept.")
        if isinstance(outcome, tuple):
            submission, code = outcome
            return render(
                request,
                "confidential/received.html",
                {"submission": submission, "receipt_code": code},
            )
        form, status, error_message = outcome.form, outcome.status, outcome.message
    context = _channel_context(request)
    return render(
        request,
        "confidential/submit.html",
        {
            **context,
            "form": form,
            "error_message": error_message,
            "error_items": error_items(form),
        },
        status=status,
    )


class _Refused:
    """A submission refused with a clear message: the form to show again and the status."""

    def __init__(self, form: ConcernForm, status: int, message: str) -> None:
        self.form, self.status, self.message = form, status, message


@sensitive_variables()
def _receive(request: HttpRequest) -> tuple[Any, str] | _Refused:
    # Always anonymous: even a signed-in visitor's account is never linked to a submission.
    actor = AnonymousUser()
    if SEALED_FIELD in request.POST:  # sealed in the browser
        try:
            parsed = json.loads(request.POST[SEALED_FIELD])
            copies = parsed["copies"]
            if not isinstance(copies, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in copies.items()
            ):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return _Refused(ConcernForm(), 400, _("The sealed message could not be read."))
        try:
            return services.submit_sealed(actor, copies=copies)
        except ServiceError as error:
            return _Refused(ConcernForm(), error.status, error.message)
    form = ConcernForm(request.POST)
    if not form.is_valid():
        return _Refused(form, 422, "")
    recipients = queries.active_recipients()
    if not recipients:
        _scrub(request)
        return _Refused(
            form, 409, _("The confidential channel has no recipient key yet; nothing was kept.")
        )
    try:
        copies = sealing.seal_message(
            form.sealed_fields(), [(r.public_id, r.public_key) for r in recipients]
        )
    except sealing.SealingError:
        form.add_error(
            "message", _("The message could not be sealed. Shorten it, or try again later.")
        )
        return _Refused(form, 422, "")
    # From here on only the sealed copies exist for the rest of the request.
    _scrub(request)
    try:
        return services.submit_sealed(actor, copies=copies)
    except ServiceError as error:
        attach_service_error(form, error)
        return _Refused(form, error.status, error.message)


# ---------------------------------------------------------------- recipient keys


@require_http_methods(["GET", "POST"])
def recipient_keys(request: HttpRequest) -> HttpResponse:
    """The committee's recipient keys (public); staff add and retire keys here."""
    is_staff = INTERNATIONAL.allows(request.user)
    form = RecipientKeyForm(posted(request) if request.POST.get("action") == "add" else None)
    status, error_message = 200, ""
    if request.method == "POST":
        if not is_staff:
            return render(request, "forums/edit/forbidden.html", status=403)
        try:
            if request.POST.get("action") == "retire":
                recipient = RecipientKey.objects.filter(key=request.POST.get("key", "")).first()
                if recipient is None:
                    raise Http404("no such key")
                services.retire_recipient_key(request.user, recipient)
                return SeeOther(request.path)
            if form.is_valid():
                services.register_recipient_key(request.user, **form.cleaned_data)
                return SeeOther(request.path)
            status = 422
        except ServiceError as error:
            status, error_message = error.status, error.message
            attach_service_error(form, error)
    return render(
        request,
        "confidential/keys.html",
        {
            "keys": list(queries.all_recipients()),
            "form": form if is_staff else None,
            "error_message": error_message,
            "error_items": error_items(form) if request.method == "POST" else [],
        },
        status=status,
    )


def recipient_key_detail(request: HttpRequest, key: str) -> HttpResponse:
    recipient = RecipientKey.objects.filter(key=key).first()
    if recipient is None:
        raise Http404("no such key")
    return render(request, "confidential/key.html", {"recipient": recipient, "record": recipient})


def sealed_detail(request: HttpRequest, key: str) -> HttpResponse:
    submission = queries.submission(key)
    if submission is None:
        raise Http404("no such submission")
    return render(
        request, "confidential/sealed.html", {"submission": submission, "record": submission}
    )
