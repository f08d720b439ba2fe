"""Writes of the forum record under /api/v1/, for tools that keep a forum's registers.

Each call authenticates with a personal API token (``accounts.tokens``) and goes through
the same service as the editing pages, so the same roles, validation and log apply. The
answers are the record's JSON as the read endpoints give it, with 201 and ``Location``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status

from tripartite.accounts.tokens import ApiTokenAuth
from tripartite.core.errors import InvalidInput
from tripartite.core.schemas import Problem

from . import queries, services
from . import schemas as s
from .api import router
from .edit_forms import unique_key
from .models import Forum, Letter, Member, Organization

WRITE_ERRORS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    409: Problem,
    422: Problem,
}


def _one(model: Any, key: str | None, field: str) -> Any:
    if not key:
        return None
    found = model._default_manager.filter(key=key).first()
    if found is None:
        raise InvalidInput(
            _("No %(type)s has the key %(key)s.") % {"type": model.RECORD_TYPE, "key": key},
            {field: [_("Unknown key.")]},
        )
    return found


def _many(model: Any, keys: list[str], field: str) -> list[Any]:
    found = {o.key: o for o in model._default_manager.filter(key__in=keys)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise InvalidInput(
            _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(missing))},
            {field: [_("Unknown key.")]},
        )
    return [found[k] for k in keys]


# On the read router: one URL (``/letters``) answers GET (read) and POST (token write).
@router.post(
    "/letters",
    auth=ApiTokenAuth(),
    tags=["forum record: writes"],
    response={201: s.LetterDetail, **WRITE_ERRORS},
    summary="Register a letter (API token)",
    description=(
        "Registers a letter in the register, as the editing page does: the token's account "
        "needs a role that may register letters for that member or forum. The letter is a "
        "public record from the moment it is registered, and on the log. 401 without a valid "
        "token, 403 when the account's roles do not allow it, 409 when the reference or key "
        "is taken, 422 for invalid input."
    ),
)
def register_letter(request: HttpRequest, response: HttpResponse, payload: s.LetterIn) -> Any:
    data = payload.model_dump()
    fields = {
        "member": _one(Member, data.pop("member"), "member"),
        "forum": _one(Forum, data.pop("forum"), "forum"),
        "response_to": _one(Letter, data.pop("response_to"), "response_to"),
    }
    signatories = _many(Organization, data.pop("signatories"), "signatories")
    key = data.pop("key") or unique_key(Letter, data["reference"])
    letter = services.register_letter(
        request.user, key=key, signatories=signatories, **fields, **data
    )
    response["Location"] = letter.get_absolute_url()
    return Status(201, queries.letter_detail(letter.key))
