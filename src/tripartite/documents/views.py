"""Public pages of the repository and of search, with their JSON twins, and file downloads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tripartite.accounts.permissions import DOCUMENTS
from tripartite.core.problems import problem_response
from tripartite.core.views import detail_page

from . import blobs, queries, search
from . import schemas as s
from .models import Document

document_detail = detail_page("documents/document.html", queries.document_detail)


def repository(request: HttpRequest, key: str, as_json: bool = False) -> HttpResponse:
    """A member's repository: every document by cycle and type, and how often it is updated."""
    if as_json:
        try:
            data = queries.repository(key)
        except Http404:
            return problem_response(request, 404, _("Not found."), _("No member has this key."))
        return JsonResponse(data.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False})
    return render(request, "documents/repository.html", {"record": queries.repository(key)})


@require_GET
def download(request: HttpRequest, key: str, number: int) -> HttpResponse | FileResponse:
    """One file, as uploaded. A sealed (redacted) original is refused to the public."""
    document = get_object_or_404(Document, key=key, version__gt=0)
    version = document.versions.defer("text").filter(number=number).first()
    if version is None:
        raise Http404("no such file")
    if version.sealed and not DOCUMENTS.allows(request.user, {"document": document}):
        return render(
            request,
            "documents/sealed.html",
            {"document": document, "version": version},
            status=403,
        )
    if not blobs.exists(version.sha256):
        raise Http404("file missing from storage")
    response = FileResponse(
        blobs.path_of(version.sha256).open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.media_type,
    )
    response["X-Content-SHA256"] = version.sha256
    response["ETag"] = f'"{version.sha256}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = (
        "private, no-store" if version.sealed else "public, max-age=31536000, immutable"
    )
    return response


# ---------------------------------------------------------------- search


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the record"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    type = forms.SlugField(required=False, max_length=40, widget=forms.HiddenInput)
    member = forms.SlugField(required=False, max_length=120, widget=forms.HiddenInput)
    year = forms.IntegerField(
        required=False, min_value=1900, max_value=2200, widget=forms.HiddenInput
    )
    sector = forms.SlugField(required=False, max_length=30, widget=forms.HiddenInput)
    language = forms.SlugField(required=False, max_length=10, widget=forms.HiddenInput)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def filters(self) -> search.Filters:
        data = self.cleaned_data
        return search.Filters(**{name: data.get(name) or None for name in search.FACETS})


class _Window:
    """What ``Paginator`` needs to number the pages of a search: the count, no rows."""

    def __init__(self, count: int) -> None:
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[Any]:
        return []


def search_page(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """The search form and its results; an htmx request gets the results alone."""
    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if as_json:
            return problem_response(request, 400, _("Invalid search."), form.errors.as_text())
        return render(request, "documents/search.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    page_number = data.get("page") or 1
    size = search.PAGE_SIZE
    results = search.search(
        data.get("q") or "",
        form.filters() if form.is_bound else search.Filters(),
        offset=(page_number - 1) * size,
        limit=size,
    )
    if as_json:
        return JsonResponse(
            results.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False}
        )
    context = _results_context(request, results, page_number)
    context["form"] = form
    context["hidden_filters"] = sorted(_active_filters(request).items())
    template = (
        "documents/_results.html"
        if request.headers.get("HX-Request") == "true"
        else "documents/search.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _results_context(
    request: HttpRequest, results: s.SearchResults, page_number: int
) -> dict[str, Any]:
    base = request.GET.copy()
    for name in ("page",):
        base.pop(name, None)

    def url_with(**changes: Any) -> str:
        query = base.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value not in (None, ""):
                query[name] = str(value)
        return "?" + query.urlencode()

    facets = [
        {
            "name": facet.name,
            "label": facet.label,
            "values": [
                {
                    "value": value,
                    "url": url_with(**{facet.name: None if value.selected else value.value}),
                }
                for value in facet.values
            ],
        }
        for facet in results.facets
    ]
    active = [
        {
            "label": _facet_name(name),
            "value": _selected_label(results, name, value),
            "remove_url": url_with(**{name: None}),
        }
        for name, value in _active_filters(request).items()
    ]
    page: Page[Any] | None = None
    if results.count:
        # A search ranks its newest CANDIDATES matches only: no page numbers beyond those.
        window: Any = _Window(min(results.count, search.CANDIDATES))
        page = Paginator(window, search.PAGE_SIZE).get_page(page_number)
    return {
        "results": results,
        "facets": facets,
        "active_filters": active,
        "page": page,
        "previous_url": url_with(page=page.previous_page_number())
        if page and page.has_previous()
        else None,
        "next_url": url_with(page=page.next_page_number()) if page and page.has_next() else None,
        "searched": bool(results.query or active),
    }


def _active_filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in search.FACETS if request.GET.get(name)}


def _facet_name(name: str) -> str:
    return str(search.FACET_LABELS[name]())


def _selected_label(results: s.SearchResults, name: str, value: str) -> str:
    for facet in results.facets:
        if facet.name == name:
            for item in facet.values:
                if item.value == value:
                    return item.label
    return value
