"""The service decorator: the only road by which domain rows are written.

Every service function declares a permission. Calling it checks that permission
for the acting user, then runs the body in one transaction, so a refused or
failing write leaves nothing half-written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

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
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs["actor"] if "actor" in kwargs else (args[0] if args else None)
            subject = target(*args, **kwargs) if target else None
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
