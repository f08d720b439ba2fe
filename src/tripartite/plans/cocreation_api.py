"""Co-creation under /api/v1/: the register of public input and reasoned responses, and
submitting input as JSON.

Reading: only published and withheld inputs exist here (a withheld one without its
words); input waiting for moderation is never listed nor found. No list or detail
carries the contact e-mail or the account, and the name only with consent.

Submitting (``POST /plans/{key}/inputs``) is open to anyone, like the form on the
co-creation page. CSRF: django-ninja checks CSRF only for operations authenticated by a
cookie; this API has no authentication, so none is checked (ninja's default, kept). The
operation therefore always submits as an anonymous visitor and ignores any session cookie
sent with it: a request forged from another site can do nothing a visitor without an
account cannot do, and never ties input to someone's account. Signed-in people who want
their input tied to their account use the form, which is CSRF-protected.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from tripartite.core.pagination import LimitOffsetPagination, Shaped
from tripartite.core.ratelimit import rate_limited
from tripartite.core.schemas import Problem

from . import cocreation_queries as q
from . import cocreation_schemas as s
from . import services
from .models import ActionPlan

router = Router(tags=["co-creation"])


class InputFilters(Schema):
    plan: str | None = Field(None, max_length=120, description="Plan key, e.g. mx-3")
    answered: bool | None = Field(
        None,
        description=("true: inputs with a response; false: published inputs still without one"),
    )
    commitment: str | None = Field(
        None, max_length=120, description="Commitment key (OGP id): the inputs it came from"
    )


class ResponseFilters(Schema):
    plan: str | None = Field(None, max_length=120, description="Plan key, e.g. mx-3")


@router.get(
    "/inputs",
    response=list[s.InputOut],
    summary="The register of co-creation input (published and withheld)",
)
@paginate(LimitOffsetPagination)
def list_inputs(request: HttpRequest, filters: Query[InputFilters]) -> Any:
    queryset = q.filter_inputs(
        q.public_inputs(),
        plan=filters.plan,
        answered=filters.answered,
        commitment=filters.commitment,
    )
    return Shaped(queryset, q.input_out)


@router.get("/inputs/{key}", response=s.InputOut, summary="A co-creation input")
def get_input(request: HttpRequest, key: str) -> Any:
    return q.input_detail(key)


@router.get(
    "/responses", response=list[s.ResponseOut], summary="Reasoned responses to co-creation input"
)
@paginate(LimitOffsetPagination)
def list_responses(request: HttpRequest, filters: Query[ResponseFilters]) -> Any:
    queryset = q.responses()
    if filters.plan:
        queryset = queryset.filter(plan__key=filters.plan)
    return Shaped(queryset, q.response_out)


@router.get("/responses/{key}", response=s.ResponseOut, summary="A reasoned response")
def get_response(request: HttpRequest, key: str) -> Any:
    return q.response_detail(key)


@router.post(
    "/plans/{key}/inputs",
    response={
        202: s.InputReceipt,
        404: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
    summary="Submit co-creation input (anyone, no account needed)",
    description=(
        "Accepted input waits, private, for moderation (202, status pending): it is "
        "published or withheld later and never appears before. The e-mail is never "
        "published; the name only if publish_name is true. 409 when the plan is not open "
        "for co-creation, 422 for invalid input. The request is always treated as coming "
        "from a visitor without an account (no CSRF check applies, and no cookie is used). "
        "429 when too much input came from the same address lately: the Retry-After "
        "header says after how many seconds to send again."
    ),
)
# Counted with the input form's posts, by address only (the API ignores accounts), before
# the payload is even read.
@decorate_view(rate_limited("input", by_user=False, api=True))
def submit_input(request: HttpRequest, key: str, payload: s.InputIn) -> Any:
    plan = get_object_or_404(ActionPlan, key=key)
    item = services.submit_input(AnonymousUser(), plan=plan, **payload.model_dump())
    return Status(
        202,
        s.InputReceipt(
            id=item.public_id,
            key=item.key,
            status="pending",
            message=_("Received. It awaits moderation and is not public until then."),
        ),
    )
