"""The open-data page and its downloads: the data package (zip) and Popolo JSON, both
streamed as they are produced."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tripartite.forums.models import Forum, Member
from tripartite.plans.models import ActionPlan

from . import datapackage, popolo


def _download_name(stem: str, extension: str) -> str:
    return f"tripartite-{stem}-{timezone.localdate().isoformat()}.{extension}"


def datapackage_zip(request: HttpRequest) -> StreamingHttpResponse:
    """``/open-data/datapackage.zip``: datapackage.json and every CSV, zipped on the fly."""
    response = StreamingHttpResponse(
        datapackage.stream_zip(homepage=request.build_absolute_uri(reverse("open-data"))),
        content_type="application/zip",
    )
    name = _download_name("datapackage", "zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def popolo_json(request: HttpRequest) -> StreamingHttpResponse:
    """``/open-data/popolo.json``: people, organisations, memberships, events, motions
    and vote events as Popolo JSON."""
    response = StreamingHttpResponse(popolo.stream(), content_type="application/json")
    name = _download_name("popolo", "json")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def open_data(request: HttpRequest) -> HttpResponse:
    """``/open-data/``: what can be downloaded and followed, and in which formats."""
    members = list(Member.objects.filter(retracted_at__isnull=True, version__gt=0).order_by("name"))
    forums = list(
        Forum.objects.filter(retracted_at__isnull=True, version__gt=0)
        .select_related("member")
        .order_by("member__name", "name")
    )
    plans = list(
        ActionPlan.objects.filter(retracted_at__isnull=True, version__gt=0)
        .select_related("member")
        .order_by("member__name", "number")
    )
    return render(
        request,
        "opendata/open_data.html",
        {"members": members, "forums": forums, "plans": plans},
    )
