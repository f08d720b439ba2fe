"""Fixtures shared by the oversight read-side tests.

``world`` is ``factories.oversight_world()`` plus a stored compliance reading of the
member's first plan cycle, built once per module inside a transaction rolled back after
it (each test runs in its own savepoint, so a test's writes are undone after it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tripartite.core.actors import system_actor
from tripartite.forums.tests.read_world import kept_for_module
from tripartite.oversight import compliance, review_services
from tripartite.oversight.tests.factories import OversightWorld, oversight_world
from tripartite.plans.models import ActionPlan

READ_ON = dt.date(2024, 1, 15)


def oversight_read_world() -> OversightWorld:
    """The shared world, with the compliance engine's reading of plan xx-1 kept."""
    world = oversight_world()
    plan = ActionPlan.objects.get(key="xx-1")
    findings = compliance.evaluate(world.member, plan, today=READ_ON)
    review_services.store_compliance_reading(
        system_actor(),
        plan=plan,
        findings=[finding.as_dict() for finding in findings],
        fingerprint="0" * 64,
        computed_on=READ_ON,
    )
    return world


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[OversightWorld]:
    yield from kept_for_module(django_db_blocker, oversight_read_world)


@pytest.fixture
def world(module_world: OversightWorld, db: None) -> OversightWorld:
    return module_world
