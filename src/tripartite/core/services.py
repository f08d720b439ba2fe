"""The service decorator: the only road by which domain rows are written.

Every service function declares a permission. Calling it checks that permission
for the acting user, then runs the body in one transaction, so a refused or
failing write leaves nothing half-written.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import INTERNATIONAL

from .errors import PermissionDenied
from .permissions import Permission

P = ParamSpec("P")
R = TypeVar("R")

REGISTRY: dict[str, Permission] = {}
"""Every registered service, by dotted name, with its declared permission."""


def service(
    permission: Permission, target: Callable[..., Any] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a write service.

    The decorated function's first argument must be the acting user (``actor``).
    ``target`` optionally picks, from the call's arguments, the object the
    permission is checked against.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(func)
        var_keyword = next(
            (p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None
        )

        def call_of(args: Any, kwargs: Any) -> dict[str, Any]:
            """The call's arguments by name (``**fields`` flattened in): what a permission
            reads to find the records the write concerns."""
            try:
                arguments = dict(signature.bind_partial(*args, **kwargs).arguments)
            except TypeError:
                return dict(kwargs)
            if var_keyword and var_keyword in arguments:
                arguments.update(arguments.pop(var_keyword))
            return arguments

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs["actor"] if "actor" in kwargs else (args[0] if args else None)
            subject = target(*args, **kwargs) if target else call_of(args, kwargs)
            if not permission.allows(actor, subject):
                raise PermissionDenied(
                    _("You do not have permission to do this (%(permission)s).")
                    % {"permission": permission.code}
                )
            with transaction.atomic():
                return func(*args, **kwargs)

        wrapper.__service_permission__ = permission  # type: ignore[attr-defined]
        REGISTRY[f"{func.__module__}.{func.__qualname__}"] = permission
        return wrapper

    return decorate


# ---------------------------------------------------------------- policy rows


@service(INTERNATIONAL)
def record_policy_rule(
    actor: Any,
    *,
    key: str,
    code: str,
    title: str,
    effective_from: Any,
    effective_to: Any = None,
    params: dict[str, Any] | None = None,
    source_url: str = "",
    verified: bool = False,
    note: str = "",
) -> Any:
    """Record a version of a rule (a deadline, a threshold) with its source.

    Once any row of ``code`` is recorded, the recorded rows alone decide that rule
    (see ``core.policy``), so record the whole set of a code, past versions included.
    """
    from .errors import Conflict, InvalidInput
    from .models import PolicyRule
    from .recording import save_record

    if PolicyRule.objects.filter(key=key).exists():
        raise Conflict(_("%(id)s already exists.") % {"id": f"policy/{key}"})
    if effective_to is not None and effective_to < effective_from:
        raise InvalidInput(_("A rule cannot end before it takes effect."))
    overlapping = PolicyRule.objects.filter(code=code, retracted_at__isnull=True).filter(
        models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=effective_from)
    )
    if effective_to is not None:
        overlapping = overlapping.filter(effective_from__lte=effective_to)
    if overlapping.exists():
        raise Conflict(
            _("Another version of %(code)s is in force in that period; end it first.")
            % {"code": code}
        )
    rule = PolicyRule(
        key=key,
        code=code,
        title=title,
        effective_from=effective_from,
        effective_to=effective_to,
        params=params or {},
        source_url=source_url,
        verified=verified,
        note=note,
    )
    save_record(rule, actor=actor)
    return rule
