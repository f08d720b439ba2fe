"""Read-only pages of mirrored instances: ``/mirrors/`` and below.

Every page names the origin and the checkpoint at which what it shows was verified, in a
fixed number of queries whatever the size of the mirror.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .mirror_models import MirrorRecordVersion, MirrorSource

PAGE_SIZE = 50


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    rows = (
        MirrorSource.objects.exclude(slug=None)
        .annotate(
            records=Count(
                "mirrorrecordversion",
                filter=Q(mirrorrecordversion__version=1),
            )
        )
        .order_by("origin")
    )
    return render(request, "opendata/mirrors.html", {"sources": rows})


def _latest_versions(source: MirrorSource) -> Any:
    newer = MirrorRecordVersion.objects.filter(
        source=source,
        record_type=OuterRef("record_type"),
        record_key=OuterRef("record_key"),
        version__gt=OuterRef("version"),
    )
    return (
        MirrorRecordVersion.objects.filter(source=source)
        .filter(~Exists(newer))
        .defer("content")
        .order_by("record_type", "record_key")
    )


@require_safe
def source(request: HttpRequest, slug: str) -> HttpResponse:
    mirror = get_object_or_404(MirrorSource, slug=slug)
    page = Paginator(_latest_versions(mirror), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opendata/mirror_source.html", {"source": mirror, "page": page})


def _fields(content: Any) -> list[tuple[str, str, bool]]:
    """(name, value, is_structured) for each top-level field of a record's content."""
    if not isinstance(content, dict):
        return [("", json.dumps(content, ensure_ascii=False, indent=1), True)]
    out = []
    for name, value in content.items():
        if isinstance(value, dict | list):
            out.append((name, json.dumps(value, ensure_ascii=False, indent=1), True))
        else:
            out.append((name, "" if value is None else str(value), False))
    return out


@require_safe
def record(request: HttpRequest, slug: str, record_type: str, key: str) -> HttpResponse:
    mirror = get_object_or_404(MirrorSource, slug=slug)
    versions = list(
        MirrorRecordVersion.objects.filter(source=mirror, record_type=record_type, record_key=key)
        .defer("content")
        .order_by("-version")
    )
    if not versions:
        raise Http404("no such mirrored record")
    wanted = request.GET.get("version")
    current = versions[0]
    if wanted and wanted.isdigit():
        current = next((v for v in versions if v.version == int(wanted)), current)
    shown = MirrorRecordVersion.objects.get(pk=current.pk)
    return render(
        request,
        "opendata/mirror_record.html",
        {
            "source": mirror,
            "version": shown,
            "versions": versions,
            "fields": _fields(shown.parsed()),
            "public_id": shown.public_id,
        },
    )


@require_safe
def record_json(
    request: HttpRequest, slug: str, record_type: str, key: str, version: int
) -> HttpResponse:
    """The mirrored version's exact canonical bytes (as verified against the source's log)."""
    found = (
        MirrorRecordVersion.objects.filter(
            source__slug=slug, record_type=record_type, record_key=key, version=version
        )
        .only("content", "sha256")
        .first()
    )
    if found is None:
        raise Http404("no such mirrored version")
    response = HttpResponse(bytes(found.content), content_type="application/json")
    response["X-Content-SHA256"] = found.sha256
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
