"""Document the API's error answers in its OpenAPI description.

Every error of the API is RFC 9457 problem JSON served as ``application/problem+json``
(``tripartite/api.py``), but django-ninja documents only the statuses an operation declares,
under ``application/json``. Clients and fuzzers (schemathesis, ``tests/api/``) check answers
against the description, so the errors every operation can give are added here, once, for
all operations (400 when a body is not JSON, 404 when a path names no record, 422 when a
parameter or body does not parse), and declared problem answers get their real media type.
"""

from __future__ import annotations

from typing import Any

from tripartite.core.schemas import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Only the English reason phrase: the OpenAPI document is not translated.
IMPLIED_ERRORS = {
    "400": "Bad Request: the body is not JSON.",
    "404": "Not Found: the path names no record.",
    "422": "Unprocessable Entity: a parameter or the body does not parse or is out of range.",
}


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}


def _is_problem_answer(response: dict[str, Any]) -> bool:
    content = response.get("content") or {}
    return any(media.get("schema", {}).get("$ref") == PROBLEM_REF for media in content.values())


def _implied_statuses(operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters") or []
    statuses = []
    if "requestBody" in operation:
        statuses.append("400")
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.append("404")
    if parameters or "requestBody" in operation:
        statuses.append("422")
    return statuses


def document_problem_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the implied error answers to every operation of ``schema`` (changed in place)."""
    for path_item in schema.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                if _is_problem_answer(response):
                    response["content"] = _problem_content()
            # ninja keys the responses by int; the JSON document turns every key into a string.
            declared = {str(status) for status in responses}
            for status in _implied_statuses(operation):
                if status not in declared:
                    responses[int(status)] = {
                        "description": IMPLIED_ERRORS[status],
                        "content": _problem_content(),
                    }
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "Problem" not in components:
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    return schema
