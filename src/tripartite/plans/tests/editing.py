"""Helpers shared by the staff editing tests of action plans (``test_editing*.py``).

The counting and page helpers are the forums' (``forums.tests.editing``); what is added
here reads a plans form as a browser would submit it, and names a record's page even
while its record type has no page of its own yet (the history page stands in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.plans import services
from tripartite.plans.models import Commitment
from tripartite.plans.tests.factories import PlanWorld


def record_page(record: PublicRecord) -> str:
    """Where a successful form sends the editor: the record's page, or its history page
    while the record type has no page."""
    try:
        return reverse(f"{record.RECORD_TYPE}-detail", kwargs={"key": record.key})
    except NoReverseMatch:
        return reverse(
            "record-history", kwargs={"record_type": record.RECORD_TYPE, "key": record.key}
        )


def submitted(bound: forms.BoundField) -> Any:
    """The value a browser submits for ``bound`` as the page shows it."""
    value = bound.value()
    if isinstance(bound.field, forms.NullBooleanField):
        return {True: "true", False: "false"}.get(value, "unknown")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [item.pk if isinstance(item, Model) else item for item in value]
    return "" if value is None else value


def form_data(response: HttpResponse) -> dict[str, Any]:
    """What a browser would submit from the form as the page shows it (pre-filled)."""
    return {bound.html_name: submitted(bound) for bound in response.context["form"]}


def section(text: str, start: str, end: str) -> str:
    """The part of ``text`` from the first ``start`` to the next ``end``."""
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


@dataclass
class Extra:
    """Commitments no IRM report assesses yet, one in each plan of the world."""

    world: PlanWorld
    open_data: Commitment  # in the 2016 plan (its report uses the pre-2020 methodology)
    registry: Commitment  # in the 2022 plan (its review uses the 2020 methodology)


def add_unassessed(world: PlanWorld) -> Extra:
    actor = system_actor()
    return Extra(
        world=world,
        open_data=services.add_commitment(
            actor,
            key="XX0003",
            plan=world.plan,
            title="Open data on public works",
            ogp_values=["ati"],
            themes=["Open data"],
        ),
        registry=services.add_commitment(
            actor,
            key="XX0011",
            plan=world.next_plan,
            title="Lobbying registry",
            short_title="Lobbying",
        ),
    )
