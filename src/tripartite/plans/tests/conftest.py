"""Fixtures shared by the plans tests.

``world`` is the read-only plan record of ``factories.plan_world`` (built once per module
inside a transaction rolled back after it; each test runs in its own savepoint), used by
the page, API and co-creation tests. Tests that write may still use it: their writes are
undone after each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tripartite.forums.tests.editing import user
from tripartite.forums.tests.read_world import kept_for_module
from tripartite.plans.tests.factories import PlanWorld, plan_world


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PlanWorld]:
    yield from kept_for_module(django_db_blocker, plan_world)


@pytest.fixture
def world(module_world: PlanWorld, db: None) -> PlanWorld:
    return module_world


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(user("editor", staff=True))
    return client


@pytest.fixture
def public(client: Client) -> Client:
    client.force_login(user("reader", staff=False))
    return client
