"""Shared set-up of the notifications tests: people, a small forum and a plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from tripartite.forums.models import Forum, Meeting
from tripartite.forums.tests import factories as ff
from tripartite.plans.models import ActionPlan, Commitment, Milestone
from tripartite.plans.tests import factories as pf

D = dt.date
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def person(name: str, email: str | None = None, **fields: Any) -> Any:
    return get_user_model().objects.create_user(
        name, email=f"{name}@example.org" if email is None else email, password="x" * 16, **fields
    )


@dataclass
class World:
    forum: Forum
    meeting: Meeting
    plan: ActionPlan
    commitment: Commitment
    milestone: Milestone


def world() -> World:
    member = ff.member()
    forum = ff.forum(member, key="xx-forum", name="Example Forum")
    meeting = ff.meeting(forum, key="xx-forum-2016-04-15")
    plan = pf.plan(member, forum=forum)
    commitment = pf.commitment(plan, "XX0001", title="Open contracting")
    milestone = pf.milestone(commitment, deliverable="Publish every contract")
    return World(forum, meeting, plan, commitment, milestone)
