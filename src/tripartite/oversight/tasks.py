"""Background work of the oversight app, run by the worker (django-tasks).

When a record the compliance engine reads changes (a meeting's date, an IRM report, a
policy row…), the member's readings are recomputed after the change commits, so the
stored readings, and the contrary findings and reviews they lead to, follow the evidence.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import task

from tripartite.core.models import PublicRecord

# How to reach the member from each kind of evidence (attribute paths).
MEMBER_PATHS: dict[str, tuple[str, ...]] = {
    "forum": ("member",),
    "seat": ("forum", "member"),
    "meeting": ("forum", "member"),
    "minutes": ("meeting", "forum", "member"),
    "plan": ("member",),
    "input": ("plan", "member"),
    "response": ("plan", "member"),
    "irm-report": ("plan", "member"),
    "assessment": ("report", "plan", "member"),
}
ALL_MEMBERS = "*"


def member_key_of(record: PublicRecord) -> str | None:
    """The key of the member whose readings ``record`` can change; ``*`` for all of them."""
    if record.RECORD_TYPE == "policy":
        return ALL_MEMBERS
    path = MEMBER_PATHS.get(record.RECORD_TYPE)
    if path is None:
        return None
    target: Any = record
    for name in path:
        target = getattr(target, name, None)
        if target is None:
            return None
    return str(target.key)


@task()
def recompute_compliance(member_key: str) -> dict[str, Any]:
    """Refresh the readings of one member (or every member for ``*``)."""
    from tripartite.core.actors import system_actor
    from tripartite.forums.models import Member

    from .compliance_store import refresh

    members = Member.objects.filter(retracted_at__isnull=True)
    if member_key != ALL_MEMBERS:
        members = members.filter(key=member_key)
    actor = system_actor()
    changed: list[str] = []
    contrary: list[str] = []
    for member in members:
        result = refresh(member, actor=actor)
        changed += result.changed
        contrary += result.contrary
    return {"changed": changed, "contrary": contrary}


class _Recompute:
    """The on-commit callback for one member, recognisable so a transaction queues one."""

    def __init__(self, member_key: str) -> None:
        self.member_key = member_key

    def __call__(self) -> None:
        if not _waiting(self.member_key):
            recompute_compliance.enqueue(self.member_key)


def _waiting(member_key: str) -> bool:
    """Whether a recompute of ``member_key`` is already queued and not yet started: one
    run after a burst of commits (an import, the demo loader) reads them all."""
    if "django_tasks_db" not in str(settings.TASKS.get("default", {}).get("BACKEND", "")):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=recompute_compliance.module_path,
        args_kwargs={"args": [member_key], "kwargs": {}},
    ).exists()


def _queued(member_key: str) -> bool:
    """Whether this transaction already queues a recompute for ``member_key``."""
    callbacks = transaction.get_connection().run_on_commit
    return any(getattr(entry[1], "member_key", None) == member_key for entry in callbacks)


def on_record_saved(sender: Any, instance: PublicRecord, **kwargs: Any) -> None:
    """Queue a recompute, after commit, for the member whose evidence changed."""
    from .compliance_store import EVIDENCE_TYPES

    if instance.RECORD_TYPE not in EVIDENCE_TYPES:
        return
    key = member_key_of(instance)
    if key is None:
        return
    if not _queued(key):
        transaction.on_commit(_Recompute(key))
