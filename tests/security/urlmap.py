"""The site's URL patterns, walked, with real demo keys put in their parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tripartite.documents.records import record_models

CONVERTER = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None
    module: str
    callback: Any

    @property
    def label(self) -> str:
        return f"{self.route} ({self.name})"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            yield Route(
                prefix + str(pattern.pattern),
                pattern.name,
                getattr(callback, "__module__", ""),
                callback,
            )


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def first_key(record_type: str) -> str | None:
    model = record_models().get(record_type)
    if model is None:
        return None
    return model._default_manager.order_by("pk").values_list("key", flat=True).first()


def concrete_path(route: Route) -> str | None:
    """The route with every parameter filled from the demo data; None when no record of
    the needed type exists (or the route is a regular expression)."""
    if route.route.startswith("^"):
        return None
    record_type = route.route.split("/", 1)[0]
    path = route.route

    def fill(match: re.Match[str]) -> str:
        converter, name = match["converter"], match["name"]
        if converter == "int":
            return "1"
        if name == "record_type":
            return "member"
        if converter == "path":
            return "member/mx"
        key = first_key(record_type)
        if key is None:
            raise LookupError(record_type)
        return key

    try:
        path = CONVERTER.sub(fill, path)
    except LookupError:
        return None
    return "/" + path
