"""RFC 9457 problem details, for the API and for JSON twins of pages."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse


def problem_response(
    request: HttpRequest, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json",
    )
