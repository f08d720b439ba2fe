"""Public records of every app, reached by public id (``meeting/mx-stt-2016-04-15``), and
what they belong to (the member, the action-plan cycle), found by following references."""

from __future__ import annotations

import functools
from collections import deque
from typing import Any, TypeVar

from django.apps import apps
from django.urls import NoReverseMatch

from tripartite.core.models import PublicRecord

T = TypeVar("T")
MAX_DEPTH = 3


@functools.cache
def record_models() -> dict[str, type[PublicRecord]]:
    """Every concrete public record model, by record type."""
    return {
        model.RECORD_TYPE: model
        for model in apps.get_models()
        if issubclass(model, PublicRecord) and model.RECORD_TYPE and not model._meta.abstract
    }


def type_label(record_type: str) -> str:
    """The record type as people call it (its model's verbose name, translated)."""
    model = record_models().get(record_type)
    if model is None:
        return record_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def split_public_id(public_id: str) -> tuple[str, str]:
    record_type, _sep, key = (public_id or "").strip().strip("/").partition("/")
    return record_type, key


def resolve(public_id: str) -> PublicRecord | None:
    """The published record with this public id, or None."""
    record_type, key = split_public_id(public_id)
    model = record_models().get(record_type)
    if model is None or not key:
        return None
    record = model._default_manager.filter(key=key).first()
    if record is None or record.version == 0:  # unmoderated input is not public
        return None
    return record


def url_of(record: PublicRecord) -> str:
    try:
        return record.get_absolute_url()
    except NoReverseMatch:
        return record.get_history_url()


def related(record: Any, model: type[T], depth: int = MAX_DEPTH) -> T | None:
    """The first ``model`` reached from ``record`` through its references (breadth first:
    a direct ``member`` before ``forum.member``); ``record`` itself when it is one."""
    if isinstance(record, model):
        return record
    queue: deque[tuple[Any, int]] = deque([(record, 0)])
    seen: set[tuple[str, Any]] = set()
    while queue:
        current, level = queue.popleft()
        if level >= depth:
            continue
        for field in current._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is None or not issubclass(target, PublicRecord):
                continue
            if not (field.many_to_one or field.one_to_one):  # minutes → meeting is one-to-one
                continue
            if getattr(current, field.attname) is None:
                continue
            value = getattr(current, field.name)
            if isinstance(value, model):
                return value
            marker = (value._meta.label, value.pk)
            if marker not in seen:
                seen.add(marker)
                queue.append((value, level + 1))
    return None
