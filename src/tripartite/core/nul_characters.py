"""Refuse NUL characters at the API's boundary, as Django's forms do for the pages.

PostgreSQL text cannot hold a NUL character: a query filter or a body field carrying one
(``?member=%00``) made the database raise, and the API answered 500 (SQLite stores it, so
only PostgreSQL showed it). The pages' forms refuse it already (``CharField``'s
``ProhibitNullCharactersValidator``); every API operation now does the same, before any
parameter reaches a query: 422 problem JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tripartite.core.problems import problem_response

View = Callable[..., HttpResponse]
# A NUL in a JSON string is the escape \u0000, unless its backslash is itself escaped.
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path, a query parameter or the body holds a NUL character."""
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.method in {"POST", "PUT", "PATCH"}:
        body = request.body
        return b"\x00" in body or _ESCAPED_NUL.search(body) is not None
    return False


def refuse_nul_characters(view: View) -> View:
    """Wrap an API view: a request carrying a NUL character gets a 422, not the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if carries_nul(request):
            return problem_response(
                request,
                422,
                _("The request is not valid."),
                _("Text cannot contain NUL characters."),
            )
        return view(request, *args, **kwargs)

    return wrapper
