"""Paginate a queryset while shaping only the rows of the requested page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

M = TypeVar("M")


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
