"""The benchmark's URL map: the product's, plus a minimal Django view as the baseline.

The baseline view lives here, not in the product: it answers through the same settings,
middleware and test client as the pages measured beside it, and does nothing else.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def minimal_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/baseline/", minimal_view),
    path("", include("tripartite.urls")),
]
