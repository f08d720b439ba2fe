"""Shared set-up of the attack tests (``pytest -m security``, run by ``make security``).

The marker is registered here too, so these tests run under ``--strict-markers`` even
before ``pyproject.toml`` lists it. The Mexico 2017 demo data is loaded once per module
in a transaction rolled back at the end; each test runs in a savepoint of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tripartite.demo.mexico import load_mexico_2017


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "security: attack tests (CSRF, XSS, access control), run by make security",
    )


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        load_mexico_2017()
        yield
        transaction.set_rollback(True)
