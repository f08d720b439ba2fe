"""Pages of the notifications app: follow, the list of follows, export, unsubscribe.

Every form works without JavaScript. Following needs an account; the unsubscribe link
works without one (its signed token says whose follow it ends) and, as RFC 8058 asks,
takes a POST without a CSRF token, since mail providers send it on the user's behalf.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tripartite.core.errors import ServiceError

from . import services, tokens
from .export import personal_data
from .models import Follow, Frequency
from .records import describe, load


def _me(request: HttpRequest) -> Any:
    """The signed-in user (the views that call this are behind ``login_required``)."""
    return request.user


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _back(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(_next(request, reverse("notifications")))


@login_required
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """GET: confirm following a record (where the sign-in link leads); POST: follow it."""
    if request.method == "POST":
        try:
            done = services.follow(
                request.user,
                record=request.POST.get("record", ""),
                frequency=request.POST.get("frequency", Frequency.IMMEDIATE),
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return _back(request)
        messages.success(
            request,
            _("You follow %(id)s: %(frequency)s.")
            % {"id": done.record, "frequency": done.get_frequency_display()},
        )
        return _back(request)
    public_id = request.GET.get("record", "").strip().strip("/")
    found = load([public_id])
    if public_id not in found:
        return render(request, "notifications/follow.html", {"record": None}, status=404)
    current = Follow.objects.filter(user=_me(request), record=public_id).first()
    return render(
        request,
        "notifications/follow.html",
        {
            "record": describe(found[public_id], public_id),
            "current": current,
            "frequencies": Frequency.choices,
            "next": found[public_id].get_absolute_url(),
        },
    )


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    record = request.POST.get("record", "")
    try:
        ended = services.unfollow(request.user, record=record)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(request)
    if ended:
        messages.success(request, _("You no longer follow %(id)s.") % {"id": record})
    return _back(request)


@login_required
@require_POST
def frequency(request: HttpRequest) -> HttpResponse:
    try:
        done = services.set_frequency(
            request.user,
            record=request.POST.get("record", ""),
            frequency=request.POST.get("frequency", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(request)
    messages.success(
        request,
        _("You follow %(id)s: %(frequency)s.")
        % {"id": done.record, "frequency": done.get_frequency_display()},
    )
    return _back(request)


@login_required
@require_GET
def follows(request: HttpRequest) -> HttpResponse:
    """What the signed-in user follows, with how often and a button to stop each."""
    rows = list(Follow.objects.filter(user=_me(request)).order_by("record"))
    found = load(row.record for row in rows)
    return render(
        request,
        "notifications/follows.html",
        {
            "follows": [
                {"follow": row, "record": describe(found.get(row.record), row.record)}
                for row in rows
            ],
            "frequencies": Frequency.choices,
            "has_email": bool(getattr(request.user, "email", "")),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The user's own notification data as JSON (a download, never cached)."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "user": request.user.get_username(),
        "email": getattr(request.user, "email", ""),
        "notifications": personal_data(request.user),
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="tripartite-notifications.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page; POST: unsubscribe. The signed token is the authority."""
    claim = tokens.read(token)
    user = get_user_model()._default_manager.filter(pk=claim.user_id).first() if claim else None
    if claim is None or user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if claim.follow_id is None:
        scope = Follow.objects.filter(user=user, frequency=Frequency.DAILY)
    else:
        scope = Follow.objects.filter(user=user, pk=claim.follow_id)
    if request.method == "GET":
        found = load(row.record for row in scope)
        return render(
            request,
            "notifications/unsubscribe.html",
            {
                "token": token,
                "all_digests": claim.follow_id is None,
                "records": [describe(found.get(row.record), row.record) for row in scope],
            },
        )
    if not user.is_active:  # nothing is sent to an inactive account; nothing to stop
        ended = 0
    elif claim.follow_id is None:
        ended = services.stop_digests(user)
    else:
        ended = services.unfollow(user, follow_id=claim.follow_id)
    response = render(request, "notifications/unsubscribed.html", {"ended": ended})
    response["Cache-Control"] = "no-store"
    return response
