"""History pages and the canonical JSON of each version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Schema

from .canonical import canonical_json
from .history import history, versions_of
from .problems import problem_response


def detail_page(
    template: str,
    load: Callable[[str], Schema],
    extra: Callable[[Any], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """A record's page and its JSON twin from one loader, for every app; ``extra`` adds
    page-only context (chart geometry) that the JSON twin does not need."""

    def view(request: HttpRequest, key: str, as_json: bool = False) -> HttpResponse:
        if not as_json:
            record = load(key)
            context = {"record": record, **(extra(record) if extra else {})}
            return render(request, template, context)
        try:
            data = load(key)
        except Http404:
            return problem_response(
                request, 404, _("Not found."), _("No record has this identifier.")
            )
        return JsonResponse(data.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False})

    return view


def record_history(request: HttpRequest, record_type: str, key: str) -> HttpResponse:
    views = history(record_type, key)
    return render(
        request,
        "core/history.html",
        {
            "public_id": f"{record_type}/{key}",
            "record_url": _record_url(record_type, key),
            "versions": views,
        },
    )


def record_version_json(
    request: HttpRequest, record_type: str, key: str, version: int
) -> HttpResponse:
    """The exact canonical bytes whose SHA-256 is recorded: anyone can re-hash them."""
    found = versions_of(record_type, key).filter(version=version).first()
    if found is None:
        raise Http404("no such version")
    response = HttpResponse(canonical_json(found.content), content_type="application/json")
    response["X-Content-SHA256"] = found.sha256
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _record_url(record_type: str, key: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"{record_type}-detail", kwargs={"key": key})
    except NoReverseMatch:
        return None
