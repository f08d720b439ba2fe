"""Errors that services raise; views and the API turn them into clear 4xx answers."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: a request that cannot be carried out, with a message for people."""

    status = 400

    def __init__(self, message: Any, field_errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = field_errors or {}


class PermissionDenied(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class InvalidInput(ServiceError):
    status = 422


class Conflict(ServiceError):
    status = 409
