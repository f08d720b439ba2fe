"""Fixtures of the open-data tests: ``world`` is ``world.build_export_world()``, built
once per module and rolled back after it (each test runs in its own savepoint)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tripartite.forums.tests.read_world import kept_for_module
from tripartite.opendata.tests.world import ExportWorld, build_export_world


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ExportWorld]:
    yield from kept_for_module(django_db_blocker, build_export_world)


@pytest.fixture
def world(module_world: ExportWorld, db: None) -> ExportWorld:
    return module_world


# The attacker with raw database access of the tamper and mirror tests.
from tripartite.ledger.tests.attacker import attacker  # noqa: E402, F401
