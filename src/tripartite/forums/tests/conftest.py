"""Fixtures shared by the forum tests.

``world`` here is the read-only record of ``read_world`` (built once per module, each test
in its own savepoint), used by the API and page tests; the editing tests override it with
a fresh, writable world of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.register_assert_rewrite(
    "tripartite.forums.tests.editing", "tripartite.forums.tests.read_world"
)

from django.test import Client  # noqa: E402

from tripartite.forums.tests.editing import user  # noqa: E402
from tripartite.forums.tests.read_world import World, kept_for_module  # noqa: E402


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from kept_for_module(django_db_blocker)


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(user("editor", staff=True))
    return client


@pytest.fixture
def public(client: Client) -> Client:
    client.force_login(user("reader", staff=False))
    return client
