"""API list pagination: shape only the rows of the requested page, and bound the offset.

django-ninja's ``LimitOffsetPagination`` accepts any non-negative offset; one beyond the
database's 64-bit integers (``?offset=10**30``) failed inside the database as a server error
instead of a 422. No list comes near ``MAX_OFFSET`` records, so the bound costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

M = TypeVar("M")

MAX_OFFSET = 1_000_000_000


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    """ninja's limit/offset pagination with an offset the database can always take."""

    class Input(NinjaLimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Shaped(Generic[M]):
    """A queryset seen through a shaping function.

    ninja's pagination counts it (one COUNT query) and slices it (one query for
    the page); only the page's rows are shaped into their schema.
    """

    def __init__(self, queryset: QuerySet[Any], shape: Callable[[Any], M]):
        self.queryset = queryset
        self.shape = shape

    def all(self) -> Shaped[M]:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[M]:
        return [self.shape(row) for row in self.queryset[window]]
