"""The JSON API (``/api/v1/``): one NinjaAPI assembling each app's router.

Every error is answered as RFC 9457 problem JSON (``application/problem+json``).
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tripartite.accounts.api import router as joint_router
from tripartite.core.api import router as records_router
from tripartite.core.errors import ServiceError
from tripartite.core.nul_characters import refuse_nul_characters
from tripartite.core.openapi_problems import document_problem_responses
from tripartite.core.problems import problem_response
from tripartite.documents.api import router as documents_router
from tripartite.forums import api_writes  # noqa: F401 - adds the token writes to the forum router
from tripartite.forums.api import router as forums_router
from tripartite.oversight.api import router as oversight_router
from tripartite.plans.api import router as plans_router
from tripartite.plans.cocreation_api import router as cocreation_router


class TripartiteAPI(NinjaAPI):
    """The API whose OpenAPI description also lists the problem answers every operation
    gives, and whose operations refuse NUL characters before any parameter is used."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_problem_responses(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = refuse_nul_characters(pattern.callback)
        return urls


api = TripartiteAPI(
    title="Tripartite API",
    version="1",
    description=(
        "Read the public record of open-government forums: members, forums, seats, meetings, "
        "minutes and sign-offs, decisions, letters and statements, with every version."
    ),
    urls_namespace="api-v1",
    # Swagger UI styles itself inline; allow that on the docs page only.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}),
)
api.add_router("", forums_router)
api.add_router("", plans_router)
api.add_router("", cocreation_router)
api.add_router("", oversight_router)
api.add_router("", documents_router)
api.add_router("", joint_router)
api.add_router("", records_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = [
        {"loc": list(map(str, e.get("loc", []))), "msg": str(e.get("msg", ""))} for e in exc.errors
    ]
    detail = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors)
    return problem_response(request, 422, _("The request is not valid."), detail, errors=errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, _("Not found."), _("No record has this identifier."))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        request,
        401,
        _("Authentication required."),
        _("Send a valid API token: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, exc.status_code, str(exc.message), str(exc.message))


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return problem_response(
        request, exc.status, exc.message, exc.message, errors=exc.field_errors or None
    )
