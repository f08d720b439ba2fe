"""History pages and the canonical JSON of each version."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .canonical import canonical_json
from .history import history, versions_of


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
